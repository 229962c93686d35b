"""The audit trail of a ticket as stored by django-simple-history: what the API's history
and the staff page's history tab both read (each renders it its own way)."""

from __future__ import annotations

from tickets.models import MaterialItem, Ticket


def ticket_history_records(ticket: Ticket) -> tuple[list, list]:
    """The ticket's history rows and its materials', oldest first, each with the user who
    made the change and their officer profile: two queries whatever the length."""
    ticket_records = list(
        ticket.history.select_related("history_user__officer").order_by("history_date", "history_id")
    )
    material_records = list(
        MaterialItem.history.filter(ticket_id=ticket.pk)
        .select_related("history_user__officer")
        .order_by("history_date", "history_id")
    )
    return ticket_records, material_records
