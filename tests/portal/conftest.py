"""Portal fixtures: a talent with a ticket waiting for documents, a signed-in portal client,
and small files of each kind (real magic bytes, not real documents)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tickets.links import status_path
from tickets.models import MaterialStatus
from tickets.services import material_update, ticket_open, ticket_transition

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40
HTML = b"<!doctype html><script>alert(document.cookie)</script>"


def portal_state(client) -> dict | None:
    """The portal session the client's signed cookie carries, or None."""
    from django.core import signing

    from portal import session

    cookie = client.cookies.get(session.COOKIE)
    if cookie is None or not cookie.value:
        return None
    return signing.loads(cookie.value, salt=session.SALT)


def pdf(name="scan.pdf", content=PDF, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture(autouse=True)
def _english(client):
    """Tests read the English texts unless they choose otherwise (the default is Chinese)."""
    client.cookies["talentdesk_language"] = "en"


@pytest.fixture(autouse=True)
def _uploads_in_a_fresh_directory(upload_root):
    return upload_root


@pytest.fixture
def waiting_ticket(open_ticket, officer):
    """The officer asked for the talent recognition certificate; everything else is in."""
    for item in open_ticket.materials.filter(required=True).exclude(material_id="talent_certificate"):
        material_update(material=item, actor=officer.user, status=MaterialStatus.RECEIVED)
    ticket_transition(ticket=open_ticket, action="start_review", actor=officer.user)
    ticket_transition(ticket=open_ticket, action="request_materials", actor=officer.user,
                      note="Please upload your talent recognition certificate.")
    open_ticket.refresh_from_db()
    return open_ticket


@pytest.fixture
def sign_in():
    """``sign_in(client, ticket)`` opens the ticket's signed link, as the QR code does."""

    def go(client, ticket):
        response = client.get(status_path(ticket))
        assert response.status_code == 302, response.content[:300]
        return response

    return go


@pytest.fixture
def portal(client, open_ticket, sign_in):
    """A client signed in to the portal as ``talent`` (through ``open_ticket``'s link)."""
    sign_in(client, open_ticket)
    return client


@pytest.fixture
def second_talent(officer):
    from tests.factories import TalentFactory

    return TalentFactory(native_name="李明", latin_name="Li Ming", document_number="P99887766",
                         dedicated_officer=officer)


@pytest.fixture
def second_ticket(clerk, second_talent, window):
    return ticket_open(actor=clerk.user, talent=second_talent, category="transport", channel="window",
                       subject="Parking permit", window=window).ticket


def page(ticket):
    return reverse("portal:ticket", kwargs={"reference": ticket.reference})
