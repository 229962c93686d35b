"""Talent services: registration, profile changes, the scoped search and the audited
looks at sensitive data (document reveals, attachment downloads, document searches)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import clock
from core.errors import ActionForbidden
from staff.models import role_of
from staff.permissions import STAFF_ROLES, acting_role
from talents.models import (
    CALLER_FIELDS,
    IDENTITY_FIELDS,
    MISSING_FIELD,
    AccessKind,
    DocumentReveal,
    Language,
    SensitiveAccess,
    Talent,
    language_from,
    mask_document_number,
    missing_fields,
    normalise_document_number,
    normalise_name,
    origin_from,
)
from talents.permissions import (
    CONTACT_FIELDS,
    centre_of,
    may_be_dedicated_officer,
    may_change_contact,
    may_see_talent,
)

EARLIEST_BIRTH = date(1900, 1, 1)
EDITABLE_FIELDS = (
    "native_name", "latin_name", "nationality", "document_type", "document_number", "birth_date", "phone",
    "email", "preferred_language", "origin", "tier", "employer", "key_industry", "dedicated_officer",
)


def _require_staff(actor) -> None:
    """Staff register and edit talents; so does the system (online applications)."""
    if acting_role(actor) not in STAFF_ROLES:
        raise ActionForbidden()


def _validated_save(talent: Talent, *, actor, reason: str, identity: bool = True) -> Talent:
    talent.native_name = normalise_name(talent.native_name)
    talent.latin_name = normalise_name(talent.latin_name)
    talent.document_number = normalise_document_number(talent.document_number)
    talent.nationality = (talent.nationality or "").strip().upper()
    if not talent.origin and talent.nationality:
        talent.origin = origin_from(talent.nationality)
    errors: dict[str, list[str]] = {
        name: [MISSING_FIELD[name]] for name in missing_fields(
            {name: getattr(talent, name) for name in IDENTITY_FIELDS + CALLER_FIELDS}, identity=identity)
    }
    if not talent.native_name and not talent.latin_name:
        errors["latin_name"] = [_("Give the name in Latin script, native script or both.")]
    if talent.birth_date is not None and not (EARLIEST_BIRTH <= talent.birth_date <= timezone.localdate(clock.now())):
        errors["birth_date"] = [_("Give a birth date between 1900-01-01 and today.")]
    if not may_be_dedicated_officer(talent.dedicated_officer, talent):
        errors["dedicated_officer"] = [
            _("The dedicated officer must work at the talent's home centre.")
        ]
    try:
        # The database checks the constraints below, where a duplicate document is named on
        # its field; full_clean would report it for the model as a whole ("__all__").
        talent.full_clean(
            exclude=[*errors, *(["native_name"] if "latin_name" in errors else [])] or None,
            validate_constraints=False,
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
def talent_create(*, actor, identity: bool = True, **fields) -> Talent:
    """Register a talent. Every field is validated and named on error; nothing half-saved.
    With ``identity`` False (a caller's question) a name and a phone are enough; else the
    nationality (region) and the document are required (``talents.models.required_fields``).
    Without a preferred language, the talent's is the one its nationality (region)
    suggests (``talents.models.language_from``)."""
    _require_staff(actor)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({name: [_("Unknown field.")] for name in sorted(unknown)})
    if not fields.get("preferred_language"):
        # a caller without a nationality on record is written to in the centre's language
        fields["preferred_language"] = (language_from(fields["nationality"]) if fields.get("nationality")
                                        else Language.ZH)
    talent = Talent(**fields, centre_id=centre_of(actor))
    return _validated_save(talent, actor=actor, reason=_("registered"), identity=identity)


@transaction.atomic
def talent_update(*, talent: Talent, actor, reason: str = "", **fields) -> Talent:
    """Change a talent in the actor's scope. Another centre's talent's phone and e-mail
    (where status links go) are changed only by a supervisor; a dedicated officer must
    work at the talent's home centre."""
    _require_staff(actor)
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({name: [_("Unknown field.")] for name in sorted(unknown)})
    if not may_see_talent(actor, talent):
        raise ActionForbidden(_("This talent is not in your scope."))
    talent = Talent.objects.select_for_update().get(pk=talent.pk)
    had_identity = talent.has_identity
    changed_contact = {
        name for name in CONTACT_FIELDS & set(fields)
        if (fields[name] or "") != getattr(talent, name)
    }
    if changed_contact and not may_change_contact(actor, talent):
        raise ActionForbidden(
            _("Only a supervisor may change the contact details of another centre's talent.")
        )
    for name, value in fields.items():
        setattr(talent, name, value)
    return _validated_save(talent, actor=actor, reason=reason or _("profile updated"),
                          identity=had_identity or any(fields.get(n) for n in IDENTITY_FIELDS))


@transaction.atomic
def talent_document_reveal(*, talent: Talent, actor, reason: str = "", ticket=None) -> str:
    """Return the full document number and record who saw it, when and why (and for which
    ticket: ``tickets.services.ticket_document_reveal`` also puts it on the ticket's timeline)."""
    _require_staff(actor)
    reason = (reason or "").strip()[:200]
    if not reason:
        raise ValidationError({"reason": [_("Say why you need the full number.")]})
    reveal = DocumentReveal(talent=talent, user=actor, ticket=ticket, reason=reason,
                            created_at=clock.now())
    reveal._history_user = actor
    reveal.save()
    sensitive_access_record(kind=AccessKind.REVEAL, actor=actor, talent=talent, ticket=ticket,
                            detail=reason)
    return talent.document_number


def sensitive_access_record(*, kind: str, actor, talent: Talent, ticket=None,
                            detail: str = "") -> SensitiveAccess:
    """Write one row of the sensitive-access log that supervisors read."""
    return SensitiveAccess.objects.create(
        kind=kind, user=actor, centre_id=centre_of(actor), talent=talent, ticket=ticket,
        detail=(detail or "")[:200], created_at=clock.now(),
    )


def talent_search(*, actor, text: str, presented: bool = True):
    """The talent directory's search: names and phone within the actor's scope; a document
    number within the scope by its whole number or its last four characters, and outside
    the scope only by its whole number (a walk-in showing the document) — unless
    ``presented`` is False (the top-bar search: strictly the actor's directory).

    Side effect: every talent found by document number is written to the sensitive-access
    log (a text that matched nobody's document records nothing). Returns a queryset.
    """
    text = normalise_name(text)
    if role_of(actor) not in STAFF_ROLES or not text:
        return Talent.objects.none()
    number = normalise_document_number(text)
    in_scope = models.Q(pk__in=Talent.objects.visible_to(actor).search(text).values("pk"))
    found = Talent.objects.filter(in_scope | models.Q(document_number=number) if presented else in_scope)
    by_document = list(
        found.filter(Talent.objects.document_match(text)).only("pk", "document_number")
    )
    for talent in by_document:
        sensitive_access_record(
            kind=AccessKind.DOCUMENT_SEARCH, actor=actor, talent=talent,
            detail=mask_document_number(talent.document_number)
            if len(number) > 4 else f"…{number}",
        )
    return found
