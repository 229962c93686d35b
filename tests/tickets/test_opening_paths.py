"""One way to open a ticket: the intake page and the API both go through ``ticket_open``,
so a repeated request, a conflicting one and a bad window get the same answer on either
path, and whoever opened a ticket can see it afterwards."""

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from staff.models import Role
from tests.factories import OfficerFactory, TalentFactory, UserFactory, WindowFactory
from tickets.models import Ticket

pytestmark = pytest.mark.django_db

CONFLICT = "This request key was already used for a different ticket."


def _api(persona):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    token, _ = Token.objects.get_or_create(user=persona.user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def _page(persona):
    client = Client()
    client.force_login(persona.user)
    client.cookies["talentdesk_language"] = "en"
    return client


def _fields(talent, window, **extra):
    fields = {"talent": talent.pk, "category": "settlement", "channel": "hotline",
              "subject": "Moving my hukou", "description": "Called the hotline",
              "priority": "high", "window": window.pk, "materials": ["passport"]}
    fields.update(extra)
    return fields


def _api_open(persona, key, fields):
    body = {k: v for k, v in fields.items() if k != "materials"}
    body["materials_received"] = fields["materials"]
    return _api(persona).post("/api/v1/tickets/", body, format="json", HTTP_IDEMPOTENCY_KEY=key)


def _page_open(persona, key, fields):
    return _page(persona).post("/intake/", {**fields, "client_token": key})


class TestRepeatedRequests:
    def test_the_page_repeating_an_api_request_gets_the_same_ticket(self, clerk, talent, window):
        first = _api_open(clerk, "call-7", _fields(talent, window))
        assert first.status_code == 201
        again = _page_open(clerk, "call-7", _fields(talent, window))
        assert again.status_code == 302
        assert again["Location"] == f"/tickets/{first.json()['reference']}/receipt/"
        assert Ticket.objects.count() == 1

    def test_the_api_repeating_a_page_request_gets_the_same_ticket(self, clerk, talent, window):
        first = _page_open(clerk, "form-7", _fields(talent, window))
        reference = Ticket.objects.get().reference
        assert first["Location"] == f"/tickets/{reference}/receipt/"
        again = _api_open(clerk, "form-7", _fields(talent, window))
        assert (again.status_code, again.json()["reference"]) == (201, reference)
        assert again["Idempotent-Replayed"] == "true" and again.json()["access_code"] is None
        assert Ticket.objects.count() == 1

    def test_a_conflicting_request_gets_the_same_refusal_on_both_paths(self, clerk, talent, window):
        assert _api_open(clerk, "call-8", _fields(talent, window)).status_code == 201
        other = _fields(talent, window, subject="Another matter")
        api = _api_open(clerk, "call-8", other)
        page = _page_open(clerk, "call-8", other)
        assert (api.status_code, api.json()) == (422, {"detail": CONFLICT})
        assert page.status_code == 422
        assert page.context["form"].non_field_errors() == [CONFLICT]
        assert Ticket.objects.count() == 1


class TestWindows:
    def test_a_clerk_cannot_open_at_another_window_of_the_centre_on_either_path(
        self, clerk, talent, centre
    ):
        elsewhere = WindowFactory(centre=centre, code="general")
        api = _api_open(clerk, "w-1", _fields(talent, elsewhere))
        page = _page_open(clerk, "w-1", _fields(talent, elsewhere))
        assert (api.status_code, api.json()) == (400, {"window": ["You do not serve at this window."]})
        assert page.status_code == 422 and list(page.context["form"].errors) == ["window"]
        assert Ticket.objects.count() == 0


class TestOpenersSeeTheirTickets:
    @pytest.fixture
    def routed_elsewhere(self, centre):
        """A talent whose dedicated officer works at another window of the centre."""
        general = WindowFactory(centre=centre, code="general")
        holder = OfficerFactory(user=UserFactory(username="holder"), role=Role.OFFICER,
                                centre=centre, windows=[general])
        return TalentFactory(dedicated_officer=holder), holder

    def test_a_clerk_sees_the_hotline_ticket_they_opened_through_the_api(
        self, clerk, window, routed_elsewhere
    ):
        talent, holder = routed_elsewhere
        fields = _fields(talent, window)
        del fields["window"]
        response = _api_open(clerk, "hotline-1", fields)
        assert response.status_code == 201, response.content
        ticket = Ticket.objects.get()
        assert ticket.assignee == holder and ticket.window_id != window.pk  # not the clerk's queue
        assert _api(clerk).get(f"/api/v1/tickets/{ticket.reference}/").status_code == 200
        assert [t["reference"] for t in _api(clerk).get("/api/v1/tickets/").json()["results"]] == [
            ticket.reference]
        assert _page(clerk).get(f"/tickets/{ticket.reference}/").status_code == 200

    def test_a_clerk_sees_the_ticket_they_opened_on_the_page_through_the_api(
        self, clerk, window, routed_elsewhere
    ):
        talent, _holder = routed_elsewhere
        assert _page_open(clerk, "page-1", _fields(talent, window)).status_code == 302
        reference = Ticket.objects.get().reference
        assert _api(clerk).get(f"/api/v1/tickets/{reference}/").status_code == 200
        assert _page(clerk).get(f"/tickets/{reference}/").status_code == 200

    def test_another_clerk_of_another_window_does_not_see_it(self, clerk, centre, window,
                                                               routed_elsewhere):
        talent, _holder = routed_elsewhere
        fields = _fields(talent, window)
        del fields["window"]
        reference = _api_open(clerk, "hotline-2", fields).json()["reference"]
        desk = WindowFactory(centre=centre, code="desk")
        other = OfficerFactory(user=UserFactory(username="clerk2"), role=Role.WINDOW_STAFF,
                               centre=centre, windows=[desk])
        assert _api(other).get(f"/api/v1/tickets/{reference}/").status_code == 404
