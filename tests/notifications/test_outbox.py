"""The outbox: rows written with their event, delivered once, retried, swept."""

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from notifications import outbox
from notifications.models import Notice, NoticeKind, OutboxMessage, Status
from tests.factories import TalentFactory
from tickets import services
from tickets.models import Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_breaker(in_process_tasks):
    outbox.breaker_reset()
    yield
    outbox.breaker_reset()


def _open(clerk, talent, window, category="settlement", **extra):
    return services.ticket_open(actor=clerk.user, talent=talent, category=category,
                                channel="window", subject="Outbox", window=window, **extra).ticket


class TestWrittenWithTheEvent:
    def test_opening_writes_email_and_sms_in_the_talents_language(self, clerk, talent, window):
        ticket = _open(clerk, talent, window)
        rows = {m.channel: m for m in OutboxMessage.objects.filter(ticket=ticket)}
        assert set(rows) == {"email", "sms"}
        email = rows["email"]
        assert (email.event, email.to, email.language, email.status) == (
            "ticket_opened", talent.email, "en", Status.PENDING)
        assert ticket.reference in email.subject and "received" in email.subject
        assert "/status/l/" in email.body and "Outbox" in email.body
        assert rows["sms"].to == talent.phone and ticket.reference in rows["sms"].body

    def test_chinese_talents_get_chinese(self, clerk, window):
        talent = TalentFactory(preferred_language="zh")
        ticket = _open(clerk, talent, window)
        email = OutboxMessage.objects.get(ticket=ticket, channel="email")
        assert "已受理" in email.subject and "受理编号" in email.body

    def test_no_address_no_row(self, clerk, window):
        ticket = _open(clerk, TalentFactory(email="", phone=""), window)
        assert not OutboxMessage.objects.filter(ticket=ticket).exists()

    def test_a_failed_opening_leaves_no_message(self, clerk, talent, window):
        with pytest.raises(RuntimeError), transaction.atomic():
            _open(clerk, talent, window)
            raise RuntimeError("the request failed after opening")
        assert not Ticket.objects.exists()
        assert not OutboxMessage.objects.exists()

    def test_material_request_reply_and_resolution_are_sent(self, clerk, talent, window, officer):
        ticket = _open(clerk, talent, window)
        services.ticket_comment(ticket=ticket, actor=officer.user, body="Internal", public=False)
        services.ticket_comment(ticket=ticket, actor=officer.user, body="We are on it",
                                public=True)
        services.ticket_transition(ticket=ticket, action="request_materials",
                                   actor=officer.user, note="Please send your degree")
        events = list(OutboxMessage.objects.filter(ticket=ticket, channel="email")
                      .order_by("id").values_list("event", flat=True))
        assert events == ["ticket_opened", "reply", "material_requested"]
        request = OutboxMessage.objects.get(ticket=ticket, event="material_requested",
                                            channel="email")
        assert "Please send your degree" in request.body
        assert "Still missing" in request.body
        reply = OutboxMessage.objects.get(ticket=ticket, event="reply", channel="email")
        assert "We are on it" in reply.body
        # a reply goes by e-mail only when the talent has an address
        assert not OutboxMessage.objects.filter(ticket=ticket, event="reply", channel="sms").exists()

    def test_resolution_tells_the_talent_and_silent_steps_do_not(self, clerk, talent, window,
                                                                 officer):
        ticket = _open(clerk, talent, window, category="policy_consultation")
        services.ticket_transition(ticket=ticket, action="answer", actor=officer.user,
                                   note="The subsidy is 3,000 yuan a month.")
        resolved = OutboxMessage.objects.get(ticket=ticket, event="resolved", channel="email")
        assert "3,000 yuan" in resolved.body and "done" in resolved.subject
        count = OutboxMessage.objects.count()
        services.ticket_transition(ticket=ticket, action="close", actor=officer.user)
        assert OutboxMessage.objects.count() == count  # closing does not notify the talent


class TestDelivery:
    def test_delivers_once_however_often_called(self, clerk, talent, window):
        ticket = _open(clerk, talent, window)
        message = OutboxMessage.objects.get(ticket=ticket, channel="email")
        assert outbox.outbox_deliver(message_id=message.pk).status == Status.SENT
        assert outbox.outbox_deliver(message_id=message.pk).status == Status.SENT
        assert len(mail.outbox) == 1
        message.refresh_from_db()
        assert (message.status, message.attempts) == (Status.SENT, 1)
        assert message.sent_at is not None

    def test_sms_goes_through_the_provider(self, clerk, talent, window, settings, tmp_path):
        settings.SMS_BACKEND = "notifications.sms.FileSmsBackend"
        settings.SMS_FILE_PATH = str(tmp_path / "sms.jsonl")
        ticket = _open(clerk, talent, window)
        message = OutboxMessage.objects.get(ticket=ticket, channel="sms")
        outbox.outbox_deliver(message_id=message.pk)
        lines = (tmp_path / "sms.jsonl").read_text().splitlines()
        assert len(lines) == 1 and ticket.reference in lines[0]

    def test_a_message_held_by_a_live_worker_is_not_taken(self, clerk, talent, window):
        ticket = _open(clerk, talent, window)
        message = OutboxMessage.objects.get(ticket=ticket, channel="email")
        OutboxMessage.objects.filter(pk=message.pk).update(
            status=Status.SENDING, lease_until=timezone.now() + timedelta(minutes=1))
        assert outbox.outbox_deliver(message_id=message.pk).status == "busy"
        assert mail.outbox == []

    def test_a_failure_backs_off_then_fails_visibly_and_the_ticket_is_unaffected(
            self, clerk, talent, window, officer, settings):
        settings.SMS_BACKEND = "notifications.sms.FailingSmsBackend"
        settings.TALENTDESK_OUTBOX_MAX_ATTEMPTS = 3
        ticket = _open(clerk, talent, window)
        message = OutboxMessage.objects.get(ticket=ticket, channel="sms")
        delays = []
        for _attempt in range(3):
            OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
            result = outbox.outbox_deliver(message_id=message.pk)
            delays.append(result.retry_in)
        message.refresh_from_db()
        assert message.status == Status.FAILED and message.attempts == 3
        assert "refused" in message.last_error
        assert 30 <= delays[0] <= 33 and 60 <= delays[1] <= 66 and delays[2] is None
        notice = Notice.objects.get(kind=NoticeKind.DELIVERY_FAILED, recipient=officer)
        assert ticket.reference in notice.text and "SMS" in notice.text
        ticket.refresh_from_db()
        assert ticket.state == "new" and ticket.assignee == officer
        # once failed, nothing more is attempted
        assert outbox.outbox_deliver(message_id=message.pk).status == Status.FAILED

    def test_too_old_messages_expire_instead_of_being_sent(self, clerk, talent, window):
        ticket = _open(clerk, talent, window)
        message = OutboxMessage.objects.get(ticket=ticket, channel="email")
        OutboxMessage.objects.filter(pk=message.pk).update(
            created_at=timezone.now() - timedelta(days=4))
        assert outbox.outbox_deliver(message_id=message.pk).status == Status.EXPIRED
        assert mail.outbox == []

    def test_failed_messages_can_be_sent_again(self, clerk, talent, window,
                                               django_capture_on_commit_callbacks):
        ticket = _open(clerk, talent, window)
        message = OutboxMessage.objects.get(ticket=ticket, channel="email")
        OutboxMessage.objects.filter(pk=message.pk).update(status=Status.FAILED, attempts=6)
        with django_capture_on_commit_callbacks(execute=True):
            outbox.outbox_retry(message=message)
        message.refresh_from_db()
        assert message.status == Status.SENT and len(mail.outbox) == 1


class TestOneMessageOneIdentity:
    """Finding 8: a row re-sent after a worker died mid-send (the provider had accepted
    it, the row was not yet marked sent) carries the same identity both times."""

    def _resend(self, message):
        assert outbox.outbox_deliver(message_id=message.pk).status == Status.SENT
        OutboxMessage.objects.filter(pk=message.pk).update(  # as the sweeper re-queues it
            status=Status.PENDING, next_attempt_at=timezone.now())
        assert outbox.outbox_deliver(message_id=message.pk).status == Status.SENT

    def test_every_attempt_of_one_email_carries_the_same_message_id(self, clerk, talent, window):
        ticket = _open(clerk, talent, window)
        message = OutboxMessage.objects.get(ticket=ticket, channel="email")
        self._resend(message)
        expected = (f"<talentdesk-outbox-{message.pk}-"
                    f"{message.created_at:%Y%m%d%H%M%S%f}@talentdesk.local>")
        assert [m.message()["Message-ID"] for m in mail.outbox] == [expected, expected]
        other = OutboxMessage.objects.get(pk=_open(clerk, talent, window).outbox_messages.get(
            channel="email").pk)
        assert outbox.email_message_id(other) != expected

    def test_the_sms_provider_gets_one_idempotency_key_and_sends_once(
            self, clerk, talent, window, settings, tmp_path):
        settings.SMS_BACKEND = "notifications.sms.FileSmsBackend"
        settings.SMS_FILE_PATH = str(tmp_path / "sms.jsonl")
        ticket = _open(clerk, talent, window)
        message = OutboxMessage.objects.get(ticket=ticket, channel="sms")
        self._resend(message)
        lines = [json.loads(line) for line in (tmp_path / "sms.jsonl").read_text().splitlines()]
        assert [line["key"] for line in lines] == [outbox.message_key(message)]
        assert outbox.message_key(message) == (
            f"talentdesk-outbox-{message.pk}-{message.created_at:%Y%m%d%H%M%S%f}")


def test_the_sweeper_expires_a_backlog_in_bulk_and_sends_the_newest_due_first(
        clerk, talent, window, monkeypatch, django_assert_num_queries):
    """Finding 7: 600 rows too old to send stand in front; the fresh ones go first."""
    ticket = _open(clerk, talent, window)
    now = timezone.now()
    OutboxMessage.objects.bulk_create([
        OutboxMessage(event="ticket_opened", channel="sms", to="+8613800000000", body=f"old {i}",
                      created_at=now - timedelta(days=4),
                      next_attempt_at=now - timedelta(days=4) + timedelta(seconds=i))
        for i in range(600)
    ])
    email, sms = (OutboxMessage.objects.get(ticket=ticket, channel=c) for c in ("email", "sms"))
    OutboxMessage.objects.filter(pk=email.pk).update(next_attempt_at=now - timedelta(minutes=5))
    OutboxMessage.objects.filter(pk=sms.pk).update(next_attempt_at=now - timedelta(minutes=10))
    middle = OutboxMessage.objects.create(
        event="ticket_opened", channel="sms", to="+8613800000001", body="a day late",
        created_at=now - timedelta(days=1), next_attempt_at=now - timedelta(days=1))
    published = []
    monkeypatch.setattr(outbox, "outbox_publish", lambda ids: published.append(ids) or len(ids))
    with django_assert_num_queries(3):  # expire, re-queue lapsed leases, pick: any backlog
        assert outbox.outbox_sweep(limit=2) == 2
    assert published == [[email.pk, sms.pk]]
    assert OutboxMessage.objects.filter(status=Status.EXPIRED, last_error="too old to send",
                                        body__startswith="old ").count() == 600
    assert OutboxMessage.objects.get(pk=middle.pk).status == Status.PENDING


def test_retry_delays_grow_exponentially_with_a_cap(settings):
    settings.TALENTDESK_OUTBOX_RETRY_SECONDS = 30
    assert [outbox.retry_delay(n, jitter=False) for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert outbox.retry_delay(20, jitter=False) == 3600
    assert 30 <= outbox.retry_delay(1) <= 33


class TestPublishing:
    def test_after_commit_the_task_delivers_in_process(self, clerk, talent, window,
                                                       django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            ticket = _open(clerk, talent, window)
        assert OutboxMessage.objects.filter(ticket=ticket, status=Status.SENT).count() == 2
        assert len(mail.outbox) == 1 and ticket.reference in mail.outbox[0].subject

    def test_a_refused_broker_leaves_rows_pending_and_opens_the_breaker(self, monkeypatch, clerk,
                                                                        talent, window):
        from notifications.tasks import task_outbox_deliver

        calls = []

        def refuse(*args, **kwargs):
            calls.append(args)
            raise ConnectionRefusedError("broker down")

        monkeypatch.setattr(task_outbox_deliver, "apply_async", refuse)
        ticket = _open(clerk, talent, window)
        ids = list(OutboxMessage.objects.filter(ticket=ticket).values_list("pk", flat=True))
        assert outbox.outbox_publish(ids) == 0
        assert outbox.outbox_publish(ids) == 0
        assert len(calls) == 1  # the breaker spared the second attempt
        assert set(OutboxMessage.objects.values_list("status", flat=True)) == {Status.PENDING}

    def test_the_sweeper_requeues_waiting_and_abandoned_rows(self, clerk, talent, window):
        ticket = _open(clerk, talent, window)
        email, sms = (OutboxMessage.objects.get(ticket=ticket, channel=c) for c in ("email", "sms"))
        past = timezone.now() - timedelta(minutes=5)
        OutboxMessage.objects.filter(pk=email.pk).update(next_attempt_at=past)
        OutboxMessage.objects.filter(pk=sms.pk).update(
            status=Status.SENDING, attempts=1, lease_until=past, next_attempt_at=past)
        assert outbox.outbox_sweep() == 2  # in-process tasks: delivered right away
        email.refresh_from_db()
        sms.refresh_from_db()
        assert (email.status, sms.status, sms.attempts) == (Status.SENT, Status.SENT, 2)
        assert outbox.outbox_sweep() == 0

    def test_the_sweeper_leaves_fresh_rows_to_their_own_task(self, clerk, talent, window):
        _open(clerk, talent, window)
        assert outbox.outbox_sweep() == 0
