"""Celery tasks of the hall: thin, idempotent, named ``task_*``."""

from celery import shared_task


@shared_task(name="hall.task_hall_close_sweep", ignore_result=True)
def task_hall_close_sweep() -> int:
    """After closing: waiting numbers abandoned, skipped ones and missed appointments
    no-shows (beat, every ten minutes)."""
    from hall.appointments import appointments_mark_no_shows
    from hall.services import queue_numbers_close

    return queue_numbers_close() + appointments_mark_no_shows()
