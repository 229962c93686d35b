"""Pre-review of uploaded materials: queue after the upload, run in the worker, advise.

* ``prereview_queue`` writes a pending review in the upload's transaction and publishes
  ``task_prereview`` after commit (robustly: a dead broker leaves the row for the sweeper).
* ``prereview_run`` reads the file, runs the checks outside any transaction, then records
  the result once, with an internal timeline event. It never receives or rejects the
  material — the officer does — except where the workflow's rule says ``auto_accept``
  and every check passed; then the system user receives it.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from core import clock
from core.broker import broker_publish
from core.system import system_user
from flows.definitions import DEFAULT_REVIEW, ReviewRules
from prereview.checks import SKIPPED, Check, Record, Result, review_document
from prereview.models import Review, Verdict
from prereview.notices import notice_after_prereview
from tickets.models import EventKind, MaterialStatus, Ticket
from tickets.services import material_update, ticket_log

log = logging.getLogger("talentdesk.prereview")

MAX_READ = 32 * 1024 * 1024  # never read more than this much of a stored file
SWEEP_AFTER = timedelta(minutes=10)
MAX_ATTEMPTS = 3


class _Publish:
    """The after-commit callback; a named callable so a dead broker is logged by name."""

    def __init__(self, review_id: int):
        self.review_id = review_id
        # Django's robust on_commit names a failing callback by its __qualname__.
        self.__qualname__ = self.__name__ = "prereview.services.publish"

    def __call__(self) -> None:
        from prereview.tasks import task_prereview

        # Bounded and behind the shared circuit breaker; unpublished reviews wait for the sweeper.
        broker_publish(task_prereview, args=[self.review_id], what=f"pre-review {self.review_id}")


def prereview_queue(*, attachment) -> Review:
    """A pending review of a just-stored file; the task is published after commit."""
    review = Review.objects.create(
        attachment=attachment, ticket_id=attachment.ticket_id, material_id=attachment.material_id,
        created_at=clock.now(),
    )
    transaction.on_commit(_Publish(review.pk), robust=True)
    return review


def rules_for(material) -> ReviewRules:
    """The material's review rules in the workflow version its ticket is pinned to."""
    try:
        return material.ticket.workflow.material(material.material_id).review
    except KeyError:
        return DEFAULT_REVIEW


def record_of(talent) -> Record:
    return Record(native_name=talent.native_name, latin_name=talent.latin_name,
                  document_number=talent.document_number)


def _read(attachment) -> bytes:
    with default_storage.open(attachment.stored_name, "rb") as handle:
        return handle.read(MAX_READ)


def _today(ticket):
    return timezone.localtime(clock.now(), timezone=ZoneInfo(ticket.centre.time_zone)).date()


def prereview_run(*, review_id: int, use_ocr: bool = True) -> Review | None:
    """Run the checks of one review (idempotent: a finished review is returned as is)."""
    review = (
        Review.objects.select_related("attachment", "material", "ticket__talent", "ticket__centre")
        .filter(pk=review_id).first()
    )
    if review is None or review.finished_at is not None:
        return review
    rules = rules_for(review.material)
    if review.attempts >= MAX_ATTEMPTS:  # it crashed or was killed each time: stop trying
        return prereview_timed_out(review_id=review.pk)
    Review.objects.filter(pk=review.pk).update(attempts=review.attempts + 1)
    try:
        data = _read(review.attachment)
    except OSError as exc:
        log.warning("pre-review %s: file unreadable: %s", review.pk, exc)
        result = Result(checks=[Check("readable", SKIPPED, "找不到已上传的文件，未能预审。",
                                      "The stored file could not be found; it was not pre-reviewed.")])
    else:
        result = review_document(data, rules=rules, record=record_of(review.ticket.talent),
                                 today=_today(review.ticket), use_ocr=use_ocr)
    return _finish(review.pk, result, rules)


def prereview_timed_out(*, review_id: int) -> Review | None:
    result = Result(checks=[Check("readable", SKIPPED, "文件处理超时，未能完成预审；请专员人工审核。",
                                  "Checking the file took too long; please review it by hand.")])
    review = Review.objects.filter(pk=review_id).select_related("material__ticket").first()
    return _finish(review_id, result, rules_for(review.material)) if review else None


@transaction.atomic
def _finish(review_id: int, result: Result, rules: ReviewRules) -> Review | None:
    # The ticket first (as an upload locks it), so the reviews of one ticket finish one
    # after another and exactly one of them sees the batch complete.
    ticket_id = Review.objects.filter(pk=review_id).values_list("ticket_id", flat=True).first()
    if ticket_id is None:
        return None
    ticket = Ticket.objects.select_for_update().select_related("talent").get(pk=ticket_id)
    review = Review.objects.select_for_update().select_related("material", "attachment") \
        .filter(pk=review_id).first()
    if review is None or review.finished_at is not None:
        return review
    review.ticket = ticket
    review.verdict = result.verdict
    review.checks = [check.as_dict() for check in result.checks]
    review.fields = result.fields
    review.text_source = result.text_source
    review.finished_at = clock.now()
    review.save()
    system = system_user()
    ticket_log(
        ticket=review.ticket, kind=EventKind.PREREVIEW, actor=system, public=False,
        data={"material": review.material.material_id, "attachment": str(review.attachment.key),
              "verdict": review.verdict,
              "problems": [check["check"] for check in review.problems]},
    )
    material = review.material
    if (rules.auto_accept and review.verdict == Verdict.PASS
            and material.status == MaterialStatus.SUBMITTED
            and not material.attachments.filter(created_at__gt=review.attachment.created_at).exists()):
        material_update(material=material, actor=system, status=MaterialStatus.RECEIVED)
    notice_after_prereview(ticket=ticket)
    return review


def prereview_sweep() -> int:
    """Publish again the reviews still pending well after their upload."""
    stale = list(Review.objects.filter(finished_at__isnull=True, created_at__lt=clock.now() - SWEEP_AFTER)
                 .values_list("pk", flat=True)[:200])
    for pk in stale:
        _Publish(pk)()
    return len(stale)
