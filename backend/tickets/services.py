"""Lifecycle services: the only way to change a ticket.

Each service is atomic, locks the ticket row, checks the actor's role and scope, writes
a timeline event and a history row that carries the acting user and a reason, and
defers side effects until after commit. Forms, the API, the admin and tasks all call
these functions; nothing else assigns ``Ticket.state`` or ``Ticket.assignee``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import clock
from flows.registry import current_workflows, workflow_pin
from notifications import events as notify
from sla import clock as sla_clock
from staff import routing
from staff.models import Officer, Role, role_of
from talents.models import Talent
from tickets import access
from tickets.errors import ActionForbidden, ClaimConflict, IdempotencyConflict, InvalidTransition
from tickets.models import (
    Channel,
    EventKind,
    MaterialItem,
    MaterialStatus,
    Priority,
    ReferenceSequence,
    Ticket,
    TimelineEvent,
)

STAFF_ROLES = {Role.WINDOW_STAFF, Role.OFFICER, Role.SUPERVISOR, Role.ADMIN}
MAX_SUBJECT = 200
MAX_BODY = 5000


@dataclass(frozen=True)
class OpenedTicket:
    ticket: Ticket
    access_code: str | None  # shown once; None when a repeated request returned the first ticket
    created: bool


# --- helpers shared by the services -------------------------------------------------------


def _require_role(actor, roles: Iterable[str]) -> str:
    role = role_of(actor)
    if role not in roles:
        raise ActionForbidden()
    return role


def _locked(ticket: Ticket, actor, scope=None) -> Ticket:
    """Re-read the ticket under a row lock, within the actor's scope (404-like if outside)."""
    if scope is None:
        scope = Ticket.objects.all() if _is_system(actor) else Ticket.objects.visible_to(actor)
    locked = scope.select_for_update().filter(pk=ticket.pk).first()
    if locked is None:
        raise ActionForbidden(_("This ticket is not in your scope."))
    return locked


def _is_system(actor) -> bool:
    from django.conf import settings

    return getattr(actor, "username", None) == settings.TALENTDESK_SYSTEM_USERNAME


def _save(ticket: Ticket, *, actor, reason: str) -> None:
    ticket._history_user = actor
    ticket._history_date = clock.now()
    ticket._change_reason = reason[:100]
    ticket.save()


def _event(ticket: Ticket, *, kind: str, actor, public: bool, **fields) -> TimelineEvent:
    event = TimelineEvent(
        ticket=ticket,
        kind=kind,
        actor=actor,
        public=public,
        created_at=fields.pop("created_at", None) or clock.now(),
        **fields,
    )
    event._history_user = actor
    event._history_date = event.created_at
    event.save()
    return event


def _clean_text(value: str | None, *, field: str, required: bool, limit: int) -> str:
    text = (value or "").strip()
    if required and not text:
        raise ValidationError({field: [_("This field is required.")]})
    if len(text) > limit:
        raise ValidationError(
            {field: [_("Ensure this field has at most %(limit)d characters.") % {"limit": limit}]}
        )
    return text


def _mark_first_response(ticket: Ticket, *, actor, now) -> None:
    if actor is None:
        return
    if ticket.first_response_at is None and role_of(actor) in STAFF_ROLES and not _is_system(actor):
        ticket.first_response_at = now
        sla_clock.sla_record_first_response(ticket=ticket, now=now)


# --- opening --------------------------------------------------------------------------------


def ticket_replayed(*, actor, client_token: str, client_digest: str = "") -> Ticket | None:
    """The ticket ``actor`` already opened under ``client_token`` (a repeated request), or
    None. Raises ``IdempotencyConflict`` when that ticket came from a different request
    (both digests known and different). Used by ``ticket_open`` and by callers that must
    recognise a repeat before doing other work (the API registering a new talent)."""
    existing = Ticket.objects.filter(created_by=actor, client_token=client_token).first()
    if existing is not None and client_digest and existing.client_digest not in ("", client_digest):
        raise IdempotencyConflict()
    return existing


def _serialise_client_token(actor, client_token: str) -> None:
    """Make a parallel duplicate of an idempotent request wait for the first one.

    On PostgreSQL a transaction-scoped advisory lock on the (user, token) pair does it
    without serialising unrelated openings; SQLite serialises all writers anyway.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))",
                [f"ticket_open:{actor.pk}:{client_token}"],
            )


def _next_reference(year: int) -> str:
    """The next ``TD-<year>-NNNNNN``.

    PostgreSQL: a sequence per year, which never blocks concurrent openings (a rolled
    back opening leaves a gap, as a numbered paper form that was torn up would).
    Elsewhere: a counter row updated inside the opening transaction.
    """
    if connection.vendor == "postgresql":
        name = f"tickets_reference_{year:d}"
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE SEQUENCE IF NOT EXISTS "{name}"')
            cursor.execute("SELECT nextval(%s)", [name])
            number = cursor.fetchone()[0]
    else:
        ReferenceSequence.objects.get_or_create(year=year)
        sequence = ReferenceSequence.objects.select_for_update().get(year=year)
        sequence.last += 1
        sequence.save(update_fields=["last"])
        number = sequence.last
    return f"TD-{year}-{number:06d}"


def _validate_open(*, category, channel, priority, window, centre, actor) -> None:
    errors: dict[str, list[str]] = {}
    if category not in current_workflows():
        errors["category"] = [_("Unknown category “%(value)s”.") % {"value": category}]
    if channel not in Channel.values:
        errors["channel"] = [_("Unknown channel “%(value)s”.") % {"value": channel}]
    if priority not in Priority.values:
        errors["priority"] = [_("Unknown priority “%(value)s”.") % {"value": priority}]
    if window is not None and not window.is_active:
        errors["window"] = [_("This window is closed.")]
    elif window is not None and centre is not None and window.centre_id != centre.pk:
        errors["window"] = [_("This window belongs to another centre.")]
    if centre is None and window is None:
        errors["window"] = [_("Choose a window or a centre for this ticket.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def ticket_open(
    *,
    actor,
    talent: Talent,
    category: str,
    channel: str,
    subject: str,
    description: str = "",
    priority: str = Priority.NORMAL,
    window=None,
    centre=None,
    materials_received: Iterable[str] = (),
    client_token: str | None = None,
    client_digest: str = "",
    now=None,
) -> OpenedTicket:
    """Open a ticket for a talent.

    Validates every field (naming it), allocates the reference and a fresh access code,
    pins the workflow version, creates the materials checklist (ticking what was handed
    over), records the opening event, starts the SLA clock and routes the ticket.
    With ``client_token``, a repeated request returns the first ticket instead of a
    second one (``created=False``); a different request under the same token raises
    ``IdempotencyConflict``.
    """
    _require_role(actor, STAFF_ROLES)
    now = now or clock.now()
    if client_token:
        _serialise_client_token(actor, client_token)
        existing = ticket_replayed(actor=actor, client_token=client_token, client_digest=client_digest)
        if existing is not None:
            return OpenedTicket(ticket=existing, access_code=None, created=False)

    officer = getattr(actor, "officer", None)
    if centre is None:
        centre = window.centre if window is not None else getattr(officer, "centre", None)
    _validate_open(
        category=category, channel=channel, priority=priority, window=window, centre=centre, actor=actor
    )
    subject = _clean_text(subject, field="subject", required=True, limit=MAX_SUBJECT)
    description = _clean_text(description, field="description", required=False, limit=MAX_BODY)
    workflow = current_workflows()[category]
    received = set(materials_received)
    unknown = received - {m.id for m in workflow.materials}
    if unknown:
        raise ValidationError(
            {"materials": [_("Unknown material “%(value)s”.") % {"value": sorted(unknown)[0]}]}
        )

    code = access.access_code_new()
    workflow_pin(workflow)
    ticket = Ticket(
        reference=_next_reference(timezone.localtime(now).year),
        access_code_hash=access.access_code_hash(code),
        access_code_issued_at=now,
        talent=talent,
        centre=centre,
        window=window,
        category=category,
        workflow_version=workflow.version,
        state=workflow.initial_state.id,
        channel=channel,
        priority=priority,
        subject=subject,
        description=description,
        created_by=actor,
        client_token=client_token or None,
        client_digest=client_digest,
        created_at=now,
    )
    sla_clock.sla_start(ticket=ticket, now=now)
    _save(ticket, actor=actor, reason=_("opened"))
    for material in workflow.materials:
        item = MaterialItem(
            ticket=ticket,
            material_id=material.id,
            label_zh=material.label.zh,
            label_en=material.label.en,
            required=material.required,
            status=MaterialStatus.RECEIVED if material.id in received else MaterialStatus.PENDING,
        )
        item._history_user = actor
        item._history_date = now
        item.save()
    _event(
        ticket,
        kind=EventKind.OPENED,
        actor=actor,
        public=True,
        to_state=ticket.state,
        data={"channel": channel, "materials_received": sorted(received)},
        created_at=now,
    )
    notify.notify_ticket_opened(ticket=ticket)

    decision = routing.routing_decide(ticket=ticket)
    _apply_routing(ticket, decision, actor=actor, now=now)
    return OpenedTicket(ticket=ticket, access_code=code, created=True)


# --- assignment -----------------------------------------------------------------------------


def _apply_assignment(
    ticket: Ticket, *, officer: Officer | None, actor, reason: str, now, data: dict | None = None
) -> TimelineEvent:
    previous = ticket.assignee
    ticket.assignee = officer
    _save(ticket, actor=actor, reason=reason)
    if officer is not None:
        officer.last_assigned_at = now
        officer.save(update_fields=["last_assigned_at"])
    return _event(
        ticket,
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


@transaction.atomic
def ticket_assign(*, ticket: Ticket, officer: Officer | None, actor, reason: str = "") -> Ticket:
    """Give the ticket to ``officer`` (or back to the queue with None). Supervisors only."""
    if not _is_system(actor):
        _require_role(actor, {Role.SUPERVISOR, Role.ADMIN})
    ticket = _locked(ticket, actor)
    crosses_centre = officer is not None and officer.centre_id != ticket.centre_id
    if crosses_centre and role_of(actor) != Role.ADMIN and not _is_system(actor):
        raise ValidationError({"assignee": [_("This officer works at another centre.")]})
    if officer is not None and officer.role not in (Role.OFFICER, Role.SUPERVISOR):
        raise ValidationError({"assignee": [_("Only officers and supervisors can hold tickets.")]})
    if ticket.is_final:
        raise ValidationError({"assignee": [_("A closed ticket cannot be reassigned.")]})
    reason = reason.strip() or (
        _("assigned to %(name)s") % {"name": officer.display_name} if officer else _("returned to the queue")
    )
    _apply_assignment(ticket, officer=officer, actor=actor, reason=reason, now=clock.now())
    return ticket


@transaction.atomic
def ticket_claim(*, ticket: Ticket, actor) -> Ticket:
    """Take an unassigned ticket. Of two officers claiming at once exactly one wins;
    the other gets ``ClaimConflict`` naming the holder."""
    _require_role(actor, {Role.OFFICER, Role.SUPERVISOR})
    ticket = _locked(ticket, actor, scope=Ticket.objects.claimable_by(actor))
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


# --- the workflow ---------------------------------------------------------------------------


@transaction.atomic
def ticket_transition(
    *, ticket: Ticket, action: str, actor=None, note: str = "", talent: Talent | None = None
) -> TimelineEvent:
    """Apply a workflow action, by a staff ``actor`` or by the ticket's own ``talent``.

    Locks the ticket; the action must exist from the current state in the pinned
    workflow (else ``InvalidTransition`` naming the state and allowed actions) and be
    allowed to the actor's role (else ``ActionForbidden``); a required comment and the
    required materials are enforced. Records the event and a history row with the
    action as reason, and moves the SLA clock (pause, resume, response, resolution).
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
        data={"notify_talent": transition.notify_talent},
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
def material_update(
    *, material: MaterialItem, actor=None, status: str, reason: str = "", talent: Talent | None = None
) -> MaterialItem:
    """Mark a material received, rejected (a reason is required) or pending again.

    With ``talent`` (an upload on the portal) only the ticket's own talent may act and only
    to mark it received; staff can still reject it with a reason."""
    if talent is not None:
        if status != MaterialStatus.RECEIVED:
            raise ActionForbidden()
        ticket = _locked(material.ticket, None, scope=Ticket.objects.filter(talent=talent))
    else:
        _require_role(actor, STAFF_ROLES)
        ticket = _locked(material.ticket, actor)
    if ticket.is_final:
        raise ValidationError({"status": [_("The ticket is closed.")]})
    if status not in MaterialStatus.values:
        raise ValidationError({"status": [_("Unknown status “%(value)s”.") % {"value": status}]})
    reason = _clean_text(
        reason, field="reason", required=status == MaterialStatus.REJECTED, limit=300
    )
    material = MaterialItem.objects.select_for_update().get(pk=material.pk, ticket=ticket)
    old_status = material.status
    material.status = status
    material.reason = reason if status == MaterialStatus.REJECTED else ""
    material._history_user = actor
    material._change_reason = f"{old_status} → {status}"
    material._history_date = clock.now()
    material.save()
    _event(
        ticket,
        kind=EventKind.MATERIAL,
        actor=actor,
        by_talent=talent is not None,
        public=True,
        body=reason,
        data={"material": material.material_id, "from": old_status, "to": status},
    )
    return material


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


# Who may change a ticket's priority (pages read it to show the control only to them).
PRIORITY_ROLES = frozenset({Role.OFFICER, Role.SUPERVISOR, Role.ADMIN})


@transaction.atomic
def ticket_set_priority(*, ticket: Ticket, priority: str, actor, reason: str = "") -> Ticket:
    """Change the priority (officers, supervisors, administrators, the system).

    Recomputes the pending due times from the opening with the workflow's targets for the
    new priority plus the time the clock was paused (``sla.clock.sla_recompute``); records
    an internal SLA event with the old and new due times, and a history row.
    """
    if not _is_system(actor):
        _require_role(actor, PRIORITY_ROLES)
    ticket = _locked(ticket, actor)
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


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None
