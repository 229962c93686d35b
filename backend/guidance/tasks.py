from celery import shared_task

from guidance.services import guidance_train


@shared_task(name="guidance.task_guidance_retrain", ignore_result=True)
def task_guidance_retrain() -> int | None:
    """Beat: retrain on the corpus and the tickets staff confirmed, when either changed.
    Idempotent: a second run with nothing new trains nothing."""
    row = guidance_train(with_tickets=True, only_if_changed=True)
    return row.pk if row is not None else None
