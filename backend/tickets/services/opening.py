"""Opening a ticket: the reference, the access code, the checklist, the first routing."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import clock
from core.errors import IdempotencyConflict
from flows.registry import current_workflows, workflow_pin
from notifications import events as notify
from sla import clock as sla_clock
from talents.models import Talent
from tickets import access, routing
from tickets.models import (
    PRIORITY_RANK,
    Channel,
    EventKind,
    MaterialItem,
    MaterialStatus,
    Priority,
    ReferenceSequence,
    Ticket,
)
from tickets.services._base import (
    MAX_BODY,
    MAX_SUBJECT,
    STAFF_ROLES,
    _clean_text,
    _event,
    _require_role,
    _save,
)
from tickets.services.assignment import _apply_routing


@dataclass(frozen=True)
class OpenedTicket:
    ticket: Ticket
    access_code: str | None  # shown once; None when a repeated request returned the first ticket
    created: bool


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

    # Fast track: the workflow's rule for the talent's tier or key industry shortens the
    # targets and may raise the priority (never lowers it); the rule is the stated reason.
    rule = workflow.fast_track_for(tier=talent.tier, key_industry=talent.key_industry)
    if rule is not None and rule.priority and PRIORITY_RANK[rule.priority] > PRIORITY_RANK[priority]:
        priority = rule.priority

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
        fast_track=rule.id if rule is not None else "",
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
        data={"channel": channel, "materials_received": sorted(received),
              **({"fast_track": rule.id} if rule is not None else {})},
        created_at=now,
    )
    notify.notify_ticket_opened(ticket=ticket)

    decision = routing.routing_decide(ticket=ticket)
    _apply_routing(ticket, decision, actor=actor, now=now)
    return OpenedTicket(ticket=ticket, access_code=code, created=True)
