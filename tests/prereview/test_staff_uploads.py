"""Staff attach files from the ticket page and through the API; both go through the one
upload service the portal uses (``prereview.uploads.attachment_upload``), so every file is
checked the same way and pre-reviewed by the worker after commit."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from prereview.models import Attachment, Review, Verdict
from tests.factories import UserFactory
from tests.portal.conftest import HTML, PDF
from tests.prereview import documents as docs
from tickets.models import EventKind, MaterialStatus
from tickets.services import material_update

pytestmark = pytest.mark.django_db


def _file(content=PDF, name="scan.pdf"):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _api(persona):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    user = getattr(persona, "user", persona)
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def _api_url(ticket, material_id="passport"):
    return reverse("api:ticket-material-attachments", args=[ticket.reference, material_id])


def _page_url(ticket, material_id="passport"):
    item = ticket.materials.get(material_id=material_id)
    return reverse("workspace:ticket_material_upload", args=[ticket.reference, item.pk])


def _staff_client(persona):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.cookies["talentdesk_language"] = "en"
    client.force_login(persona.user)
    return client


class TestTheApi:
    def test_an_officer_uploads_a_file_and_it_is_pre_reviewed_after_commit(
        self, open_ticket, officer, django_capture_on_commit_callbacks
    ):
        data = docs.text_pdf(["Passport copy", "WANG Siyuan", "E12345678"])
        with django_capture_on_commit_callbacks(execute=True):
            response = _api(officer).post(_api_url(open_ticket), {"file": _file(data, "护照.pdf")},
                                          format="multipart")
        assert response.status_code == 201, response.content
        body = response.json()
        attachment = Attachment.objects.get()
        assert body["key"] == str(attachment.key)
        assert body["material_id"] == "passport"
        assert body["material_status"] == "submitted"
        assert body["name"] == "护照.pdf"
        assert body["content_type"] == "application/pdf"
        assert body["prereview"]["status"] == "pending"  # as it was when the answer was made
        assert attachment.by_talent is False and attachment.uploaded_by == officer.user
        review = Review.objects.get(attachment=attachment)
        assert review.verdict != Verdict.PENDING and review.finished_at is not None
        item = open_ticket.materials.get(material_id="passport")
        assert item.status == MaterialStatus.SUBMITTED  # the officer still decides
        upload = open_ticket.events.get(kind=EventKind.UPLOAD)
        assert upload.actor == officer.user and not upload.by_talent and upload.public

    @pytest.mark.parametrize(("content", "message"), [
        (b"", "The submitted file is empty."),
        (HTML, "Only PDF, JPEG and PNG files can be uploaded."),
    ])
    def test_a_bad_file_is_refused_naming_the_field(self, open_ticket, officer, content, message):
        response = _api(officer).post(_api_url(open_ticket), {"file": _file(content, "x.pdf")},
                                      format="multipart")
        assert response.status_code == 400
        assert response.json() == {"file": [message]}
        assert not Attachment.objects.exists()

    def test_no_file_is_refused_naming_the_field(self, open_ticket, officer):
        response = _api(officer).post(_api_url(open_ticket), {}, format="multipart")
        assert response.status_code == 400
        assert response.json() == {"file": ["No file was submitted."]}

    def test_an_unknown_field_is_refused(self, open_ticket, officer):
        response = _api(officer).post(_api_url(open_ticket), {"file": _file(), "status": "received"},
                                      format="multipart")
        assert response.status_code == 400
        assert response.json() == {"status": ["Unknown field."]}
        assert not Attachment.objects.exists()

    def test_a_file_over_the_limit_is_refused_while_receiving(self, open_ticket, officer, settings):
        settings.TALENTDESK_UPLOAD_MAX_BYTES = 1024 * 1024
        big = PDF + b"0" * (1024 * 1024 + 10)
        response = _api(officer).post(_api_url(open_ticket), {"file": _file(big)}, format="multipart")
        assert response.status_code == 400
        assert response.json() == {"file": ["The file is larger than 1 MB."]}
        assert not Attachment.objects.exists()

    def test_json_is_refused_with_415(self, open_ticket, officer):
        response = _api(officer).post(_api_url(open_ticket), {"file": "x"}, format="json")
        assert response.status_code == 415

    def test_a_received_material_takes_no_more_files(self, open_ticket, officer):
        item = open_ticket.materials.get(material_id="passport")
        material_update(material=item, actor=officer.user, status=MaterialStatus.RECEIVED)
        response = _api(officer).post(_api_url(open_ticket), {"file": _file()}, format="multipart")
        assert response.status_code == 400
        assert response.json() == {"file": ["This document was already received."]}

    def test_the_count_per_ticket_is_bounded(self, open_ticket, officer, settings):
        settings.TALENTDESK_UPLOAD_MAX_PER_TICKET = 1
        client = _api(officer)
        assert client.post(_api_url(open_ticket), {"file": _file()}, format="multipart").status_code == 201
        response = client.post(_api_url(open_ticket, "talent_certificate"), {"file": _file()}, format="multipart")
        assert response.status_code == 400
        assert response.json() == {"file": ["This case already has 1 files; please contact your officer."]}

    def test_unknown_material_and_malformed_id_are_404(self, open_ticket, officer):
        client = _api(officer)
        assert client.post(_api_url(open_ticket, "nope"), {"file": _file()}, format="multipart").status_code == 404
        url = _api_url(open_ticket).replace("passport", "pass%00port")
        assert client.post(url, {"file": _file()}, format="multipart").status_code == 404

    def test_outside_the_scope_is_404_and_without_a_role_403(self, open_ticket, outsider):
        plain_user = UserFactory(username="plain")
        assert _api(outsider).post(_api_url(open_ticket), {"file": _file()},
                                   format="multipart").status_code == 404
        assert _api(plain_user).post(_api_url(open_ticket), {"file": _file()},
                                     format="multipart").status_code == 403
        assert APIClient().post(_api_url(open_ticket), {"file": _file()},
                                format="multipart").status_code == 401
        assert not Attachment.objects.exists()


class TestTheTicketPage:
    def test_the_page_offers_an_upload_form_per_open_material(self, open_ticket, officer):
        page = _staff_client(officer).get(reverse("workspace:ticket", args=[open_ticket.reference]))
        assert page.status_code == 200
        assert page.content.decode().count("data-attach-form") == open_ticket.materials.count()

    def test_an_officer_attaches_a_scan_and_it_is_pre_reviewed(
        self, open_ticket, officer, django_capture_on_commit_callbacks
    ):
        data = docs.text_pdf(["Passport copy", "WANG Siyuan"])
        with django_capture_on_commit_callbacks(execute=True):
            response = _staff_client(officer).post(_page_url(open_ticket), {"file": _file(data)})
        assert response.status_code == 302
        attachment = Attachment.objects.get()
        assert attachment.uploaded_by == officer.user and not attachment.by_talent
        assert Review.objects.get(attachment=attachment).finished_at is not None
        assert open_ticket.materials.get(material_id="passport").status == MaterialStatus.SUBMITTED

    def test_a_bad_file_shows_the_reason_next_to_the_material(self, open_ticket, officer):
        response = _staff_client(officer).post(_page_url(open_ticket), {"file": _file(HTML, "x.html")})
        assert response.status_code == 422
        assert "Only PDF, JPEG and PNG files can be uploaded." in response.content.decode()
        assert not Attachment.objects.exists()

    def test_no_file_is_refused(self, open_ticket, officer):
        response = _staff_client(officer).post(_page_url(open_ticket), {})
        assert response.status_code == 422
        assert "This field is required." in response.content.decode()

    def test_a_file_over_the_limit_is_refused(self, open_ticket, officer, settings):
        settings.TALENTDESK_UPLOAD_MAX_BYTES = 1024 * 1024
        response = _staff_client(officer).post(_page_url(open_ticket),
                                               {"file": _file(PDF + b"0" * (1024 * 1024 + 10))})
        assert response.status_code == 422
        assert "The file is larger than 1 MB." in response.content.decode()
        assert not Attachment.objects.exists()

    def test_csrf_is_checked(self, open_ticket, officer):
        client = Client(enforce_csrf_checks=True)
        client.force_login(officer.user)
        assert client.post(_page_url(open_ticket), {"file": _file()}).status_code == 403
        assert not Attachment.objects.exists()

    def test_outside_the_scope_is_404(self, open_ticket, outsider):
        assert _staff_client(outsider).post(_page_url(open_ticket), {"file": _file()}).status_code == 404
