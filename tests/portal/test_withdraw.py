"""A talent withdraws their own open case from the portal, with a confirmation and a
reason, through the workflow's withdraw action; nobody else's."""

import pytest
from django.urls import reverse

from tickets.models import EventKind, TimelineEvent
from tickets.services import ticket_open

pytestmark = pytest.mark.django_db


@pytest.fixture
def schooling(clerk, talent, window):
    return ticket_open(actor=clerk.user, talent=talent, category="schooling", channel="window",
                       subject="School place for my son", window=window).ticket


def url(ticket):
    return reverse("portal:withdraw", args=[ticket.reference])


def test_the_case_page_offers_withdrawal_where_the_workflow_allows_it(client, sign_in, schooling):
    sign_in(client, schooling)
    body = client.get(reverse("portal:ticket", args=[schooling.reference])).content.decode()
    assert f'href="{url(schooling)}" id="withdraw-link"' in body


def test_a_workflow_without_withdrawal_offers_none(portal, open_ticket):
    body = portal.get(reverse("portal:ticket", args=[open_ticket.reference])).content.decode()
    assert 'id="withdraw-link"' not in body
    response = portal.post(url(open_ticket), {"reason": "Moved away", "confirm": "on"})
    assert response.status_code == 400
    assert "This case can no longer be withdrawn online." in response.content.decode()
    open_ticket.refresh_from_db()
    assert open_ticket.state == "new"


def test_the_talent_withdraws_with_a_reason(client, sign_in, schooling):
    sign_in(client, schooling)
    assert client.get(url(schooling)).status_code == 200
    response = client.post(url(schooling), {"reason": "We moved to another city.", "confirm": "on"})
    assert response.status_code == 302
    schooling.refresh_from_db()
    assert schooling.state == "withdrawn" and schooling.closed_at is not None
    event = TimelineEvent.objects.get(ticket=schooling, kind=EventKind.TRANSITION)
    assert (event.action, event.by_talent, event.body, event.public) == (
        "withdraw", True, "We moved to another city.", True)
    assert "Your request was withdrawn." in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(("data", "message"), [
    ({"reason": "", "confirm": "on"}, "This field is required."),
    ({"reason": "   ", "confirm": "on"}, "This field is required."),
    ({"reason": "Moved"}, "This field is required."),
    ({"reason": "x" * 501, "confirm": "on"}, "Ensure this value has at most 500 characters"),
])
def test_withdrawal_needs_a_reason_and_the_confirmation(client, sign_in, schooling, data, message):
    sign_in(client, schooling)
    response = client.post(url(schooling), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    schooling.refresh_from_db()
    assert schooling.state == "new"


def test_another_talent_cannot_withdraw_the_case(client, sign_in, schooling, second_ticket):
    sign_in(client, second_ticket)
    assert client.get(url(schooling)).status_code == 404
    assert client.post(url(schooling), {"reason": "not mine", "confirm": "on"}).status_code == 404
    schooling.refresh_from_db()
    assert schooling.state == "new"


def test_without_a_session_the_code_is_asked_for(client, schooling):
    response = client.post(url(schooling), {"reason": "x", "confirm": "on"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("portal:check"))


def test_the_service_refuses_another_talents_case(schooling, second_talent):
    from core.errors import ActionForbidden
    from portal.services import portal_withdraw

    with pytest.raises(ActionForbidden):
        portal_withdraw(ticket=schooling, talent=second_talent, reason="not mine")
