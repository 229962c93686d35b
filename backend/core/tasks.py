"""System tasks: a heartbeat that shows the worker (and beat) are alive."""

from celery import shared_task
from django.core.cache import cache

from core import clock

HEARTBEAT_KEY = "talentdesk:worker-heartbeat"


@shared_task(name="core.task_heartbeat", ignore_result=True)
def task_heartbeat(marker: str = "beat") -> None:
    """Record when a worker last ran a task; the health page reads it."""
    cache.set(HEARTBEAT_KEY, {"at": clock.now().isoformat(), "marker": marker}, timeout=3600)


def last_heartbeat() -> dict | None:
    return cache.get(HEARTBEAT_KEY)
