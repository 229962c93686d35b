"""Duplicate talent records (数据比对 across records) and the supervisors' merge.

``duplicate_pairs`` flags records that are probably one person, by two rules: the same
document number under another document type (the number compared without spaces, dashes
or case), and the same name (native or Latin script, compared without case or spaces),
birth date and nationality.
``talent_merge`` moves every ticket (and the reveals and messages) of the duplicate to the
survivor, each ticket with a history row and an internal timeline note, deletes the
duplicate with a final history row giving the reason, and keeps a ``TalentMerge`` row.
There is no un-merge: the record of the merge is permanent.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Q, Value
from django.db.models.functions import Replace, Upper
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

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
    rule: str  # "document_number" or "name_birth_nationality"

    @property
    def rule_label(self) -> str:
        return RULE_LABELS[self.rule]


RULE_LABELS = {
    "document_number": _lazy("the same document number under another document type"),
    "name_birth_nationality": _lazy("the same name, birth date and nationality"),
}


def _number_key():
    key = Upper(F("document_number"))
    for char in (" ", "-", "/"):
        key = Replace(key, Value(char), Value(""))
    return key


def duplicate_pairs(*, user, limit: int = 100) -> list[DuplicatePair]:
    """Pairs of records that are probably one person, among the talents ``user`` may see:
    first by document number, then by name, birth date and nationality (a pair found by
    both rules is listed once, under the first)."""
    scope = Talent.objects.visible_to(user)
    pairs = _same_number_pairs(scope, limit)
    seen = {(pair.first.pk, pair.second.pk) for pair in pairs}
    for pair in _same_person_pairs(scope, limit):
        if (pair.first.pk, pair.second.pk) not in seen:
            pairs.append(pair)
    return pairs[:limit]


def number_key(number: str) -> str:
    """The document number as the duplicate rule compares it (``_number_key`` in Python)."""
    text = (number or "").upper()
    for char in (" ", "-", "/"):
        text = text.replace(char, "")
    return text


def duplicates_of(talent: Talent) -> list[DuplicatePair]:
    """The pairs one record makes with the other records of its centre, by either rule
    (the pair ordered by id, as on the duplicates page)."""
    scope = Talent.objects.filter(centre_id=talent.centre_id).exclude(pk=talent.pk)
    found: dict[int, DuplicatePair] = {}

    def pair(other: Talent, rule: str) -> DuplicatePair:
        first, second = sorted((talent, other), key=lambda t: t.pk)
        return DuplicatePair(first=first, second=second, rule=rule)

    for other in scope.annotate(number_key=_number_key()).filter(number_key=number_key(talent.document_number)) \
            .exclude(document_type=talent.document_type).order_by("id")[:20]:
        found[other.pk] = pair(other, "document_number")
    if talent.birth_date is not None:
        for other in scope.filter(birth_date=talent.birth_date, nationality=talent.nationality).order_by("id")[:50]:
            if other.pk not in found and _name_keys(talent) & _name_keys(other):
                found[other.pk] = pair(other, "name_birth_nationality")
    return list(found.values())


def _name_keys(talent: Talent) -> set[tuple[str, str]]:
    keys = set()
    for script, name in (("native", talent.native_name), ("latin", talent.latin_name)):
        key = "".join(ch for ch in (name or "").casefold() if ch.isalnum())
        if key:
            keys.add((script, key))
    return keys


def _same_person_pairs(scope, limit: int) -> list[DuplicatePair]:
    """The same birth date and nationality (grouped in the database), then the same name
    in either script (compared here)."""
    groups = list(scope.filter(birth_date__isnull=False).values("birth_date", "nationality")
                  .annotate(n=Count("id")).filter(n__gt=1).order_by("birth_date", "nationality")[:limit * 4])
    if not groups:
        return []
    match = Q()
    for group in groups:
        match |= Q(birth_date=group["birth_date"], nationality=group["nationality"])
    rows = list(scope.filter(match).order_by("birth_date", "nationality", "id"))
    pairs: list[DuplicatePair] = []
    for index, talent in enumerate(rows):
        for other in rows[index + 1:]:
            if (other.birth_date, other.nationality) != (talent.birth_date, talent.nationality):
                break
            if _name_keys(talent) & _name_keys(other):
                pairs.append(DuplicatePair(first=talent, second=other, rule="name_birth_nationality"))
    return pairs[:limit]


def _same_number_pairs(scope, limit: int) -> list[DuplicatePair]:
    scope = scope.exclude(document_number="")  # callers' records have none
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
