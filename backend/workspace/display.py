"""How tickets look in the workspace: times in the centre's zone, deadline badges,
workflow labels. Pure functions over loaded objects (no queries)."""

from __future__ import annotations

from datetime import datetime

from core import clock
from sla.display import centre_zone, due_badges, local_time

__all__ = ["centre_zone", "centre_time", "deadline_badges", "decorate"]


def centre_time(value: datetime | None, centre) -> str:
    """``2026-11-27 15:30`` in the centre's time zone; empty for no value."""
    return local_time(value, centre)


def deadline_badges(ticket, now: datetime | None = None):
    """Overdue / due soon / paused (waiting on the talent) and provisional, as the SLA
    part defines them (``sla.display``): one definition for every staff page."""
    return due_badges(ticket, now or clock.now())


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
