"""The API asks the same confirmation as the page when the officer lacks the ticket's
category skill (issue 12, point 8: the rule lives in ``tickets.routing.lacks_skill``)."""

import pytest

from tests.factories import OfficerFactory, TalentFactory, UserFactory
from tickets.models import Ticket
from tickets.services import ticket_open

pytestmark = pytest.mark.django_db


@pytest.fixture
def narrow(centre, window):
    return OfficerFactory(user=UserFactory(username="narrow"), display_name="Narrow Nie", centre=centre,
                          windows=[window], skills=["transport"], capacity=12)


@pytest.fixture
def held(clerk, officer, window):
    talent = TalentFactory(dedicated_officer=officer, preferred_language="en", document_number="SKILL0001")
    return [ticket_open(actor=clerk.user, talent=talent, category="settlement", channel="window",
                        subject=f"Held {n}", window=window).ticket for n in range(2)]


def _assignee(ticket):
    return Ticket.objects.get(pk=ticket.pk).assignee


def test_the_api_asks_the_same_confirmation(api, supervisor, officer, narrow, held):
    client = api(supervisor)
    url = f"/api/v1/tickets/{held[1].reference}/assign/"
    refused = client.post(url, {"assignee": narrow.pk}, format="json")
    assert refused.status_code == 400
    assert refused.json()["confirm_missing_skill"] == [
        "Narrow Nie has no skill for Household registration: confirm to assign anyway."]
    assert _assignee(held[1]) == officer
    done = client.post(url, {"assignee": narrow.pk, "confirm_missing_skill": True}, format="json")
    assert done.status_code == 200 and _assignee(held[1]) == narrow
