"""The talent's status check (issue 18): one query and no session row; the ticket page
after it reads the signed cookie, not the database."""

import pytest
from django.contrib.sessions.models import Session

from tests.portal.conftest import page, portal_state
from tickets.services import ticket_open

pytestmark = pytest.mark.django_db
CHECK = "/status/"


@pytest.fixture
def opened(clerk, talent, window):
    return ticket_open(actor=clerk.user, talent=talent, category="settlement", channel="window",
                       subject="Household registration", window=window)


def test_a_status_check_runs_one_query_and_writes_no_session(client, opened,
                                                            django_assert_num_queries):
    client.get(CHECK)
    with django_assert_num_queries(1):  # the ticket with its talent, by reference
        response = client.post(CHECK, {"reference": opened.ticket.reference, "code": opened.access_code})
    assert response.status_code == 302 and response["Location"] == page(opened.ticket)
    assert portal_state(client)["talent"] == opened.ticket.talent_id
    assert not Session.objects.exists()


def test_a_wrong_code_costs_the_same_read_and_the_failure_record(client, opened,
                                                                django_assert_num_queries):
    client.get(CHECK)
    with django_assert_num_queries(2):  # the ticket by reference, the failed-check record
        response = client.post(CHECK, {"reference": opened.ticket.reference, "code": "AAAAAAAAAA"})
    assert response.status_code == 200 and portal_state(client) is None


def test_the_ticket_page_after_it_runs_a_pinned_number_of_queries(client, opened,
                                                                  django_assert_num_queries):
    client.post(CHECK, {"reference": opened.ticket.reference, "code": opened.access_code})
    client.get(page(opened.ticket))
    # the page's own reads (the ticket, its checklist, timeline, the talent's other tickets);
    # none for the session: the signed cookie carries it
    with django_assert_num_queries(6) as captured:
        response = client.get(page(opened.ticket))
    assert response.status_code == 200
    assert not any("django_session" in q["sql"] for q in captured.captured_queries)
    assert not Session.objects.exists()
