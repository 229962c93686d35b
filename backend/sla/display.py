"""Due times as staff pages show them: in the centre's zone, with state badges.

Pure functions over a loaded ticket (no queries), for templates and the API alike:

* ``due_state(ticket)`` — the one state of the nearest pending deadline: ``overdue``,
  ``due_soon`` (the warning share of the target has passed), ``paused`` (waiting on the
  talent), ``on_track``, or ``done`` (nothing pending);
* ``due_badges(ticket)`` — the badges to show: that state (except on track/done) plus
  ``provisional`` when the due times rest on a year no calendar knows yet;
* ``due_lines(ticket)`` — first response and resolution, each with its local time, whether
  it is provisional, and met / missed once decided.

In templates: ``{% load sla %}{% sla_badges ticket %}`` and ``{% sla_due_times ticket %}``
(partials ``sla/_badges.html`` and ``sla/_due_times.html``), or ``ticket|due_state``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils import timezone
from django.utils.translation import gettext as _

from core import clock
from sla.clock import deadline_provisional

TIME_FORMAT = "%Y-%m-%d %H:%M"

OVERDUE, DUE_SOON, PAUSED, ON_TRACK, DONE, PROVISIONAL = (
    "overdue", "due_soon", "paused", "on_track", "done", "provisional")
_CSS = {OVERDUE: "badge bad", DUE_SOON: "badge warn", PAUSED: "badge", ON_TRACK: "badge ok",
        DONE: "badge", PROVISIONAL: "badge provisional"}


def _labels() -> dict[str, str]:
    return {OVERDUE: _("overdue"), DUE_SOON: _("due soon"), PAUSED: _("paused: waiting on talent"),
            ON_TRACK: _("on track"), DONE: _("no deadline pending"),
            PROVISIONAL: _("provisional")}


@dataclass(frozen=True)
class Badge:
    key: str
    label: str
    css: str
    title: str = ""


@dataclass(frozen=True)
class DueState:
    key: str
    label: str
    css: str
    due_at: datetime | None
    due_local: str
    provisional: bool


@dataclass(frozen=True)
class DueLine:
    target: str  # first_response | resolution
    label: str
    due_at: datetime | None
    due_local: str
    provisional: bool
    outcome: str  # "" pending, "met", "missed"
    outcome_label: str


def centre_zone(centre) -> ZoneInfo:
    try:
        return ZoneInfo(getattr(centre, "time_zone", None) or "Asia/Shanghai")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("Asia/Shanghai")


def local_time(value: datetime | None, centre) -> str:
    if value is None:
        return ""
    return timezone.localtime(value, centre_zone(centre)).strftime(TIME_FORMAT)


def _pending(ticket):
    """(due, warn) of the nearest pending target, or (None, None)."""
    if ticket.closed_at is not None:
        return None, None
    if ticket.first_response_at is None and ticket.first_response_due is not None:
        return ticket.first_response_due, ticket.first_response_warn_at
    if ticket.resolved_at is None and ticket.resolution_due is not None:
        return ticket.resolution_due, ticket.resolution_warn_at
    return None, None


def due_state(ticket, now: datetime | None = None) -> DueState:
    now = now or clock.now()
    labels = _labels()
    due, warn = _pending(ticket)
    if ticket.sla_paused_at is not None and ticket.closed_at is None:
        key = PAUSED
    elif due is None:
        key = DONE
    elif due < now:
        key = OVERDUE
    elif warn is not None and warn <= now:
        key = DUE_SOON
    else:
        key = ON_TRACK
    provisional = bool(ticket.sla_provisional) and due is not None
    return DueState(key, labels[key], _CSS[key], due, local_time(due, ticket.centre), provisional)


def due_badges(ticket, now: datetime | None = None) -> list[Badge]:
    """Overdue / due soon / paused, and provisional; nothing for a ticket on track."""
    state = due_state(ticket, now)
    badges = []
    if state.key in (OVERDUE, DUE_SOON, PAUSED):
        badges.append(Badge(state.key, state.label, state.css, state.due_local))
    if ticket.sla_provisional and ticket.closed_at is None:
        badges.append(Badge(PROVISIONAL, _labels()[PROVISIONAL], _CSS[PROVISIONAL],
                            _("computed Monday to Friday: the holiday calendar of that year "
                              "is not published yet; recomputed automatically")))
    return badges


def due_lines(ticket) -> list[DueLine]:
    lines = []
    for target, label, due, done_at, met in (
        ("first_response", _("first response due"), ticket.first_response_due,
         ticket.first_response_at, ticket.first_response_met),
        ("resolution", _("resolution due"), ticket.resolution_due, ticket.resolved_at,
         ticket.resolution_met),
    ):
        outcome = "" if done_at is None or met is None else ("met" if met else "missed")
        lines.append(DueLine(
            target, label, due, local_time(due, ticket.centre),
            bool(ticket.sla_provisional) and done_at is None
            and deadline_provisional(ticket.centre, due), outcome,
            {"met": _("met"), "missed": _("missed"), "": ""}[outcome],
        ))
    return lines
