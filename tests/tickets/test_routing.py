"""Routing table: who gets a new ticket, and why, rule by rule.

Personas: ``talent`` (language en) has ``officer`` as dedicated officer; ``officer`` and
``second_officer`` work at ``window`` (which serves every category) with the skills
settlement, transport and policy consultation and the languages zh and en.
"""

from datetime import timedelta

import pytest
from django.utils import translation

from core import clock
from notifications.models import Notice, NoticeKind
from staff.models import Role
from tests.factories import OfficerFactory, TalentFactory, UserFactory, WindowFactory
from tickets import routing, services
from tickets.models import EventKind, Ticket

pytestmark = pytest.mark.django_db


def _open(clerk, talent, window, category="settlement", **extra):
    return services.ticket_open(
        actor=clerk.user, talent=talent, category=category, channel="window",
        subject="Routing", window=window, **extra,
    ).ticket


def _officer(centre, windows, username, **fields):
    fields.setdefault("display_name", username.title())
    return OfficerFactory(user=UserFactory(username=username), centre=centre, windows=windows,
                          **fields)


def _load(officer, count, clerk, window):
    """Give ``officer`` ``count`` open tickets (through a talent they are dedicated to)."""
    holder = TalentFactory(dedicated_officer=officer)
    for _ in range(count):
        assert _open(clerk, holder, window).assignee == officer


def _set_duty(officer, on_duty):
    officer.on_duty = on_duty
    officer.save()


def _reason(ticket):
    return ticket.events.filter(kind=EventKind.ASSIGNMENT).latest("id")


@pytest.fixture
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def backup(centre, window, officer):
    person = _officer(centre, [window], "backup", display_name="Backup Bao")
    officer.backup = person
    officer.save()
    return person


class TestRules:
    def test_dedicated_officer_on_duty_and_under_capacity_gets_it(self, english, clerk, talent,
                                                                   window, officer):
        ticket = _open(clerk, talent, window)
        assert ticket.assignee == officer
        event = _reason(ticket)
        assert event.body == f"dedicated officer: {officer.display_name}"
        assert event.data["routing"]["rule"] == "dedicated"
        assert ticket.history.first().history_change_reason == event.body

    def test_backup_when_the_dedicated_officer_is_off_duty(self, english, clerk, talent, window,
                                                           officer, backup):
        _set_duty(officer, False)
        ticket = _open(clerk, talent, window)
        assert ticket.assignee == backup
        assert _reason(ticket).body == "backup: dedicated officer off duty: Backup Bao"

    def test_backup_when_the_dedicated_officer_is_at_capacity(self, english, clerk, talent, window,
                                                              officer, backup):
        officer.capacity = 2
        officer.save()
        _open(clerk, talent, window), _open(clerk, talent, window)
        ticket = _open(clerk, talent, window)
        assert ticket.assignee == backup
        assert _reason(ticket).body == "backup: dedicated officer at capacity: Backup Bao"

    def test_a_dedicated_officer_of_another_centre_never_gets_its_tickets(
            self, english, talent, officer, backup, outsider, other_window):
        ticket = _open(outsider, talent, other_window)
        assert ticket.assignee == outsider  # least open work at the ticket's own centre
        assert _reason(ticket).data["routing"]["because"] == "other_centre"
        assert ticket.assignee.centre_id == ticket.centre_id

    def test_resolved_tickets_do_not_count_against_capacity(self, clerk, talent, window, officer):
        officer.capacity = 1
        officer.save()
        first = _open(clerk, talent, window)
        Ticket.objects.filter(pk=first.pk).update(resolved_at=clock.now())
        assert _open(clerk, talent, window).assignee == officer

    def test_least_open_work_with_skill_and_language_when_both_are_away(
            self, english, clerk, centre, window, officer, second_officer, backup, talent):
        _set_duty(officer, False)
        _set_duty(backup, False)
        third = _officer(centre, [window], "third", display_name="Third Tan")
        _load(second_officer, 2, clerk, window)
        ticket = _open(clerk, talent, window)
        assert ticket.assignee == third
        assert _reason(ticket).body == (
            "least open work with skill Household registration and language English: Third Tan")
        assert _reason(ticket).data["routing"]["because"] == "off_duty"

    def test_least_open_work_uses_the_workflow_skill(self, english, clerk, centre, window):
        schooler = _officer(centre, [window], "schooler", skills=["schooling"],
                            display_name="School Shi")
        ticket = _open(clerk, TalentFactory(), window, category="schooling")
        assert ticket.assignee == schooler
        assert "skill Children's school enrolment and language English" in _reason(ticket).body

    def test_ties_go_to_the_officer_waiting_longest_since_an_assignment(
            self, clerk, centre, window, officer, second_officer):
        now = clock.now()
        officer.last_assigned_at = now - timedelta(hours=1)
        officer.save()
        second_officer.last_assigned_at = now - timedelta(hours=3)
        second_officer.save()
        assert _open(clerk, TalentFactory(), window).assignee == second_officer
        # second_officer now holds one ticket: the next goes to the one with less work.
        assert _open(clerk, TalentFactory(), window).assignee == officer

    def test_never_assigned_comes_before_recently_assigned(self, clerk, window, officer,
                                                           second_officer):
        officer.last_assigned_at = clock.now()
        officer.save()
        assert second_officer.last_assigned_at is None
        assert _open(clerk, TalentFactory(), window).assignee == second_officer

    def test_the_talent_language_is_required(self, clerk, centre, window, officer, second_officer):
        for person in (officer, second_officer):
            person.languages = ["zh"]
            person.save()
        speaker = _officer(centre, [window], "speaker", languages=["en"])
        assert _open(clerk, TalentFactory(preferred_language="en"), window).assignee == speaker
        zh_talent = TalentFactory(preferred_language="zh")
        assert _open(clerk, zh_talent, window).assignee in (officer, second_officer)

    def test_officers_at_capacity_are_skipped(self, clerk, window, officer, second_officer):
        second_officer.capacity = 1
        second_officer.save()
        _load(second_officer, 1, clerk, window)
        _load(officer, 3, clerk, window)
        assert _open(clerk, TalentFactory(), window).assignee == officer

    @pytest.mark.parametrize("who", ["off_duty", "inactive", "window_staff", "supervisor",
                                     "other_centre", "window_not_serving", "no_skill"])
    def test_who_is_never_chosen_by_least_open_work(self, who, clerk, centre, other_centre,
                                                    window):
        candidate = _officer(centre, [window], "candidate")
        if who == "off_duty":
            _set_duty(candidate, False)
        elif who == "inactive":
            candidate.user.is_active = False
            candidate.user.save()
        elif who in ("window_staff", "supervisor"):
            candidate.role = Role.WINDOW_STAFF if who == "window_staff" else Role.SUPERVISOR
            candidate.save()
        elif who == "other_centre":
            candidate.centre = other_centre
            candidate.save()
        elif who == "window_not_serving":
            elsewhere = WindowFactory(centre=centre, code="transport-only", categories=["transport"])
            candidate.windows.set([elsewhere])
        elif who == "no_skill":
            candidate.skills = ["transport"]
            candidate.save()
        assert _open(clerk, TalentFactory(), window).assignee is None

    def test_nobody_available_waits_in_the_window_queue_and_supervisors_are_told(
            self, english, clerk, window, supervisor):
        ticket = _open(clerk, TalentFactory(), window, category="schooling")
        assert ticket.assignee is None
        event = _reason(ticket)
        assert event.data["routing"]["rule"] == "queue"
        assert event.body == (
            "no officer available with skill Children's school enrolment and language English: "
            "waiting in the queue "
            f"of {window.name_en}; supervisor notified")
        notice = Notice.objects.get(recipient=supervisor, kind=NoticeKind.QUEUED)
        assert notice.ticket == ticket
        assert ticket.reference in notice.text and "Children's school enrolment" in notice.text

    def test_a_ticket_without_window_joins_a_serving_window_queue(self, clerk, centre, window,
                                                                  supervisor):
        ticket = services.ticket_open(
            actor=clerk.user, talent=TalentFactory(), category="schooling", channel="online",
            subject="Online", centre=centre,
        ).ticket
        assert ticket.assignee is None
        assert ticket.window == window
        assert Ticket.objects.claimable_by(supervisor.user).filter(pk=ticket.pk).exists()

    def test_reasons_are_translated(self, clerk, talent, window, officer):
        with translation.override("zh-hans"):
            ticket = _open(clerk, talent, window)
        assert _reason(ticket).body == f"专属专员：{officer.display_name}"
        with translation.override("en"):
            assert routing.describe(_reason(ticket).data["routing"]).startswith(
                "dedicated officer:")


class TestQueueOrder:
    def test_leading_talents_and_high_priorities_jump_the_queue(self, clerk, window):
        def queued(subject, priority="normal", tier="B"):
            return services.ticket_open(
                actor=clerk.user, talent=TalentFactory(tier=tier), category="schooling",
                channel="window", subject=subject, window=window, priority=priority,
            ).ticket

        queued("first normal")
        queued("low", priority="low")
        queued("second normal")
        queued("leading", tier="leading")
        queued("high", priority="high")
        queued("urgent", priority="urgent")
        order = list(Ticket.objects.unassigned().queue_order().values_list("subject", flat=True))
        assert order == ["urgent", "high", "leading", "first normal", "second normal", "low"]
        assert order[0] == "urgent" and order[-1] == "low"
        assert order.index("leading") < order.index("first normal")


class TestReroute:
    def test_route_again_excludes_the_current_holder(self, english, clerk, talent, window, officer,
                                                     backup):
        ticket = _open(clerk, talent, window)
        ticket = services.ticket_route(ticket=ticket, actor=clerk.user)
        assert ticket.assignee == backup
        assert ticket.routing_decision.rule == "backup"
        assert _reason(ticket).body == "backup: dedicated officer handing over: Backup Bao"
        assert Notice.objects.filter(recipient=backup, kind=NoticeKind.HANDED_OVER).exists()
