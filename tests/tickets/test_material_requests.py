"""Issue #12, point 3: a request for materials names the items asked for; the talent is
asked for exactly those (page, API, portal, messages: tickets.material_requests), and a
reply while one is still missing stays a reply instead of "documents received"."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from rest_framework.test import APIClient

from notifications.models import Channel, OutboxMessage
from portal.services import portal_hand_back, portal_reply
from tickets.material_requests import asked_for, hand_back_ready
from tickets.models import EventKind, MaterialStatus
from tickets.services import material_update, ticket_transition

pytestmark = pytest.mark.django_db


def _asked(ticket):
    return [item.material_id for item in asked_for(ticket.materials.all())]


def _request(ticket, officer, requested=None, note="Please send these."):
    return ticket_transition(ticket=ticket, action="request_materials", actor=officer.user,
                             note=note, requested=requested)


def test_a_request_asks_for_exactly_the_ticked_items(open_ticket, officer):
    event = _request(open_ticket, officer, ["degree_certificate", "marriage_certificate"])
    assert event.data["requested"] == ["degree_certificate", "marriage_certificate"]
    assert _asked(open_ticket) == ["degree_certificate", "marriage_certificate"]
    # passport, talent certificate and employment contract are missing too, but not asked for
    assert set(open_ticket.materials.filter(requested=True).values_list("material_id", flat=True)) == {
        "degree_certificate", "marriage_certificate"}


def test_a_request_without_items_asks_for_what_is_missing(open_ticket, officer):
    _request(open_ticket, officer)
    assert _asked(open_ticket) == ["passport", "talent_certificate", "employment_contract",
                                   "degree_certificate"]


def test_a_later_request_replaces_the_earlier_one(open_ticket, officer):
    _request(open_ticket, officer, ["passport", "degree_certificate"])
    ticket_transition(ticket=open_ticket, action="materials_provided", actor=officer.user)
    _request(open_ticket, officer, ["talent_certificate"])
    assert _asked(open_ticket) == ["talent_certificate"]


def test_an_item_leaves_the_list_once_sent_or_received(open_ticket, officer):
    _request(open_ticket, officer, ["passport", "degree_certificate"])
    material_update(material=open_ticket.materials.get(material_id="passport"), actor=officer.user,
                    status=MaterialStatus.RECEIVED)
    assert _asked(open_ticket) == ["degree_certificate"]
    assert not hand_back_ready(open_ticket.materials.all())
    material_update(material=open_ticket.materials.get(material_id="degree_certificate"),
                    actor=officer.user, status=MaterialStatus.RECEIVED)
    assert hand_back_ready(open_ticket.materials.all())


@pytest.mark.parametrize(("requested", "message"), [
    (["library_card"], "Not a material of this ticket: library_card."),
])
def test_unknown_items_are_named_and_nothing_changes(open_ticket, officer, requested, message):
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        _request(open_ticket, officer, requested)
    assert caught.value.message_dict == {"requested": [message]}
    open_ticket.refresh_from_db()
    assert open_ticket.state == "new" and not open_ticket.materials.filter(requested=True).exists()


def test_a_received_item_cannot_be_asked_for_again(open_ticket, officer):
    material_update(material=open_ticket.materials.get(material_id="passport"), actor=officer.user,
                    status=MaterialStatus.RECEIVED)
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        _request(open_ticket, officer, ["passport"])
    assert caught.value.message_dict == {"requested": ["Already received: Passport or valid identity document."]}


def test_only_the_request_names_items(open_ticket, officer):
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        ticket_transition(ticket=open_ticket, action="start_review", actor=officer.user,
                          requested=["passport"])
    assert caught.value.message_dict == {"requested": ["Only a request for materials names items."]}


def test_the_talents_message_lists_exactly_the_items_asked_for(open_ticket, officer):
    _request(open_ticket, officer, ["degree_certificate"], note="Your degree, please.")
    email = OutboxMessage.objects.get(ticket=open_ticket, channel=Channel.EMAIL, event="material_requested")
    assert "Still missing:\n- Degree certificate with authentication\n" in email.body
    assert "Passport" not in email.body


class TestTheTalentsReply:
    def test_a_reply_while_an_item_is_missing_is_logged_as_a_reply(self, open_ticket, officer, talent):
        _request(open_ticket, officer, ["degree_certificate", "passport"])
        material_update(material=open_ticket.materials.get(material_id="passport"), actor=officer.user,
                        status=MaterialStatus.RECEIVED)
        portal_reply(ticket=open_ticket, talent=talent, body="The degree follows next week.",
                     hand_back=True)
        open_ticket.refresh_from_db()
        assert open_ticket.state == "waiting_talent"
        last = open_ticket.events.order_by("-created_at", "-id").first()
        assert (last.kind, last.by_talent, last.action) == (EventKind.TALENT_REPLY, True, "")
        assert not open_ticket.events.filter(action="materials_provided").exists()

    def test_handing_back_while_an_item_is_missing_names_it(self, open_ticket, officer, talent):
        _request(open_ticket, officer, ["degree_certificate"])
        with translation.override("en"), pytest.raises(ValidationError) as caught:
            portal_hand_back(ticket=open_ticket, talent=talent)
        assert caught.value.message_dict == {"action": [
            "Still missing: Degree certificate with authentication. Upload them first, or write "
            "to your officer."]}

    def test_once_everything_asked_is_in_the_reply_hands_the_ticket_back(self, open_ticket, officer, talent):
        _request(open_ticket, officer, ["degree_certificate"])
        material_update(material=open_ticket.materials.get(material_id="degree_certificate"),
                        actor=officer.user, status=MaterialStatus.RECEIVED)
        portal_reply(ticket=open_ticket, talent=talent, body="Here it is.", hand_back=True)
        open_ticket.refresh_from_db()
        assert open_ticket.state == "reviewing"  # passport etc. were not asked for

    def test_the_talent_cannot_hand_back_around_the_rule(self, open_ticket, officer, talent):
        _request(open_ticket, officer, ["degree_certificate"])
        with translation.override("en"), pytest.raises(ValidationError) as caught:
            ticket_transition(ticket=open_ticket, action="materials_provided", talent=talent)
        assert caught.value.message_dict == {"action": ["Some documents you were asked for are still missing."]}


def test_the_api_names_the_items_and_shows_them_on_the_materials(open_ticket, officer):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.force_authenticate(officer.user)
    url = f"/api/v1/tickets/{open_ticket.reference}/transitions/"
    bad = client.post(url, {"action": "request_materials", "note": "x", "requested": ["nope"]},
                      format="json")
    assert bad.status_code == 400
    assert bad.json()["requested"] == ["Not a material of this ticket: nope."]
    response = client.post(url, {"action": "request_materials", "note": "Two more, please.",
                                 "requested": ["passport", "birth_certificate"]}, format="json")
    assert response.status_code == 200
    flags = {m["material_id"]: m["requested"] for m in response.json()["materials"]}
    assert [m for m, flag in flags.items() if flag] == ["passport", "birth_certificate"]
