"""The SLA clock on real tickets: due and warning times, pauses, priority changes,
provisional years and their recomputation, met or missed.

Hand-computed with the default hours (09:00-12:00, 13:30-17:30: 7 working hours a day)
and chinesecalendar's 2026 (National Day 1-7 October, make-up Saturday 10 October).
Warning instants are at 75 % of the target's working time.
"""

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core import checks
from django.core.exceptions import ValidationError

from core import clock
from core.errors import ActionForbidden
from sla.clock import calendar_changed
from tests.factories import CentreFactory, TalentFactory, WindowFactory
from tickets import services
from tickets.checks import check_calendar_years
from tickets.models import EventKind
from tickets.services import sla_recompute_provisional

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")


def sh(*args):
    return datetime(*args, tzinfo=SHANGHAI)


def utc(*args):
    return datetime(*args, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _fresh_calendar(settings):
    calendar_changed()
    yield
    calendar_changed()


def _open(actor, window, at, category="settlement", priority="normal", talent=None):
    with clock.frozen_at(at):
        return services.ticket_open(
            actor=actor.user, talent=talent or TalentFactory(), category=category,
            channel="window", subject="Clock", window=window, priority=priority,
        ).ticket


def _act(ticket, action, actor, at, note="ok"):
    with clock.frozen_at(at):
        services.ticket_transition(ticket=ticket, action=action, actor=actor.user, note=note)
    ticket.refresh_from_db()


class TestDueTimesAtOpening:
    def test_friday_1659_before_national_day_make_up_saturday(self, clerk, window):
        ticket = _open(clerk, window, sh(2026, 10, 9, 16, 59))
        # 31 min on Friday, 7 h on the make-up Saturday, 29 min on Monday.
        assert ticket.first_response_due == utc(2026, 10, 12, 1, 29)
        # 6 h: 31 min Friday, then Saturday 09:00-12:00 and 13:30-15:59.
        assert ticket.first_response_warn_at == utc(2026, 10, 10, 7, 59)
        # 15 working days (Saturday 10th counts): Thursday 29 October, same wall time.
        assert ticket.resolution_due == utc(2026, 10, 29, 8, 59)
        # 78 h 45 min of 105 h: Monday 26 October 10:14.
        assert ticket.resolution_warn_at == utc(2026, 10, 26, 2, 14)
        assert ticket.due_at == ticket.first_response_due
        assert ticket.sla_next_check_at == ticket.first_response_warn_at
        assert ticket.sla_provisional is False

    def test_across_the_lunch_break(self, clerk, window):
        ticket = _open(clerk, window, sh(2026, 11, 17, 11, 0), category="policy_consultation")
        assert ticket.first_response_due == utc(2026, 11, 17, 6, 30)  # 14:30 after lunch
        assert ticket.first_response_warn_at == utc(2026, 11, 17, 6, 0)  # 14:00
        assert ticket.resolution_due == utc(2026, 11, 20, 3, 0)  # Friday 11:00
        assert ticket.resolution_warn_at == utc(2026, 11, 19, 6, 15)  # Thursday 14:15

    def test_a_centre_in_a_daylight_saving_zone(self, admin_officer):
        berlin = CentreFactory(code="berlin", time_zone="Europe/Berlin")
        window = WindowFactory(centre=berlin)
        opened = datetime(2026, 10, 23, 16, 0, tzinfo=BERLIN)  # Friday, UTC+2
        ticket = _open(admin_officer, window, opened)
        # 1.5 h Friday; clocks go back on Sunday 25th; Monday (UTC+1) 3 h + 3.5 h → 17:00.
        assert ticket.first_response_due == utc(2026, 10, 26, 16, 0)
        assert ticket.first_response_warn_at == utc(2026, 10, 26, 14, 0)
        # 15 working days later, same wall time, now UTC+1.
        assert ticket.resolution_due == utc(2026, 11, 13, 15, 0)

    def test_a_deadline_in_2027_is_provisional(self, clerk, window):
        ticket = _open(clerk, window, sh(2026, 12, 14, 10, 0), category="schooling")
        assert ticket.first_response_due == utc(2026, 12, 15, 3, 0)  # known: Tuesday 11:00
        assert ticket.resolution_due.year == 2027
        assert ticket.sla_provisional is True


class TestPauses:
    def test_waiting_on_the_talent_moves_due_times_by_the_paused_working_time(
            self, clerk, window, officer):
        ticket = _open(clerk, window, sh(2026, 11, 17, 9, 0), talent=TalentFactory(
            dedicated_officer=officer))
        # 15 working days from Tuesday 09:00 is Tuesday 8 December 09:00 = Monday 7th 17:30.
        assert ticket.resolution_due == utc(2026, 12, 7, 9, 30)
        _act(ticket, "request_materials", officer, sh(2026, 11, 17, 10, 0))
        assert ticket.sla_paused_at is not None and ticket.due_at is None
        assert ticket.sla_next_check_at is None
        assert ticket.first_response_met is True  # the request answered the talent
        _act(ticket, "materials_provided", officer, sh(2026, 11, 18, 10, 0))
        # paused 10:00-17:30 less lunch (6 h) + Wednesday 09:00-10:00 (1 h) = 7 h: one day.
        assert ticket.resolution_due == utc(2026, 12, 8, 9, 30)
        assert ticket.sla_paused_at is None
        assert ticket.due_at == ticket.resolution_due

    def test_resolution_met_or_missed_is_recorded_when_it_happens(self, clerk, window, officer):
        ticket = _open(clerk, window, sh(2026, 11, 17, 9, 0), category="policy_consultation",
                       talent=TalentFactory(dedicated_officer=officer))
        _act(ticket, "answer", officer, sh(2026, 11, 17, 10, 0))
        assert (ticket.first_response_met, ticket.resolution_met) == (True, True)
        late = _open(clerk, window, sh(2026, 11, 17, 9, 0), category="policy_consultation",
                     talent=TalentFactory(dedicated_officer=officer))
        _act(late, "answer", officer, sh(2026, 11, 25, 9, 0))
        assert (late.first_response_met, late.resolution_met) == (False, False)
        assert late.due_at is None and late.sla_next_check_at is None


class TestPriorityChange:
    def test_a_priority_change_recomputes_including_paused_time(self, clerk, window, officer):
        ticket = _open(clerk, window, sh(2026, 11, 17, 9, 0),
                       talent=TalentFactory(dedicated_officer=officer))
        _act(ticket, "request_materials", officer, sh(2026, 11, 17, 10, 0))
        _act(ticket, "materials_provided", officer, sh(2026, 11, 18, 10, 0))
        with clock.frozen_at(sh(2026, 11, 18, 11, 0)):
            services.ticket_set_priority(ticket=ticket, priority="urgent", actor=officer.user,
                                         reason="minister's visit")
        ticket.refresh_from_db()
        # 5 working days: Tuesday 24th 09:00 = Monday 23rd 17:30; + 7 h paused = 24th 17:30.
        assert ticket.priority == "urgent"
        assert ticket.resolution_due == utc(2026, 11, 24, 9, 30)
        assert ticket.due_at == ticket.resolution_due
        event = ticket.events.filter(kind=EventKind.SLA, action="priority").get()
        assert (event.data["from"], event.data["to"], event.public) == ("normal", "urgent", False)
        assert ticket.history.first().history_change_reason == "minister's visit"

    def test_before_a_response_both_due_times_move(self, clerk, window, officer):
        ticket = _open(clerk, window, sh(2026, 11, 17, 9, 0))
        services.ticket_set_priority(ticket=ticket, priority="urgent", actor=officer.user)
        ticket.refresh_from_db()
        assert ticket.first_response_due == utc(2026, 11, 17, 3, 0)  # 09:00 + 2 h
        assert ticket.first_response_warn_at == utc(2026, 11, 17, 2, 30)  # + 1.5 h
        assert ticket.sla_next_check_at == ticket.first_response_warn_at

    def test_bad_priority_and_forbidden_roles(self, clerk, window, officer, outsider):
        ticket = _open(clerk, window, sh(2026, 11, 17, 9, 0))
        with pytest.raises(ValidationError) as caught:
            services.ticket_set_priority(ticket=ticket, priority="asap", actor=officer.user)
        assert "priority" in caught.value.message_dict
        with pytest.raises(ActionForbidden):
            services.ticket_set_priority(ticket=ticket, priority="high", actor=clerk.user)
        with pytest.raises(ActionForbidden):
            services.ticket_set_priority(ticket=ticket, priority="high", actor=outsider.user)
        ticket.refresh_from_db()
        assert ticket.priority == "normal"


@pytest.mark.clock("2026-12-02 10:00")  # "this year" must be a year the calendar knows
class TestProvisionalYears:
    def _ship_2027(self, settings, tmp_path):
        data = Path(tmp_path)
        (data / "2027.yaml").write_text(
            'year: 2027\nsource: "test notice"\nholidays: [2027-01-01, 2027-01-04]\nworkdays: []\n',
            encoding="utf-8")
        settings.TALENTDESK_CALENDAR_DIR = data
        calendar_changed()

    def test_the_system_check_informs_about_an_unknown_year(self, clerk, window):
        assert [m.id for m in check_calendar_years()] == []
        _open(clerk, window, sh(2026, 12, 14, 10, 0), category="schooling")
        messages = check_calendar_years()
        assert [(m.id, m.level) for m in messages] == [("sla.I001", checks.INFO)]
        assert "2027" in messages[0].msg and "2027.yaml" in messages[0].hint

    def test_provisional_due_times_are_recomputed_when_the_year_is_loaded(
            self, clerk, window, settings, tmp_path):
        ticket = _open(clerk, window, sh(2026, 12, 14, 10, 0), category="schooling")
        guessed = ticket.resolution_due
        assert sla_recompute_provisional() == 0  # 2027 still unknown: left alone
        self._ship_2027(settings, tmp_path)
        assert check_calendar_years() == []
        assert sla_recompute_provisional() == 1
        ticket.refresh_from_db()
        assert ticket.sla_provisional is False
        # two more days off in the window (1 and 4 January): two working days later
        assert (ticket.resolution_due - guessed).days == 2
        event = ticket.events.filter(kind=EventKind.SLA).latest("id")
        assert event.data["recomputed"] and not event.data["provisional"]
        assert ticket.history.latest("history_id").history_user.username == "talentdesk-system"
        assert sla_recompute_provisional() == 0

    def test_an_administrator_override_wins_and_recomputes(self, clerk, window, in_process_tasks,
                                                           django_capture_on_commit_callbacks):
        from sla.models import CalendarOverride

        ticket = _open(clerk, window, sh(2026, 11, 17, 9, 0), category="policy_consultation")
        # 3 working days from Tuesday 09:00: Friday 09:00, i.e. Thursday 17:30.
        assert ticket.resolution_due == utc(2026, 11, 19, 9, 30)
        with django_capture_on_commit_callbacks(execute=True):
            CalendarOverride.objects.create(day=datetime(2026, 11, 18).date(), is_workday=False,
                                            reason="typhoon")
        ticket.refresh_from_db()
        assert ticket.resolution_due == utc(2026, 11, 20, 9, 30)  # Wednesday off: Friday 17:30
