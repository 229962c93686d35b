"""The audit trail of a ticket as readable diffs: who, when, why, field: old → new.

Built from django-simple-history's records of the ticket and its materials with
``diff_against``, in a constant number of queries. Document numbers are masked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from centres.models import Window
from core.masking import mask_document_number, mask_documents
from staff.models import Officer
from talents.models import Talent
from tickets.history import ticket_history_records
from tickets.models import EventKind, MaterialItem, MaterialStatus, Ticket
from workspace.display import action_label, centre_time, state_label

# What a "created" entry shows (there is nothing to compare with yet).
CREATED_FIELDS = {
    Ticket: ("category", "channel", "priority", "state", "window"),
    MaterialItem: ("status",),
}
HIDDEN_FIELDS = {
    "client_token", "reference", "workflow_version", "created_by", "ticket",
    "label_zh", "label_en", "material_id",
    # the SLA scan's own checkpoints: machinery, not decisions
    "first_response_warn_at", "resolution_warn_at", "sla_next_check_at",
}
# Fields whose model gives no readable name.
FIELD_LABELS = {
    "first_response_met": gettext_lazy("first response on time"),
    "resolution_met": gettext_lazy("resolved on time"),
}


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: datetime
    who: str
    why: str
    subject: str
    kind: str  # created | changed | deleted
    changes: list[Change] = field(default_factory=list)


def _pairs(records):
    """Each record with the one before it of the same object."""
    previous: dict[int, object] = {}
    for record in records:
        yield record, previous.get(record.id)
        previous[record.id] = record


def _who(record) -> str:
    user = record.history_user
    if user is None:
        return _("system")
    officer = getattr(user, "officer", None)
    return officer.display_name if officer else user.get_username()


class _Formatter:
    """Turns stored values into what a person reads, with names looked up in bulk."""

    def __init__(self, ticket: Ticket, officer_ids: set, window_ids: set, talent_ids: set):
        self.ticket = ticket
        self.officers = dict(Officer.objects.filter(pk__in=officer_ids).values_list("pk", "display_name")) if officer_ids else {}
        self.windows = {w.pk: w.name for w in Window.objects.filter(pk__in=window_ids)} if window_ids else {}
        self.talents = {t.pk: t.display_name for t in Talent.objects.filter(pk__in=talent_ids)} if talent_ids else {}

    def value(self, model, name: str, value) -> str:
        if value is None or value == "":
            return "—"
        if name == "document_number":
            return mask_document_number(str(value))
        if name == "state":
            return state_label(self.ticket, value)
        if name == "assignee":
            return self.officers.get(value, f"#{value}")
        if name == "window":
            return self.windows.get(value, f"#{value}")
        if name == "talent":
            return self.talents.get(value, f"#{value}")
        if name == "category":
            from workspace.display import category_label

            return category_label(value)
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        if isinstance(value, datetime):
            return centre_time(value, self.ticket.centre)
        try:
            model_field = model._meta.get_field(name)
        except Exception:  # noqa: BLE001 - a field removed since the record was written
            return str(value)
        if model_field.choices:
            return str(dict(model_field.flatchoices).get(value, value))
        return mask_documents(str(value), [self.ticket.talent.document_number])

    @staticmethod
    def label(model, name: str) -> str:
        if name in FIELD_LABELS:
            return str(FIELD_LABELS[name])
        try:
            return str(model._meta.get_field(name).verbose_name)
        except Exception:  # noqa: BLE001
            return name


def _reason(ticket: Ticket, reason: str | None, reworded: dict[str, str]) -> str:
    """Why, in the reader's language where it can be worded again: a workflow action's
    label, a material's "pending → received", a routing decision."""
    if not reason:
        return ""
    if ticket.workflow.transition(reason):
        return action_label(ticket, reason)
    statuses = dict(MaterialStatus.choices)
    old, arrow, new = reason.partition(" → ")
    if arrow and old in statuses and new in statuses:
        return f"{statuses[old]} → {statuses[new]}"
    return reworded.get(reason, reason)


def _routing_reasons(ticket: Ticket) -> dict[str, str]:
    """Stored routing reasons (as the history row keeps them, cut at 100 characters)
    mapped to the same decision worded in the active language."""
    from tickets import routing

    describe = getattr(routing, "describe", None)
    if describe is None:
        return {}
    reworded = {}
    for body, data in ticket.events.filter(kind=EventKind.ASSIGNMENT).values_list("body", "data"):
        decision = (data or {}).get("routing")
        if decision and body:
            try:
                reworded[body[:100]] = describe(decision)
            except (KeyError, TypeError, ValueError):
                continue
    return reworded


def ticket_history(ticket: Ticket) -> list[HistoryEntry]:
    """Oldest first: the ticket's own changes and its materials', with who and why."""
    ticket_records, material_records = ticket_history_records(ticket)
    officer_ids, window_ids, talent_ids = set(), set(), set()
    for record in ticket_records:
        officer_ids.add(record.assignee_id)
        window_ids.add(record.window_id)
        talent_ids.add(record.talent_id)
    fmt = _Formatter(ticket, officer_ids - {None}, window_ids - {None}, talent_ids - {None})
    fmt.reworded = _routing_reasons(ticket)

    entries: list[HistoryEntry] = []
    for record, before in _pairs(ticket_records):
        entries.append(_entry(fmt, Ticket, record, before, subject=ticket.reference))
    for record, before in _pairs(material_records):
        if before is None and record.status == MaterialStatus.PENDING:
            continue  # the checklist itself; only what was handed over at intake is news
        label = record.label_en if _is_en() else record.label_zh
        entries.append(_entry(fmt, MaterialItem, record, before, subject=label))
    entries.sort(key=lambda entry: entry.when)
    return [entry for entry in entries if entry.kind != "changed" or entry.changes or entry.why]


def _is_en() -> bool:
    from core.i18n import current_lang

    return current_lang() == "en"


def _entry(fmt: _Formatter, model, record, before, *, subject: str) -> HistoryEntry:
    kinds = {"+": "created", "~": "changed", "-": "deleted"}
    entry = HistoryEntry(
        when=record.history_date,
        who=_who(record),
        why=mask_documents(_reason(fmt.ticket, record.history_change_reason, fmt.reworded),
                           [fmt.ticket.talent.document_number]),
        subject=subject,
        kind=kinds.get(record.history_type, "changed"),
    )
    if before is None:
        for name in CREATED_FIELDS[model]:
            entry.changes.append(
                Change(fmt.label(model, name), "—",
                       fmt.value(model, name, getattr(record, model._meta.get_field(name).attname)))
            )
        return entry
    for name, old, new in _changes(record, before):
        entry.changes.append(
            Change(fmt.label(model, name), fmt.value(model, name, old), fmt.value(model, name, new))
        )
    return entry


def _changes(record, before):
    """(field, old, new) for every tracked field that changed.

    ``diff_against`` compares the editable fields; most ticket fields are
    ``editable=False`` (only the services write them) and Django's ``model_to_dict``,
    which it uses, skips those, so they are compared here the same way, by raw value.
    """
    delta = record.diff_against(before)
    changes = [(c.field, c.old, c.new) for c in delta.changes]
    seen = {c.field for c in delta.changes}
    for model_field in record.tracked_fields:
        if model_field.editable or model_field.name in seen:
            continue
        old = getattr(before, model_field.attname)
        new = getattr(record, model_field.attname)
        if old != new:
            changes.append((model_field.name, old, new))
    order = {f.name: index for index, f in enumerate(record.tracked_fields)}
    changes.sort(key=lambda change: order.get(change[0], len(order)))
    return [c for c in changes if c[0] not in HIDDEN_FIELDS and c[0] != "id"]

