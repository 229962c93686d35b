"""Keeping the report facts current: after each ticket change, and a periodic sweeper."""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import transaction

from core.broker import broker_publish

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


class _SendRefresh:
    """The after-commit callback of one transaction, collecting the ticket ids to send."""

    def __init__(self) -> None:
        self.ids: set[int] = set()
        # Django's robust on_commit names the failing callback by its __qualname__.
        self.__qualname__ = self.__name__ = "reports.tasks.facts_refresh_on_commit.send"

    def __call__(self) -> None:
        # Through the shared circuit breaker: a dead broker costs a request nothing once
        # it is known down; ``task_facts_sweep`` catches what was not published.
        if self.ids:
            broker_publish(task_facts_refresh, args=[sorted(self.ids)],
                           what=f"report facts of {len(self.ids)} ticket(s)")


def facts_refresh_on_commit(ticket_id: int) -> None:
    """Queue a refresh of one ticket's fact once the current transaction commits.

    Several saves in one transaction give one task: the callback already registered for
    this transaction collects the ids (a rollback discards it along with them).
    """
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        for _sids, callback, _robust in connection.run_on_commit:
            if isinstance(callback, _SendRefresh):
                callback.ids.add(ticket_id)
                return
    send = _SendRefresh()
    send.ids.add(ticket_id)
    transaction.on_commit(send, robust=True)


@shared_task(name="reports.task_dashboards_warm", ignore_result=True)
def task_dashboards_warm() -> int:
    """Recompute the snapshots of the standard periods (last 30 and 365 days)."""
    from reports.snapshots import warm_standard

    return warm_standard()
