"""The workflow: transitions, replies and notes, events, priority, access codes. Only
``ticket_transition`` writes ``Ticket.state``."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import clock
from core.errors import ActionForbidden, InvalidTransition
from sla import clock as sla_clock
from staff.models import Role
from talents.models import Talent
from talents.services import talent_document_reveal
from tickets import access, notify
from tickets.material_requests import HAND_BACK_ACTION, REQUEST_ACTION, hand_back_ready
from tickets.models import EventKind, MaterialStatus, Priority, Ticket, TimelineEvent
from tickets.permissions import PRIORITY_ROLES
from tickets.services._base import (
    MAX_BODY,
    STAFF_ROLES,
    _check_version,
    _clean_text,
    _event,
    _is_system,
    _iso,
    _locked,
    _mark_first_response,
    _require_role,
    _save,
)
from tickets.services.materials import materials_mark_requested


@transaction.atomic
def ticket_transition(
    *, ticket: Ticket, action: str, actor=None, note: str = "", talent: Talent | None = None,
    requested: list[str] | None = None,
) -> TimelineEvent:
    """Apply a workflow action, by a staff ``actor`` or by the ticket's own ``talent``.

    Locks the ticket; the action must exist from the current state in the pinned
    workflow (else ``InvalidTransition`` naming the state and allowed actions) and be
    allowed to the actor's role (else ``ActionForbidden``); a required comment and the
    required materials are enforced. Records the event and a history row with the
    action as reason, and moves the SLA clock (pause, resume, response, resolution).

    ``requested`` (material ids; the request for materials only) ticks the items asked
    for — the talent's to-do list (``tickets.material_requests``) — and is kept in the
    event's data. A request without it asks for what is missing.
    The talent hands a ticket back only once nothing asked for is open.
    """
    if talent is not None:
        role = "talent"
        ticket = _locked(ticket, actor, scope=Ticket.objects.filter(talent=talent))
    else:
        role = _require_role(actor, STAFF_ROLES) if not _is_system(actor) else Role.ADMIN
        ticket = _locked(ticket, actor)
    workflow = ticket.workflow
    transition = workflow.transition(action)
    available = workflow.transitions_from(ticket.state)
    if transition is None or transition not in available:
        raise InvalidTransition(
            action=action, state=ticket.state, allowed=[t.action for t in available if t.allows(role)]
        )
    if not transition.allows(role):
        raise ActionForbidden()
    note = _clean_text(note, field="note", required=transition.comment_required, limit=MAX_BODY)
    if talent is not None and action == HAND_BACK_ACTION and not hand_back_ready(ticket.materials.all()):
        raise ValidationError({"action": [_("Some documents you were asked for are still missing.")]})
    data = {"notify_talent": transition.notify_talent}
    if requested is not None or action == REQUEST_ACTION:
        data["requested"] = materials_mark_requested(
            ticket=ticket, requested=requested or [], actor=actor, action=action)
    if transition.requires_materials:
        missing = ticket.materials.filter(required=True).exclude(status=MaterialStatus.RECEIVED)
        labels = [item.label for item in missing]
        if labels:
            raise ValidationError(
                {"materials": [_("Required materials missing: %(list)s.") % {"list": "; ".join(labels)}]}
            )

    now = clock.now()
    old_state, new_state = ticket.state, transition.target
    ticket.state = new_state
    target = workflow.state(new_state)
    if target.resolved:
        ticket.resolved_at = now
    elif not target.final:
        ticket.resolved_at = None  # reopened: the resolution clock runs again
    if target.final:
        ticket.closed_at = now
    _mark_first_response(ticket, actor=actor, now=now)

    sla_clock.sla_on_transition(ticket=ticket, old_state=old_state, new_state=new_state, now=now)
    _save(ticket, actor=actor, reason=transition.action if talent is None else f"{action} (talent)")
    event = _event(
        ticket,
        kind=EventKind.TRANSITION,
        actor=actor,
        by_talent=talent is not None,
        public=True,
        action=transition.action,
        body=note,
        from_state=old_state,
        to_state=new_state,
        data=data,
        created_at=now,
    )
    notify.notify_ticket_transition(ticket=ticket, event=event, transition=transition,
                                    by_talent=talent is not None)
    return event


@transaction.atomic
def ticket_comment(*, ticket: Ticket, actor, body: str, public: bool) -> TimelineEvent:
    """A public reply to the talent (counts as first response) or an internal note."""
    _require_role(actor, STAFF_ROLES)
    ticket = _locked(ticket, actor)
    body = _clean_text(body, field="body", required=True, limit=MAX_BODY)
    now = clock.now()
    if public and ticket.first_response_at is None:
        _mark_first_response(ticket, actor=actor, now=now)
        _save(ticket, actor=actor, reason=_("first response"))
    event = _event(
        ticket,
        kind=EventKind.COMMENT if public else EventKind.NOTE,
        actor=actor,
        public=public,
        body=body,
        created_at=now,
    )
    if public:
        notify.notify_ticket_reply(ticket=ticket, event=event)
    return event


@transaction.atomic
def ticket_access_code_reset(*, ticket: Ticket, actor) -> str:
    """Issue a new access code; the old code and every status link made before stop working."""
    _require_role(actor, STAFF_ROLES)
    ticket = _locked(ticket, actor)
    code = access.access_code_new()
    ticket.access_code_hash = access.access_code_hash(code)
    ticket.access_code_issued_at = clock.now()
    _save(ticket, actor=actor, reason=_("new access code"))
    _event(ticket, kind=EventKind.ACCESS, actor=actor, public=False, body=_("new access code issued"))
    return code


@transaction.atomic
def ticket_log(
    *, ticket: Ticket, kind: str, actor=None, public: bool, body: str = "", data: dict | None = None,
    by_talent: bool = False,
) -> TimelineEvent:
    """Record an event that changes nothing else on the ticket (a talent's reply, an
    upload, a reveal, an SLA warning). State and assignee change only through the
    services above."""
    if kind not in EventKind.values:
        raise ValidationError({"kind": [_("Unknown event kind “%(value)s”.") % {"value": kind}]})
    event = _event(ticket, kind=kind, actor=actor, public=public, body=body, data=data or {},
                   by_talent=by_talent)
    if by_talent:
        notify.notify_talent_acted(ticket=ticket, event=event)
    return event


@transaction.atomic
def ticket_set_priority(*, ticket: Ticket, priority: str, actor, reason: str = "",
                        expected_version: str | None = None) -> Ticket:
    """Change the priority (officers, supervisors, administrators, the system). With
    ``expected_version``, a ticket changed since the form was shown raises ``StaleVersion``.

    Recomputes the pending due times from the opening with the workflow's targets for the
    new priority plus the time the clock was paused (``sla.clock.sla_recompute``); records
    an internal SLA event with the old and new due times, and a history row.
    """
    if not _is_system(actor):
        _require_role(actor, PRIORITY_ROLES)
    ticket = _locked(ticket, actor)
    _check_version(ticket, expected_version)
    if priority not in Priority.values:
        raise ValidationError({"priority": [_("Unknown priority “%(value)s”.") % {"value": priority}]})
    if ticket.is_final:
        raise ValidationError({"priority": [_("The ticket is closed.")]})
    reason = _clean_text(reason, field="reason", required=False, limit=300)
    old = ticket.priority
    if old == priority:
        return ticket
    before = {"first_response_due": ticket.first_response_due, "resolution_due": ticket.resolution_due}
    ticket.priority = priority
    sla_clock.sla_recompute(ticket=ticket)
    _save(ticket, actor=actor, reason=reason or f"priority: {old} → {priority}")
    _event(
        ticket,
        kind=EventKind.SLA,
        actor=actor,
        public=False,
        action="priority",
        body=reason,
        data={
            "from": old,
            "to": priority,
            "before": {k: v.isoformat() if v else None for k, v in before.items()},
            "first_response_due": _iso(ticket.first_response_due),
            "resolution_due": _iso(ticket.resolution_due),
            "provisional": ticket.sla_provisional,
        },
    )
    return ticket


@transaction.atomic
def ticket_document_reveal(*, ticket: Ticket, actor, reason: str = "") -> str:
    """The talent's full document number, looked at for this ticket: recorded on the talent
    (``talents.services.talent_document_reveal``) and as an internal event on the ticket."""
    number = talent_document_reveal(talent=ticket.talent, actor=actor, reason=reason, ticket=ticket)
    ticket_log(ticket=ticket, kind=EventKind.REVEAL, actor=actor, public=False,
               body=reason.strip()[:200], data={"talent": ticket.talent_id})
    return number
