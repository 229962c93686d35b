"""The talent page: profile, dedicated officer, the talent's tickets within my scope."""

import pytest

from tickets.services import ticket_open

pytestmark = pytest.mark.django_db


def _open(clerk, talent, window, subject="Household registration"):
    return ticket_open(actor=clerk.user, talent=talent, category="settlement", channel="window",
                       subject=subject, window=window).ticket


def test_the_profile_shows_the_dedicated_officer_and_a_masked_document(login, officer, talent):
    response = login(officer).get(f"/talents/{talent.pk}/")
    body = response.content.decode()
    assert response.status_code == 200
    assert talent.display_name in body and officer.display_name in body
    assert "E1****78" in body and "E12345678" not in body


def test_it_lists_the_talents_tickets_i_may_see(login, clerk, officer, talent, window):
    ticket = _open(clerk, talent, window)
    response = login(officer).get(f"/talents/{talent.pk}/")
    assert [t.reference for t in response.context["tickets"]] == [ticket.reference]


def test_a_talent_of_another_centre_is_not_found(login, clerk, outsider, talent, window):
    _open(clerk, talent, window)
    assert login(outsider).get(f"/talents/{talent.pk}/").status_code == 404


def test_tickets_outside_my_scope_are_left_out(login, clerk, outsider, talent, window, other_window):
    _open(clerk, talent, window)
    elsewhere = ticket_open(actor=outsider.user, talent=talent, category="settlement",
                            channel="window", subject="At the service point", window=other_window).ticket
    response = login(outsider).get(f"/talents/{talent.pk}/")
    assert response.status_code == 200
    assert [t.reference for t in response.context["tickets"]] == [elsewhere.reference]


def test_an_unknown_talent_is_not_found(login, officer):
    assert login(officer).get("/talents/999999/").status_code == 404


def test_the_list_runs_a_constant_number_of_queries(login, clerk, supervisor, talent, window,
                                                    django_assert_num_queries):
    client = login(supervisor)
    _open(clerk, talent, window)
    client.get(f"/talents/{talent.pk}/")
    with django_assert_num_queries(5):  # user, profile, unread notices, talent + officer, tickets
        client.get(f"/talents/{talent.pk}/")
    for n in range(5):
        _open(clerk, talent, window, subject=f"Request {n}")
    with django_assert_num_queries(5):
        response = client.get(f"/talents/{talent.pk}/")
    assert len(response.context["tickets"]) == 6
