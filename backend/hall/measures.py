"""The hall's measures: wait time (taken → first called), service time (called → done),
no-shows and abandoned numbers, per line, window and hour of the day; and the state now
(people waiting, the longest wait). Read by the supervisors' dashboard and the reports
API. Three queries whatever the period; minutes as floats rounded to one decimal.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time
from zoneinfo import ZoneInfo

from core import clock
from hall.models import NumberStatus, QueueNumber, Visit


def _percentile(values: list[float], share: float) -> float | None:
    """Nearest-rank percentile (the value at rank ceil(share·n)); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def _minutes(delta) -> float:
    return delta.total_seconds() / 60


@dataclass
class HallFigures:
    taken: int = 0
    called: int = 0
    served: int = 0
    no_shows: int = 0
    abandoned: int = 0
    waits: list[float] = field(default_factory=list)
    services: list[float] = field(default_factory=list)

    def as_dict(self) -> dict:
        def r(value):
            return None if value is None else round(value, 1)

        return {
            "taken": self.taken, "called": self.called, "served": self.served,
            "no_shows": self.no_shows, "abandoned": self.abandoned,
            "wait_p50_minutes": r(_percentile(self.waits, 0.5)),
            "wait_p90_minutes": r(_percentile(self.waits, 0.9)),
            "service_p50_minutes": r(_percentile(self.services, 0.5)),
            "service_mean_minutes": r(sum(self.services) / len(self.services)) if self.services else None,
        }


@dataclass
class HallReport:
    total: HallFigures
    lines: dict[str, HallFigures]
    windows: dict[str, HallFigures]
    hours: dict[int, HallFigures]


def hall_period(centre_ids: list[int], since: datetime, until: datetime, *, zone: str) -> HallReport:
    """Numbers taken in ``[since, until)`` at the given centres and the visits of those
    numbers. ``zone`` gives the hour of the day."""
    tz = ZoneInfo(zone)
    total, lines, windows, hours = HallFigures(), defaultdict(HallFigures), defaultdict(HallFigures), \
        defaultdict(HallFigures)
    numbers = (QueueNumber.objects.filter(centre_id__in=centre_ids, taken_at__gte=since, taken_at__lt=until)
               .values_list("pk", "issued_line__prefix", "taken_at", "called_at", "status"))
    line_of = {}
    for pk, prefix, taken_at, called_at, status in numbers:
        line_of[pk] = prefix
        hour = taken_at.astimezone(tz).hour
        for figures in (total, lines[prefix], hours[hour]):
            figures.taken += 1
            if called_at is not None:
                figures.called += 1
                figures.waits.append(_minutes(called_at - taken_at))
            figures.no_shows += status == NumberStatus.NO_SHOW
            figures.abandoned += status == NumberStatus.ABANDONED
    visits = (Visit.objects.filter(queue_number_id__in=list(line_of), ended_at__isnull=False,
                                   outcome=NumberStatus.DONE)
              .values_list("queue_number_id", "window__code", "started_at", "ended_at"))
    for number_id, window_code, started_at, ended_at in visits:
        minutes = _minutes(ended_at - started_at)
        hour = started_at.astimezone(tz).hour
        windows[window_code].served += 1
        windows[window_code].services.append(minutes)
        for figures in (total, lines[line_of[number_id]], hours[hour]):
            figures.served += 1
            figures.services.append(minutes)
    return HallReport(total, dict(sorted(lines.items())), dict(sorted(windows.items())),
                      dict(sorted(hours.items())))


def hall_now(centre_ids: list[int], *, now=None) -> dict:
    """People waiting now and how long the one waiting longest has waited (minutes)."""
    now = now or clock.now()
    waiting = QueueNumber.objects.waiting().filter(centre_id__in=centre_ids)
    first = waiting.order_by("taken_at").values_list("taken_at", flat=True).first()
    return {"waiting": waiting.count(),
            "longest_wait_minutes": round(_minutes(now - first), 1) if first else 0.0}


def start_of_today(zone: str, now=None) -> datetime:
    now = now or clock.now()
    tz = ZoneInfo(zone)
    return datetime.combine(now.astimezone(tz).date(), time.min, tzinfo=tz)
