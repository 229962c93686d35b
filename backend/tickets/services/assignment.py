"""Who holds a ticket: assigning, claiming and routing again. Only these write
``Ticket.assignee``."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import clock
from core.errors import ClaimConflict
from flows.registry import current_workflows
from staff.models import Officer, Role, role_of
from staff.permissions import ROUTABLE_ROLES
from tickets import notify, permissions, routing
from tickets.models import EventKind, Ticket, TimelineEvent
from tickets.services._base import (
    _check_version,
    _is_system,
    _locked,
    _require_role,
    _save,
)


def _assignment_event(ticket: Ticket, *, previous: Officer | None, officer: Officer | None, actor,
                      reason: str, now, data: dict | None = None) -> TimelineEvent:
    """The timeline event of a change of holder (not saved)."""
    return TimelineEvent(
        ticket=ticket,
        kind=EventKind.ASSIGNMENT,
        actor=actor,
        public=False,
        body=reason,
        data={
            "from": previous.pk if previous else None,
            "to": officer.pk if officer else None,
            "to_name": officer.display_name if officer else "",
            **(data or {}),
        },
        created_at=now,
    )


def _route_unsaved(ticket: Ticket, decision) -> None:
    """A routing decision on a ticket not saved yet (the opening inserts it once, holder
    included): the holder, and the queue's window when the ticket has none."""
    if ticket.window_id is None and decision.window is not None:
        ticket.window = decision.window
    ticket.assignee = decision.officer


def _officer_assigned(officer: Officer | None, now) -> None:
    """Remember when the officer last got a ticket (the fair tie-break of routing).

    A plain UPDATE of one column: routine work is not a change of the officer's
    configuration, so it writes no history row for the officer or the officer's windows.
    """
    if officer is not None:
        Officer.objects.filter(pk=officer.pk).update(last_assigned_at=now)
        officer.last_assigned_at = now


def _apply_assignment(
    ticket: Ticket, *, officer: Officer | None, actor, reason: str, now, data: dict | None = None
) -> TimelineEvent:
    previous = ticket.assignee
    ticket.assignee = officer
    _save(ticket, actor=actor, reason=reason)
    _officer_assigned(officer, now)
    event = _assignment_event(ticket, previous=previous, officer=officer, actor=actor,
                              reason=reason, now=now, data=data)
    event._history_user = actor
    event._history_date = now
    event.save()
    return event


def _apply_routing(ticket: Ticket, decision, *, actor, now, handed_over: bool = False) -> TimelineEvent:
    """Record a routing decision: assignee (or the queue, joining a window's queue when the
    ticket has none), the reason naming the officer on the timeline and in history, and
    who is told (the supervisors for a waiting ticket, the new holder for a hand-over)."""
    if ticket.window_id is None and decision.window is not None:
        ticket.window = decision.window
    event = _apply_assignment(ticket, officer=decision.officer, actor=actor, reason=decision.reason,
                              now=now, data={"routing": decision.data})
    notify.notify_routing(ticket=ticket, decision=decision, event=event, handed_over=handed_over)
    ticket.routing_decision = decision
    return event


def missing_skill_message(officer: Officer, ticket: Ticket) -> str:
    workflow = current_workflows().get(ticket.category)
    return _("%(name)s has no skill for %(category)s: confirm to assign anyway.") % {
        "name": officer.display_name, "category": workflow.name if workflow else ticket.category}


@transaction.atomic
def ticket_assign(*, ticket: Ticket, officer: Officer | None, actor, reason: str = "",
                  expected_version: str | None = None, confirm_missing_skill: bool = False) -> Ticket:
    """Give the ticket to ``officer`` (or back to the queue with None). Supervisors only.
    With ``expected_version`` (the ``Ticket.version`` the form was shown), a ticket changed
    since raises ``StaleVersion`` and nothing is written. An officer without the
    ticket's category skill (``routing.lacks_skill``) needs ``confirm_missing_skill``;
    otherwise ValidationError on ``confirm_missing_skill`` and nothing is written."""
    if not _is_system(actor):
        _require_role(actor, permissions.ASSIGN_ROLES)
    ticket = _locked(ticket, actor)
    _check_version(ticket, expected_version)
    crosses_centre = officer is not None and officer.centre_id != ticket.centre_id
    if crosses_centre and role_of(actor) != Role.ADMIN and not _is_system(actor):
        raise ValidationError({"assignee": [_("This officer works at another centre.")]})
    if officer is not None and officer.role not in ROUTABLE_ROLES:
        raise ValidationError({"assignee": [_("Only officers and supervisors can hold tickets.")]})
    if ticket.is_final:
        raise ValidationError({"assignee": [_("A closed ticket cannot be reassigned.")]})
    if officer is not None and not confirm_missing_skill and routing.lacks_skill(officer, ticket):
        raise ValidationError({"confirm_missing_skill": ValidationError(
            missing_skill_message(officer, ticket), code="missing_skill")})
    reason = reason.strip() or (
        _("assigned to %(name)s") % {"name": officer.display_name} if officer else _("returned to the queue")
    )
    _apply_assignment(ticket, officer=officer, actor=actor, reason=reason, now=clock.now())
    return ticket


@transaction.atomic
def tickets_assign(*, tickets, officer: Officer | None, actor, reason: str = "",
                   confirm_missing_skill: bool = False) -> list[Ticket]:
    """Give several tickets to ``officer`` (or back to the queue) in one step, all or
    nothing: each goes through ``ticket_assign`` (same rules, timeline and history per
    ticket); if any is refused, nothing is written and ValidationError names each refused
    ticket by reference with its reasons. Locks in id order (no deadlock between two
    supervisors moving overlapping selections)."""
    if not _is_system(actor):
        _require_role(actor, permissions.ASSIGN_ROLES)
    tickets = sorted(tickets, key=lambda t: t.pk)
    if not tickets:
        raise ValidationError({"tickets": [_("Select at least one ticket.")]})
    errors: dict[str, list[str]] = {}
    done = []
    for ticket in tickets:
        try:
            with transaction.atomic():
                done.append(ticket_assign(ticket=ticket, officer=officer, actor=actor, reason=reason,
                                          confirm_missing_skill=confirm_missing_skill))
        except ValidationError as error:
            errors[ticket.reference] = error.messages
    if errors:
        raise ValidationError(errors)  # the outer transaction rolls every assignment back
    return done


@transaction.atomic
def ticket_claim(*, ticket: Ticket, actor) -> Ticket:
    """Take an unassigned ticket. Of two officers claiming at once exactly one wins;
    the other gets ``ClaimConflict`` naming the holder."""
    _require_role(actor, permissions.CLAIM_ROLES)
    ticket = _locked(ticket, actor, scope=permissions.claimable_tickets(actor))
    officer = actor.officer
    if ticket.assignee_id == officer.pk:
        return ticket
    if ticket.assignee_id is not None:
        raise ClaimConflict(holder=ticket.assignee)
    if ticket.is_final:
        raise ValidationError({"assignee": [_("A closed ticket cannot be claimed.")]})
    reason = _("claimed by %(name)s") % {"name": officer.display_name}
    _apply_assignment(ticket, officer=officer, actor=actor, reason=reason, now=clock.now())
    return ticket


@transaction.atomic
def ticket_route(*, ticket: Ticket, actor, exclude: Officer | None = None) -> Ticket:
    """Route the ticket again by the routing rules (e.g. its officer went off duty),
    keeping ``exclude`` (default: the current holder) out of every rule.

    The decision is recorded like at opening; the new holder gets a hand-over notice, a
    ticket left waiting alerts the supervisors. ``ticket.routing_decision`` carries it."""
    ticket = _locked(ticket, actor)
    if ticket.is_final:
        raise ValidationError({"assignee": [_("A closed ticket cannot be reassigned.")]})
    decision = routing.routing_decide(ticket=ticket, exclude=exclude or ticket.assignee)
    if decision.officer != ticket.assignee:
        _apply_routing(ticket, decision, actor=actor, now=clock.now(), handed_over=True)
    ticket.routing_decision = decision
    return ticket
