"""The supervisors' dashboard: headline, breakdowns, weekly trend, backlog and ages."""


from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import connection, transaction
from django.db.models import Q
from django.db.models.functions import TruncWeek
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from core import clock
from core.i18n import current_lang
from reports.periods import Period, Scope
from reports.queries.backlog import AgeBucket, ages, backlog_counts, overdue_tickets
from reports.queries.figures import Figures, scoped_facts, summarise, uses_sql_percentiles
from talents.models import Origin
from tickets.models import Channel

DIMENSIONS = {
    "category": "category",
    "window": "window_id",
    "officer": "officer_id",
    "channel": "channel",
    "origin": "origin",
}
DIMENSION_LABELS = {
    "category": _("Category"),
    "window": _("Window"),
    "officer": _("Officer"),
    "channel": _("Channel"),
    "origin": _("Origin"),
}
TREND_MIN_WEEKS = 12


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
        return "none" if self.key in (None, "") else str(self.key)


@dataclass
class Week:
    start: date
    figures: Figures


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
    if dimension == "origin":
        choices = {**dict(Origin.choices), "": _("not recorded")}
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
        return sorted(rows, key=lambda r: (r.label.casefold(), r.label), reverse=descending)
    # Equal figures fall back to the label, so the order never depends on the input's.
    present = [r for r in rows if _column(r, name) is not None]
    missing = sorted((r for r in rows if _column(r, name) is None), key=lambda r: r.label.casefold())
    return sorted(
        present, key=lambda r: (_column(r, name), r.label.casefold()), reverse=descending
    ) + missing


SORT_COLUMNS = (
    "label", "opened", "online_share", "handled_online_share", "frt_p50", "frt_p90", "frt_compliance",
    "res_p50", "res_p90", "res_compliance", "still_open",
)


def _column(row: BreakdownRow, name: str):
    return getattr(row.figures, name, None)
