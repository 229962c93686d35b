"""Working time: deadlines and elapsed time on the Chinese calendar.

Every expected value is computed by hand from the default hours (09:00-12:00, 13:30-17:30,
7 working hours a day) and chinesecalendar 1.11's 2026 data: National Day is 1-7 October
(8 October is a working day), Mid-Autumn 25-27 September, and the weekend make-up days
around them are Sun 20 September and Sat 10 October. Asia/Shanghai is UTC+8 all year;
Europe/Berlin is UTC+1, and UTC+2 from 29 March to 25 October 2026.
"""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sla.calendars import WorkCalendar
from sla.worktime import (
    DEFAULT_OPENING_HOURS,
    Deadline,
    OpeningHours,
    SearchLimitExceeded,
    WorkingSpan,
    WorkSchedule,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")
HOUR = timedelta(hours=1)
shanghai_centre = WorkSchedule(
    hours=DEFAULT_OPENING_HOURS, tz="Asia/Shanghai", calendar=WorkCalendar()
)
berlin_centre = WorkSchedule(
    hours=DEFAULT_OPENING_HOURS, tz="Europe/Berlin", calendar=WorkCalendar()
)


def sh(*args: int) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


def be(*args: int) -> datetime:
    return datetime(*args, tzinfo=BERLIN)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def schedule_with(hours: dict | None = None, tz: str = "Asia/Shanghai", **calendar) -> WorkSchedule:
    opening = DEFAULT_OPENING_HOURS if hours is None else OpeningHours.from_json(hours)
    return WorkSchedule(hours=opening, tz=tz, calendar=WorkCalendar(**calendar))


# --- add_hours: hand-computed tables -------------------------------------------------------

ADD_HOURS = {
    "lunch break is skipped: 11:30 + 1h = 12:00 + 30m after 13:30": (
        sh(2026, 9, 29, 11, 30), 1, utc(2026, 9, 29, 6, 0)),  # 14:00
    "landing on the lunch boundary gives 12:00, not 13:30": (
        sh(2026, 9, 29, 9, 0), 3, utc(2026, 9, 29, 4, 0)),
    "one second past the boundary is 13:30:01": (
        sh(2026, 9, 29, 11, 0), timedelta(hours=1, seconds=1), utc(2026, 9, 29, 5, 30, 1)),
    "landing on closing time gives 17:30, not the next 09:00": (
        sh(2026, 9, 29, 16, 30), 1, utc(2026, 9, 29, 9, 30)),
    "a full day from opening ends at closing": (
        sh(2026, 9, 29, 9, 0), 7, utc(2026, 9, 29, 9, 30)),
    "Friday 16:59 + 1h: 31m on Friday, 29m on Monday": (
        sh(2026, 9, 11, 16, 59), 1, utc(2026, 9, 14, 1, 29)),  # Mon 09:29
    "Friday 16:59 + 1h before make-up Sunday 20 September": (
        sh(2026, 9, 18, 16, 59), 1, utc(2026, 9, 20, 1, 29)),  # Sun 09:29
    "Friday 16:59 + 1h before Qingming Monday 6 April": (
        sh(2026, 4, 3, 16, 59), 1, utc(2026, 4, 7, 1, 29)),  # Tue 09:29
    "Mid-Autumn: Thursday 17:00 + 1h skips Fri 25 to Sun 27 September": (
        sh(2026, 9, 24, 17, 0), 1, utc(2026, 9, 28, 1, 30)),  # Mon 09:30
    "National Day: Wed 30 Sep 16:00 + 8h = 1.5h + 6.5h on Thu 8 Oct": (
        sh(2026, 9, 30, 16, 0), 8, utc(2026, 10, 8, 9, 0)),  # 17:00
    "National Day: + 16h = 1.5h + 7h (8 Oct) + 7h (9 Oct) + 30m on make-up Sat 10 Oct": (
        sh(2026, 9, 30, 16, 0), 16, utc(2026, 10, 10, 1, 30)),  # 09:30
    "received during the holiday, the clock starts on 8 October": (
        sh(2026, 10, 3, 10, 0), 2, utc(2026, 10, 8, 3, 0)),  # 11:00
    "zero hours at lunch gives the afternoon opening": (
        sh(2026, 9, 29, 12, 0), 0, utc(2026, 9, 29, 5, 30)),
    "zero hours at closing gives the next opening": (
        sh(2026, 9, 29, 17, 30), 0, utc(2026, 9, 30, 1, 0)),
    "zero hours on a Saturday gives Monday's opening": (
        sh(2026, 9, 12, 10, 0), 0, utc(2026, 9, 14, 1, 0)),
    "zero hours while open is the start itself": (
        sh(2026, 9, 29, 10, 15), 0, utc(2026, 9, 29, 2, 15)),
    "a UTC start is read in the centre's zone": (
        utc(2026, 9, 29, 3, 30), 1, utc(2026, 9, 29, 6, 0)),
    "a start in another zone is the same instant": (
        datetime(2026, 9, 28, 23, 30, tzinfo=ZoneInfo("America/New_York")), 1,
        utc(2026, 9, 29, 6, 0)),
    "Decimal hours are exact": (
        sh(2026, 9, 29, 9, 0), Decimal("1.25"), utc(2026, 9, 29, 2, 15)),
    "float hours": (sh(2026, 9, 29, 9, 0), 0.5, utc(2026, 9, 29, 1, 30)),
    "timedelta amounts": (sh(2026, 9, 29, 9, 0), timedelta(minutes=90), utc(2026, 9, 29, 2, 30)),
}  # fmt: skip


@pytest.mark.parametrize(("start", "hours", "due"), ADD_HOURS.values(), ids=ADD_HOURS.keys())
def test_add_hours_in_shanghai(start, hours, due):
    result = shanghai_centre.add_hours(start, hours)
    assert result == Deadline(at=due, provisional=False)
    assert result.at.tzinfo is UTC


def test_a_2027_deadline_is_monday_to_friday_and_provisional():
    # Fri 5 Mar 2027 16:00 + 3h = 1.5h Friday + 1.5h Monday 8 March → 10:30.
    assert shanghai_centre.add_hours(sh(2027, 3, 5, 16, 0), 3) == Deadline(
        at=utc(2027, 3, 8, 2, 30), provisional=True
    )


def test_reaching_into_2027_makes_a_deadline_provisional():
    # Fri 1 Jan 2027 is unknown, so assumed worked: 30m on Thu 31 Dec + 30m on 1 Jan.
    assert shanghai_centre.add_hours(sh(2026, 12, 31, 17, 0), 1) == Deadline(
        at=utc(2027, 1, 1, 1, 30), provisional=True
    )
    assert shanghai_centre.add_hours(sh(2026, 12, 31, 10, 0), 1).provisional is False


def test_a_yearly_file_for_2027_makes_2027_deadlines_firm(tmp_path):
    (tmp_path / "2027.yaml").write_text(
        'year: 2027\nsource: "test fixture"\nholidays: [2027-01-01]\nworkdays: []\n'
    )
    schedule = schedule_with(data_dir=tmp_path)
    # 30m on Thu 31 Dec; Fri 1 Jan is a holiday; 30m on Mon 4 Jan → 09:30.
    assert schedule.add_hours(sh(2026, 12, 31, 17, 0), 1) == Deadline(
        at=utc(2027, 1, 4, 1, 30), provisional=False
    )


def test_overrides_add_a_working_saturday_and_remove_a_monday():
    schedule = schedule_with(overrides={date(2026, 9, 12): True, date(2026, 9, 14): False})
    # Fri 11 Sep 16:00 + 10h: 1.5h Fri, 7h Sat 12 (Monday's hours), Mon 14 off, 1.5h Tue 15.
    assert schedule.add_hours(sh(2026, 9, 11, 16, 0), 10) == Deadline(
        at=utc(2026, 9, 15, 2, 30), provisional=False
    )
    assert schedule.add_hours(sh(2026, 9, 11, 16, 59), 1).at == utc(2026, 9, 12, 1, 29)


def test_an_override_in_2027_is_not_provisional():
    schedule = schedule_with(overrides={date(2027, 3, 1): True})
    assert schedule.add_hours(sh(2027, 3, 1, 10, 0), 1) == Deadline(
        at=utc(2027, 3, 1, 3, 0), provisional=False
    )


def test_a_make_up_weekend_day_uses_its_own_hours_when_the_centre_has_some():
    hours = {**DEFAULT_OPENING_HOURS.to_json(), "sat": [["09:00", "12:00"]]}
    schedule = schedule_with(hours, overrides={date(2026, 9, 12): True})
    # Fri 17:00 + 4h: 30m Friday, 3h Saturday morning, 30m Monday → Mon 14 Sep 09:30.
    assert schedule.add_hours(sh(2026, 9, 11, 17, 0), 4).at == utc(2026, 9, 14, 1, 30)
    # An ordinary Saturday stays closed although the centre lists Saturday hours.
    assert schedule.is_open(sh(2026, 9, 19, 10, 0)) is False


def test_touching_intervals_are_continuous():
    schedule = schedule_with({"mon": [["09:00", "12:00"], ["12:00", "13:00"]]})
    assert schedule.add_hours(sh(2026, 9, 14, 11, 0), 2).at == utc(2026, 9, 14, 5, 0)
    assert schedule.is_open(sh(2026, 9, 14, 12, 0)) is True


# --- Europe/Berlin across DST ------------------------------------------------------------


def test_berlin_spring_forward_keeps_wall_clock_hours():
    # Fri 27 Mar 16:00 CET + 3h: 1.5h Friday, Mon 30 Mar 09:00 CEST + 1.5h = 10:30 CEST.
    assert berlin_centre.add_hours(be(2026, 3, 27, 16, 0), 3) == Deadline(
        at=utc(2026, 3, 30, 8, 30), provisional=False
    )
    assert berlin_centre.is_open(utc(2026, 3, 27, 8, 0)) is True  # 09:00 CET
    assert berlin_centre.is_open(utc(2026, 3, 30, 7, 0)) is True  # 09:00 CEST
    assert berlin_centre.is_open(utc(2026, 3, 30, 6, 59)) is False


def test_berlin_fall_back_keeps_wall_clock_hours():
    # Fri 23 Oct 16:00 CEST + 3h: 1.5h Friday, Mon 26 Oct 09:00 CET + 1.5h = 10:30 CET.
    assert berlin_centre.add_hours(be(2026, 10, 23, 16, 0), 3).at == utc(2026, 10, 26, 9, 30)


def test_a_working_day_on_the_dst_change_still_has_seven_hours():
    schedule = schedule_with(tz="Europe/Berlin", overrides={date(2026, 3, 29): True})
    # Sunday 29 March 2026 is 23 hours long; its wall-clock hours give 7 working hours.
    assert schedule.working_time_between(utc(2026, 3, 28, 12), utc(2026, 3, 30, 0)) == WorkingSpan(
        7 * HOUR, provisional=False
    )
    assert schedule.add_hours(be(2026, 3, 29, 0, 30), 7).at == utc(2026, 3, 29, 15, 30)  # 17:30


def test_add_days_across_dst_keeps_the_wall_time():
    # Fri 27 Mar 10:00 CET → Mon 30 Mar 10:00 CEST.
    assert berlin_centre.add_days(be(2026, 3, 27, 10, 0), 1).at == utc(2026, 3, 30, 8, 0)


# --- add_days ---------------------------------------------------------------------------

ADD_DAYS = {
    "10:00 + 1 day is 10:00 the next working day": (
        sh(2026, 9, 29, 10, 0), 1, utc(2026, 9, 30, 2, 0)),
    "National Day: Wed 30 Sep 10:00 + 1 day is Thu 8 Oct 10:00": (
        sh(2026, 9, 30, 10, 0), 1, utc(2026, 10, 8, 2, 0)),
    "National Day: + 3 days counts make-up Sat 10 Oct": (
        sh(2026, 9, 30, 10, 0), 3, utc(2026, 10, 10, 2, 0)),
    "received on Sunday: clock starts Mon 09:00, due Mon 17:30": (
        sh(2026, 9, 13, 15, 0), 1, utc(2026, 9, 14, 9, 30)),
    "received at Friday closing + 2 days: due Tuesday 17:30": (
        sh(2026, 9, 11, 17, 30), 2, utc(2026, 9, 15, 9, 30)),
    "received at 13:30: due 12:00 next day, the boundary convention": (
        sh(2026, 9, 14, 13, 30), 1, utc(2026, 9, 15, 4, 0)),
    "received at lunch: clock starts 13:30, due 12:00 next day": (
        sh(2026, 9, 14, 12, 30), 1, utc(2026, 9, 15, 4, 0)),
    "zero days is the clock start": (
        sh(2026, 9, 14, 12, 30), 0, utc(2026, 9, 14, 5, 30)),
}  # fmt: skip


@pytest.mark.parametrize(("start", "days", "due"), ADD_DAYS.values(), ids=ADD_DAYS.keys())
def test_add_days_in_shanghai(start, days, due):
    assert shanghai_centre.add_days(start, days) == Deadline(at=due, provisional=False)


def test_add_days_when_the_target_day_closes_early_is_due_at_its_closing():
    hours = {**DEFAULT_OPENING_HOURS.to_json(), "fri": [["09:00", "12:00"], ["13:30", "16:00"]]}
    # Thu 10 Sep 17:00 + 1 day → Fri 17:00 is after the 16:00 closing → Fri 16:00.
    assert schedule_with(hours).add_days(sh(2026, 9, 10, 17, 0), 1).at == utc(2026, 9, 11, 8, 0)


def test_add_days_when_the_target_day_opens_late_is_due_at_the_previous_closing():
    hours = {**DEFAULT_OPENING_HOURS.to_json(), "tue": [["10:00", "12:00"], ["13:30", "17:30"]]}
    # Mon 14 Sep 09:30 + 1 day → Tue 09:30 is before opening → Mon 17:30 (no work between).
    assert schedule_with(hours).add_days(sh(2026, 9, 14, 9, 30), 1).at == utc(2026, 9, 14, 9, 30)


def test_a_weekday_the_centre_is_closed_is_not_a_working_day():
    hours = {**DEFAULT_OPENING_HOURS.to_json(), "wed": []}
    # Tue 15 Sep 10:00 + 1 day → Wednesday closed → Thu 17 Sep 10:00.
    assert schedule_with(hours).add_days(sh(2026, 9, 15, 10, 0), 1).at == utc(2026, 9, 17, 2, 0)


def test_add_days_into_2027_is_provisional():
    # Thu 31 Dec 2026 10:00 + 1 day → Fri 1 Jan 2027, assumed worked.
    assert shanghai_centre.add_days(sh(2026, 12, 31, 10, 0), 1) == Deadline(
        at=utc(2027, 1, 1, 2, 0), provisional=True
    )


@pytest.mark.parametrize("days", [-1, True, 1.5])
def test_add_days_refuses_anything_but_a_non_negative_int(days):
    with pytest.raises(ValueError, match="days must be a non-negative integer"):
        shanghai_centre.add_days(sh(2026, 9, 14, 10, 0), days)


# --- working_time_between, is_open, next_open -----------------------------------------------

BETWEEN = {
    "a full working week": (sh(2026, 9, 14, 9, 0), sh(2026, 9, 18, 17, 30), 35 * HOUR),
    "across lunch": (sh(2026, 9, 14, 11, 0), sh(2026, 9, 14, 14, 0), 1.5 * HOUR),
    "across National Day": (sh(2026, 9, 30, 9, 0), sh(2026, 10, 9, 9, 0), 14 * HOUR),
    "b before a": (sh(2026, 9, 14, 14, 0), sh(2026, 9, 14, 11, 0), timedelta(0)),
    "a equals b": (sh(2026, 9, 14, 10, 0), sh(2026, 9, 14, 10, 0), timedelta(0)),
    "both in a closed period": (sh(2026, 10, 1, 9, 0), sh(2026, 10, 7, 17, 0), timedelta(0)),
}


@pytest.mark.parametrize(("a", "b", "expected"), BETWEEN.values(), ids=BETWEEN.keys())
def test_working_time_between(a, b, expected):
    assert shanghai_centre.working_time_between(a, b) == WorkingSpan(expected, provisional=False)


def test_working_time_into_2027_is_provisional():
    span = shanghai_centre.working_time_between(sh(2026, 12, 31, 9, 0), sh(2027, 1, 4, 9, 0))
    assert span == WorkingSpan(14 * HOUR, provisional=True)  # 31 Dec + assumed 1 Jan
    assert span.seconds == 50_400


@pytest.mark.parametrize(
    ("instant", "is_open"),
    [
        (sh(2026, 9, 14, 9, 0), True),
        (sh(2026, 9, 14, 11, 59, 59), True),
        (sh(2026, 9, 14, 12, 0), False),
        (sh(2026, 9, 14, 13, 29, 59), False),
        (sh(2026, 9, 14, 17, 30), False),
        (sh(2026, 10, 1, 10, 0), False),  # National Day
        (sh(2026, 10, 10, 10, 0), True),  # make-up Saturday
        (sh(2026, 10, 11, 10, 0), False),  # ordinary Sunday
    ],
)
def test_is_open(instant, is_open):
    assert shanghai_centre.is_open(instant) is is_open


def test_next_open():
    assert shanghai_centre.next_open(sh(2026, 9, 14, 12, 0)) == utc(2026, 9, 14, 5, 30)
    assert shanghai_centre.next_open(sh(2026, 9, 30, 17, 30)) == utc(2026, 10, 8, 1, 0)
    assert shanghai_centre.next_open(sh(2026, 9, 14, 10, 0)) == utc(2026, 9, 14, 2, 0)


# --- refusals -----------------------------------------------------------------------------


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError, match="expected a timezone-aware datetime"):
        shanghai_centre.add_hours(datetime(2026, 9, 14, 10, 0), 1)
    with pytest.raises(ValueError, match="expected a timezone-aware datetime"):
        shanghai_centre.working_time_between(sh(2026, 9, 14, 10), datetime(2026, 9, 15))


@pytest.mark.parametrize(
    ("hours", "message"),
    [
        (-1, "must not be negative"),
        (timedelta(seconds=-1), "must not be negative"),
        (float("nan"), "finite number"),
        (Decimal("Infinity"), "finite number"),
        (True, "finite number"),
        ("8", "finite number"),
        (1e300, "out of range"),
    ],
)
def test_bad_amounts_are_refused(hours, message):
    with pytest.raises(ValueError, match=message):
        shanghai_centre.add_hours(sh(2026, 9, 14, 10, 0), hours)


def test_an_unknown_time_zone_is_refused():
    with pytest.raises(ValueError, match="unknown time zone 'Asia/Beijing'"):
        WorkSchedule(hours=DEFAULT_OPENING_HOURS, tz="Asia/Beijing", calendar=WorkCalendar())


def test_a_calendar_with_no_working_day_for_ten_years_fails_instead_of_looping():
    first = date(2026, 1, 1)
    closed = {first + timedelta(days=n): False for n in range(3653)}
    with pytest.raises(SearchLimitExceeded, match="add_hours: no result within 10 years"):
        schedule_with(overrides=closed).add_hours(sh(2026, 1, 1, 9, 0), 1)


def test_a_deadline_more_than_ten_years_away_fails():
    with pytest.raises(SearchLimitExceeded, match="no result within 10 years"):
        shanghai_centre.add_hours(sh(2026, 1, 1, 9, 0), 7 * 2600)


def test_working_time_over_more_than_ten_years_is_refused():
    with pytest.raises(SearchLimitExceeded, match="spans over 10 years"):
        shanghai_centre.working_time_between(sh(2026, 1, 1), sh(2036, 1, 2))


# --- opening hours JSON -------------------------------------------------------------------


def test_default_opening_hours_round_trip_the_centre_json():
    weekday = [["09:00", "12:00"], ["13:30", "17:30"]]
    expected = {"mon": weekday, "tue": weekday, "wed": weekday, "thu": weekday, "fri": weekday,
                "sat": [], "sun": []}  # fmt: skip
    assert DEFAULT_OPENING_HOURS.to_json() == expected
    assert OpeningHours.from_json(expected) == DEFAULT_OPENING_HOURS


def test_intervals_given_out_of_order_are_sorted():
    hours = OpeningHours.from_json({"mon": [["13:30", "17:30"], ["09:00", "12:00"]]})
    assert hours.to_json()["mon"] == [["09:00", "12:00"], ["13:30", "17:30"]]


BAD_HOURS = {
    "not an object": ([["09:00", "12:00"]], "must be an object keyed by weekday"),
    "unknown weekday": ({"monday": []}, r"unknown weekday keys \['monday'\]"),
    "day not a list": ({"mon": "09:00-17:00"}, "for mon: must be a list of"),
    "not a pair": ({"tue": [["09:00", "12:00", "13:00"]]}, "for tue: .* is not a \\[start, end\\]"),
    "one digit hour": ({"wed": [["9:00", "12:00"]]}, "for wed: '9:00' is not a time in HH:MM"),
    "24:00": ({"thu": [["09:00", "24:00"]]}, "for thu: '24:00' is not a time in HH:MM"),
    "minute 60": ({"fri": [["09:60", "12:00"]]}, "for fri: '09:60' is not a time"),
    "a number": ({"mon": [[900, 1200]]}, "for mon: 900 is not a time"),
    "end before start": ({"mon": [["13:00", "12:00"]]}, "for mon: 13:00-12:00 ends before"),
    "empty interval": ({"sat": [["12:00", "12:00"]]}, "for sat: 12:00-12:00 ends before"),
    "overlap": ({"fri": [["09:00", "12:00"], ["11:00", "13:00"]]},
                "for fri: 09:00-12:00 overlaps 11:00-13:00"),
    "weekend only": ({"sat": [["09:00", "12:00"]]}, "no interval Monday to Friday"),
}  # fmt: skip


@pytest.mark.parametrize(("data", "message"), BAD_HOURS.values(), ids=BAD_HOURS.keys())
def test_bad_opening_hours_json_names_the_weekday_and_problem(data, message):
    with pytest.raises(ValueError, match=f"^opening hours:? {message}"):
        OpeningHours.from_json(data)


# --- properties ---------------------------------------------------------------------------

NIGHT_OVERRIDES = dict.fromkeys(
    [date(2025, 3, 30), date(2025, 10, 26), date(2026, 3, 29), date(2026, 10, 25),
     date(2027, 3, 28), date(2027, 10, 31)],
    True,
)  # fmt: skip
# Odd hours whose wall times are skipped or repeated when DST changes on a worked Sunday.
night_centre = schedule_with(
    {"mon": [["01:30", "03:30"], ["08:00", "12:00"]], "wed": [["13:00", "23:59"]],
     "sun": [["00:00", "02:30"], ["02:45", "03:15"]]},
    tz="Europe/Berlin", overrides=NIGHT_OVERRIDES,
)  # fmt: skip

PROPERTY = settings(max_examples=300, deadline=None, database=None)
schedules = st.sampled_from([shanghai_centre, berlin_centre, night_centre])
instants = st.datetimes(datetime(2025, 1, 1), datetime(2027, 12, 31), timezones=st.just(UTC))
amounts = st.integers(0, 300 * 3600).map(lambda seconds: timedelta(seconds=seconds))


def open_or_closing(schedule: WorkSchedule, t: datetime) -> bool:
    return schedule.is_open(t) or schedule.is_open(t - timedelta(microseconds=1))


@PROPERTY
@given(schedules, instants, amounts)
def test_working_time_between_recovers_the_amount_added(schedule, start, amount):
    deadline = schedule.add_hours(start, amount)
    span = schedule.working_time_between(start, deadline.at)
    assert span.duration == amount
    assert span.provisional <= deadline.provisional


@PROPERTY
@given(schedules, instants, amounts)
def test_deadlines_are_open_or_exactly_a_closing(schedule, start, amount):
    deadline = schedule.add_hours(start, amount).at
    assert deadline >= start
    assert (
        schedule.is_open(deadline)
        if amount == timedelta(0)
        else open_or_closing(schedule, deadline)
    )


@PROPERTY
@given(schedules, instants, instants, amounts)
def test_add_hours_is_monotonic_in_start(schedule, a, b, amount):
    a, b = sorted((a, b))
    assert schedule.add_hours(a, amount).at <= schedule.add_hours(b, amount).at


@PROPERTY
@given(schedules, instants, amounts, amounts)
def test_add_hours_is_monotonic_in_amount(schedule, start, x, y):
    x, y = sorted((x, y))
    assert schedule.add_hours(start, x).at <= schedule.add_hours(start, y).at


@PROPERTY
@given(st.sampled_from([shanghai_centre, berlin_centre]), instants, amounts)
def test_provisional_exactly_when_the_computation_reaches_2027(schedule, start, amount):
    deadline = schedule.add_hours(start, amount)
    zone = SHANGHAI if schedule is shanghai_centre else BERLIN
    assert deadline.provisional == (deadline.at.astimezone(zone).year >= 2027)


@PROPERTY
@given(schedules, instants, instants, instants)
def test_working_time_is_additive_and_at_most_the_elapsed_time(schedule, a, b, c):
    a, b, c = sorted((a, b, c))
    first, second = schedule.working_time_between(a, b), schedule.working_time_between(b, c)
    total = schedule.working_time_between(a, c)
    assert total.duration == first.duration + second.duration
    assert total.provisional == (first.provisional or second.provisional) or a == b or b == c
    assert total.duration <= c - a


@PROPERTY
@given(schedules, instants, instants, st.integers(0, 40))
def test_add_days_is_open_or_a_closing_and_monotonic_in_start(schedule, a, b, days):
    a, b = sorted((a, b))
    first, second = schedule.add_days(a, days).at, schedule.add_days(b, days).at
    assert first <= second
    assert open_or_closing(schedule, first)
    assert open_or_closing(schedule, second)
    assert schedule.add_days(a, days).at <= schedule.add_days(a, days + 1).at
