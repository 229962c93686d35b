"""One masker for document numbers in free text (issue #10, privacy gaps): the function,
and every place text leaves the database — the staff ticket page and history, the API's
ticket, timeline and history, the portal, e-mail and SMS, the export's subject column."""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from core.masking import mask_documents
from notifications.models import Channel, OutboxMessage
from tests.api.conftest import url
from tickets.links import status_path
from tickets.services import ticket_comment, ticket_open, ticket_set_priority

pytestmark = pytest.mark.django_db

LEAKY = "Passport E12345678, son's ID 110101201001011234; call 13800001234 re TD-2026-000123"


@pytest.mark.parametrize(
    ("text", "known", "masked"),
    [
        ("Passport E12345678 expired", [], "Passport E1****78 expired"),
        ("护照号E12345678，请核对", [], "护照号E1****78，请核对"),
        ("ID 110101199003071234 and 11010119900307123X", [],
         "ID 11****34 and 11****3X"),
        ("old card 110101900307123", [], "old card 11****23"),
        ("permit H1234567801 and GBR440123456789", [], "permit H1****01 and GB****89"),
        ("my number is e 1234-5678", ["E12345678"], "my number is E1****78"),
        ("Taiwan permit 01234567", ["01234567"], "Taiwan permit 01****67"),
        ("call 13800001234 about TD-2026-000123 on 2026-12-02", [],
         "call 13800001234 about TD-2026-000123 on 2026-12-02"),
        ("", ["E12345678"], ""),
    ],
)
def test_the_masker_hides_document_numbers_in_text(text, known, masked):
    assert mask_documents(text, known) == masked


@pytest.fixture
def leaky_ticket(clerk, talent, window, officer):
    ticket = ticket_open(actor=clerk.user, talent=talent, category="settlement", channel="window",
                         subject="Renewal for E12345678", description=LEAKY, window=window).ticket
    ticket_comment(ticket=ticket, actor=officer.user, public=True,
                   body="We checked e12345678 against 110101201001011234.")
    ticket_comment(ticket=ticket, actor=officer.user, public=False, body="Internal: E12345678 ok")
    return ticket


def _staff(persona) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(persona.user)
    return client


def _api(persona) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=persona.user)[0].key}")
    return client


def _clean(text: str) -> None:
    assert "12345678" not in text
    assert "110101201001011234" not in text


def test_the_staff_ticket_page_masks_subject_replies_and_notes(officer, leaky_ticket):
    body = _staff(officer).get(f"/tickets/{leaky_ticket.reference}/").content.decode()
    _clean(body)
    assert "Renewal for E1****78" in body
    assert "We checked E1****78 against 11****34." in body and "Internal: E1****78 ok" in body


def test_the_staff_history_view_masks_free_text(supervisor, leaky_ticket):
    ticket_set_priority(ticket=leaky_ticket, priority="high", actor=supervisor.user,
                        reason="talent called about E12345678")
    body = _staff(supervisor).get(f"/tickets/{leaky_ticket.reference}/", {"tab": "history"}).content.decode()
    _clean(body)
    assert "talent called about E1****78" in body


def test_the_api_masks_subject_description_and_timeline(officer, leaky_ticket):
    client = _api(officer)
    detail = client.get(url("tickets", leaky_ticket.reference)).json()
    assert detail["subject"] == "Renewal for E1****78"
    assert detail["description"].startswith("Passport E1****78, son's ID 11****34;")
    listing = client.get(url("tickets")).content.decode()
    timeline = client.get(url("tickets", leaky_ticket.reference, "timeline")).content.decode()
    for text in (listing, timeline):
        _clean(text)
    assert "We checked E1****78 against 11****34." in timeline


def test_the_portal_masks_the_subject_and_replies(client, leaky_ticket):
    client.get(status_path(leaky_ticket))
    page = reverse("portal:ticket", kwargs={"reference": leaky_ticket.reference})
    body = client.get(page).content.decode()
    _clean(body)
    assert "Renewal for E1****78" in body


def test_email_and_sms_to_the_talent_are_masked(leaky_ticket):
    messages = OutboxMessage.objects.filter(ticket=leaky_ticket)
    assert {m.channel for m in messages} >= {Channel.EMAIL}
    for message in messages:
        _clean(message.subject + message.body)
    reply = messages.filter(event="reply", channel=Channel.EMAIL).get()
    assert "We checked E1****78 against 11****34." in reply.body
