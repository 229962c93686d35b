"""Talent services: registration, profile changes and the audited document reveal."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core import clock
from core.errors import ActionForbidden
from staff.models import Role, role_of
from talents.models import DocumentReveal, Talent

EDITABLE_FIELDS = (
    "native_name", "latin_name", "nationality", "document_type", "document_number", "phone",
    "email", "preferred_language", "tier", "employer", "key_industry", "dedicated_officer",
)
STAFF_ROLES = {Role.WINDOW_STAFF, Role.OFFICER, Role.SUPERVISOR, Role.ADMIN}


def _require_staff(actor) -> None:
    if role_of(actor) not in STAFF_ROLES:
        raise ActionForbidden()


def _validated_save(talent: Talent, *, actor, reason: str) -> Talent:
    talent.native_name = (talent.native_name or "").strip()
    talent.latin_name = (talent.latin_name or "").strip()
    talent.document_number = (talent.document_number or "").strip().upper()
    talent.nationality = (talent.nationality or "").strip().upper()
    errors: dict[str, list[str]] = {}
    if not talent.native_name and not talent.latin_name:
        errors["latin_name"] = [_("Give the name in Latin script, native script or both.")]
    try:
        # The database checks the constraints below, where a duplicate document is named on
        # its field; full_clean would report it for the model as a whole ("__all__").
        talent.full_clean(
            exclude=["native_name", "latin_name"] if errors else None, validate_constraints=False
        )
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    talent._history_user = actor
    talent._history_date = clock.now()
    talent._change_reason = reason
    try:
        with transaction.atomic():
            talent.save()
    except IntegrityError:
        raise ValidationError(
            {"document_number": [_("A talent with this document is already registered.")]}
        ) from None
    return talent


@transaction.atomic
def talent_create(*, actor, **fields) -> Talent:
    """Register a talent. Every field is validated and named on error; nothing half-saved."""
    _require_staff(actor)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({name: [_("Unknown field.")] for name in sorted(unknown)})
    return _validated_save(Talent(**fields), actor=actor, reason=_("registered"))


@transaction.atomic
def talent_update(*, talent: Talent, actor, reason: str = "", **fields) -> Talent:
    _require_staff(actor)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({name: [_("Unknown field.")] for name in sorted(unknown)})
    talent = Talent.objects.select_for_update().get(pk=talent.pk)
    for name, value in fields.items():
        setattr(talent, name, value)
    return _validated_save(talent, actor=actor, reason=reason or _("profile updated"))


@transaction.atomic
def talent_document_reveal(*, talent: Talent, actor, reason: str = "", ticket=None) -> str:
    """Return the full document number and record who saw it, when and why."""
    _require_staff(actor)
    reveal = DocumentReveal(talent=talent, user=actor, ticket=ticket, reason=reason.strip()[:200],
                            created_at=clock.now())
    reveal._history_user = actor
    reveal.save()
    if ticket is not None:
        from tickets.models import EventKind
        from tickets.services import ticket_log

        ticket_log(ticket=ticket, kind=EventKind.REVEAL, actor=actor, public=False,
                   body=reveal.reason, data={"talent": talent.pk})
    return talent.document_number
