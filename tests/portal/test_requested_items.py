"""Issue #12, point 3 on the portal: "What you need to do now" lists exactly the items the
officer asked for; a reply while one is missing is "your reply", not "documents received"."""

import pytest

from tests.portal.conftest import page
from tickets.services import ticket_transition

pytestmark = pytest.mark.django_db


def _todo(client, ticket):
    html = client.get(page(ticket)).content.decode()
    return html[html.index("What you need to do now"):html.index("When to expect")]


def test_the_to_do_lists_exactly_the_items_asked_for(portal, open_ticket, officer):
    ticket_transition(ticket=open_ticket, action="request_materials", actor=officer.user,
                      note="Your degree and marriage certificate, please.",
                      requested=["degree_certificate", "marriage_certificate"])
    todo = _todo(portal, open_ticket)
    assert "Degree certificate with authentication" in todo
    assert "Marriage certificate (accompanying spouse)" in todo
    for not_asked in ("Passport", "Talent recognition certificate", "Employment contract"):
        assert not_asked not in todo
    assert "I have sent everything" not in todo  # two items are still open


def test_a_reply_with_items_missing_stays_a_reply_on_the_timeline(portal, open_ticket, officer):
    ticket_transition(ticket=open_ticket, action="request_materials", actor=officer.user,
                      note="Your degree, please.", requested=["degree_certificate"])
    response = portal.post(page(open_ticket) + "reply/",
                           {"body": "It is at the notary's.", "hand_back": "on"})
    assert response.status_code == 302
    open_ticket.refresh_from_db()
    assert open_ticket.state == "waiting_talent"
    html = portal.get(page(open_ticket)).content.decode()
    timeline = html[html.index("History of your case"):]
    assert timeline.index("Your reply") < timeline.index("We need more documents from you")
    assert "Your officer is reviewing your documents" not in timeline
