"""Celery tasks of the outbox: take ids, call the domain function, idempotent."""

from celery import shared_task

from notifications.outbox import outbox_deliver, outbox_sweep


@shared_task(bind=True, name="notifications.task_outbox_deliver", ignore_result=True,
             acks_late=True, reject_on_worker_lost=True, max_retries=None)
def task_outbox_deliver(self, message_id: int) -> str:
    """Deliver one outbox row. A failed attempt is retried with the row's backoff; the
    row itself decides whether anything is left to do, so duplicates are harmless."""
    result = outbox_deliver(message_id=message_id)
    if result.retry_in is not None and result.status == "pending" and not self.request.is_eager:
        # In-process (eager) mode has no broker to wait on: the sweeper retries instead.
        raise self.retry(countdown=result.retry_in)
    return result.status


@shared_task(name="notifications.task_outbox_sweep", ignore_result=True)
def task_outbox_sweep() -> int:
    """Re-queue pending rows a dead broker or worker left behind (beat, every minute)."""
    return outbox_sweep()
