"""The officer's morning: tiles that filter, the priority column, what breaches before
today's closing on top, and a colleague's ticket answering the product's own 404 page."""

from datetime import timedelta

import pytest

from tests.clock import at
from tests.factories import TalentFactory
from tickets.models import Ticket
from tickets.services import ticket_open, ticket_set_priority

pytestmark = [pytest.mark.django_db, pytest.mark.clock("2026-12-02 10:00", tick=False)]

NOW = at("2026-12-02 10:00")
CLOSING = at("2026-12-02 17:30")


def _open(clerk, window, officer, *, due, subject="Household registration"):
    talent = TalentFactory(dedicated_officer=officer, preferred_language="en")
    ticket = ticket_open(actor=clerk.user, talent=talent, category="settlement", channel="window",
                         subject=subject, window=window).ticket
    Ticket.objects.filter(pk=ticket.pk).update(due_at=due, first_response_due=due)
    return ticket


def _rows(response, section):
    return [t.reference for t in response.context[section]]


@pytest.fixture
def morning(clerk, officer, window):
    """Two stale August tickets, one breaching in six minutes, one at closing, one tomorrow."""
    return {
        "stale1": _open(clerk, window, officer, due=at("2026-08-10 10:00"), subject="stale one"),
        "stale2": _open(clerk, window, officer, due=at("2026-08-12 10:00"), subject="stale two"),
        "closing": _open(clerk, window, officer, due=CLOSING, subject="at closing"),
        "six_minutes": _open(clerk, window, officer, due=NOW + timedelta(minutes=6), subject="six minutes"),
        "tomorrow": _open(clerk, window, officer, due=at("2026-12-03 10:00"), subject="tomorrow"),
    }


def test_breaching_today_lists_what_falls_before_closing_nearest_first(login, officer, morning):
    response = login(officer).get("/work/")
    assert _rows(response, "breaching") == [morning["six_minutes"].reference, morning["closing"].reference]
    body = response.content.decode()
    # The section comes before the list where the stale August tickets lead.
    assert body.index('id="breaching"') < body.index('id="mine"')
    assert _rows(response, "mine")[:2] == [morning["stale1"].reference, morning["stale2"].reference]
    assert response.context["counts"]["today"] == 2


def test_nothing_breaches_today_after_closing(login, officer, morning, clock_travel):
    clock_travel.move_to(at("2026-12-02 18:00"))
    response = login(officer).get("/work/", HTTP_ACCEPT_LANGUAGE="en")
    assert _rows(response, "breaching") == []
    assert "Nothing of yours breaches before today" in response.content.decode()


def test_the_tiles_are_links_that_filter_the_list(login, officer, morning):
    client = login(officer)
    page = client.get("/work/").content.decode()
    for key in ("today", "overdue", "due_soon", "waiting"):
        assert f'href="/work/?due={key}#' in page
    overdue = client.get("/work/", {"due": "overdue"})
    assert _rows(overdue, "mine") == [morning["stale1"].reference, morning["stale2"].reference]
    assert 'aria-current="true" data-tile="overdue"' in overdue.content.decode()
    today = client.get("/work/", {"due": "today"})
    assert _rows(today, "mine") == [morning["six_minutes"].reference, morning["closing"].reference]


def test_an_unknown_deadline_filter_is_ignored(login, officer, morning):
    response = login(officer).get("/work/", {"due": "someday"})
    assert response.status_code == 200 and len(response.context["mine"]) == 5


def test_the_list_shows_each_tickets_priority(login, officer, morning):
    ticket_set_priority(ticket=morning["tomorrow"], priority="urgent", actor=officer.user, reason="minister's visit")
    response = login(officer).get("/work/", HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()
    assert '<th scope="col">Priority</th>' in body
    row = body[body.index(f'id="row-{morning["tomorrow"].reference}"'):]
    assert '<span class="ws-priority ws-priority-urgent" data-priority="urgent">urgent</span>' in row[:2000]


def test_the_page_runs_a_constant_number_of_queries_with_breaching_tickets(
        login, clerk, officer, window, django_assert_num_queries):
    client = login(officer)
    _open(clerk, window, officer, due=NOW + timedelta(hours=1))
    client.get("/work/")
    with django_assert_num_queries(9) as first:  # 3 lists, 2 counts, the centre, the header's notices
        client.get("/work/")
    for minutes in range(5):
        _open(clerk, window, officer, due=NOW + timedelta(minutes=10 + minutes))
    with django_assert_num_queries(len(first.captured_queries)):
        response = client.get("/work/")
    assert len(response.context["breaching"]) == 6


@pytest.mark.parametrize(("language", "heading"), [("zh-hans", "无法显示此页面"), ("en", "We cannot show this page")])
def test_a_colleagues_ticket_out_of_scope_answers_the_workspace_404_in_the_users_language(
        login, outsider, morning, language, heading):
    response = login(outsider).get(f"/tickets/{morning['six_minutes'].reference}/",
                                   HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 404
    body = response.content.decode()
    assert heading in body
    assert 'class="topbar ws-topbar' in body  # the workspace's layout and navigation
    assert "Not Found" not in body


@pytest.mark.parametrize(("language", "heading"), [("zh-hans", "您的角色无权访问此页面"), ("en", "This page is not open to your role")])
def test_a_refused_report_answers_the_workspace_403_in_the_users_language(login, officer, language, heading):
    response = login(officer).get("/reports/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 403
    body = response.content.decode()
    assert heading in body and 'class="topbar ws-topbar' in body


def test_the_polled_counts_keep_the_chosen_tile_marked(login, officer, morning, htmx):
    client = login(officer)
    assert 'hx-include="#work-filters"' in client.get("/work/").content.decode()
    body = client.get("/work/", {"due": "overdue"}, **htmx("work-counts")).content.decode()
    assert body.lstrip().startswith('<div id="work-counts"')
    assert 'aria-current="true" data-tile="overdue"' in body
