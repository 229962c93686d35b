"""Every portal upload is pre-reviewed by the task after commit; the result advises the
officer and never receives the material by itself, unless the workflow says so."""

from datetime import date

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from core.system import system_user
from flows.definitions import ReviewRules
from prereview import services
from prereview.models import Attachment, Review, Verdict
from tests.portal.conftest import pdf
from tests.prereview import documents as docs
from tickets.models import EventKind, MaterialStatus

pytestmark = pytest.mark.django_db


def _upload(client, ticket, material_id, data, name="scan.pdf"):
    item = ticket.materials.get(material_id=material_id)
    url = reverse("portal:upload", args=[ticket.reference, item.pk])
    return client.post(url, {"file": pdf(name, content=data)})


def test_upload_queues_one_pending_review_and_the_task_runs_after_commit(
    portal, waiting_ticket, django_capture_on_commit_callbacks
):
    data = docs.text_pdf(["Talent recognition certificate", "Holder: WANG Siyuan", "E12345678"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert _upload(portal, waiting_ticket, "talent_certificate", data).status_code == 302
    review = Review.objects.get()
    assert review.verdict == Verdict.PENDING and review.finished_at is None
    assert review.attachment == Attachment.objects.get()
    for callback in callbacks:  # the broker publish (in-process here) runs the task
        callback()
    review.refresh_from_db()
    assert review.verdict == Verdict.PASS
    assert [c["check"] for c in review.checks] == ["readable", "kind", "pages", "text", "name"]
    item = waiting_ticket.materials.get(material_id="talent_certificate")
    assert item.status == MaterialStatus.SUBMITTED  # the officer still decides
    event = waiting_ticket.events.get(kind=EventKind.PREREVIEW)
    assert not event.public
    assert event.actor == system_user()
    assert event.data == {"material": "talent_certificate", "attachment": str(review.attachment.key),
                          "verdict": "pass", "problems": []}


def test_wrong_persons_document_fails_and_stays_submitted(portal, waiting_ticket):
    data = docs.text_pdf(["Talent recognition certificate", "Holder: LI Na", "G99887766"])
    _upload(portal, waiting_ticket, "talent_certificate", data)
    review = services.prereview_run(review_id=Review.objects.get().pk)
    assert review.verdict == Verdict.FAIL
    assert [c["check"] for c in review.problems] == ["name"]
    assert waiting_ticket.materials.get(material_id="talent_certificate").status == MaterialStatus.SUBMITTED


def test_running_twice_records_once(portal, waiting_ticket):
    _upload(portal, waiting_ticket, "talent_certificate", docs.blank_pdf())
    pk = Review.objects.get().pk
    first = services.prereview_run(review_id=pk)
    second = services.prereview_run(review_id=pk)
    assert first.finished_at == second.finished_at
    assert waiting_ticket.events.filter(kind=EventKind.PREREVIEW).count() == 1
    assert second.verdict == Verdict.FAIL


def test_the_workflow_rule_is_pinned_to_the_tickets_version(waiting_ticket):
    passport = waiting_ticket.materials.get(material_id="passport")
    rules = services.rules_for(passport)
    assert (rules.mrz, rules.valid_for_months, rules.must_show) == (True, 6, ("name",))
    assert services.rules_for(waiting_ticket.materials.get(material_id="degree_certificate")) == ReviewRules()


def test_a_missing_file_is_reported_not_raised(portal, waiting_ticket):
    _upload(portal, waiting_ticket, "talent_certificate", docs.blank_pdf())
    review = Review.objects.get()
    default_storage.delete(review.attachment.stored_name)
    review = services.prereview_run(review_id=review.pk)
    assert review.verdict == Verdict.WARN
    assert review.checks == [{"check": "readable", "outcome": "skipped", "reason": {
        "zh": "找不到已上传的文件，未能预审。", "en": "The stored file could not be found; it was not pre-reviewed."}}]


def test_a_review_that_keeps_crashing_is_closed_after_three_attempts(portal, waiting_ticket):
    _upload(portal, waiting_ticket, "talent_certificate", docs.blank_pdf())
    Review.objects.update(attempts=3)
    review = services.prereview_run(review_id=Review.objects.get().pk)
    assert review.verdict == Verdict.WARN
    assert review.checks[0]["reason"]["en"] == "Checking the file took too long; please review it by hand."


def test_auto_accept_receives_only_when_every_check_passes(portal, waiting_ticket, monkeypatch):
    monkeypatch.setattr(services, "rules_for", lambda material: ReviewRules(auto_accept=True, must_show=("name",)))
    good = docs.text_pdf(["Certificate", "Holder: WANG Siyuan"])
    _upload(portal, waiting_ticket, "talent_certificate", good)
    services.prereview_run(review_id=Review.objects.get().pk)
    item = waiting_ticket.materials.get(material_id="talent_certificate")
    assert item.status == MaterialStatus.RECEIVED
    assert item.history.first().history_user == system_user()


def test_auto_accept_leaves_a_failing_upload_to_the_officer(portal, waiting_ticket, monkeypatch):
    monkeypatch.setattr(services, "rules_for", lambda material: ReviewRules(auto_accept=True))
    _upload(portal, waiting_ticket, "talent_certificate", docs.blank_pdf())
    services.prereview_run(review_id=Review.objects.get().pk)
    assert waiting_ticket.materials.get(material_id="talent_certificate").status == MaterialStatus.SUBMITTED


@pytest.mark.clock("2026-12-02 09:55")  # the link and session are made at the pinned time too
def test_sweep_publishes_reviews_left_pending(portal, waiting_ticket, time_machine):
    time_machine.move_to("2026-12-02 10:00:00+08:00", tick=False)
    _upload(portal, waiting_ticket, "talent_certificate", docs.blank_pdf())
    assert services.prereview_sweep() == 0
    time_machine.move_to("2026-12-02 10:11:00+08:00", tick=False)
    assert services.prereview_sweep() == 1  # in-process: the task ran
    assert Review.objects.get().verdict == Verdict.FAIL
    assert services.prereview_sweep() == 0


@pytest.mark.clock("2026-12-02 09:55")  # the link and session are made at the pinned time too
def test_passport_upload_checks_expiry_against_the_centres_today(portal, waiting_ticket, officer, time_machine):
    from tickets.services import material_update

    time_machine.move_to("2026-12-02 10:00:00+08:00", tick=False)
    passport = waiting_ticket.materials.get(material_id="passport")
    material_update(material=passport, actor=officer.user, status=MaterialStatus.REJECTED, reason="Expired.")
    line1, line2 = docs.td3(surname="Wang", given="Siyuan", number="E12345678", nationality="GBR",
                            birth=date(1985, 3, 14), sex="M", expiry=date(2027, 5, 1))
    data = docs.text_pdf(["PASSPORT", "WANG SIYUAN", line1, line2])
    _upload(portal, waiting_ticket, "passport", data)
    review = services.prereview_run(review_id=Review.objects.get().pk)
    assert {c["check"]: c["outcome"] for c in review.checks}["validity"] == "fail"
    assert review.fields["expiry_date"] == "2027-05-01"
    assert review.fields["document_number"] == "E1****78"
