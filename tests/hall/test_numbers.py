"""Taking numbers, where a number stands, and the wait estimate."""

from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from hall.errors import NumberNotReturnable
from hall.models import EventKind, HallEvent, NumberStatus, QueueNumber
from hall.services import (
    estimate_wait_minutes,
    line_minutes_per_person,
    number_estimate,
    people_ahead,
    queue_call_next,
    queue_done,
    queue_number_take,
)
from tests.hall.conftest import MORNING, SHANGHAI

pytestmark = pytest.mark.django_db


def test_numbers_count_up_per_line_with_the_prefix(line_a, line_b, frozen):
    first = queue_number_take(line=line_a, source="kiosk")
    second = queue_number_take(line=line_a, source="kiosk")
    other = queue_number_take(line=line_b, source="clerk")
    assert [first.number, second.number, other.number] == ["A001", "A002", "B001"]
    assert first.service_date.isoformat() == "2026-12-02"
    assert HallEvent.objects.filter(kind=EventKind.TAKE).count() == 3


def test_numbers_restart_at_midnight_in_the_centres_zone(line_a, time_machine):
    # 23:59 and 00:01 Shanghai time are 15:59 and 16:01 UTC on the same UTC day.
    time_machine.move_to(datetime(2026, 12, 2, 23, 59, tzinfo=SHANGHAI), tick=False)
    queue_number_take(line=line_a, source="kiosk")
    late = queue_number_take(line=line_a, source="kiosk")
    time_machine.move_to(datetime(2026, 12, 3, 0, 1, tzinfo=SHANGHAI), tick=False)
    next_day = queue_number_take(line=line_a, source="kiosk")
    assert (late.number, late.service_date.isoformat()) == ("A002", "2026-12-02")
    assert (next_day.number, next_day.service_date.isoformat()) == ("A001", "2026-12-03")


def test_yesterdays_waiting_number_stays_callable_before_todays(line_a, clerk, window, time_machine):
    time_machine.move_to(datetime(2026, 12, 2, 17, 20, tzinfo=SHANGHAI), tick=False)
    yesterday = queue_number_take(line=line_a, source="kiosk")
    time_machine.move_to(datetime(2026, 12, 3, 9, 0, tzinfo=SHANGHAI), tick=False)
    queue_number_take(line=line_a, source="kiosk")
    called = queue_call_next(window=window, actor=clerk.user)
    assert (called.pk, called.number, called.status) == (yesterday.pk, "A001", NumberStatus.CALLED)


def test_take_refuses_a_closed_line_an_unknown_matter_and_a_bad_language(line_a, frozen):
    line_a.is_active = False
    line_a.save()
    with translation.override("en"), pytest.raises(ValidationError) as error:
        queue_number_take(line=line_a, source="robot", category="astrology", language="fr")
    assert error.value.message_dict == {
        "line": ["This line is closed."],
        "source": ["Unknown source “robot”."],
        "category": ["Unknown category “astrology”."],
        "language": ["Choose zh or en."],
    }
    assert QueueNumber.objects.count() == 0


def test_take_refuses_a_matter_the_line_does_not_take(line_a, frozen):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        queue_number_take(line=line_a, source="kiosk", category="healthcare")
    assert error.value.message_dict == {"category": ["This line does not take this matter."]}


@pytest.mark.parametrize(("ahead", "minutes", "windows", "expected"), [
    (0, 6, 1, 0),
    (1, 6, 1, 6),
    (5, 6, 2, 15),
    (5, 6, 0, 30),     # no open window: counted as one, never a division by zero
    (3, 7.5, 2, 12),   # 11.25 rounds up
])
def test_estimate_wait_minutes(ahead, minutes, windows, expected):
    assert estimate_wait_minutes(ahead=ahead, minutes_per_person=minutes, windows=windows) == expected


def test_estimate_refuses_negative_input():
    with pytest.raises(ValueError, match="must not be negative"):
        estimate_wait_minutes(ahead=-1, minutes_per_person=6, windows=1)


def test_people_ahead_counts_checked_in_appointments_first(line_a, frozen, time_machine):
    walk_in = queue_number_take(line=line_a, source="kiosk")
    time_machine.move_to(MORNING + timedelta(minutes=5), tick=False)
    later = queue_number_take(line=line_a, source="kiosk")
    booked = queue_number_take(line=line_a, source="appointment", priority=1)
    assert [people_ahead(n) for n in (booked, walk_in, later)] == [0, 1, 2]
    assert number_estimate(later) == (2, 12)


def test_the_estimate_uses_todays_service_times_once_there_are_three(line_a, clerk, window,
                                                                      time_machine):
    time_machine.move_to(MORNING, tick=False)
    for _ in range(4):
        queue_number_take(line=line_a, source="kiosk")
    assert line_minutes_per_person(line_a) == 6.0
    for minute in (0, 10, 20):  # each served for exactly 10 minutes
        time_machine.move_to(MORNING + timedelta(minutes=minute), tick=False)
        queue_call_next(window=window, actor=clerk.user)
        time_machine.move_to(MORNING + timedelta(minutes=minute + 10), tick=False)
        queue_done(window=window, actor=clerk.user)
    assert line_minutes_per_person(line_a) == 10.0


def test_waiting_numbers_stay_callable_until_the_hall_closes_then_are_abandoned(
        line_a, clerk, window, time_machine):
    from hall.services import queue_number_return, queue_numbers_close, queue_skip

    time_machine.move_to(datetime(2026, 12, 2, 17, 0, tzinfo=SHANGHAI), tick=False)
    queue_number_take(line=line_a, source="kiosk")
    skipped = queue_number_take(line=line_a, source="kiosk")
    queue_call_next(window=window, actor=clerk.user)   # calls A001
    queue_call_next(window=window, actor=clerk.user)   # A001 done, calls A002
    queue_skip(window=window, actor=clerk.user)
    third = queue_number_take(line=line_a, source="kiosk")
    assert queue_numbers_close(now=datetime(2026, 12, 2, 17, 29, tzinfo=SHANGHAI)) == 0
    assert queue_numbers_close(now=datetime(2026, 12, 2, 17, 31, tzinfo=SHANGHAI)) == 2
    third.refresh_from_db()
    skipped.refresh_from_db()
    assert (third.status, skipped.status) == (NumberStatus.ABANDONED, NumberStatus.NO_SHOW)
    assert third.finished_at == datetime(2026, 12, 2, 17, 30, tzinfo=SHANGHAI)
    with pytest.raises(NumberNotReturnable):  # a no-show cannot come back
        queue_number_return(number=skipped, actor=clerk.user)


def test_a_number_taken_after_closing_waits_for_the_next_working_day(line_a, time_machine):
    from hall.services import queue_numbers_close

    time_machine.move_to(datetime(2026, 12, 4, 18, 0, tzinfo=SHANGHAI), tick=False)  # Friday evening
    number = queue_number_take(line=line_a, source="kiosk")
    assert queue_numbers_close(now=datetime(2026, 12, 7, 9, 30, tzinfo=SHANGHAI)) == 0  # Monday
    assert queue_numbers_close(now=datetime(2026, 12, 7, 17, 30, tzinfo=SHANGHAI)) == 1
    number.refresh_from_db()
    assert number.status == NumberStatus.ABANDONED
