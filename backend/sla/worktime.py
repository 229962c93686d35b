"""Working time at a service centre: deadlines and elapsed time in opening hours.

The calendar decides *whether* a date is worked (see ``sla.calendars``); the centre's
opening hours decide *when*. Hours are wall-clock times in the centre's time zone, so a
working day keeps 09:00-17:30 across a DST change. All instants going in must be
timezone-aware; all instants coming out are UTC.

Conventions (each tested):

* An interval is open from its start up to, not including, its end: at 12:00 the centre
  is closed for lunch. The clock of a request received while closed starts at the next
  opening, so adding zero to a closed instant gives the next opening.
* A deadline that lands exactly on a boundary is the *end* of the earlier interval (12:00,
  not 13:30; Friday 17:30, not Monday 09:00): the earliest instant by which the required
  working time has elapsed. Deadlines are therefore always open or an interval's end.
* A Saturday or Sunday that the calendar makes a working day is a make-up day (调休), an
  ordinary full working day in China: it uses its own hours if the JSON gives some,
  otherwise those of the first of Monday-Friday that has hours.
* A result is ``provisional`` when any date consulted for it came from a year no calendar
  source knows (see ``WorkCalendar``): Monday-Friday was assumed for that date.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from centres.hours import WEEKDAYS, OpeningHours
from sla.calendars import WorkCalendar

MAX_SEARCH_DAYS = 3653  # ten years: further than any deadline; bad data fails, never loops



class SearchLimitExceeded(ValueError):
    """A computation would scan more than ten years: the hours or overrides are wrong."""


DEFAULT_OPENING_HOURS = OpeningHours.from_json(
    {day: [["09:00", "12:00"], ["13:30", "17:30"]] for day in WEEKDAYS[:5]}
)


@dataclass(frozen=True)
class Deadline:
    at: datetime  # UTC
    provisional: bool


@dataclass(frozen=True)
class WorkingSpan:
    duration: timedelta
    provisional: bool

    @property
    def seconds(self) -> float:
        return self.duration.total_seconds()


class _Day(NamedTuple):
    intervals: tuple[tuple[datetime, datetime], ...]  # UTC, ascending
    known: bool


class WorkSchedule:
    """A centre's working time: opening hours in its zone, on a working-day calendar."""

    def __init__(self, *, hours: OpeningHours, tz: str, calendar: WorkCalendar) -> None:
        try:
            self._zone = ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {tz!r}") from None
        self._hours = hours
        self._calendar = calendar
        self._day = lru_cache(maxsize=8192)(self._build_day)

    def add_hours(self, start: datetime, hours: float | Decimal | timedelta) -> Deadline:
        """The earliest instant by which *hours* of working time have elapsed since *start*.

        Counting starts at the next opening if *start* is closed; adding zero therefore
        returns *start* itself when open, else the next opening.
        """
        t = _utc(start)
        remaining = _duration(hours)
        provisional = False
        for _, day in self._days(self._local_date(t), "add_hours"):
            provisional |= not day.known
            for open_at, close_at in day.intervals:
                if close_at <= t:
                    continue
                begin = max(open_at, t)
                if remaining <= close_at - begin:
                    return Deadline(begin + remaining, provisional)
                remaining -= close_at - begin
        raise AssertionError("unreachable: _days raises at its limit")

    def add_days(self, start: datetime, days: int) -> Deadline:
        """The deadline *days* working days after *start*.

        Precisely: the clock starts at ``t0 = next_open(start)``. Let ``T`` be the same local
        wall-clock time as ``t0`` on the *days*-th working day after t0's date (a working day
        is a date with opening hours; holidays and closed weekdays are skipped). The deadline
        is the earliest instant by which as much working time has elapsed since ``t0`` as
        between ``t0`` and ``T`` — that is ``T`` itself when the centre is open at ``T``;
        when it is not (``T`` falls in the lunch break, after an early closing, or before a
        late opening) it is the last closing before ``T``, possibly on the previous working
        day. So received Tuesday 10:00 → due Wednesday 10:00; received on Sunday or at
        Monday 09:00 → clock starts Monday 09:00 → due Monday 17:30 (the same working-time
        point as Tuesday 09:00, by the boundary convention). ``days=0`` gives ``t0``.
        """
        if isinstance(days, bool) or not isinstance(days, int) or days < 0:
            raise ValueError(f"days must be a non-negative integer, got {days!r}")
        clock_start = self.add_hours(start, 0)
        if days == 0:
            return clock_start
        t0 = clock_start.at
        local0 = t0.astimezone(self._zone)
        target_day, provisional = self._nth_working_day(local0.date(), days)
        target = datetime.combine(target_day, local0.time(), tzinfo=self._zone).astimezone(UTC)
        deadline = self.add_hours(t0, self.working_time_between(t0, target).duration)
        return Deadline(deadline.at, clock_start.provisional or provisional or deadline.provisional)

    def working_time_between(self, a: datetime, b: datetime) -> WorkingSpan:
        """Working time in ``[a, b]``; zero (not provisional) when ``b <= a``."""
        a, b = _utc(a), _utc(b)
        if b <= a:
            return WorkingSpan(timedelta(0), False)
        first, last = self._local_date(a), self._local_date(b)
        if (last - first).days >= MAX_SEARCH_DAYS:
            raise SearchLimitExceeded(f"working_time_between: {a} to {b} spans over 10 years")
        total, provisional = timedelta(0), False
        for day_date, day in self._days(first, "working_time_between"):
            provisional |= not day.known
            for open_at, close_at in day.intervals:
                total += max(timedelta(0), min(close_at, b) - max(open_at, a))
            if day_date >= last:
                return WorkingSpan(total, provisional)
        raise AssertionError("unreachable: _days raises at its limit")

    def opening_intervals(self, day: date) -> tuple[tuple[datetime, datetime], ...]:
        """The opening intervals of local date *day* in UTC; empty on a day off (a holiday,
        a closed weekday), the weekday hours on a make-up working day (调休)."""
        return self._day(day).intervals

    def is_open(self, instant: datetime) -> bool:
        """True inside an opening interval (its start included, its end excluded)."""
        t = _utc(instant)
        return any(s <= t < e for s, e in self._day(self._local_date(t)).intervals)

    def next_open(self, instant: datetime) -> datetime:
        """*instant* (in UTC) if open, else the next opening.

        Carries no provisional flag; use ``add_hours(instant, 0)`` when that matters.
        """
        return self.add_hours(instant, 0).at

    def _nth_working_day(self, after: date, n: int) -> tuple[date, bool]:
        """The *n*-th date after *after* with opening hours, and whether any was a guess."""
        counted, provisional = 0, False
        for day_date, day in self._days(after + timedelta(days=1), "add_days"):
            provisional |= not day.known
            counted += bool(day.intervals)
            if counted == n:
                return day_date, provisional
        raise AssertionError("unreachable: _days raises at its limit")

    def _local_date(self, t: datetime) -> date:
        return t.astimezone(self._zone).date()

    def _days(self, first: date, what: str) -> Iterator[tuple[date, _Day]]:
        for offset in range(MAX_SEARCH_DAYS):
            day = first + timedelta(days=offset)
            yield day, self._day(day)
        raise SearchLimitExceeded(
            f"{what}: no result within 10 years after {first.isoformat()}; "
            "check the centre's opening hours and the calendar overrides"
        )

    def _build_day(self, day: date) -> _Day:
        workday, known = self._calendar.is_workday(day)
        if not workday:
            return _Day((), known)
        intervals = []
        for start, end in self._hours.for_workday(day):
            # fold=0 resolves wall times repeated or skipped by a DST change.
            s = datetime.combine(day, start, tzinfo=self._zone).astimezone(UTC)
            e = datetime.combine(day, end, tzinfo=self._zone).astimezone(UTC)
            if s < e:
                intervals.append((s, e))
        return _Day(tuple(intervals), known)


def _utc(value: datetime) -> datetime:
    if not isinstance(value, datetime) or value.utcoffset() is None:
        raise ValueError(f"expected a timezone-aware datetime, got {value!r}")
    return value.astimezone(UTC)


def _duration(hours: float | Decimal | timedelta) -> timedelta:
    """Hours as a timedelta, to the microsecond; Decimal is converted exactly."""
    try:
        if isinstance(hours, timedelta):
            duration = hours
        elif isinstance(hours, Decimal) and hours.is_finite():
            duration = timedelta(microseconds=int((hours * 3_600_000_000).to_integral_value()))
        elif (
            isinstance(hours, int | float) and not isinstance(hours, bool) and math.isfinite(hours)
        ):
            duration = timedelta(hours=hours)
        else:
            raise ValueError(f"hours must be a finite number or a timedelta, got {hours!r}")
    except OverflowError:
        raise ValueError(f"hours out of range: {hours!r}") from None
    if duration < timedelta(0):
        raise ValueError(f"hours must not be negative, got {hours!r}")
    return duration
