"""A stale assignment through the API (issue #10, point 11): the ticket's ``version`` sent
back with the assignment; a ticket changed since answers 409 and keeps the newer change."""

import pytest

from tests.api.conftest import url
from tickets.models import Ticket

pytestmark = pytest.mark.django_db


def test_the_detail_carries_the_version(api, supervisor, open_ticket):
    body = api(supervisor).get(url("tickets", open_ticket.reference)).json()
    assert body["version"] == Ticket.objects.get(pk=open_ticket.pk).version


def test_a_stale_assignment_is_refused_with_409(api, supervisor, admin_officer, officer, second_officer,
                                                open_ticket):
    seen = api(supervisor).get(url("tickets", open_ticket.reference)).json()["version"]
    first = api(admin_officer).post(url("tickets", open_ticket.reference, "assign"),
                                    {"assignee": second_officer.pk, "version": seen}, format="json")
    assert first.status_code == 200 and first.json()["version"] != seen
    late = api(supervisor).post(url("tickets", open_ticket.reference, "assign"),
                                {"assignee": officer.pk, "version": seen}, format="json")
    assert late.status_code == 409
    assert late.json() == {"detail": "Someone changed this ticket after you opened it. Here is its "
                                     "current state; check it and try again."}
    assert Ticket.objects.get(pk=open_ticket.pk).assignee == second_officer


def test_an_assignment_without_a_version_still_applies(api, supervisor, second_officer, open_ticket):
    response = api(supervisor).post(url("tickets", open_ticket.reference, "assign"),
                                    {"assignee": second_officer.pk}, format="json")
    assert response.status_code == 200 and response.json()["assignee"]["id"] == second_officer.pk


def test_a_malformed_version_is_named(api, supervisor, second_officer, open_ticket):
    response = api(supervisor).post(url("tickets", open_ticket.reference, "assign"),
                                    {"assignee": second_officer.pk, "version": "yesterday"}, format="json")
    assert response.status_code == 400 and list(response.json()) == ["version"]
