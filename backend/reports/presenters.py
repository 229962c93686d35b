"""Turning figures into what the page shows: formatted values, changes, drill links."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from reports import queries
from reports.queries import Dashboard, Figures


def hours(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    return _("%(value)s h") % {"value": number_format(seconds / 3600, 1)}


def pct(share: float | None) -> str:
    if share is None:
        return "—"
    return _("%(value)s %%") % {"value": number_format(100 * share, 1)}


def count(value: int | None) -> str:
    return "—" if value is None else number_format(value, force_grouping=True)


def rating(value: float | None) -> str:
    return "—" if value is None else number_format(value, 2)


@dataclass
class Headline:
    key: str
    label: str
    value: str
    previous: str
    change: str  # "up", "down" or "" (for the arrow and colour)
    better: bool | None
    link: str


def drill_link(base: dict, **extra) -> str:
    params = {k: v for k, v in {**base, **extra}.items() if v not in (None, "")}
    return _tickets_path() + "?" + urlencode(params)


@lru_cache(maxsize=1)
def _tickets_path() -> str:
    return reverse("reports:tickets")


def _change(now, before, higher_is_better: bool | None):
    if now is None or before is None or now == before:
        return "", None
    up = now > before
    return ("up" if up else "down"), (None if higher_is_better is None else up == higher_is_better)


HEADLINES = (
    # key, label, value of Figures, formatter, higher is better, drill figure
    ("opened", gettext_lazy("Tickets opened"), lambda f: f.opened, count, None, "opened"),
    ("online", gettext_lazy("Share opened online"), lambda f: f.online_share, pct, None, "online"),
    ("handled_online", gettext_lazy("Share handled online (finished without a visit)"),
     lambda f: f.handled_online_share, pct, True, "handled_online"),
    ("frt_p50", gettext_lazy("First response, median"), lambda f: f.frt_p50, hours, False, "responded"),
    ("frt_p90", gettext_lazy("First response, 90th percentile"), lambda f: f.frt_p90, hours, False,
     "responded"),
    ("res_p50", gettext_lazy("Resolution, median"), lambda f: f.res_p50, hours, False, "resolved"),
    ("res_p90", gettext_lazy("Resolution, 90th percentile"), lambda f: f.res_p90, hours, False,
     "resolved"),
    ("frt_sla", gettext_lazy("First response within target"), lambda f: f.frt_compliance, pct, True,
     "frt_missed"),
    ("res_sla", gettext_lazy("Resolution within target"), lambda f: f.res_compliance, pct, True,
     "res_missed"),
    ("rating", gettext_lazy("Average satisfaction"), lambda f: f.rating_avg, rating, True, "rated"),
)


def headlines(board: Dashboard, base: dict) -> list[Headline]:
    """The headline figures of the period, each with the previous period and a link."""
    result = []
    previous = {**base, **board.previous.as_params()}
    for key, label, value, fmt, higher, figure in HEADLINES:
        now, before = value(board.current), value(board.before)
        if key == "rating" and not board.ratings_available:
            now = before = None
        change, better = _change(now, before, higher)
        result.append(Headline(
            key, str(label), fmt(now), fmt(before), change, better,
            drill_link(base, figure=figure),
        ))
        result[-1].previous_link = drill_link(previous, figure=figure)
    change, better = _change(board.backlog, board.backlog_before, False)
    result.append(Headline("backlog", str(_("Open backlog")), count(board.backlog),
                           count(board.backlog_before), change, better,
                           drill_link(base, figure="backlog")))
    result[-1].previous_link = ""
    result.append(Headline("overdue", str(_("Overdue now")), count(board.overdue), "—", "", None,
                           drill_link(base, figure="overdue")))
    result[-1].previous_link = ""
    return result


BREAKDOWN_COLUMNS = (
    # key, label, formatter, drill figure
    ("opened", pgettext_lazy("reports column", "Opened"), count, "opened"),
    ("online_share", pgettext_lazy("reports column", "Online"), pct, "online"),
    ("handled_online_share", pgettext_lazy("reports column", "Handled online"), pct, "handled_online"),
    ("frt_p50", gettext_lazy("First response p50"), hours, "responded"),
    ("frt_p90", gettext_lazy("First response p90"), hours, "responded"),
    ("frt_compliance", gettext_lazy("First response on time"), pct, "frt_missed"),
    ("res_p50", gettext_lazy("Resolution p50"), hours, "resolved"),
    ("res_p90", gettext_lazy("Resolution p90"), hours, "resolved"),
    ("res_compliance", gettext_lazy("Resolution on time"), pct, "res_missed"),
    ("still_open", gettext_lazy("Still open"), count, "still_open"),
)


def breakdown_table(dimension: str, rows, base: dict, sort: str) -> dict:
    """A breakdown as headers (with sort links) and formatted, linked cells."""
    rows = queries.sort_rows(rows, sort) if sort else rows
    columns = [("label", queries.DIMENSION_LABELS[dimension])] + [
        (key, label) for key, label, *_ in BREAKDOWN_COLUMNS
    ]
    headers = []
    current = sort or "-opened"  # the default order: most tickets first
    for key, label in columns:
        if key == "label":
            next_sort = "-label" if current == "label" else "label"
        else:
            next_sort = key if current == f"-{key}" else f"-{key}"
        state = "ascending" if current == key else "descending" if current == f"-{key}" else "none"
        headers.append({
            "key": key, "label": str(label), "state": state,
            "link": "?" + urlencode({**base, f"sort_{dimension}": next_sort}) + f"#breakdown-{dimension}",
            "hx_link": "?" + urlencode({**base, f"sort_{dimension}": next_sort, "table": dimension}),
            "numeric": key != "label",
        })
    body = []
    for row in rows:
        filters = {**base, dimension: row.param}
        cells = [{"text": row.label, "link": drill_link(filters, figure="opened"), "numeric": False}]
        for key, _label, fmt, figure in BREAKDOWN_COLUMNS:
            value = getattr(row.figures, key)
            linked = value is not None and (fmt is not count or value > 0)
            cells.append({"text": fmt(value), "numeric": True,
                          "link": drill_link(filters, figure=figure) if linked else ""})
        body.append(cells)
    return {"dimension": dimension, "title": str(queries.DIMENSION_LABELS[dimension]),
            "headers": headers, "rows": body, "sort": sort}


def figures_row(label: str, figures: Figures) -> list:
    """A breakdown row for exports: raw numbers (hours, percentages), not formatted text."""
    def h(v):
        return None if v is None else round(v / 3600, 2)

    def p(v):
        return None if v is None else round(100 * v, 1)

    return [
        label, figures.opened, p(figures.online_share), figures.frt_n, h(figures.frt_p50),
        h(figures.frt_p90), p(figures.frt_compliance), figures.res_n, h(figures.res_p50),
        h(figures.res_p90), p(figures.res_compliance), figures.still_open,
    ]


def figures_header(dimension_label: str) -> list[str]:
    return [
        dimension_label, pgettext("reports column", "Opened"), _("Online (%)"), _("First responses"),
        _("First response p50 (working hours)"), _("First response p90 (working hours)"),
        _("First response on time (%)"), _("Resolved"), _("Resolution p50 (working hours)"),
        _("Resolution p90 (working hours)"), _("Resolution on time (%)"), _("Still open"),
    ]
