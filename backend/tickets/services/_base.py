"""Helpers shared by the ticket services: role checks, the row lock, saving with history
and writing timeline events. Not for use outside ``tickets.services``."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from core import clock
from core.errors import ActionForbidden, StaleVersion
from sla import clock as sla_clock
from staff.models import role_of
from staff.permissions import STAFF_ROLES
from staff.permissions import is_system as _is_system
from tickets.models import Ticket, TimelineEvent

MAX_SUBJECT = 200
MAX_BODY = 5000


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


def _check_version(ticket: Ticket, expected: str | None) -> None:
    """Refuse a change made on an older version of the (locked) ticket."""
    if expected is not None and str(expected) != ticket.version:
        raise StaleVersion()


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


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None
