"""A centre's opening hours: intervals per weekday, parsed and checked from the JSON the
administrator edits. The working-time maths (``sla.worktime``) runs on them."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, time
from itertools import pairwise
from typing import Any

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")

Interval = tuple[time, time]


@dataclass(frozen=True)
class OpeningHours:
    """Opening intervals per weekday (index 0 = Monday), sorted and non-overlapping."""

    days: tuple[tuple[Interval, ...], ...]

    def __post_init__(self) -> None:
        if len(self.days) != 7:
            raise ValueError("opening hours need exactly 7 weekdays, Monday first")
        for name, intervals in zip(WEEKDAYS, self.days, strict=True):
            ordered = sorted(intervals)
            for start, end in ordered:
                if end <= start:
                    raise ValueError(
                        f"opening hours for {name}: {_span(start, end)} ends before it starts"
                    )
            for (s1, e1), (s2, e2) in pairwise(ordered):
                if s2 < e1:
                    raise ValueError(
                        f"opening hours for {name}: {_span(s1, e1)} overlaps {_span(s2, e2)}"
                    )
        if not any(self.days[:5]):
            raise ValueError("opening hours: no interval Monday to Friday, so no working time")
        object.__setattr__(self, "days", tuple(tuple(sorted(day)) for day in self.days))

    @classmethod
    def from_json(cls, data: Any) -> OpeningHours:
        """Parse the ServiceCentre JSON ``{"mon": [["09:00", "12:00"], ...], ...}``.

        A missing weekday is closed. Every problem raises ValueError naming the weekday,
        so a model validator can show it to the administrator as is.
        """
        if not isinstance(data, Mapping):
            raise ValueError("opening hours must be an object keyed by weekday (mon..sun)")
        if unknown := sorted(str(key) for key in data if key not in WEEKDAYS):
            raise ValueError(f"opening hours: unknown weekday keys {unknown}; use mon..sun")
        days = []
        for name in WEEKDAYS:
            raw = data.get(name, [])
            if not isinstance(raw, list):
                raise ValueError(f"opening hours for {name}: must be a list of [start, end]")
            days.append(tuple(_parse_interval(name, item) for item in raw))
        return cls(tuple(days))

    def to_json(self) -> dict[str, list[list[str]]]:
        return {
            name: [[s.strftime("%H:%M"), e.strftime("%H:%M")] for s, e in intervals]
            for name, intervals in zip(WEEKDAYS, self.days, strict=True)
        }

    def for_workday(self, day: date) -> tuple[Interval, ...]:
        """The hours of *day*, given that the calendar made it a working day."""
        own = self.days[day.weekday()]
        if own or day.weekday() < 5:
            return own
        return next(hours for hours in self.days[:5] if hours)


def _parse_interval(name: str, item: Any) -> Interval:
    if not (isinstance(item, list) and len(item) == 2):
        raise ValueError(f"opening hours for {name}: {item!r} is not a [start, end] pair")
    start, end = (_parse_time(name, text) for text in item)
    return start, end


def _parse_time(name: str, text: Any) -> time:
    match = _HHMM.match(text) if isinstance(text, str) else None
    if match is None:
        raise ValueError(f"opening hours for {name}: {text!r} is not a time in HH:MM (00-23)")
    return time(int(match.group(1)), int(match.group(2)))


def _span(start: time, end: time) -> str:
    return f"{start:%H:%M}-{end:%H:%M}"
