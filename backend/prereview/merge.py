"""Duplicate talent records (数据比对 across records) and the supervisors' merge.

``duplicate_pairs`` flags records that are probably one person: the same document number
under another document type (the number compared without spaces, dashes or case). The
record has no birth date, so the name + birth date + nationality rule cannot run here.
``talent_merge`` moves every ticket (and the reveals and messages) of the duplicate to the
survivor, each ticket with a history row and an internal timeline note, deletes the
duplicate with a final history row giving the reason, and keeps a ``TalentMerge`` row.
There is no un-merge: the record of the merge is permanent.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Value
from django.db.models.functions import Replace, Upper
from django.utils.translation import gettext as _

from core import clock
from core.errors import ActionForbidden
from notifications.models import OutboxMessage
from prereview.models import TalentMerge
from staff.models import role_of
from staff.permissions import SUPERVISING_ROLES
from talents.models import DocumentReveal, Talent
from tickets.models import EventKind, Ticket
from tickets.services import ticket_log

MAX_REASON = 300


def may_merge(user) -> bool:
    return role_of(user) in SUPERVISING_ROLES


@dataclass(frozen=True)
class DuplicatePair:
    first: Talent
    second: Talent
    rule: str  # "document_number"


def _number_key():
    key = Upper(F("document_number"))
    for char in (" ", "-", "/"):
        key = Replace(key, Value(char), Value(""))
    return key


def duplicate_pairs(*, user, limit: int = 100) -> list[DuplicatePair]:
    """Records sharing a document number under different document types, oldest first,
    among the talents ``user`` may see."""
    scope = Talent.objects.visible_to(user)
    rows = list(
        scope.annotate(number_key=_number_key())
        .filter(number_key__in=scope.annotate(k=_number_key()).values("k")
                .annotate(n=Count("id")).filter(n__gt=1).values("k"))
        .order_by("number_key", "id")[: limit * 4]
    )
    pairs: list[DuplicatePair] = []
    for index, talent in enumerate(rows):
        for other in rows[index + 1:]:
            if other.number_key != talent.number_key:
                break
            if other.document_type != talent.document_type:
                pairs.append(DuplicatePair(first=talent, second=other, rule="document_number"))
    return pairs[:limit]


@transaction.atomic
def talent_merge(*, survivor: Talent, duplicate: Talent, actor, reason: str) -> TalentMerge:
    """Merge ``duplicate`` into ``survivor`` (supervisors and administrators only)."""
    if not may_merge(actor):
        raise ActionForbidden()
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why these two records are the same person.")]})
    if len(reason) > MAX_REASON:
        raise ValidationError({"reason": [_("Please keep the reason under %(limit)d characters.") % {"limit": MAX_REASON}]})
    if survivor.pk == duplicate.pk:
        raise ValidationError({"duplicate": [_("A record cannot be merged into itself.")]})
    visible = list(Talent.objects.visible_to(actor).filter(pk__in=[survivor.pk, duplicate.pk])
                   .values_list("pk", flat=True))
    # Locked without the scope's joins (PostgreSQL locks no row of an outer join).
    locked = {t.pk: t for t in Talent.objects.select_for_update().filter(pk__in=visible)}
    if len(locked) != 2:
        raise ValidationError({"duplicate": [_("One of the two records no longer exists.")]})
    survivor, duplicate = locked[survivor.pk], locked[duplicate.pk]
    now = clock.now()
    moved = []
    for ticket in Ticket.objects.select_for_update().filter(talent=duplicate).order_by("created_at", "id"):
        ticket.talent = survivor
        ticket._history_user = actor
        ticket._history_date = now
        ticket._change_reason = f"talent merged: {duplicate.pk} → {survivor.pk}"[:100]
        ticket.save(update_fields=["talent", "updated_at"])
        ticket_log(ticket=ticket, kind=EventKind.NOTE, actor=actor, public=False, body=reason,
                   data={"merged_talent": duplicate.pk, "into": survivor.pk})
        moved.append(ticket.reference)
    for reveal in DocumentReveal.objects.filter(talent=duplicate):
        reveal.talent = survivor
        reveal._history_user = actor
        reveal._change_reason = "talent merged"
        reveal.save(update_fields=["talent"])
    OutboxMessage.objects.filter(talent=duplicate).update(talent=survivor)
    record = TalentMerge.objects.create(
        survivor=survivor, merged_talent_id=duplicate.pk,
        merged={"native_name": duplicate.native_name, "latin_name": duplicate.latin_name,
                "nationality": duplicate.nationality, "document_type": duplicate.document_type,
                "document_number": duplicate.masked_document},
        tickets=moved, reason=reason, actor=actor, created_at=now,
    )
    duplicate._history_user = actor
    duplicate._history_date = now
    duplicate._change_reason = f"merged into {survivor.pk}: {reason}"[:100]
    duplicate.delete()
    return record
