"""Celery tasks of the deadlines: thin, idempotent, named ``task_*``.

Their names keep the ``sla.`` prefix they were scheduled and queued under."""

from celery import shared_task


@shared_task(name="sla.task_escalation_scan", ignore_result=True)
def task_escalation_scan() -> int:
    """Warn at 75 % of a target, alert supervisors at breach (beat, every minute)."""
    from tickets.escalation import escalation_scan

    return escalation_scan().alerts


@shared_task(name="sla.task_sla_recompute_provisional", ignore_result=True)
def task_sla_recompute_provisional() -> int:
    """Recompute provisional due times whose calendar years are now known (beat, hourly;
    and after a deployment ships a new yearly file)."""
    from tickets.services import sla_recompute_provisional

    return sla_recompute_provisional()


@shared_task(name="sla.task_sla_recompute_day", ignore_result=True, acks_late=True)
def task_sla_recompute_day(day: str) -> int:
    """Recompute open tickets whose clock runs over an overridden date (ISO date)."""
    from datetime import date

    from tickets.services import sla_recompute_around

    return sla_recompute_around(day=date.fromisoformat(day))
