"""即办 (issue #12, point 5): a question answered on the call is opened, answered and closed
in one step with no deadline left running; the reference and a new access code go to the
caller by SMS through the outbox, and the code is never logged."""

import logging

import pytest
from django.core.exceptions import ValidationError

from core.errors import ActionForbidden
from core.redact import redact
from notifications.models import OutboxMessage
from notifications.sms import ConsoleSmsBackend
from tickets.access import access_code_display, access_code_matches
from tickets.models import EventKind, Ticket, TimelineEvent
from tickets.services import answers_on_the_spot, ticket_access_code_send, ticket_open_answered

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

ANSWER = "人才购房补贴需在落户后六个月内申请，详见市人才办通知。"


def _answered(clerk, talent, window, **extra):
    fields = {"actor": clerk.user, "talent": talent, "category": "policy_consultation",
              "channel": "hotline", "subject": "购房补贴咨询", "window": window, "answer": ANSWER}
    fields.update(extra)
    return ticket_open_answered(**fields)


def test_only_workflows_with_an_on_the_spot_answer_offer_it():
    assert answers_on_the_spot("policy_consultation")
    assert not answers_on_the_spot("settlement")
    assert not answers_on_the_spot("")


def test_opens_answers_and_closes_in_one_step_with_nothing_left_due(clerk, talent, window):
    opened = _answered(clerk, talent, window)
    ticket = Ticket.objects.get()
    assert opened.created and opened.ticket == ticket
    assert ticket.state == "closed"
    assert ticket.resolved_at is not None and ticket.closed_at is not None
    assert ticket.first_response_at is not None
    assert (ticket.due_at, ticket.sla_next_check_at) == (None, None)
    assert ticket.resolution_met is True and ticket.first_response_met is True
    answer = TimelineEvent.objects.get(ticket=ticket, action="answer_on_the_spot")
    assert (answer.public, answer.body, answer.actor) == (True, ANSWER, clerk.user)
    assert list(ticket.events.filter(kind=EventKind.TRANSITION).values_list("to_state", flat=True)) == [
        "answered", "closed"]


def test_the_answer_is_required_and_nothing_is_opened_without_it(clerk, talent, window):
    with pytest.raises(ValidationError) as error:
        _answered(clerk, talent, window, answer="   ")
    assert list(error.value.message_dict) == ["answer"]
    assert not Ticket.objects.exists()


def test_a_category_without_an_on_the_spot_answer_is_refused_by_name(clerk, talent, window):
    with pytest.raises(ValidationError) as error:
        _answered(clerk, talent, window, category="settlement")
    assert list(error.value.message_dict) == ["category"]
    assert not Ticket.objects.exists()


def test_a_repeated_request_answers_with_the_first_ticket(clerk, talent, window):
    first = _answered(clerk, talent, window, idempotency_key="call-1")
    again = _answered(clerk, talent, window, idempotency_key="call-1")
    assert (again.ticket.pk, again.created) == (first.ticket.pk, False)
    assert Ticket.objects.count() == 1
    assert TimelineEvent.objects.filter(action="answer_on_the_spot").count() == 1


def test_the_talent_receives_the_answer(clerk, talent, window):
    ticket = _answered(clerk, talent, window).ticket
    resolved = OutboxMessage.objects.filter(ticket=ticket, event="resolved")
    assert resolved.exists()


def test_the_code_goes_by_sms_to_the_talents_phone_only(clerk, open_ticket, caplog):
    ticket_access_code_send(ticket=open_ticket, actor=clerk.user)
    message = OutboxMessage.objects.get(event="access_code")
    assert (message.channel, message.to) == ("sms", open_ticket.talent.phone)
    open_ticket.refresh_from_db()
    code = message.body.split("access code ")[1][:11]
    assert access_code_matches(code, open_ticket.access_code_hash)
    assert open_ticket.reference in message.body
    # nowhere else: not on the timeline, not in the history
    for event in TimelineEvent.objects.filter(ticket=open_ticket):
        assert code not in event.body and code not in str(event.data)
    assert not any(code in str(row.__dict__) for row in open_ticket.history.all())
    # and a console SMS gateway logs it redacted
    with caplog.at_level(logging.INFO, logger="talentdesk.sms"):
        ConsoleSmsBackend().send(message.to, message.body)
    assert code not in caplog.text
    assert "[code]" in caplog.text


def test_each_send_issues_a_new_code_and_voids_the_earlier_one(clerk, open_ticket):
    ticket_access_code_send(ticket=open_ticket, actor=clerk.user)
    ticket_access_code_send(ticket=open_ticket, actor=clerk.user)
    bodies = list(OutboxMessage.objects.filter(event="access_code").order_by("pk").values_list("body", flat=True))
    assert len(bodies) == 2
    first, second = (b.split("access code ")[1][:11] for b in bodies)
    open_ticket.refresh_from_db()
    assert not access_code_matches(first, open_ticket.access_code_hash)
    assert access_code_matches(second, open_ticket.access_code_hash)


def test_no_phone_no_sms(clerk, open_ticket):
    talent = open_ticket.talent
    talent.phone = ""
    talent.save()
    with pytest.raises(ValidationError) as error:
        ticket_access_code_send(ticket=open_ticket, actor=clerk.user)
    assert list(error.value.message_dict) == ["phone"]
    assert not OutboxMessage.objects.filter(event="access_code").exists()


def test_an_outsider_may_not_send_the_code(outsider, open_ticket):
    with pytest.raises(ActionForbidden):
        ticket_access_code_send(ticket=open_ticket, actor=outsider.user)


@pytest.mark.parametrize("code", ["ABCDE-FGHJK", "01234-5678Z"])
def test_access_codes_are_redacted_from_log_lines(code):
    assert redact(f"SMS to x: code {code}.") == "SMS to x: code [code]."
    assert access_code_display("ABCDEFGHJK") == "ABCDE-FGHJK"


def test_references_and_dates_are_not_mistaken_for_codes():
    assert redact("TD-2026-000001 on 2026-12-02") == "TD-2026-000001 on 2026-12-02"


@pytest.mark.parametrize(("language", "words"), [("zh", "查询码"), ("zh-hant", "查詢碼"), ("en", "access code")])
def test_the_code_sms_is_in_the_talents_language(clerk, open_ticket, language, words):
    talent = open_ticket.talent
    talent.preferred_language = language
    talent.save()
    ticket_access_code_send(ticket=open_ticket, actor=clerk.user)
    assert words in OutboxMessage.objects.get(event="access_code").body
