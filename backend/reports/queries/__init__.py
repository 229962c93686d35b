"""Reads behind the supervisors' reports, computed from the indexed fact table.

- ``figures``: the figures of one set of tickets (``Figures``, ``summarise``)
- ``backlog``: what is open, how old in working days, what is overdue
- ``dashboard``: headline, breakdowns and trend of a period; the whole dashboard
"""

from reports.queries.backlog import (
    AGE_BUCKETS,
    AGE_LABELS,
    AgeBucket,
    age_bucket_q,
    age_thresholds,
    ages,
    backlog_counts,
    overdue_tickets,
    working_day_seconds,
    working_day_seconds_of,
)
from reports.queries.dashboard import (
    DIMENSION_LABELS,
    DIMENSIONS,
    SORT_COLUMNS,
    TREND_MIN_WEEKS,
    BreakdownRow,
    Dashboard,
    PeriodFigures,
    Week,
    breakdown,
    dashboard,
    dimension_labels,
    headline,
    period_figures,
    sort_rows,
    trend,
    trend_period,
)
from reports.queries.figures import (
    MEASURES,
    PERCENTILES,
    Figures,
    PercentileCont,
    frt_judged_q,
    frt_missed_q,
    percentile,
    res_judged_q,
    res_missed_q,
    scoped_facts,
    summarise,
    uses_sql_percentiles,
)

__all__ = [
    "AGE_BUCKETS", "AGE_LABELS", "DIMENSIONS", "DIMENSION_LABELS", "MEASURES", "PERCENTILES",
    "SORT_COLUMNS", "TREND_MIN_WEEKS", "AgeBucket", "BreakdownRow", "Dashboard", "Figures",
    "PercentileCont", "PeriodFigures", "Week", "age_bucket_q", "age_thresholds", "ages",
    "backlog_counts", "breakdown", "dashboard", "dimension_labels", "frt_judged_q",
    "frt_missed_q", "headline", "overdue_tickets", "percentile", "period_figures",
    "res_judged_q", "res_missed_q", "scoped_facts", "sort_rows", "summarise", "trend",
    "trend_period", "uses_sql_percentiles", "working_day_seconds", "working_day_seconds_of",
]
