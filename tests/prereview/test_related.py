"""Related and possibly duplicate tickets of one talent: the rule, and the API list."""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from prereview.related import related_tickets, related_to, similarity, trigrams
from tickets.models import Ticket
from tickets.services import ticket_open

pytestmark = pytest.mark.django_db


def _open(clerk, talent, window, category, subject):
    return ticket_open(actor=clerk.user, talent=talent, category=category, channel="window",
                       subject=subject, window=window).ticket


def test_trigrams_follow_pg_trgm():
    assert trigrams("cat") == {"  c", " ca", "cat", "at "}
    assert similarity("Parking permit", "parking permit") == 1.0
    assert similarity("Parking permit", "Driving licence exchange") == 2 / 37  # "ing", "ng "
    assert similarity("", "anything") == 0.0


def test_open_ticket_of_the_same_category_is_a_likely_duplicate(clerk, talent, window):
    first = _open(clerk, talent, window, "settlement", "Household registration for my family")
    found = related_tickets(talent_id=talent.pk, category="settlement", subject="Something else entirely",
                            scope=Ticket.objects.all())
    assert [(r.ticket, r.kind) for r in found] == [(first, "open_same_category")]


def test_similar_subject_in_another_category_is_related(clerk, talent, window):
    first = _open(clerk, talent, window, "transport", "Exchange my driving licence")
    found = related_tickets(talent_id=talent.pk, category="settlement", subject="Exchange of driving licence",
                            scope=Ticket.objects.all())
    assert [(r.ticket, r.kind) for r in found] == [(first, "similar_subject")]
    assert found[0].similarity >= 0.3


def test_another_talents_ticket_and_an_unrelated_subject_are_not_listed(clerk, talent, window, second_talent):
    _open(clerk, second_talent, window, "settlement", "Household registration")
    _open(clerk, talent, window, "transport", "Parking permit at the office")
    assert related_tickets(talent_id=talent.pk, category="settlement", subject="Household registration",
                           scope=Ticket.objects.all()) == []


def test_the_ticket_itself_is_not_its_own_duplicate(clerk, talent, window):
    first = _open(clerk, talent, window, "settlement", "Household registration")
    second = _open(clerk, talent, window, "settlement", "Household registration")
    assert [r.ticket for r in related_to(second, scope=Ticket.objects.all())] == [first]


def _api(persona):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    token, _ = Token.objects.get_or_create(user=persona.user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def test_api_lists_related_tickets_the_caller_may_see(clerk, talent, window, supervisor):
    first = _open(clerk, talent, window, "settlement", "Household registration for my family")
    second = _open(clerk, talent, window, "settlement", "Household registration, family")
    response = _api(supervisor).get(reverse("api:ticket-related", args=[second.reference]))
    assert response.status_code == 200
    assert response.json() == [{
        "reference": first.reference, "category": "settlement", "subject": first.subject, "state": "new",
        "created_at": response.json()[0]["created_at"], "kind": "open_same_category", "similarity": None}]


def test_api_related_of_a_ticket_outside_scope_is_404(clerk, talent, window, outsider):
    ticket = _open(clerk, talent, window, "settlement", "Household registration")
    assert _api(outsider).get(reverse("api:ticket-related", args=[ticket.reference])).status_code == 404


def test_api_related_of_an_unknown_reference_is_404(supervisor):
    assert _api(supervisor).get(reverse("api:ticket-related", args=["TD-2026-999999"])).status_code == 404


class TestIntake:
    def _client(self, client, persona):
        client.force_login(persona.user)
        client.cookies["django_language"] = "en"
        return client

    def test_the_clerk_is_told_before_submitting(self, client, clerk, talent, window):
        first = _open(clerk, talent, window, "settlement", "Household registration for my family")
        response = self._client(client, clerk).get(
            "/intake/", {"talent": talent.pk, "category": "settlement", "subject": "Registration"},
            HTTP_HX_REQUEST="true", HTTP_HX_TARGET="intake-related", HTTP_ACCEPT_LANGUAGE="en")
        body = response.content.decode()
        assert response.status_code == 200
        assert body.lstrip().startswith('<div id="intake-related"')  # only the swap target
        assert "This talent may already have this case:" in body
        assert f'<a href="/tickets/{first.reference}/">{first.reference}</a>' in body
        assert "still open, same category" in body

    def test_nothing_is_shown_for_a_talent_without_related_tickets(self, client, clerk, talent, window):
        response = self._client(client, clerk).get(
            "/intake/", {"talent": talent.pk, "category": "settlement", "subject": "Registration"},
            HTTP_HX_REQUEST="true", HTTP_HX_TARGET="intake-related")
        assert "This talent may already have this case:" not in response.content.decode()

    def test_garbage_talent_and_category_show_nothing_and_never_fail(self, client, clerk):
        response = self._client(client, clerk).get(
            "/intake/", {"talent": "1; drop table", "category": "../../etc", "subject": "x" * 5000},
            HTTP_HX_REQUEST="true", HTTP_HX_TARGET="intake-related")
        assert response.status_code == 200
        assert "This talent may already have this case:" not in response.content.decode()

    def test_opening_anyway_records_the_related_tickets(self, client, clerk, talent, window):
        first = _open(clerk, talent, window, "settlement", "Household registration for my family")
        response = self._client(client, clerk).post("/intake/", {
            "client_token": "token-related", "talent": talent.pk, "channel": "window", "category": "settlement",
            "priority": "normal", "subject": "Household registration", "description": "", "window": window.pk})
        assert response.status_code == 302
        second = Ticket.objects.exclude(pk=first.pk).get()
        note = second.events.get(kind="note")
        assert not note.public
        assert note.data == {"related": [{"reference": first.reference, "kind": "open_same_category"}]}

    def test_api_create_records_the_related_tickets_too(self, clerk, talent, window):
        first = _open(clerk, talent, window, "settlement", "Household registration for my family")
        response = _api(clerk).post(reverse("api:tickets"), {
            "talent": talent.pk, "category": "settlement", "channel": "hotline",
            "subject": "Household registration", "window": window.pk, "confirm_duplicate": True},
            format="json")
        assert response.status_code == 201
        second = Ticket.objects.get(reference=response.json()["reference"])
        assert second.events.get(kind="note").data == {
            "related": [{"reference": first.reference, "kind": "open_same_category"}]}

    def test_a_ticket_without_related_ones_gets_no_note(self, clerk, talent, window):
        response = _api(clerk).post(reverse("api:tickets"), {
            "talent": talent.pk, "category": "settlement", "channel": "hotline",
            "subject": "Household registration", "window": window.pk}, format="json")
        assert response.status_code == 201
        assert not Ticket.objects.get().events.filter(kind="note").exists()
