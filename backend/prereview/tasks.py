"""Celery tasks of pre-review: thin, idempotent, named ``task_*``."""

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

# OCR of a page takes seconds; a file that keeps the worker longer is cut off and
# recorded as "could not be checked" (the soft limit), the hard limit kills a stuck child.
SOFT_SECONDS = 120
HARD_SECONDS = 150


@shared_task(name="prereview.task_prereview", ignore_result=True, acks_late=True,
             soft_time_limit=SOFT_SECONDS, time_limit=HARD_SECONDS)
def task_prereview(review_id: int) -> str:
    """Run the checks of one upload (after it is stored); a finished review is left alone."""
    from prereview.services import prereview_run, prereview_timed_out

    try:
        return prereview_run(review_id=review_id).verdict
    except SoftTimeLimitExceeded:
        return prereview_timed_out(review_id=review_id).verdict


@shared_task(name="prereview.task_prereview_sweep", ignore_result=True)
def task_prereview_sweep() -> int:
    """Re-queue reviews whose task was lost (broker down at upload, worker killed)."""
    from prereview.services import prereview_sweep

    return prereview_sweep()
