"""The dashboard's figures, computed in the database from the indexed fact table.

On PostgreSQL the percentiles are ``percentile_cont`` aggregates (exact, linear
interpolation), all figures of one table in one query; on SQLite the counts come from
the same queries and the percentiles are computed in Python from the measured values
(same definition, slower, fine for small centres and tests). Every function runs a
fixed number of queries, whatever the number of tickets.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import connection, transaction
from django.db.models import Aggregate, Avg, Count, FloatField, Q, QuerySet
from django.db.models.functions import TruncWeek
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from core import clock
from core.i18n import current_lang
from reports.models import ReportFact
from reports.periods import Period, Scope
from sla.clock import schedule_for
from tickets.models import Channel, Ticket

MEASURES = {"frt": "first_response_seconds", "res": "resolution_seconds"}
PERCENTILES = {"p50": 0.5, "p90": 0.9}
DIMENSIONS = {
    "category": "category",
    "window": "window_id",
    "officer": "officer_id",
    "channel": "channel",
}
DIMENSION_LABELS = {
    "category": _("Category"),
    "window": _("Window"),
    "officer": _("Officer"),
    "channel": _("Channel"),
}
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
TREND_MIN_WEEKS = 12


class PercentileCont(Aggregate):
    """PostgreSQL's exact percentile with linear interpolation (NULLs ignored)."""

    function = "percentile_cont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression, fraction: float, **extra):
        super().__init__(expression, fraction=repr(float(fraction)), **extra)


def percentile(values: Sequence[float], fraction: float) -> float | None:
    """The same definition as ``percentile_cont``: interpolate between closest ranks."""
    if not values:
        return None
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def uses_sql_percentiles() -> bool:
    return connection.vendor == "postgresql"


# --- figures of one set of tickets --------------------------------------------------------


@dataclass
class Figures:
    """The figures of one set of tickets (a period, a group of a breakdown, a week)."""

    opened: int = 0
    online: int = 0
    frt_n: int = 0
    frt_p50: float | None = None  # working seconds
    frt_p90: float | None = None
    frt_met: int = 0
    frt_judged: int = 0
    res_n: int = 0
    res_p50: float | None = None
    res_p90: float | None = None
    res_met: int = 0
    res_judged: int = 0
    still_open: int = 0
    rating_avg: float | None = None
    rating_n: int = 0

    @property
    def online_share(self) -> float | None:
        return self.online / self.opened if self.opened else None

    @property
    def frt_compliance(self) -> float | None:
        return self.frt_met / self.frt_judged if self.frt_judged else None

    @property
    def res_compliance(self) -> float | None:
        return self.res_met / self.res_judged if self.res_judged else None

    def hours(self, name: str) -> float | None:
        value = getattr(self, name)
        return None if value is None else value / 3600

    def as_dict(self) -> dict:
        def h(v):
            return None if v is None else round(v / 3600, 2)

        def pct(v):
            return None if v is None else round(100 * v, 1)

        return {
            "opened": self.opened,
            "online_share_pct": pct(self.online_share),
            "first_response": {
                "count": self.frt_n, "p50_hours": h(self.frt_p50), "p90_hours": h(self.frt_p90),
                "sla_met": self.frt_met, "sla_judged": self.frt_judged,
                "sla_compliance_pct": pct(self.frt_compliance),
            },
            "resolution": {
                "count": self.res_n, "p50_hours": h(self.res_p50), "p90_hours": h(self.res_p90),
                "sla_met": self.res_met, "sla_judged": self.res_judged,
                "sla_compliance_pct": pct(self.res_compliance),
            },
            "still_open": self.still_open,
            "satisfaction": {
                "average": None if self.rating_avg is None else round(self.rating_avg, 2),
                "count": self.rating_n,
            },
        }


def _count_aggregates(cond: Q, now: datetime) -> dict:
    return {
        "opened": Count("pk", filter=cond),
        "online": Count("pk", filter=cond & Q(channel=Channel.ONLINE)),
        "frt_n": Count("first_response_seconds", filter=cond),
        "frt_met": Count("pk", filter=cond & Q(first_response_met=True)),
        "frt_judged": Count("pk", filter=cond & frt_judged_q(now)),
        "res_n": Count("resolution_seconds", filter=cond),
        "res_met": Count("pk", filter=cond & Q(resolution_met=True)),
        "res_judged": Count("pk", filter=cond & res_judged_q(now)),
        "still_open": Count("pk", filter=cond & Q(done_at__isnull=True)),
        "rating_avg": Avg("rating", filter=cond),
        "rating_n": Count("rating", filter=cond),
    }


def frt_judged_q(now: datetime) -> Q:
    """First responses that count for compliance: given, or overdue without one."""
    return Q(first_response_met__isnull=False) | Q(
        first_response_at__isnull=True, first_response_due__lt=now
    )


def res_judged_q(now: datetime) -> Q:
    return Q(resolution_met__isnull=False) | Q(done_at__isnull=True, resolution_due__lt=now)


def frt_missed_q(now: datetime) -> Q:
    return Q(first_response_met=False) | Q(first_response_at__isnull=True, first_response_due__lt=now)


def res_missed_q(now: datetime) -> Q:
    return Q(resolution_met=False) | Q(done_at__isnull=True, resolution_due__lt=now)


def _percentile_aggregates(cond: Q) -> dict:
    return {
        f"{m}_{p}": PercentileCont(column, fraction, filter=cond)
        for m, column in MEASURES.items()
        for p, fraction in PERCENTILES.items()
    }


def summarise(
    facts: QuerySet, *, sets: dict[str, Q], group: str | None = None, now: datetime,
    annotations: dict | None = None,
) -> dict[str, dict[object, Figures]]:
    """Figures per named set of facts (e.g. this period and the previous one), per group.

    ``group`` is a field name or an annotation given in ``annotations``. One query on
    PostgreSQL; on SQLite one more per set for the percentiles.
    """
    sql_percentiles = uses_sql_percentiles()
    aggregates = {}
    for name, cond in sets.items():
        wanted = _count_aggregates(cond, now)
        if sql_percentiles:
            wanted |= _percentile_aggregates(cond)
        aggregates |= {f"{name}_{key}": agg for key, agg in wanted.items()}
    base = facts.annotate(**annotations) if annotations else facts
    result: dict[str, dict[object, Figures]] = {name: {} for name in sets}
    if group is None:
        rows = [base.aggregate(**aggregates)]
    else:
        rows = list(base.values(group).annotate(**aggregates).order_by())
    for row in rows:
        key = row.get(group) if group else None
        for name in sets:
            prefix = f"{name}_"
            values = {k[len(prefix):]: v for k, v in row.items() if k.startswith(prefix)}
            result[name][key] = Figures(**values)
    if not sql_percentiles:
        for name, cond in sets.items():
            _python_percentiles(base.filter(cond), group, result[name])
    return result


def _python_percentiles(facts: QuerySet, group: str | None, into: dict[object, Figures]) -> None:
    columns = [group] if group else []
    values: dict[object, dict[str, list[float]]] = defaultdict(lambda: {m: [] for m in MEASURES})
    for row in facts.values_list(*columns, *MEASURES.values()).order_by():
        key = row[0] if group else None
        for m, value in zip(MEASURES, row[len(columns):], strict=True):
            if value is not None:
                values[key][m].append(value)
    for key, figures in into.items():
        for m in MEASURES:
            for p, fraction in PERCENTILES.items():
                setattr(figures, f"{m}_{p}", percentile(values[key][m], fraction))


# --- the dashboard ------------------------------------------------------------------------


@dataclass
class BreakdownRow:
    key: object
    labels: dict[str, str]  # by language: snapshots are shared by zh and en readers
    figures: Figures

    @property
    def label(self) -> str:
        return self.labels.get(current_lang()) or next(iter(self.labels.values()), str(self.key))

    @property
    def param(self) -> str:
        return "none" if self.key is None else str(self.key)


@dataclass
class Week:
    start: date
    figures: Figures


@dataclass
class AgeBucket:
    key: str
    label: str
    count: int


@dataclass
class Dashboard:
    period: Period
    previous: Period
    current: Figures
    before: Figures
    backlog: int
    backlog_before: int
    overdue: int
    breakdowns: dict[str, list[BreakdownRow]] = field(default_factory=dict)
    trend: list[Week] = field(default_factory=list)
    trend_period: Period | None = None
    ages: list[AgeBucket] = field(default_factory=list)
    ratings_available: bool = False
    computed_at: datetime | None = None


def scoped_facts(scope: Scope) -> QuerySet:
    return scope.filter(ReportFact.objects.all())


def headline(scope: Scope, period: Period, now: datetime) -> tuple[Figures, Figures]:
    previous = period.previous()
    facts = scoped_facts(scope).filter(created_at__gte=previous.since, created_at__lt=period.until)
    result = summarise(
        facts,
        sets={"cur": Q(created_at__gte=period.since), "prev": Q(created_at__lt=period.since)},
        now=now,
    )
    return result["cur"][None], result["prev"][None]


def breakdown(scope: Scope, period: Period, dimension: str, now: datetime) -> list[BreakdownRow]:
    column = DIMENSIONS[dimension]
    facts = scoped_facts(scope).filter(created_at__gte=period.since, created_at__lt=period.until)
    groups = summarise(facts, sets={"cur": Q()}, group=column, now=now)["cur"]
    keys = list(groups)
    objects = _dimension_objects(dimension, keys)
    labels = {}
    for lang, code in (("zh", "zh-hans"), ("en", "en")):
        with translation.override(code):
            labels[lang] = dimension_labels(dimension, keys, objects=objects)
    rows = [
        BreakdownRow(key, {lang: names.get(key, str(key)) for lang, names in labels.items()}, figures)
        for key, figures in groups.items()
    ]
    return sorted(rows, key=lambda r: (-r.figures.opened, r.label))


def _dimension_objects(dimension: str, keys: list) -> dict | None:
    """Windows or officers behind group keys, fetched once for both languages."""
    from centres.models import Window
    from staff.models import Officer

    ids = [k for k in keys if k is not None]
    if dimension == "window":
        return {w.pk: w for w in Window.objects.filter(pk__in=ids)}
    if dimension == "officer":
        return {o.pk: o for o in Officer.objects.filter(pk__in=ids).only("pk", "display_name")}
    return None


def dimension_labels(
    dimension: str, keys: Iterable[object], *, objects: dict | None = None
) -> dict[object, str]:
    """Readable names for group keys in the active language: one query for windows or
    officers (none when ``objects`` already holds them), none otherwise."""
    from flows.registry import current_workflows

    keys = list(keys)
    if dimension == "category":
        workflows = current_workflows()
        return {k: str(workflows[k].name) if k in workflows else str(k) for k in keys}
    if dimension == "channel":
        choices = dict(Channel.choices)
        return {k: str(choices.get(k, k)) for k in keys}
    if objects is None:
        objects = _dimension_objects(dimension, keys)
    if dimension == "window":
        labels = {pk: window.name for pk, window in objects.items()}
        labels[None] = str(_("no window"))
    else:
        labels = {pk: officer.display_name for pk, officer in objects.items()}
        labels[None] = str(_("unassigned"))
    return labels


def trend_period(period: Period) -> Period:
    """Whole weeks (Monday first) covering the period, at least ``TREND_MIN_WEEKS``."""
    end = period.end + timedelta(days=6 - period.end.weekday())
    start = period.start - timedelta(days=period.start.weekday())
    earliest = end - timedelta(days=7 * TREND_MIN_WEEKS - 1)
    return Period(min(start, earliest), end)


def trend(scope: Scope, period: Period, now: datetime) -> tuple[Period, list[Week]]:
    weeks_period = trend_period(period)
    facts = scoped_facts(scope).filter(
        created_at__gte=weeks_period.since, created_at__lt=weeks_period.until
    )
    zone = timezone.get_current_timezone()
    groups = summarise(
        facts, sets={"cur": Q()}, group="week", now=now,
        annotations={"week": TruncWeek("created_at", tzinfo=zone)},
    )["cur"]
    by_start = {}
    for key, figures in groups.items():
        start = key.date() if isinstance(key, datetime) else key
        if isinstance(key, datetime) and timezone.is_aware(key):
            start = timezone.localtime(key, zone).date()
        by_start[start] = figures
    weeks = []
    day = weeks_period.start
    while day <= weeks_period.end:
        weeks.append(Week(day, by_start.get(day, Figures())))
        day += timedelta(days=7)
    return weeks_period, weeks


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


@dataclass
class PeriodFigures:
    """The heavy part of the dashboard: everything that depends on the period."""

    current: Figures
    before: Figures
    breakdowns: dict[str, list[BreakdownRow]]
    trend_period: Period
    trend: list[Week]
    computed_at: datetime
    backlog_before: int = 0  # the open backlog at the start of the period


def period_figures(scope: Scope, period: Period, now: datetime) -> PeriodFigures:
    """Headline, breakdowns and weekly trend of a period, computed live from the facts."""
    with transaction.atomic():
        if uses_sql_percentiles():
            with connection.cursor() as cursor:  # sorts for percentiles stay in memory
                cursor.execute("SET LOCAL work_mem = '64MB'")
        current, before = headline(scope, period, now)
        weeks_period, weeks = trend(scope, period, now)
        breakdowns = {dim: breakdown(scope, period, dim, now) for dim in DIMENSIONS}
        _, backlog_before = backlog_counts(scope, period)
    return PeriodFigures(current, before, breakdowns, weeks_period, weeks, now, backlog_before)


def dashboard(
    scope: Scope, period: Period, *, now: datetime | None = None, figures: PeriodFigures | None = None
) -> Dashboard:
    """The whole dashboard. ``figures`` may come from a snapshot (``reports.snapshots``);
    the backlog, overdue and age figures are always counted live (indexed, cheap)."""
    from reports.facts import rating_model

    now = now or clock.now()
    figures = figures or period_figures(scope, period, now)
    backlog = scoped_facts(scope).filter(done_at__isnull=True).count()
    return Dashboard(
        period=period,
        previous=period.previous(),
        current=figures.current,
        before=figures.before,
        backlog=backlog,
        backlog_before=figures.backlog_before,
        overdue=overdue_tickets(scope, now).count(),
        breakdowns=figures.breakdowns,
        trend=figures.trend,
        trend_period=figures.trend_period,
        ages=ages(scope, now),
        ratings_available=rating_model() is not None,
        computed_at=figures.computed_at,
    )


def sort_rows(rows: list[BreakdownRow], key: str) -> list[BreakdownRow]:
    """Sort a breakdown by a column (``-`` first for descending); empty values last."""
    descending = key.startswith("-")
    name = key.lstrip("-")
    if name == "label":
        return sorted(rows, key=lambda r: r.label.casefold(), reverse=descending)
    present = [r for r in rows if _column(r, name) is not None]
    missing = [r for r in rows if _column(r, name) is None]
    return sorted(present, key=lambda r: _column(r, name), reverse=descending) + missing


SORT_COLUMNS = (
    "label", "opened", "online_share", "frt_p50", "frt_p90", "frt_compliance",
    "res_p50", "res_p90", "res_compliance", "still_open",
)


def _column(row: BreakdownRow, name: str):
    return getattr(row.figures, name, None)
