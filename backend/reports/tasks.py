"""Keeping the report facts current: after each ticket change, and a periodic sweeper."""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import transaction

logger = logging.getLogger(__name__)


@shared_task(name="reports.task_facts_refresh", ignore_result=True, acks_late=True)
def task_facts_refresh(ticket_ids: list[int]) -> int:
    """Recompute the facts of these tickets (idempotent: it reads the current state)."""
    from reports.facts import fact_refresh

    return fact_refresh(ticket_ids=ticket_ids)


@shared_task(name="reports.task_facts_sweep", ignore_result=True)
def task_facts_sweep() -> int:
    """Catch what the on-commit path missed (broker down, a crash between commit and
    publish, changes made outside the services): tickets changed since their fact."""
    from reports.facts import facts_sweep

    refreshed = facts_sweep()
    if refreshed:
        logger.info("reports: refreshed %d stale facts", refreshed)
    return refreshed


_PENDING_ATTR = "_talentdesk_reports_pending"


def facts_refresh_on_commit(ticket_id: int) -> None:
    """Queue a refresh of one ticket's fact once the current transaction commits.

    Several saves of tickets in one transaction give one task: the ids wait on the
    connection and the first callback to run after commit sends them all.
    """
    connection = transaction.get_connection()
    pending = connection.__dict__.setdefault(_PENDING_ATTR, set())
    pending.add(ticket_id)

    def send() -> None:
        ids = sorted(pending)
        pending.clear()
        if ids:
            task_facts_refresh.delay(ids)

    transaction.on_commit(send, robust=True)
