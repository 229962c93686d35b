"""Figures of one set of tickets (counts, response and resolution percentiles, SLA compliance)
computed in the database from the indexed fact table.

On PostgreSQL the percentiles are ``percentile_cont`` aggregates (exact, linear
interpolation), all figures of one table in one query; on SQLite the counts come from
the same queries and the percentiles are computed in Python from the measured values
(same definition, slower, fine for small centres and tests). Every function runs a
fixed number of queries, whatever the number of tickets.
"""



import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.db.models import Aggregate, Avg, Count, FloatField, Q, QuerySet

from reports.models import ReportFact
from reports.periods import Scope
from tickets.models import Channel

MEASURES = {"frt": "first_response_seconds", "res": "resolution_seconds"}
PERCENTILES = {"p50": 0.5, "p90": 0.9}


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
    handled_online: int = 0  # finished online without a hall visit (网上实际办理)
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
    def finished(self) -> int:
        return self.opened - self.still_open

    @property
    def handled_online_share(self) -> float | None:
        """网上实际办理率: of the tickets finished, the share handled wholly online."""
        return self.handled_online / self.finished if self.finished else None

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
            "online": self.online,
            "online_share_pct": pct(self.online_share),
            "finished": self.finished,
            "handled_online": self.handled_online,
            "handled_online_pct": pct(self.handled_online_share),
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
        "handled_online": Count("pk", filter=cond & Q(handled_online=True)),
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


def scoped_facts(scope: Scope) -> QuerySet:
    return scope.filter(ReportFact.objects.all())
