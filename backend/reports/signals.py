"""Ticket (and rating) saves queue a refresh of the ticket's report fact after commit."""

from __future__ import annotations

from reports.tasks import facts_refresh_on_commit


def ticket_saved(sender, instance, raw=False, **kwargs) -> None:
    if raw:  # fixtures
        return
    facts_refresh_on_commit(instance.pk)


def rating_saved(sender, instance, raw=False, **kwargs) -> None:
    if raw:
        return
    ticket_id = getattr(instance, "ticket_id", None)
    if ticket_id is not None:
        facts_refresh_on_commit(ticket_id)
