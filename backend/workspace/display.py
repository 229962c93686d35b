"""How tickets look in the workspace: times in the centre's zone, deadline badges,
workflow labels. Pure functions over loaded objects (no queries)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import clock

DUE_SOON = timedelta(hours=4)
TIME_FORMAT = "%Y-%m-%d %H:%M"


def centre_zone(centre) -> ZoneInfo:
    try:
        return ZoneInfo(getattr(centre, "time_zone", None) or "Asia/Shanghai")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("Asia/Shanghai")


def centre_time(value: datetime | None, centre, fmt: str = TIME_FORMAT) -> str:
    """``2026-11-27 15:30`` in the centre's time zone; empty for no value."""
    if value is None:
        return ""
    return timezone.localtime(value, centre_zone(centre)).strftime(fmt)


@dataclass(frozen=True)
class Badge:
    key: str  # overdue | due_soon | waiting | provisional
    label: str
    css: str


def is_waiting_on_talent(ticket) -> bool:
    if ticket.sla_paused_at is not None:
        return True
    try:
        return ticket.state_definition.pauses_sla
    except (KeyError, LookupError):
        return False


def deadline_badges(ticket, now: datetime | None = None) -> list[Badge]:
    """Overdue / due soon / waiting on talent (and provisional due times)."""
    now = now or clock.now()
    badges: list[Badge] = []
    if is_waiting_on_talent(ticket):
        badges.append(Badge("waiting", str(_("waiting on talent")), "badge"))
    elif ticket.due_at is not None and ticket.closed_at is None:
        if ticket.due_at < now:
            badges.append(Badge("overdue", str(_("overdue")), "badge bad"))
        elif ticket.due_at - now <= DUE_SOON:
            badges.append(Badge("due_soon", str(_("due soon")), "badge warn"))
    if ticket.sla_provisional and ticket.closed_at is None:
        badges.append(Badge("provisional", str(_("provisional")), "badge provisional"))
    return badges


def state_label(ticket, state_id: str | None = None) -> str:
    state_id = state_id or ticket.state
    try:
        return str(ticket.workflow.state(state_id).label)
    except (KeyError, LookupError):
        return state_id


def category_label(ticket_or_key) -> str:
    from flows.registry import current_workflows

    key = getattr(ticket_or_key, "category", ticket_or_key)
    workflow = current_workflows().get(key)
    return str(workflow.name) if workflow else key


def action_label(ticket, action: str) -> str:
    try:
        transition = ticket.workflow.transition(action)
    except LookupError:
        transition = None
    return str(transition.label) if transition else action


def decorate(ticket, now: datetime | None = None):
    """Attach what a list row shows (labels, badges) to a loaded ticket."""
    ticket.badges = deadline_badges(ticket, now)
    ticket.state_label = state_label(ticket)
    ticket.category_label = category_label(ticket)
    return ticket
