"""The one-time notice: one message with everything still needed and why; a later notice
lists only what is still open; never the same notice twice."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from core.errors import ActionForbidden
from notifications.models import OutboxMessage
from prereview import services
from prereview.models import Notice, Review
from prereview.notices import notice_issue, notice_items
from tests.prereview import documents as docs
from tests.prereview.test_services import _upload
from tickets.models import EventKind, MaterialStatus
from tickets.services import material_update

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _service_messages_in_english():
    with translation.override("en"):
        yield


@pytest.fixture
def failing_upload(portal, waiting_ticket):
    """The talent uploaded a blank page for the certificate; pre-review failed it."""
    _upload(portal, waiting_ticket, "talent_certificate", docs.blank_pdf())
    services.prereview_run(review_id=Review.objects.get().pk)
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
    assert notice.number == 1
    messages = list(OutboxMessage.objects.order_by("id")[before:])
    assert [(m.event, m.channel, m.language) for m in messages] == [
        ("one_time_notice", "email", "en"), ("one_time_notice", "sms", "en")]
    email, sms = messages
    assert email.subject == f"[{failing_upload.reference}] Everything we still need from you"
    assert "1. Passport or valid identity document: Not accepted: The copy is cut off at the bottom." in email.body
    assert "2. Talent recognition certificate: The PDF's first page has neither text nor a scanned image: it looks blank." in email.body
    assert sms.body.startswith(f"[City Talent Centre] {failing_upload.reference}: we still need 2 documents: "
                               "Passport or valid identity document; Talent recognition certificate.")
    event = failing_upload.events.get(kind=EventKind.NOTICE)
    assert event.public and event.actor == officer.user
    assert event.data == {"notice": 1, "materials": ["passport", "talent_certificate"]}


def test_chinese_talent_gets_the_notice_in_chinese(failing_upload, officer):
    talent = failing_upload.talent
    talent.preferred_language, talent.phone = "zh", "+8613800000000"
    talent.save()
    notice_issue(ticket=failing_upload, actor=officer.user)
    sms = OutboxMessage.objects.get(event="one_time_notice", channel="sms")
    assert "一次性告知：还需 1 项材料：人才认定证明。" in sms.body


def test_the_same_list_twice_is_refused_and_a_later_notice_lists_only_what_is_open(
    failing_upload, officer, portal
):
    _reject_passport(failing_upload, officer)
    notice_issue(ticket=failing_upload, actor=officer.user)
    with pytest.raises(ValidationError) as error:
        notice_issue(ticket=failing_upload, actor=officer.user)
    assert error.value.message_dict == {"notice": ["The talent was already told exactly this in notice 1."]}
    # The talent sends a good certificate; the passport is still open.
    _upload(portal, failing_upload, "talent_certificate",
            docs.text_pdf(["Talent recognition certificate", "WANG Siyuan"]))
    services.prereview_run(review_id=Review.objects.order_by("-id").first().pk)
    second = notice_issue(ticket=failing_upload, actor=officer.user)
    assert second.number == 2
    assert [item["material"] for item in second.items] == ["passport"]


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
        assert "A notice now would tell the talent, at once:" in html
        response = client.post(reverse("workspace:ticket_notice", args=[failing_upload.reference]),
                               HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 302
        assert Notice.objects.get().number == 1

    def test_printable_page_is_bilingual(self, client, failing_upload, officer):
        notice_issue(ticket=failing_upload, actor=officer.user)
        client.force_login(officer.user)
        html = client.get(reverse("workspace:notice_print", args=[failing_upload.reference, 1])).content.decode()
        assert "一次性告知" in html and "One-time notice" in html
        assert "人才认定证明" in html and "Talent recognition certificate" in html
        assert "看起来是空白页" in html and "it looks blank" in html

    def test_printable_page_of_a_ticket_out_of_scope_is_404(self, client, failing_upload, officer, outsider):
        notice_issue(ticket=failing_upload, actor=officer.user)
        client.force_login(outsider.user)
        assert client.get(reverse("workspace:notice_print", args=[failing_upload.reference, 1])).status_code == 404

    def test_status_page_shows_the_notice_and_the_prereview_in_plain_words(self, portal, failing_upload, officer):
        notice_issue(ticket=failing_upload, actor=officer.user)
        html = portal.get(reverse("portal:ticket", args=[failing_upload.reference])).content.decode()
        assert "Everything we still need from you" in html
        assert "The automatic check found a problem with this file:" in html
        assert "The PDF&#x27;s first page has neither text nor a scanned image: it looks blank." in html
