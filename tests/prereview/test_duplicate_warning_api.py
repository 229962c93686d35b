"""``POST /api/v1/tickets/`` warns before opening a likely duplicate: the talent already
has an open ticket of the category. 409 with those tickets, nothing opened, unless the
client confirms (``confirm_duplicate``); the rule is ``prereview.related.open_duplicates``,
the same one the intake page and the portal ask."""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from prereview.related import open_duplicates
from tickets.models import Ticket
from tickets.services import ticket_open, ticket_transition

pytestmark = pytest.mark.django_db


def _api(persona):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    token, _ = Token.objects.get_or_create(user=persona.user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def _open(clerk, talent, window, category="settlement", subject="Household registration"):
    return ticket_open(actor=clerk.user, talent=talent, category=category, channel="window",
                       subject=subject, window=window).ticket


def _body(talent, window, **extra):
    return {"talent": talent.pk, "category": "settlement", "channel": "hotline",
            "subject": "Moving my family", "window": window.pk, **extra}


def test_an_unconfirmed_duplicate_is_answered_409_and_nothing_is_opened(clerk, talent, window):
    first = _open(clerk, talent, window)
    response = _api(clerk).post(reverse("api:tickets"), _body(talent, window), format="json")
    assert response.status_code == 409
    body = response.json()
    assert body["detail"] == (f"This talent already has an open ticket of this category ({first.reference}). "
                              "Send “confirm_duplicate”: true to open another one anyway.")
    assert body["duplicates"] == [{"reference": first.reference, "category": "settlement",
                                   "state": first.state, "created_at": body["duplicates"][0]["created_at"]}]
    assert list(Ticket.objects.all()) == [first]


def test_a_confirmed_duplicate_is_opened_and_the_relation_recorded(clerk, talent, window):
    first = _open(clerk, talent, window)
    response = _api(clerk).post(reverse("api:tickets"), _body(talent, window, confirm_duplicate=True),
                                format="json")
    assert response.status_code == 201
    second = Ticket.objects.get(reference=response.json()["reference"])
    assert second.events.get(kind="note").data == {
        "related": [{"reference": first.reference, "kind": "open_same_category"}]}


def test_the_same_key_after_a_409_opens_once_confirmed_and_replays(clerk, talent, window):
    _open(clerk, talent, window)
    client = _api(clerk)
    assert client.post(reverse("api:tickets"), _body(talent, window), format="json",
                       HTTP_IDEMPOTENCY_KEY="k-1").status_code == 409
    created = client.post(reverse("api:tickets"), _body(talent, window, confirm_duplicate=True),
                          format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert created.status_code == 201
    replay = client.post(reverse("api:tickets"), _body(talent, window, confirm_duplicate=True),
                         format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert replay.status_code == 201 and replay["Idempotent-Replayed"] == "true"
    assert replay.json()["reference"] == created.json()["reference"]
    assert Ticket.objects.count() == 2


def test_another_category_or_a_finished_ticket_is_no_duplicate(clerk, officer, talent, window):
    _open(clerk, talent, window, category="transport", subject="Parking permit")
    assert _api(clerk).post(reverse("api:tickets"), _body(talent, window), format="json").status_code == 201
    # a settlement ticket that was rejected is not open any more
    other = _open(clerk, talent, window)
    ticket_transition(ticket=other, action="reject", actor=officer.user, note="Not eligible.")
    assert [t.reference for t in open_duplicates(talent_id=talent.pk, category="settlement",
                                                 scope=Ticket.objects.all())] \
        == [Ticket.objects.get(subject="Moving my family").reference]


def test_a_new_talent_never_has_a_duplicate(clerk, window):
    response = _api(clerk).post(reverse("api:tickets"), {
        "new_talent": {"native_name": "赵敏", "latin_name": "Zhao Min", "nationality": "SG",
                       "document_type": "passport", "document_number": "K12345678"},
        "category": "settlement", "channel": "hotline", "subject": "Moving", "window": window.pk},
        format="json")
    assert response.status_code == 201, response.content


def test_confirm_duplicate_must_be_a_boolean(clerk, talent, window):
    response = _api(clerk).post(reverse("api:tickets"), _body(talent, window, confirm_duplicate="perhaps"),
                                format="json")
    assert response.status_code == 400
    assert response.json() == {"confirm_duplicate": ["Must be a valid boolean."]}


def test_bad_input_is_a_400_before_any_duplicate_check(clerk, talent, window):
    _open(clerk, talent, window)
    response = _api(clerk).post(reverse("api:tickets"), _body(talent, window, subject=""), format="json")
    assert response.status_code == 400
    assert response.json() == {"subject": ["This field may not be blank."]}


def test_the_schema_documents_the_409_and_the_confirmation(clerk):
    schema = _api(clerk).get(reverse("api:schema"), {"format": "json"}).json()
    post = schema["paths"]["/api/v1/tickets/"]["post"]
    assert "409" in post["responses"]
    assert "confirm_duplicate" in schema["components"]["schemas"]["TicketCreateRequest"]["properties"]
