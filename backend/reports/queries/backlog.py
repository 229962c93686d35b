"""The open backlog: how much is open, how old (in working days), what is overdue."""


import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from reports.periods import Period, Scope
from reports.queries.figures import scoped_facts
from sla.clock import schedule_for
from tickets.models import Ticket

AGE_BUCKETS = (  # (key, lower bound in working days, upper bound)
    ("lt1", 0, 1),
    ("1to3", 1, 3),
    ("3to10", 3, 10),
    ("gt10", 10, None),
)
AGE_LABELS = {
    "lt1": _("under 1 working day"),
    "1to3": _("1–3 working days"),
    "3to10": _("3–10 working days"),
    "gt10": _("over 10 working days"),
}


@dataclass
class AgeBucket:
    key: str
    label: str
    count: int



def age_thresholds(centre, now: datetime) -> dict[int, datetime]:
    """For n in (1, 3, 10): the latest opening instant whose age at ``now`` is at least
    n working days of the centre (a working day = its regular weekday opening hours).

    Found by bisection to the second; kept per centre and minute (``now`` is truncated to
    the minute, so ages are exact to the minute)."""
    minute = now.replace(second=0, microsecond=0)
    key = (centre.pk, centre.time_zone, json.dumps(centre.opening_hours, sort_keys=True), minute)
    if key not in _THRESHOLDS:
        if len(_THRESHOLDS) > 256:
            _THRESHOLDS.clear()
        _THRESHOLDS[key] = _age_thresholds(centre, minute)
    return _THRESHOLDS[key]


_THRESHOLDS: dict[tuple, dict[int, datetime]] = {}


def _age_thresholds(centre, now: datetime) -> dict[int, datetime]:
    schedule = schedule_for(centre)
    day_seconds = working_day_seconds(centre)
    result = {}
    for n in (1, 3, 10):
        target = n * day_seconds
        low, high = now - timedelta(days=30 + 3 * n), now  # low surely old enough
        while schedule.working_time_between(low, now).seconds < target:
            low -= timedelta(days=30)
        while (high - low).total_seconds() > 1:
            mid = low + (high - low) / 2
            if schedule.working_time_between(mid, now).seconds >= target:
                low = mid
            else:
                high = mid
        result[n] = low
    return result


def working_day_seconds(centre) -> float:
    return working_day_seconds_of(centre.opening_hours)


def working_day_seconds_of(opening_hours) -> float:
    from sla.worktime import OpeningHours

    hours = OpeningHours.from_json(opening_hours)
    weekday = next(day for day in hours.days[:5] if day)
    return sum(
        (datetime.combine(date.min, e) - datetime.combine(date.min, s)).total_seconds()
        for s, e in weekday
    )


def age_bucket_q(scope: Scope, key: str, now: datetime, limits: dict | None = None) -> Q:
    """Active tickets whose age in working days falls in bucket ``key``."""
    _key, lower, upper = next(b for b in AGE_BUCKETS if b[0] == key)
    limits = limits or {c.pk: age_thresholds(c, now) for c in scope.centres}
    condition = Q(pk__in=[])
    for centre in scope.centres:
        q = Q(centre_id=centre.pk)
        if lower:
            q &= Q(created_at__lte=limits[centre.pk][lower])
        if upper:
            q &= Q(created_at__gt=limits[centre.pk][upper])
        condition |= q
    return condition


def ages(scope: Scope, now: datetime) -> list[AgeBucket]:
    limits = {c.pk: age_thresholds(c, now) for c in scope.centres}
    facts = scoped_facts(scope).filter(done_at__isnull=True)
    counts = facts.aggregate(**{
        key: Count("pk", filter=age_bucket_q(scope, key, now, limits)) for key, *_ in AGE_BUCKETS
    })
    return [AgeBucket(key, str(AGE_LABELS[key]), counts[key] or 0) for key, *_ in AGE_BUCKETS]


def backlog_counts(scope: Scope, period: Period) -> tuple[int, int]:
    """Open backlog now, and as it stood at the start of the period.

    backlog(start) = backlog(now) - opened since start + done since start: three indexed
    counts whose cost follows the period, not the table (a ticket reopened since counts
    as open throughout).
    """
    facts = scoped_facts(scope)
    now_count = facts.filter(done_at__isnull=True).count()
    opened_since = facts.filter(created_at__gte=period.since).count()
    done_since = facts.filter(done_at__gte=period.since).count()
    return now_count, now_count - opened_since + done_since


def overdue_tickets(scope: Scope, now: datetime) -> QuerySet:
    return scope.filter(Ticket.objects.overdue(now))
