"""The audit trail of a ticket for the API: django-simple-history's records of the ticket
and of its materials as entries ``{when, who, reason, object, type, changes}``.

Values are the stored ones (state ids, officer ids, ISO times), not display labels, so
other systems can process them. Secrets (access-code hash, client token) never appear;
document numbers are masked wherever they appear, even inside free text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from rest_framework import serializers

from core.masking import mask_document_number, mask_documents
from tickets.history import ticket_history_records
from tickets.models import Ticket

HIDDEN_FIELDS = frozenset({"id", "client_token", "client_digest", "access_code_hash", "created_by"})
MATERIAL_HIDDEN = frozenset({"id", "ticket", "material_id", "label_zh", "label_en"})


@dataclass
class HistoryEntry:
    when: datetime
    who: Any
    reason: str | None
    object: str
    type: str
    changes: list[dict] = field(default_factory=list)


class _Masker:
    """Masks the talent's document numbers (current and former) wherever they appear."""

    def __init__(self, numbers):
        self.numbers = sorted({n for n in numbers if n and len(n) >= 3}, key=len, reverse=True)

    def __call__(self, name: str, value):
        if value is None:
            return None
        if name == "document_number":
            return mask_document_number(str(value))
        if isinstance(value, datetime):
            return _DATETIME.to_representation(value)  # the zone every other answer uses
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, str):
            return mask_documents(value, self.numbers)
        if isinstance(value, bool | int | float):
            return value
        return str(value)


_DATETIME = serializers.DateTimeField()
_TYPES = {"+": "created", "~": "changed", "-": "deleted"}


def _entries(records, *, hidden, object_name, mask) -> list[HistoryEntry]:
    """Compare each record with the previous one of the same object, field by field.

    (simple-history's ``diff_against`` goes through ``model_to_dict``, which skips the
    ``editable=False`` fields — and only services write those, so they matter most.)
    """
    entries = []
    previous: dict[int, Any] = {}
    for record in records:
        before = previous.get(record.id)
        previous[record.id] = record
        changes = []
        for model_field in record.tracked_fields:
            if model_field.name in hidden:
                continue
            new = getattr(record, model_field.attname)
            old = getattr(before, model_field.attname) if before is not None else None
            if before is None and new in (None, ""):
                continue
            if before is not None and old == new:
                continue
            changes.append({"field": model_field.name, "old": mask(model_field.name, old),
                            "new": mask(model_field.name, new)})
        if before is not None and not changes and not record.history_change_reason:
            continue  # a save that changed nothing worth telling
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=record.history_user,
                reason=mask("reason", record.history_change_reason),
                object=object_name(record),
                type=_TYPES.get(record.history_type, "changed"),
                changes=changes,
            )
        )
    return entries


def ticket_history(ticket: Ticket) -> list[HistoryEntry]:
    """Oldest first, in four queries whatever the length of the trail."""
    ticket_records, material_records = ticket_history_records(ticket)
    talent = ticket.talent
    numbers = {talent.document_number, *talent.history.values_list("document_number", flat=True)}
    mask = _Masker(numbers)
    entries = _entries(ticket_records, hidden=HIDDEN_FIELDS,
                       object_name=lambda r: "ticket", mask=mask)
    entries += _entries(material_records, hidden=MATERIAL_HIDDEN,
                        object_name=lambda r: f"material:{r.material_id}", mask=mask)
    entries.sort(key=lambda entry: entry.when)
    return entries
