"""Concurrency on real PostgreSQL connections and a real Celery worker on Redis."""

import time

import pytest
from django.core.cache import cache
from django.db import transaction

from core.errors import ClaimConflict
from core.tasks import HEARTBEAT_KEY, task_heartbeat
from tests.concurrency import in_threads
from tests.factories import TalentFactory
from tests.integration.conftest import requires_broker, requires_postgres
from tickets import services
from tickets.models import Ticket


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_two_officers_claiming_at_once_exactly_one_wins(clerk, officer, second_officer, window):
    ticket = services.ticket_open(  # schooling: no persona has the skill, so it waits
        actor=clerk.user, talent=TalentFactory(), category="schooling", channel="window",
        subject="race", window=window,
    ).ticket
    assert ticket.assignee is None
    claimants = [officer.user, second_officer.user]
    results = in_threads(2, lambda i: services.ticket_claim(ticket=ticket, actor=claimants[i]))
    conflicts = [r for r in results if isinstance(r, ClaimConflict)]
    winners = [r for r in results if isinstance(r, Ticket)]
    assert len(winners) == 1 and len(conflicts) == 1, results
    ticket.refresh_from_db()
    assert ticket.assignee == winners[0].assignee
    claims = [e for e in ticket.events.filter(kind="assignment") if e.data.get("to")]
    assert len(claims) == 1


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_references_are_unique_under_concurrent_opening(clerk, window):
    talents = [TalentFactory() for _ in range(6)]
    results = in_threads(6, lambda i: services.ticket_open(
        actor=clerk.user, talent=talents[i], category="settlement", channel="online",
        subject=f"parallel {i}", window=window).ticket.reference)
    assert all(isinstance(r, str) for r in results), results
    numbers = sorted(int(r[-6:]) for r in results)
    assert numbers == list(range(numbers[0], numbers[0] + 6))


@requires_postgres
@pytest.mark.django_db(transaction=True)
def test_a_double_submit_in_parallel_opens_one_ticket(clerk, talent, window):
    def submit(_):
        return services.ticket_open(
            actor=clerk.user, talent=talent, category="settlement", channel="window",
            subject="double click", window=window, idempotency_key="form-123",
        ).ticket.pk

    results = in_threads(2, submit)
    assert Ticket.objects.count() == 1
    assert results == [Ticket.objects.get().pk] * 2  # both answered with the one ticket


@requires_broker
def test_a_task_queued_after_commit_runs_on_a_real_worker(celery_worker_process, settings):
    if settings.CACHES["default"]["BACKEND"].endswith("LocMemCache"):
        pytest.skip("needs a shared cache (REDIS_URL) to observe the worker")
    cache.delete(HEARTBEAT_KEY)
    with transaction.atomic():
        transaction.on_commit(lambda: task_heartbeat.delay("integration"), robust=True)
        assert cache.get(HEARTBEAT_KEY) is None  # nothing sent before commit
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        beat = cache.get(HEARTBEAT_KEY)
        if beat and beat["marker"] == "integration":
            return
        time.sleep(0.2)
    pytest.fail("the worker did not run the task within 30 s")
