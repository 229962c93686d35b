"""Uploads: checked by content, bounded in size and number, stored under our own names,
served only to whom may see them, always as a download."""

import hashlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from prereview.models import Attachment
from talents.models import AccessKind, SensitiveAccess
from tests.portal.conftest import HTML, JPEG, PDF, PNG, page, pdf
from tickets.models import EventKind, MaterialStatus
from tickets.services import material_update

pytestmark = pytest.mark.django_db


def _upload_url(ticket, material_id="talent_certificate"):
    item = ticket.materials.get(material_id=material_id)
    return reverse("portal:upload", args=[ticket.reference, item.pk])


def _files_under(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


class TestAcceptedUpload:
    def test_pdf_is_stored_the_material_submitted_and_the_case_handed_back(
        self, portal, waiting_ticket, upload_root
    ):
        response = portal.post(_upload_url(waiting_ticket), {"file": pdf("certificate.pdf")})
        assert response.status_code == 302
        attachment = Attachment.objects.get()
        assert attachment.content_type == "application/pdf"
        assert attachment.size == len(PDF)
        assert attachment.sha256 == hashlib.sha256(PDF).hexdigest()
        assert attachment.original_name == "certificate.pdf"
        assert attachment.material.material_id == "talent_certificate"
        stored = upload_root / attachment.stored_name
        assert stored.read_bytes() == PDF
        assert stored.stat().st_mode & 0o777 == 0o640
        assert "certificate" not in attachment.stored_name  # a generated name

        waiting_ticket.refresh_from_db()
        assert attachment.material.status == MaterialStatus.SUBMITTED  # the officer decides
        assert waiting_ticket.state == "reviewing"  # materials_provided, by the talent
        assert waiting_ticket.sla_paused_at is None  # the clock resumes
        upload = waiting_ticket.events.get(kind=EventKind.UPLOAD)
        assert upload.public and upload.by_talent
        assert upload.data["attachment"] == str(attachment.key)
        handed = waiting_ticket.events.filter(kind=EventKind.TRANSITION, by_talent=True).get()
        assert handed.action == "materials_provided"

    @pytest.mark.parametrize("content,kind", [(JPEG, "image/jpeg"), (PNG, "image/png")],
                             ids=["jpeg", "png"])
    def test_jpeg_and_png_by_their_bytes(self, portal, waiting_ticket, content, kind):
        upload = SimpleUploadedFile("photo", content, content_type="application/octet-stream")
        assert portal.post(_upload_url(waiting_ticket), {"file": upload}).status_code == 302
        attachment = Attachment.objects.get()
        assert attachment.content_type == kind
        assert attachment.original_name == "photo" + (".jpg" if kind == "image/jpeg" else ".png")

    def test_the_case_stays_with_the_talent_while_documents_are_missing(
        self, portal, waiting_ticket, officer
    ):
        passport = waiting_ticket.materials.get(material_id="passport")
        material_update(material=passport, actor=officer.user, status=MaterialStatus.REJECTED,
                        reason="Expired.")
        portal.post(_upload_url(waiting_ticket), {"file": pdf()})
        waiting_ticket.refresh_from_db()
        assert waiting_ticket.state == "waiting_talent"
        assert waiting_ticket.sla_paused_at is not None
        portal.post(_upload_url(waiting_ticket, "passport"), {"file": pdf("passport.pdf")})
        waiting_ticket.refresh_from_db()
        assert waiting_ticket.state == "reviewing"

    def test_officer_can_still_reject_an_uploaded_document(self, portal, waiting_ticket, officer):
        portal.post(_upload_url(waiting_ticket), {"file": pdf()})
        item = waiting_ticket.materials.get(material_id="talent_certificate")
        material_update(material=item, actor=officer.user, status=MaterialStatus.REJECTED,
                        reason="Unreadable.")
        html = portal.get(page(waiting_ticket)).content.decode()
        assert "Unreadable." in html
        assert html.count(_upload_url(waiting_ticket)) == 1  # can upload again

    def test_upload_while_not_waiting_marks_submitted_without_a_transition(self, portal, open_ticket):
        assert portal.post(_upload_url(open_ticket, "passport"), {"file": pdf()}).status_code == 302
        open_ticket.refresh_from_db()
        assert open_ticket.state == "new"
        assert open_ticket.materials.get(material_id="passport").status == MaterialStatus.SUBMITTED


class TestRefusedUpload:
    def test_html_renamed_to_pdf_is_refused(self, portal, waiting_ticket, upload_root):
        evil = pdf("certificate.pdf", content=HTML, content_type="application/pdf")
        response = portal.post(_upload_url(waiting_ticket), {"file": evil})
        assert response.status_code == 400
        assert "Only PDF, JPEG and PNG files can be uploaded." in response.content.decode()
        assert not Attachment.objects.exists()
        assert _files_under(upload_root) == []
        assert waiting_ticket.materials.get(material_id="talent_certificate").status == "pending"

    def test_oversize_file_is_refused_while_receiving(self, portal, waiting_ticket, settings,
                                                      upload_root):
        settings.TALENTDESK_UPLOAD_MAX_BYTES = 1024 * 1024
        big = pdf("big.pdf", content=PDF + b"0" * (1024 * 1024))
        response = portal.post(_upload_url(waiting_ticket), {"file": big})
        assert response.status_code == 400
        assert "larger than 1 MB" in response.content.decode()
        assert not Attachment.objects.exists()
        assert _files_under(upload_root) == []

    def test_the_service_refuses_oversize_too(self, waiting_ticket, talent, settings):
        from django.core.exceptions import ValidationError

        from portal.services import portal_upload

        settings.TALENTDESK_UPLOAD_MAX_BYTES = 100
        item = waiting_ticket.materials.get(material_id="talent_certificate")
        with pytest.raises(ValidationError) as error:
            portal_upload(ticket=waiting_ticket, talent=talent, material=item,
                          upload=pdf(content=PDF + b"0" * 100))
        assert "file" in error.value.message_dict

    def test_path_traversal_name_cannot_leave_the_upload_root(self, portal, waiting_ticket,
                                                             upload_root, tmp_path):
        name = "../../../../outside/evil.pdf"
        assert portal.post(_upload_url(waiting_ticket), {"file": pdf(name)}).status_code == 302
        attachment = Attachment.objects.get()
        assert attachment.original_name == "evil.pdf"
        assert ".." not in attachment.stored_name
        assert not (tmp_path / "outside").exists()
        files = _files_under(upload_root)
        assert files == [upload_root / attachment.stored_name]

    def test_windows_path_and_control_characters_are_cleaned(self):
        from prereview.uploads import clean_name

        assert clean_name("C:\\Users\\me\\scan.pdf") == "scan.pdf"
        assert clean_name("a\x00b\nc.pdf") == "abc.pdf"
        assert clean_name("\u202eevil.pdf") == "evil.pdf"  # no right-to-left override tricks
        assert clean_name("../..") == "document"
        assert len(clean_name("x" * 500 + ".pdf")) == 120

    def test_a_wrong_extension_is_replaced_by_the_checked_type(self, portal, waiting_ticket):
        portal.post(_upload_url(waiting_ticket), {"file": pdf("page.html")})
        assert Attachment.objects.get().original_name == "page.pdf"

    def test_count_limit_per_ticket(self, portal, open_ticket, settings):
        settings.TALENTDESK_UPLOAD_MAX_PER_TICKET = 2
        assert portal.post(_upload_url(open_ticket, "passport"), {"file": pdf()}).status_code == 302
        assert portal.post(_upload_url(open_ticket, "degree_certificate"), {"file": pdf()}).status_code == 302
        response = portal.post(_upload_url(open_ticket, "employment_contract"), {"file": pdf()})
        assert response.status_code == 400
        assert "already has 2 files" in response.content.decode()
        assert Attachment.objects.count() == 2

    def test_a_received_document_takes_no_second_upload(self, portal, waiting_ticket):
        response = portal.post(_upload_url(waiting_ticket, "passport"), {"file": pdf()})
        assert response.status_code == 400
        assert not Attachment.objects.exists()

    def test_no_file_is_named(self, portal, waiting_ticket):
        response = portal.post(_upload_url(waiting_ticket), {})
        assert response.status_code == 400
        assert 'id="upload-errors-' in response.content.decode()

    def test_no_upload_after_resolution(self, portal, waiting_ticket, officer):
        from tickets.services import ticket_transition

        item = waiting_ticket.materials.get(material_id="talent_certificate")
        material_update(material=item, actor=officer.user, status=MaterialStatus.RECEIVED)
        for action, note in [("materials_provided", ""), ("submit_to_police", ""), ("resolve", "ok")]:
            ticket_transition(ticket=waiting_ticket, action=action, actor=officer.user, note=note)
        response = portal.post(_upload_url(waiting_ticket, "marriage_certificate"), {"file": pdf()})
        assert response.status_code == 400
        assert not Attachment.objects.exists()

    def test_material_of_another_ticket_is_not_found(self, portal, waiting_ticket, second_ticket):
        foreign = second_ticket.materials.first()
        url = reverse("portal:upload", args=[waiting_ticket.reference, foreign.pk])
        assert portal.post(url, {"file": pdf()}).status_code == 404

    def test_get_is_not_allowed(self, portal, waiting_ticket):
        assert portal.get(_upload_url(waiting_ticket)).status_code == 405


class TestDownload:
    @pytest.fixture
    def attachment(self, portal, waiting_ticket):
        portal.post(_upload_url(waiting_ticket), {"file": pdf("证书 scan.pdf")})
        return Attachment.objects.get()

    def _url(self, attachment):
        return reverse("portal:attachment", kwargs={"key": attachment.key})

    def test_the_talent_downloads_it_as_an_attachment(self, portal, attachment):
        response = portal.get(self._url(attachment))
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert "filename*=utf-8''" in response["Content-Disposition"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "no-store" in response["Cache-Control"]
        assert response["Referrer-Policy"] == "no-referrer"

    def test_anonymous_visitor_gets_not_found(self, attachment):
        assert Client().get(self._url(attachment)).status_code == 404

    def test_another_talent_gets_not_found(self, attachment, second_ticket, sign_in):
        other = Client()
        sign_in(other, second_ticket)
        assert other.get(self._url(attachment)).status_code == 404

    def test_officer_in_scope_downloads_it(self, attachment, officer):
        staff = Client()
        staff.force_login(officer.user)
        assert staff.get(self._url(attachment)).status_code == 200

    def test_officer_of_another_centre_gets_not_found(self, attachment, outsider):
        staff = Client()
        staff.force_login(outsider.user)
        assert staff.get(self._url(attachment)).status_code == 404
        assert not SensitiveAccess.objects.exists()

    def test_a_staff_download_is_recorded_and_the_talents_own_is_not(self, portal, attachment, officer):
        assert portal.get(self._url(attachment)).status_code == 200
        assert not SensitiveAccess.objects.exists()
        staff = Client()
        staff.force_login(officer.user)
        assert staff.get(self._url(attachment)).status_code == 200
        access = SensitiveAccess.objects.get()
        assert (access.kind, access.user, access.ticket, access.talent, access.detail) == (
            AccessKind.DOWNLOAD, officer.user, attachment.ticket, attachment.ticket.talent, "证书 scan.pdf")

    def test_unknown_key_is_not_found(self, portal):
        url = reverse("portal:attachment", kwargs={"key": "00000000-0000-0000-0000-000000000000"})
        assert portal.get(url).status_code == 404

    def test_the_static_root_never_holds_uploads(self, attachment, upload_root, settings):
        stored = (upload_root / attachment.stored_name).resolve()
        assert stored.is_file()
        assert Path(settings.STATIC_ROOT).resolve() not in stored.parents
