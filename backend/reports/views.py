"""The supervisors' dashboard, the tickets behind each figure, and exports.

Supervisors see their centre; administrators all centres or the one they choose;
everyone else gets 403 (anonymous users are sent to sign in).
"""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core import clock
from core.masking import mask_document_number, mask_documents
from hall import measures
from reports import drill as drilling
from reports import presenters, queries, snapshots, svg
from reports.exports import MAX_ROWS, export_response
from reports.models import ExportFormat
from reports.periods import parse_period, scope_for

PAGE_SIZE = 50


def _errors(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [f"{field}: {message}" for field, messages in exc.message_dict.items()
                for message in messages]
    return list(exc.messages)


def reports_view(view):
    """Sign-in required; the scope (403 for other roles) and bad input (400) handled once."""

    @login_required
    @require_GET
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            scope = scope_for(request.user, request.GET.get("centre"))  # PermissionDenied → 403
            period = parse_period(request.GET)
            return view(request, scope, period, *args, **kwargs)
        except ValidationError as exc:
            return render(request, "reports/error.html", {"errors": _errors(exc)}, status=400)

    return wrapper


def _base_params(request, scope, period) -> dict:
    base = period.as_params()
    if not scope.all_centres and len(scope.available) > 1:
        base["centre"] = scope.chosen.code
    return base


@reports_view
def dashboard(request, scope, period):
    now = clock.now()
    base = _base_params(request, scope, period)
    figures = snapshots.period_figures(scope, period, now=now)
    if request.htmx and (dimension := request.GET.get("table")) in queries.DIMENSIONS:
        rows = figures.breakdowns[dimension]
        sort = _sort(request, dimension)
        table = presenters.breakdown_table(dimension, rows, base, sort)
        return render(request, "reports/dashboard.html#breakdown",
                      {"table": table, "base_query": urlencode(base)})
    board = queries.dashboard(scope, period, now=now, figures=figures)
    tables = [
        presenters.breakdown_table(dim, board.breakdowns[dim], base, _sort(request, dim))
        for dim in queries.DIMENSIONS
    ]
    weeks = [
        {
            "label": w.start.strftime("%m-%d"),
            "start": w.start,
            "opened": w.figures.opened,
            "p50": presenters.hours(w.figures.frt_p50),
            "p90": presenters.hours(w.figures.frt_p90),
            "link": presenters.drill_link(base, figure="opened", week=w.start.isoformat()),
        }
        for w in board.trend
    ]
    trend_chart = svg.trend_chart(
        chart_id="trend-chart",
        title=_("Tickets per week and first-response time"),
        description=_(
            "Bars: tickets opened per week from %(start)s to %(end)s. Lines: median and "
            "90th percentile of the first-response time in working hours. The same numbers "
            "are in the table beside the chart."
        ) % {"start": board.trend_period.start, "end": board.trend_period.end},
        labels=[w["label"] for w in weeks],
        volume=[w.figures.opened for w in board.trend],
        volume_label=_("tickets"),
        lines=[
            svg.Series(_("median (p50)"), [w.figures.hours("frt_p50") for w in board.trend], "p50"),
            svg.Series(_("90th percentile"), [w.figures.hours("frt_p90") for w in board.trend], "p90"),
        ],
        hours_label=_("working hours"),
    )
    ages = [
        {"label": b.label, "count": b.count,
         "link": presenters.drill_link(base, figure="backlog", age=b.key)}
        for b in board.ages
    ]
    age_chart = svg.bar_chart(
        chart_id="age-chart",
        title=_("Open backlog by age"),
        description=_("Open tickets by their age in working days of the centre; the same "
                      "numbers are in the table beside the chart."),
        labels=[b.label for b in board.ages],
        values=[b.count for b in board.ages],
    )
    context = {
        "hall": _hall(scope, period, now),
        "scope": scope,
        "period": period,
        "board": board,
        "base_query": urlencode(base),
        "headlines": presenters.headlines(board, base),
        "tables": tables,
        "weeks": weeks,
        "trend_chart": trend_chart,
        "ages": ages,
        "age_chart": age_chart,
        "now": now,
    }
    return render(request, "reports/dashboard.html", context)


def _hall(scope, period, now) -> dict:
    """The service hall: waits today and now, and the period per line and window."""
    ids = scope.centre_ids
    zone = scope.centres[0].time_zone if scope.centres else "Asia/Shanghai"
    today = measures.hall_period(ids, measures.start_of_today(zone, now), now, zone=zone)
    report = measures.hall_period(ids, period.since, period.until, zone=zone)
    return {
        "now": measures.hall_now(ids, now=now),
        "today": today.total.as_dict(),
        "lines": [{"key": k, **f.as_dict()} for k, f in report.lines.items()],
        "windows": [{"key": k, **f.as_dict()} for k, f in report.windows.items()],
    }


def _sort(request, dimension: str) -> str:
    value = (request.GET.get(f"sort_{dimension}") or "").strip()
    return value if value.lstrip("-") in queries.SORT_COLUMNS else ""


@reports_view
def tickets(request, scope, period):
    now = clock.now()
    drill = drilling.parse_drill(request.GET, period)
    queryset = drilling.drill_tickets(request.user, scope, drill, now)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    base = _base_params(request, scope, drill.period)
    params = {**drill.params(), **({"centre": base["centre"]} if "centre" in base else {})}
    context = {
        "scope": scope,
        "period": drill.period,
        "drill": drill,
        "page": page,
        "rows": [_ticket_row(t) for t in page.object_list],
        "filter_labels": drilling.filter_labels(drill.filters),
        "params": params,
        "export_params": urlencode(params),
        "dashboard_params": urlencode(base),
    }
    return render(request, "reports/tickets.html", context)


def _ticket_row(ticket) -> dict:
    fact = getattr(ticket, "report_fact", None)
    return {
        "ticket": ticket,
        "frt": presenters.hours(fact.first_response_seconds if fact else None),
        "res": presenters.hours(fact.resolution_seconds if fact else None),
        "document": mask_document_number(ticket.talent.document_number),
    }


def _format(request) -> str | None:
    fmt = (request.GET.get("format") or "csv").strip().lower()
    return fmt if fmt in ExportFormat.values else None


def _bad_format():
    return HttpResponseBadRequest(_("format: choose csv or xlsx."), content_type="text/plain; charset=utf-8")


@reports_view
def export_breakdown(request, scope, period, dimension):
    fmt = _format(request)
    if fmt is None:
        return _bad_format()
    if dimension not in queries.DIMENSIONS:
        return HttpResponseBadRequest(_("group: choose category, window, officer, channel or origin."),
                                      content_type="text/plain; charset=utf-8")
    rows = snapshots.period_figures(scope, period).breakdowns[dimension]
    label = str(queries.DIMENSION_LABELS[dimension])
    centre = scope.chosen.code if scope.chosen else "all"
    return _export(
        request, kind=f"breakdown-{dimension}", fmt=fmt, scope=scope, period=period,
        filename=f"talentdesk-{dimension}-{centre}-{period.start}-{period.end}",
        sheet=label,
        header=presenters.figures_header(label),
        rows=[presenters.figures_row(r.label, r.figures) for r in rows],
    )


@reports_view
def export_tickets(request, scope, period):
    fmt = _format(request)
    if fmt is None:
        return _bad_format()
    drill = drilling.parse_drill(request.GET, period)
    queryset = drilling.drill_tickets(request.user, scope, drill, clock.now())
    header = [
        _("Reference"), _("Opened"), _("Category"), _("Channel"), _("Priority"), _("State"),
        _("Centre"), _("Window"), _("Officer"), _("Talent"), _("Document number"),
        _("Subject"), _("First response (working hours)"), _("Resolution (working hours)"),
        _("First response on time"), _("Resolution on time"), _("Origin"),
    ]

    def rows():
        for t in queryset[: MAX_ROWS]:
            fact = getattr(t, "report_fact", None)
            yield [
                t.reference, t.created_at, _category(t.category), t.get_channel_display(),
                t.get_priority_display(), _state(t), t.centre.name,
                t.window.name if t.window else "", t.assignee.display_name if t.assignee else "",
                t.talent.display_name, mask_document_number(t.talent.document_number),
                mask_documents(t.subject, [t.talent.document_number]),
                _h(fact.first_response_seconds) if fact else None,
                _h(fact.resolution_seconds) if fact else None,
                fact.first_response_met if fact else None,
                fact.resolution_met if fact else None,
                t.talent.get_origin_display(),
            ]

    return _export(
        request, kind=f"tickets-{drill.figure}", fmt=fmt, scope=scope, period=drill.period,
        filename=f"talentdesk-tickets-{drill.figure}-{drill.period.start}-{drill.period.end}",
        sheet=_("Tickets"), header=header, rows=rows(), extra=drill.filters,
    )


def _h(seconds):
    return None if seconds is None else round(seconds / 3600, 2)


def _category(key: str) -> str:
    return queries.dimension_labels("category", [key])[key]


def _state(ticket) -> str:
    try:
        return str(ticket.state_definition.label)
    except (KeyError, LookupError):
        return ticket.state


def _export(request, *, kind, fmt, scope, period, filename, sheet, header, rows, extra=None):
    filters = {**period.as_params(), "centre": scope.chosen.code if scope.chosen else "all",
               **(extra or {})}
    return export_response(
        user=request.user, kind=kind, fmt=fmt, filters=filters, filename=filename, sheet=sheet,
        header=header, rows=rows,
    )
