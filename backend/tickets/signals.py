"""An override saved or removed: every process reloads the calendar, and the open tickets
whose clock runs over that date are recomputed after commit."""

from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from core.broker import broker_publish
from sla.clock import calendar_changed
from sla.models import CalendarOverride


@receiver(post_save, sender=CalendarOverride)
@receiver(post_delete, sender=CalendarOverride)
def _override_changed(sender, instance, **kwargs):
    transaction.on_commit(calendar_changed, robust=True)
    transaction.on_commit(partial(_recompute, instance.day.isoformat()), robust=True)


def _recompute(day: str) -> None:
    from tickets.tasks import task_sla_recompute_day

    # Through the shared breaker; a day that could not be queued is named in the log
    # (the administrator saves the override again once the broker is back).
    broker_publish(task_sla_recompute_day, args=[day], what=f"SLA recompute of {day}")
