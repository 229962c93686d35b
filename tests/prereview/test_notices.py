"""The one-time notice: one message with everything still needed and why; a later notice
lists only what is still open; never the same notice twice."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from core.errors import ActionForbidden
from core.system import system_user
from notifications.models import OutboxMessage
from prereview import services
from prereview.models import Notice, Review
from prereview.notices import notice_issue, notice_items
from tests.prereview import documents as docs
from tests.prereview.test_services import _upload
from tickets.models import EventKind, MaterialStatus
from tickets.services import material_update, ticket_transition

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _service_messages_in_english():
    with translation.override("en"):
        yield


@pytest.fixture
def failing_upload(portal, waiting_ticket):
    """The talent uploaded a blank page for the certificate; pre-review failed it, which
    sent the talent notice 1 automatically (the system's, listing the certificate)."""
    _upload(portal, waiting_ticket, "talent_certificate", docs.blank_pdf())
    services.prereview_run(review_id=Review.objects.get().pk)
    assert [item["material"] for item in Notice.objects.get(number=1).items] == ["talent_certificate"]
    return waiting_ticket


def _reject_passport(ticket, officer):
    passport = ticket.materials.get(material_id="passport")
    material_update(material=passport, actor=officer.user, status=MaterialStatus.REJECTED,
                    reason="The copy is cut off at the bottom.")


def test_items_list_rejected_and_failed_documents_with_their_reasons(failing_upload, officer):
    _reject_passport(failing_upload, officer)
    assert notice_items(failing_upload) == [
        {"material": "passport", "label": {"zh": "护照或有效身份证件", "en": "Passport or valid identity document"},
         "status": "rejected", "reasons": [{"zh": "未被受理：The copy is cut off at the bottom.",
                                            "en": "Not accepted: The copy is cut off at the bottom."}]},
        {"material": "talent_certificate", "label": {"zh": "人才认定证明", "en": "Talent recognition certificate"},
         "status": "submitted", "reasons": [{
             "zh": "PDF 第一页没有文字也没有扫描图像，看起来是空白页。",
             "en": "The PDF's first page has neither text nor a scanned image: it looks blank."}]},
    ]


def test_a_required_document_never_sent_is_listed(open_ticket):
    items = notice_items(open_ticket)
    assert [item["material"] for item in items] == [
        "passport", "talent_certificate", "employment_contract", "degree_certificate"]
    assert items[0]["reasons"] == [{"zh": "尚未提交。", "en": "Not provided yet."}]


def test_issue_sends_one_email_and_one_sms_in_the_talents_language_and_logs_it(failing_upload, officer):
    talent = failing_upload.talent
    talent.preferred_language = "en"
    talent.email, talent.phone = "wang@example.com", "+8613800000000"
    talent.save()
    _reject_passport(failing_upload, officer)
    before = OutboxMessage.objects.count()
    notice = notice_issue(ticket=failing_upload, actor=officer.user)
    assert notice.number == 2
    messages = list(OutboxMessage.objects.order_by("id")[before:])
    assert [(m.event, m.channel, m.language) for m in messages] == [
        ("one_time_notice", "email", "en"), ("one_time_notice", "sms", "en")]
    email, sms = messages
    assert email.subject == f"[{failing_upload.reference}] Everything we still need from you"
    assert "1. Passport or valid identity document: Not accepted: The copy is cut off at the bottom." in email.body
    assert "2. Talent recognition certificate: The PDF's first page has neither text nor a scanned image: it looks blank." in email.body
    assert sms.body.startswith(f"[City Talent Centre] {failing_upload.reference}: we still need 2 documents: "
                               "Passport or valid identity document; Talent recognition certificate.")
    event = failing_upload.events.filter(kind=EventKind.NOTICE).latest("id")
    assert event.public and event.actor == officer.user
    assert event.data == {"notice": 2, "materials": ["passport", "talent_certificate"]}


def test_chinese_talent_gets_the_notice_in_chinese(portal, waiting_ticket):
    talent = waiting_ticket.talent
    talent.preferred_language, talent.phone = "zh", "+8613800000000"
    talent.save()
    _upload(portal, waiting_ticket, "talent_certificate", docs.blank_pdf())
    services.prereview_run(review_id=Review.objects.get().pk)
    sms = OutboxMessage.objects.get(event="one_time_notice", channel="sms")
    assert "一次性告知：还需 1 项材料：人才认定证明。" in sms.body


def test_the_same_list_twice_is_refused_and_a_later_notice_lists_only_what_is_open(
    failing_upload, officer, portal
):
    with pytest.raises(ValidationError) as error:
        notice_issue(ticket=failing_upload, actor=officer.user)
    assert error.value.message_dict == {"notice": ["The talent was already told exactly this in notice 1."]}
    _reject_passport(failing_upload, officer)
    notice_issue(ticket=failing_upload, actor=officer.user)
    # The talent sends a good certificate; the passport is still open.
    _upload(portal, failing_upload, "talent_certificate",
            docs.text_pdf(["Talent recognition certificate", "WANG Siyuan"]))
    services.prereview_run(review_id=Review.objects.order_by("-id").first().pk)
    assert Notice.objects.count() == 2  # a passing upload sends nothing by itself
    third = notice_issue(ticket=failing_upload, actor=officer.user)
    assert third.number == 3
    assert [item["material"] for item in third.items] == ["passport"]


def test_nothing_open_is_refused(waiting_ticket, officer):
    item = waiting_ticket.materials.get(material_id="talent_certificate")
    material_update(material=item, actor=officer.user, status=MaterialStatus.RECEIVED)
    with pytest.raises(ValidationError) as error:
        notice_issue(ticket=waiting_ticket, actor=officer.user)
    assert error.value.message_dict == {"notice": ["Nothing is missing: every required document is in."]}
    assert not Notice.objects.exists()


def test_outsider_cannot_send_a_notice(waiting_ticket, outsider):
    with pytest.raises(ActionForbidden):
        notice_issue(ticket=waiting_ticket, actor=outsider.user)
    assert not Notice.objects.exists()


class TestPages:
    def test_ticket_page_previews_the_notice_and_sends_it(self, client, failing_upload, officer):
        client.force_login(officer.user)
        client.cookies["django_language"] = "en"
        url = reverse("workspace:ticket", args=[failing_upload.reference])
        html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert 'data-prereview="fail"' in html
        assert "Pre-review: problems found" in html
        _reject_passport(failing_upload, officer)
        html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "A notice now would tell the talent, at once:" in html
        response = client.post(reverse("workspace:ticket_notice", args=[failing_upload.reference]),
                               HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 302
        assert Notice.objects.latest("number").number == 2

    def test_printable_page_is_bilingual(self, client, failing_upload, officer):
        client.force_login(officer.user)
        html = client.get(reverse("workspace:notice_print", args=[failing_upload.reference, 1])).content.decode()
        assert "一次性告知" in html and "One-time notice" in html
        assert "人才认定证明" in html and "Talent recognition certificate" in html
        assert "看起来是空白页" in html and "it looks blank" in html

    def test_printable_page_of_a_ticket_out_of_scope_is_404(self, client, failing_upload, officer, outsider):
        client.force_login(outsider.user)
        assert client.get(reverse("workspace:notice_print", args=[failing_upload.reference, 1])).status_code == 404

    def test_status_page_shows_the_notice_and_the_prereview_in_plain_words(self, portal, failing_upload, officer):
        html = portal.get(reverse("portal:ticket", args=[failing_upload.reference])).content.decode()
        assert "Everything we still need from you" in html
        assert "The automatic check found a problem with this file:" in html
        assert "The PDF&#x27;s first page has neither text nor a scanned image: it looks blank." in html


class TestTheAutomaticNotice:
    """Sent by the system once pre-review of a batch of uploads completes with a failure."""

    def test_one_notice_for_a_batch_of_two_failing_files_after_the_last_check(self, portal, waiting_ticket, officer):
        material_update(material=waiting_ticket.materials.get(material_id="passport"), actor=officer.user,
                        status=MaterialStatus.PENDING)
        _upload(portal, waiting_ticket, "talent_certificate", docs.blank_pdf())
        _upload(portal, waiting_ticket, "passport", docs.blank_pdf())
        first, second = Review.objects.order_by("id")
        services.prereview_run(review_id=first.pk)
        assert not Notice.objects.exists()  # the passport still waits for its check
        services.prereview_run(review_id=second.pk)
        notice = Notice.objects.get()
        assert notice.number == 1 and notice.created_by == system_user()
        assert [item["material"] for item in notice.items] == ["passport", "talent_certificate"]
        event = waiting_ticket.events.get(kind=EventKind.NOTICE)
        assert event.public and event.actor == notice.created_by

    def test_a_redelivered_task_sends_nothing_more(self, portal, waiting_ticket):
        talent = waiting_ticket.talent
        talent.phone = "+8613800000000"
        talent.save()
        _upload(portal, waiting_ticket, "talent_certificate", docs.blank_pdf())
        review = Review.objects.get()
        services.prereview_run(review_id=review.pk)
        services.prereview_run(review_id=review.pk)
        services.prereview_timed_out(review_id=review.pk)
        assert Notice.objects.count() == 1
        assert sorted(OutboxMessage.objects.filter(event="one_time_notice").values_list("channel", flat=True)) \
            == ["email", "sms"]

    def test_the_same_failure_again_is_not_told_twice(self, portal, waiting_ticket):
        _upload(portal, waiting_ticket, "talent_certificate", docs.blank_pdf())
        services.prereview_run(review_id=Review.objects.get().pk)
        _upload(portal, waiting_ticket, "talent_certificate", docs.blank_pdf())
        services.prereview_run(review_id=Review.objects.latest("id").pk)
        assert Notice.objects.count() == 1

    def test_a_passing_file_sends_no_notice(self, portal, waiting_ticket):
        _upload(portal, waiting_ticket, "talent_certificate",
                docs.text_pdf(["Talent recognition certificate", "WANG Siyuan"]))
        services.prereview_run(review_id=Review.objects.get().pk)
        assert not Notice.objects.exists()

    def test_a_closed_ticket_gets_no_notice(self, portal, waiting_ticket, officer):
        _upload(portal, waiting_ticket, "talent_certificate", docs.blank_pdf())
        waiting_ticket.refresh_from_db()
        assert waiting_ticket.state == "reviewing"  # handed back by the upload
        ticket_transition(ticket=waiting_ticket, action="reject", actor=officer.user,
                          note="Not eligible.")
        services.prereview_run(review_id=Review.objects.get().pk)
        assert not Notice.objects.exists()

    def test_the_task_path_sends_it_after_commit(self, portal, waiting_ticket, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            _upload(portal, waiting_ticket, "talent_certificate", docs.blank_pdf())
        assert Notice.objects.get().number == 1


def test_the_status_page_reads_the_prereview_and_the_notice_in_traditional_chinese(portal, failing_upload):
    portal.cookies["talentdesk_language"] = "zh-hant"
    html = portal.get(reverse("portal:ticket", args=[failing_upload.reference])).content.decode()
    assert "自動檢查發現此文件有以下問題：" in html
    assert "PDF 第一頁沒有文字也沒有掃描圖像，看起來是空白頁。" in html
    assert "PDF 第一页没有文字" not in html
