"""The talent directory in the workspace follows the API's rule (issue #10, finding 1):
intake search only within the centre, document numbers only whole (or the last four),
found-by-document recorded, phone masked in the results, out-of-scope ids refused."""

import re

import pytest

from centres.models import Window
from talents.models import AccessKind, SensitiveAccess
from tickets.models import Ticket

pytestmark = pytest.mark.django_db


def _results(client, htmx, q):
    response = client.get("/intake/", {"q": q}, **htmx("talent-results"))
    assert response.status_code == 200
    return [int(pk) for pk in re.findall(r'name="talent" value="(\d+)"', response.content.decode())]


def test_a_growing_suffix_finds_nothing_at_another_centre(login, outsider, talent, htmx):
    client = login(outsider)
    for n in range(1, len("E12345678")):
        assert _results(client, htmx, "E12345678"[-n:]) == [], n
    assert _results(client, htmx, "siyuan") == []
    assert not SensitiveAccess.objects.exists()


def test_the_whole_number_finds_the_walk_in_and_is_recorded(login, outsider, talent, htmx):
    assert _results(login(outsider), htmx, "E12345678") == [talent.pk]
    access = SensitiveAccess.objects.get()
    assert (access.kind, access.user, access.talent) == (AccessKind.DOCUMENT_SEARCH, outsider.user, talent)


def test_in_scope_the_last_four_find_and_five_do_not(login, clerk, talent, htmx):
    client = login(clerk)
    assert _results(client, htmx, "5678") == [talent.pk]
    assert _results(client, htmx, "45678") == []


def test_results_show_the_phone_masked(login, clerk, talent, htmx):
    body = login(clerk).get("/intake/", {"q": "siyuan"}, **htmx("talent-results")).content.decode()
    assert talent.phone not in body and talent.phone[-4:] in body


def test_intake_refuses_a_talent_outside_the_directory(login, outsider, talent, other_window):
    client = login(outsider)
    response = client.post("/intake/", {
        "client_token": "token-x", "talent": str(talent.pk), "channel": "window",
        "category": "settlement", "priority": "normal", "subject": "Walk-in",
        "window": other_window.pk}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422
    assert response.context["form"].errors["talent"] == ["This talent no longer exists; search again."]
    assert not Ticket.objects.exists()


def test_intake_serves_the_walk_in_found_by_the_whole_number(login, outsider, talent, other_window, htmx):
    client = login(outsider)
    assert _results(client, htmx, "E12345678") == [talent.pk]
    response = client.post("/intake/", {
        "client_token": "token-y", "talent": str(talent.pk), "channel": "window", "q": "E12345678",
        "category": "settlement", "priority": "normal", "subject": "Walk-in",
        "window": Window.objects.get(pk=other_window.pk).pk})
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert (ticket.talent, ticket.centre_id) == (talent, other_window.centre_id)
