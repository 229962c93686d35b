"""Opening a ticket: the reference, the access code, the checklist, the first routing."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from core import clock
from core.errors import ActionForbidden, IdempotencyConflict
from flows.registry import current_workflows, workflow_pin
from sla import clock as sla_clock
from staff.models import Role
from staff.permissions import acting_role, home_centre_id
from talents.models import Talent
from talents.services import talent_create
from tickets import access, notify, permissions, routing
from tickets.models import (
    PRIORITY_RANK,
    Channel,
    EventKind,
    MaterialItem,
    MaterialStatus,
    Priority,
    ReferenceSequence,
    Ticket,
    TimelineEvent,
)
from tickets.services._base import (
    MAX_BODY,
    MAX_SUBJECT,
    _clean_text,
    _save,
)
from tickets.services.assignment import _assignment_event, _officer_assigned, _route_unsaved


@dataclass(frozen=True)
class OpenedTicket:
    ticket: Ticket
    access_code: str | None  # shown once; None when a repeated request returned the first ticket
    created: bool
    materials: tuple = ()  # the checklist as written by this opening (empty on a replay)


def _request_digest(*, talent, new_talent, category, channel, subject, description, priority,
                    window, centre, materials) -> str:
    """What a request asks for, as one SHA-256: THE definition of "the same request".

    Every field that decides the ticket counts, after the same normalisation the service
    applies (text stripped, materials as a set); the order and the spelling of the client's
    body do not. A known talent counts by id, a new one by the fields given for it."""
    canonical = {
        "talent": talent.pk if talent is not None else None,
        "new_talent": {k: str(v).strip() for k, v in sorted((new_talent or {}).items())},
        "category": category,
        "channel": channel,
        "subject": (subject or "").strip(),
        "description": (description or "").strip(),
        "priority": priority,
        "window": window.pk if window is not None else None,
        "centre": centre.pk if centre is not None else None,
        "materials": sorted(set(materials)),
    }
    text = json.dumps(canonical, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _replayed(*, actor, key: str, digest: str) -> Ticket | None:
    """The ticket ``actor`` already opened under ``key``, or None; ``IdempotencyConflict``
    when that ticket was opened by a different request."""
    existing = Ticket.objects.filter(created_by=actor, client_token=key).first()
    if existing is not None and existing.client_digest not in ("", digest):
        raise IdempotencyConflict()
    return existing


def _serialise_key(actor, key: str) -> None:
    """Make a parallel duplicate of an idempotent request wait for the first one.

    On PostgreSQL a transaction-scoped advisory lock on the (user, token) pair does it
    without serialising unrelated openings; SQLite serialises all writers anyway.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))",
                [f"ticket_open:{actor.pk}:{key}"],
            )


def _next_reference(year: int) -> str:
    """The next ``TD-<year>-NNNNNN``, in one statement.

    PostgreSQL: a sequence per year, which never blocks concurrent openings (a rolled
    back opening leaves a gap, as a numbered paper form that was torn up would). The
    sequence is made once, by the year's first opening: ``nextval(to_regclass(name))`` is
    NULL (not an error, which would abort the transaction) while it does not exist yet.
    Elsewhere: a counter row incremented inside the opening transaction
    (``UPDATE … RETURNING``), created by the year's first opening.
    """
    if connection.vendor == "postgresql":
        name = f"tickets_reference_{year:d}"
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(to_regclass(%s))", [name])
            number = cursor.fetchone()[0]
            if number is None:  # the year's first ticket
                cursor.execute(f'CREATE SEQUENCE IF NOT EXISTS "{name}"')
                cursor.execute("SELECT nextval(%s)", [name])
                number = cursor.fetchone()[0]
    else:
        table = connection.ops.quote_name(ReferenceSequence._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f'UPDATE {table} SET "last" = "last" + 1 WHERE "year" = %s RETURNING "last"',  # noqa: S608 - the table name is the model's
                           [year])
            row = cursor.fetchone()
        if row is None:  # the year's first ticket
            ReferenceSequence.objects.create(year=year, last=1)
            number = 1
        else:
            number = row[0]
    return f"TD-{year}-{number:06d}"


def _validate_open(*, actor, category, channel, priority, window, centre) -> None:
    errors: dict[str, list[str]] = {}
    if category not in current_workflows():
        errors["category"] = [_("Unknown category “%(value)s”.") % {"value": category}]
    if channel not in Channel.values:
        errors["channel"] = [_("Unknown channel “%(value)s”.") % {"value": channel}]
    if priority not in Priority.values:
        errors["priority"] = [_("Unknown priority “%(value)s”.") % {"value": priority}]
    if window is not None and not window.is_active:
        errors["window"] = [_("This window is closed.")]
    elif window is not None and (
        (centre is not None and window.centre_id != centre.pk)
        or (acting_role(actor) != Role.ADMIN and window.centre_id != home_centre_id(actor))
    ):
        errors["window"] = [_("This window belongs to another centre.")]
    elif window is not None and not permissions.opening_windows(actor).filter(pk=window.pk).exists():
        errors["window"] = [_("You do not serve at this window.")]
    elif window is None and centre is not None and not _may_open_in(actor, centre):
        errors["centre"] = [_("You cannot open tickets for another centre.")]
    if centre is None and window is None:
        errors["window"] = [_("Choose a window or a centre for this ticket.")]
    if errors:
        raise ValidationError(errors)


def _may_open_in(actor, centre) -> bool:
    return acting_role(actor) == Role.ADMIN or home_centre_id(actor) == centre.pk


@transaction.atomic
def ticket_open(
    *,
    actor,
    category: str,
    channel: str,
    subject: str,
    talent: Talent | None = None,
    new_talent: dict | None = None,
    description: str = "",
    priority: str = Priority.NORMAL,
    window=None,
    centre=None,
    materials_received: Iterable[str] = (),
    idempotency_key: str | None = None,
    note: dict | None = None,
    now=None,
) -> OpenedTicket:
    """Open a ticket for a known ``talent`` or a ``new_talent`` (the fields of
    ``talents.services.talent_create``, registered in the same transaction). Every way a
    ticket is opened — intake at a window, the hotline, the API, an online application —
    comes here.

    ``actor`` is the staff member opening it, or the system user for the online channel
    (then ``centre`` names the centre). Staff open at the windows
    ``tickets.permissions.opening_windows`` gives them; without a window, in their own
    centre, and routing picks the window.

    Validates every field (naming it; nothing is stored on a refusal), allocates the
    reference and a fresh access code, pins the workflow version, creates the materials
    checklist (ticking what was handed over), records the opening event, starts the SLA
    clock, routes the ticket and queues the notifications after commit.

    ``idempotency_key`` (per actor): the same key with the same request (same fields after
    normalisation, see ``_request_digest``) returns the first ticket with
    ``created=False`` and no access code; the same key with a different request raises
    ``IdempotencyConflict``. A request refused with a ``ValidationError`` does not use up
    its key.

    ``note`` (``{"body": …, "data": {…}}``): an internal timeline note written with the
    opening, e.g. the related tickets the opener was shown and opened anyway.
    """
    if not permissions.may_open_tickets(actor):
        raise ActionForbidden()
    if (talent is None) == (new_talent is None):
        raise ValidationError(
            {"talent": [_("Give either an existing talent or a new talent, not both.")]}
        )
    now = now or clock.now()
    if centre is None:
        centre = window.centre if window is not None else _home_centre(actor)
    received = set(materials_received)
    digest = ""
    if idempotency_key:
        digest = _request_digest(
            talent=talent, new_talent=new_talent, category=category, channel=channel,
            subject=subject, description=description, priority=priority, window=window,
            centre=centre, materials=received,
        )
        _serialise_key(actor, idempotency_key)
        existing = _replayed(actor=actor, key=idempotency_key, digest=digest)
        if existing is not None:
            return OpenedTicket(ticket=existing, access_code=None, created=False)
    fields = dict(
        actor=actor, talent=talent, new_talent=new_talent, category=category,
        channel=channel, subject=subject, description=description, priority=priority,
        window=window, centre=centre, received=received, key=idempotency_key,
        digest=digest, now=now, note=note,
    )
    # No savepoint for a parallel duplicate: it waited on the key's advisory lock
    # (PostgreSQL) or on the single writer (SQLite, BEGIN IMMEDIATE) until the first one
    # committed, and ``_replayed`` above found its ticket.
    return _open(**fields)


def _home_centre(actor):
    officer = getattr(actor, "officer", None)
    return officer.centre if officer is not None else None


def _open(*, actor, talent, new_talent, category, channel, subject, description, priority,
          window, centre, received, key, digest, now, note=None) -> OpenedTicket:
    _validate_open(
        actor=actor, category=category, channel=channel, priority=priority, window=window,
        centre=centre,
    )
    subject = _clean_text(subject, field="subject", required=True, limit=MAX_SUBJECT)
    description = _clean_text(description, field="description", required=False, limit=MAX_BODY)
    workflow = current_workflows()[category]
    unknown = received - {m.id for m in workflow.materials}
    if unknown:
        raise ValidationError(
            {"materials": [_("Unknown material “%(value)s”.") % {"value": sorted(unknown)[0]}]}
        )
    if new_talent is not None:
        # Its errors name the talent's own fields (``document_number``, ``latin_name``); a
        # workflow without ``identity_required`` (a question) takes a caller's name and phone.
        talent = talent_create(actor=actor, identity=workflow.identity_required, **new_talent)
    elif workflow.identity_required and not talent.has_identity:
        raise ValidationError({"talent": [_(
            "This request needs the talent's nationality (region) and document: complete the "
            "talent's record first.")]})

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
        client_token=key or None,
        client_digest=digest,
        created_at=now,
    )
    sla_clock.sla_start(ticket=ticket, now=now)
    # Routed before the first write, so the ticket is inserted once with its holder; its
    # one history row (created) carries the routing reason naming the officer.
    decision = routing.routing_decide(ticket=ticket)
    _route_unsaved(ticket, decision)
    _save(ticket, actor=actor, reason=decision.reason)
    _officer_assigned(decision.officer, now)

    # One INSERT per kind of row, each with its history rows in one more.
    items = [
        MaterialItem(
            ticket=ticket,
            material_id=material.id,
            label_zh=material.label.zh,
            label_en=material.label.en,
            required=material.required,
            status=MaterialStatus.RECEIVED if material.id in received else MaterialStatus.PENDING,
        )
        for material in workflow.materials
    ]
    if items:
        bulk_create_with_history(items, MaterialItem, default_user=actor, default_date=now)
    opened_event = TimelineEvent(
        ticket=ticket, kind=EventKind.OPENED, actor=actor, public=True, to_state=ticket.state,
        data={"channel": channel, "materials_received": sorted(received),
              **({"fast_track": rule.id} if rule is not None else {})},
        created_at=now,
    )
    routed_event = _assignment_event(ticket, previous=None, officer=decision.officer, actor=actor,
                                     reason=decision.reason, now=now,
                                     data={"routing": decision.data})
    events = [opened_event, routed_event]
    if note:
        events.append(TimelineEvent(ticket=ticket, kind=EventKind.NOTE, actor=actor, public=False,
                                    body=note.get("body", ""), data=note.get("data", {}),
                                    created_at=now))
    bulk_create_with_history(events, TimelineEvent, default_user=actor, default_date=now)
    # No printed receipt online: the talent's message carries the access code.
    notify.notify_ticket_opened(ticket=ticket, access_code=code if channel == Channel.ONLINE else None)
    notify.notify_routing(ticket=ticket, decision=decision, event=routed_event)
    notify.notify_supervisors_of_opening(ticket=ticket)
    ticket.routing_decision = decision
    return OpenedTicket(ticket=ticket, access_code=code, created=True, materials=tuple(items))
