"""Officer duty: going on and off duty, and handing open tickets over by the routing rules."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from core import clock
from core.errors import ActionForbidden
from staff.models import Officer
from staff.permissions import may_set_duty
from tickets import routing
from tickets.models import Ticket
from tickets.services.assignment import ticket_route


@dataclass(frozen=True)
class HandOver:
    """One ticket of an officer going off duty and where the routing rules send it."""

    ticket: object
    decision: routing.RoutingDecision


@dataclass(frozen=True)
class DutyChange:
    officer: Officer
    on_duty: bool
    handed_over: list[HandOver] = field(default_factory=list)


def officer_open_tickets(officer: Officer):
    """The tickets an officer holds that still need work (what a hand-over moves)."""
    return (
        Ticket.objects.active()
        .filter(assignee=officer)
        .select_related("talent__dedicated_officer__backup__user", "centre", "window")
        .order_by("due_at", "created_at", "pk")
    )


def officer_hand_over_preview(*, officer: Officer) -> list[HandOver]:
    """Where each open ticket would go if ``officer`` went off duty now (nothing changes).

    The duty page shows this to offer the hand-over before the officer confirms.
    """
    return [
        HandOver(ticket, routing.routing_decide(ticket=ticket, exclude=officer))
        for ticket in officer_open_tickets(officer)
    ]


@transaction.atomic
def officer_set_duty(*, officer: Officer, on_duty: bool, actor, hand_over: bool = False,
                     reason: str = "") -> DutyChange:
    """Put ``officer`` on or off duty (the officer themself, a supervisor of their centre,
    an administrator or the system).

    Going off duty with ``hand_over=True`` routes each open ticket again by the routing
    rules with the officer excluded (``ticket_route``): to the dedicated
    officer, the backup, the least-loaded qualified officer, or back to the window's queue
    with the supervisors told. Each move is recorded on the ticket's timeline and history;
    the duty change is recorded on the officer's history.
    """
    if not may_set_duty(actor, officer):
        raise ActionForbidden()
    officer = Officer.objects.select_for_update().get(pk=officer.pk)
    changed = officer.on_duty != on_duty
    if changed:
        officer.on_duty = on_duty
        officer._history_user = actor
        officer._history_date = clock.now()
        officer._change_reason = (reason.strip() or (_("on duty") if on_duty else _("off duty")))[:100]
        officer.save()
    moved: list[HandOver] = []
    if not on_duty and hand_over:
        for ticket in officer_open_tickets(officer):
            ticket = ticket_route(ticket=ticket, actor=actor, exclude=officer)
            moved.append(HandOver(ticket, getattr(ticket, "routing_decision", None)))
    return DutyChange(officer=officer, on_duty=on_duty, handed_over=moved)
