"""The tickets behind a figure: every number on the dashboard links here with its filters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from flows.registry import current_workflows
from reports import queries
from reports.models import ReportFact
from reports.periods import Period, Scope
from talents.models import Origin
from tickets.models import Channel, Ticket

COHORT_FIGURES = {
    "opened": gettext_lazy("tickets opened"),
    "online": gettext_lazy("tickets opened online"),
    "handled_online": gettext_lazy("tickets handled online (finished without a visit)"),
    "responded": gettext_lazy("tickets with a first response"),
    "frt_met": gettext_lazy("first response within target"),
    "frt_missed": gettext_lazy("first response target missed"),
    "resolved": gettext_lazy("tickets resolved"),
    "res_met": gettext_lazy("resolution within target"),
    "res_missed": gettext_lazy("resolution target missed"),
    "still_open": gettext_lazy("opened in the period and still open"),
    "rated": gettext_lazy("rated tickets"),
}
SNAPSHOT_FIGURES = {
    "backlog": gettext_lazy("open backlog"),
    "overdue": gettext_lazy("overdue now"),
}
FIGURES = COHORT_FIGURES | SNAPSHOT_FIGURES


@dataclass(frozen=True)
class Drill:
    figure: str
    period: Period
    filters: dict[str, str]  # the dimension filters and age/week, as given (validated)

    def params(self) -> dict[str, str]:
        return {"figure": self.figure, **self.period.as_params(), **self.filters}

    @property
    def label(self) -> str:
        return str(FIGURES[self.figure])


def parse_drill(params, period: Period) -> Drill:
    """Validate the drill-down filters; each bad value raises naming its field."""
    errors: dict[str, list[str]] = {}
    figure = (params.get("figure") or "opened").strip()
    if figure not in FIGURES:
        errors["figure"] = [_("Unknown figure “%(value)s”.") % {"value": figure}]
    filters: dict[str, str] = {}
    for name in ("window", "officer"):
        value = (params.get(name) or "").strip()
        if value and value != "none" and not (value.isascii() and value.isdigit() and len(value) <= 18):
            errors[name] = [_("Enter a number or “none”.")]
        elif value:
            filters[name] = value
    category = (params.get("category") or "").strip()
    if category:
        if category not in current_workflows():
            errors["category"] = [_("Unknown category “%(value)s”.") % {"value": category}]
        filters["category"] = category
    channel = (params.get("channel") or "").strip()
    if channel:
        if channel not in Channel.values:
            errors["channel"] = [_("Unknown channel “%(value)s”.") % {"value": channel}]
        filters["channel"] = channel
    origin = (params.get("origin") or "").strip()
    if origin:
        if origin not in Origin.values and origin != "none":
            errors["origin"] = [_("Unknown origin “%(value)s”.") % {"value": origin}]
        filters["origin"] = origin
    age = (params.get("age") or "").strip()
    if age:
        if age not in queries.AGE_LABELS:
            errors["age"] = [_("Unknown age bucket “%(value)s”.") % {"value": age}]
        filters["age"] = age
    week = (params.get("week") or "").strip()
    if week:
        try:
            start = date.fromisoformat(week)
        except ValueError:
            errors["week"] = [_("Enter a date as YYYY-MM-DD, e.g. 2026-03-01.")]
        else:
            filters["week"] = week
            period = Period(start, start + timedelta(days=6))
    if errors:
        raise ValidationError(errors)
    return Drill(figure=figure, period=period, filters=filters)


def _dimension_q(filters: dict[str, str]) -> Q:
    q = Q()
    for name, column in (("category", "category"), ("channel", "channel"),
                         ("window", "window_id"), ("officer", "officer_id")):
        value = filters.get(name)
        if value is None:
            continue
        q &= Q(**{column: None if value == "none" else value})
    if (origin := filters.get("origin")) is not None:
        q &= Q(origin="" if origin == "none" else origin)
    return q


def drill_facts(scope: Scope, drill: Drill, now: datetime) -> QuerySet:
    facts = scope.filter(ReportFact.objects.all()).filter(_dimension_q(drill.filters))
    figure = drill.figure
    if figure == "backlog" or drill.filters.get("age"):
        facts = facts.filter(done_at__isnull=True)
        if age := drill.filters.get("age"):
            facts = facts.filter(queries.age_bucket_q(scope, age, now))
        return facts
    facts = facts.filter(created_at__gte=drill.period.since, created_at__lt=drill.period.until)
    conditions = {
        "opened": Q(),
        "online": Q(channel=Channel.ONLINE),
        "handled_online": Q(handled_online=True),
        "responded": Q(first_response_seconds__isnull=False),
        "frt_met": Q(first_response_met=True),
        "frt_missed": queries.frt_missed_q(now),
        "resolved": Q(resolution_seconds__isnull=False),
        "res_met": Q(resolution_met=True),
        "res_missed": queries.res_missed_q(now),
        "still_open": Q(done_at__isnull=True),
        "rated": Q(rating__isnull=False),
    }
    return facts.filter(conditions[figure])


def drill_tickets(user, scope: Scope, drill: Drill, now: datetime) -> QuerySet:
    """The tickets behind the figure, within the user's own scope, newest first."""
    tickets = Ticket.objects.visible_to(user)
    if drill.figure == "overdue":
        tickets = scope.filter(tickets.overdue(now)).filter(_ticket_dimension_q(drill.filters))
    else:
        tickets = tickets.filter(pk__in=drill_facts(scope, drill, now).values("ticket_id"))
    slowest = SLOWEST_FIRST.get(drill.figure)
    order = (F(slowest).desc(nulls_last=True),) if slowest else ()
    return (
        tickets.for_list()
        .select_related("report_fact")
        .order_by(*order, "-created_at", "-pk")
    )


# Lists behind time figures show the slowest tickets first: what a supervisor looks for.
SLOWEST_FIRST = {
    "responded": "report_fact__first_response_seconds",
    "frt_met": "report_fact__first_response_seconds",
    "frt_missed": "report_fact__first_response_seconds",
    "resolved": "report_fact__resolution_seconds",
    "res_met": "report_fact__resolution_seconds",
    "res_missed": "report_fact__resolution_seconds",
}


def filter_labels(filters: dict[str, str]) -> list[tuple[str, str]]:
    """The drill-down's filters as (what, which) in words, for the page."""
    names = {**queries.DIMENSION_LABELS, "age": gettext_lazy("Age"), "week": gettext_lazy("Week from")}
    result = []
    for name, value in filters.items():
        if name in queries.DIMENSIONS:
            empty = "" if name == "origin" else None
            key = empty if value == "none" else (int(value) if name in ("window", "officer") else value)
            text = queries.dimension_labels(name, [key]).get(key, value)
        elif name == "age":
            text = str(queries.AGE_LABELS.get(value, value))
        else:
            text = value
        result.append((str(names.get(name, name)), text))
    return result


def _ticket_dimension_q(filters: dict[str, str]) -> Q:
    q = Q()
    for name, column in (("category", "category"), ("channel", "channel"),
                         ("window", "window_id"), ("officer", "assignee_id")):
        value = filters.get(name)
        if value is not None:
            q &= Q(**{column: None if value == "none" else value})
    if (origin := filters.get("origin")) is not None:
        q &= Q(report_fact__origin="" if origin == "none" else origin)
    return q
