"""Escalation: warn the assignee at 75 %, alert the supervisors at breach, once each.

A settlement ticket (normal: first response 8 working hours) opened on Tuesday
17 November 2026 09:00 in Shanghai: warning at 16:30 (6 h), breach on Wednesday 10:00.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import translation

from core import clock
from notifications.models import Notice, NoticeKind, OutboxMessage
from sla.clock import calendar_changed
from sla.models import SlaAlert
from tests.factories import TalentFactory
from tests.integration.conftest import requires_postgres
from tickets import services
from tickets.escalation import escalation_scan
from tickets.models import EventKind, Ticket
from tickets.tasks import task_escalation_scan

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
OPENED = datetime(2026, 11, 17, 9, 0, tzinfo=SHANGHAI)
BEFORE_WARNING = datetime(2026, 11, 17, 16, 29, tzinfo=SHANGHAI)
AFTER_WARNING = datetime(2026, 11, 17, 16, 31, tzinfo=SHANGHAI)
AFTER_BREACH = datetime(2026, 11, 18, 10, 1, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _calendar():
    calendar_changed()


@pytest.fixture
def with_email(officer, supervisor):
    for person, address in ((officer, "zhang.wei@centre.example"),
                            (supervisor, "wang.li@centre.example")):
        person.user.email = address
        person.user.save()


@pytest.fixture
def ticket(clerk, window, officer):
    with clock.frozen_at(OPENED):
        return services.ticket_open(
            actor=clerk.user, talent=TalentFactory(dedicated_officer=officer),
            category="settlement", channel="window", subject="Escalation", window=window,
        ).ticket


def scan(at):
    with clock.frozen_at(at):
        return escalation_scan()


def test_nothing_happens_before_the_warning_share(ticket):
    assert scan(BEFORE_WARNING).alerts == 0
    assert not SlaAlert.objects.exists()


def test_the_assignee_is_warned_once_at_75_percent(ticket, officer, supervisor, with_email):
    result = scan(AFTER_WARNING)
    assert (result.visited, result.alerts) == (1, 1)
    alert = SlaAlert.objects.get()
    assert (alert.target, alert.kind, alert.assignee) == ("first_response", "warning", officer)
    notice = Notice.objects.get(kind=NoticeKind.SLA_WARNING)
    assert notice.recipient == officer and ticket.reference in notice.text
    assert not Notice.objects.filter(recipient=supervisor).exists()
    mail = OutboxMessage.objects.get(event="sla_warning")
    assert mail.to == "zhang.wei@centre.example" and ticket.reference in mail.subject
    event = ticket.events.get(kind=EventKind.SLA)
    assert event.public is False and event.actor.username == "talentdesk-system"
    ticket.refresh_from_db()
    assert ticket.sla_next_check_at == ticket.first_response_due  # next: the breach


def test_the_supervisor_is_alerted_and_the_breach_recorded(ticket, supervisor, with_email):
    scan(AFTER_WARNING)
    assert scan(AFTER_BREACH).alerts == 1
    breach = SlaAlert.objects.get(kind="breach")
    assert breach.target == "first_response"
    assert breach.due_at == Ticket.objects.get(pk=ticket.pk).first_response_due
    notice = Notice.objects.get(kind=NoticeKind.SLA_BREACH)
    assert notice.recipient == supervisor
    with translation.override("en"):
        assert f"{ticket.reference}: the first response deadline" in notice.text
        assert "was missed (held by 张伟 Zhang Wei)" in notice.text
    assert OutboxMessage.objects.filter(event="sla_breach", to="wang.li@centre.example").count() == 1


def test_the_scan_run_twice_sends_nothing_twice(ticket, with_email):
    for at in (AFTER_WARNING, AFTER_WARNING, AFTER_BREACH, AFTER_BREACH):
        scan(at)
    assert SlaAlert.objects.count() == 2
    assert Notice.objects.count() == 2
    assert OutboxMessage.objects.filter(event__startswith="sla_").count() == 2
    assert Ticket.objects.get(pk=ticket.pk).events.filter(kind=EventKind.SLA).count() == 2


def test_a_late_scan_sends_only_the_breach(ticket):
    assert scan(AFTER_BREACH).alerts == 1
    assert list(SlaAlert.objects.values_list("kind", flat=True)) == ["breach"]
    assert scan(AFTER_BREACH).alerts == 0


def test_an_answered_ticket_is_watched_for_resolution_only(ticket, officer):
    with clock.frozen_at(datetime(2026, 11, 17, 10, 0, tzinfo=SHANGHAI)):
        services.ticket_comment(ticket=ticket, actor=officer.user, body="On it", public=True)
    ticket.refresh_from_db()
    assert ticket.sla_next_check_at == ticket.resolution_warn_at
    assert scan(AFTER_BREACH).visited == 0


def test_a_paused_clock_alerts_nobody(ticket, officer):
    with clock.frozen_at(datetime(2026, 11, 17, 10, 0, tzinfo=SHANGHAI)):
        services.ticket_transition(ticket=ticket, action="request_materials", actor=officer.user,
                                   note="Passport copy please")
    assert scan(datetime(2026, 12, 30, 10, 0, tzinfo=SHANGHAI)).visited == 0
    assert not SlaAlert.objects.exists()


def test_an_unassigned_ticket_warns_the_supervisors(clerk, window, supervisor):
    with clock.frozen_at(OPENED):
        queued = services.ticket_open(
            actor=clerk.user, talent=TalentFactory(), category="schooling", channel="window",
            subject="Nobody", window=window,
        ).ticket
    assert queued.assignee is None
    with clock.frozen_at(queued.first_response_warn_at):
        escalation_scan()
    assert Notice.objects.filter(recipient=supervisor, kind=NoticeKind.SLA_WARNING).count() == 1


def test_the_database_clock_follows_the_frozen_service_clock_of_a_replay(db):
    with clock.frozen_at(OPENED):
        assert clock.database_now() == OPENED


@requires_postgres
def test_a_host_whose_clock_lags_still_escalates_by_the_database_clock(ticket):
    """Opened 17 November 2026: by the database's clock (the real one) its first response
    is long breached. (Whether the resolution target has come too depends on the real
    date, so only the first response is pinned.)"""
    with time_machine.travel(BEFORE_WARNING, tick=False):
        assert escalation_scan().visited == 1
    first_response = SlaAlert.objects.filter(target="first_response")
    assert list(first_response.values_list("kind", flat=True)) == ["breach"]


@requires_postgres
def test_a_host_whose_clock_runs_ahead_does_not_escalate_early(clerk, window, officer):
    with clock.frozen_at(clock.database_now()):
        fresh = services.ticket_open(
            actor=clerk.user, talent=TalentFactory(dedicated_officer=officer),
            category="settlement", channel="window", subject="Fresh", window=window,
        ).ticket
    assert fresh.first_response_warn_at > clock.database_now()
    with time_machine.travel(fresh.resolution_due + timedelta(days=1), tick=False):
        assert escalation_scan().visited == 0
    assert not SlaAlert.objects.exists()


def test_the_beat_task_runs_the_scan(ticket):
    with clock.frozen_at(AFTER_WARNING):
        assert task_escalation_scan.apply().get() == 1


def test_the_scan_reads_an_index_and_constant_queries_per_ticket(clerk, window, officer,
                                                                 django_assert_max_num_queries):
    for _ in range(3):
        with clock.frozen_at(OPENED):
            services.ticket_open(actor=clerk.user, talent=TalentFactory(dedicated_officer=officer),
                                 category="settlement", channel="window", subject="Bulk",
                                 window=window)
    with django_assert_max_num_queries(3 * 25 + 5):
        assert scan(AFTER_WARNING).alerts == 3
    with django_assert_max_num_queries(2):
        assert scan(AFTER_WARNING).visited == 0


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_two_scans_at_once_send_each_alert_once(clerk, window, officer):
    import threading

    from django.db import connection

    with clock.frozen_at(OPENED):
        for _ in range(5):
            services.ticket_open(actor=clerk.user, talent=TalentFactory(dedicated_officer=officer),
                                 category="settlement", channel="window", subject="Race",
                                 window=window)
    barrier = threading.Barrier(2)
    errors = []

    def run():
        try:
            barrier.wait()
            scan(AFTER_WARNING)
        except Exception as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    scan(AFTER_WARNING)  # whatever a skipped lock left behind
    assert errors == []
    assert SlaAlert.objects.count() == 5
    assert Notice.objects.filter(kind=NoticeKind.SLA_WARNING).count() == 5
