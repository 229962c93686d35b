"""My work: my tickets by nearest due time, badges, filters, the queue, claiming, counts."""

from datetime import timedelta

import pytest

from core import clock
from tests.factories import TalentFactory
from tickets.models import Ticket
from tickets.services import ticket_open, ticket_transition

pytestmark = pytest.mark.django_db


def _open(clerk, window, *, dedicated=None, category="settlement", subject="Household registration"):
    talent = TalentFactory(dedicated_officer=dedicated, preferred_language="en")
    return ticket_open(actor=clerk.user, talent=talent, category=category, channel="window",
                       subject=subject, window=window).ticket


@pytest.fixture
def queue_only(officer, second_officer, supervisor):
    """Nobody qualifies for automatic routing: new tickets wait in the window's queue."""
    for person in (officer, second_officer, supervisor):
        person.skills = []
        person.save()


def _rows(response, section):
    return [t.reference for t in response.context[section]]


def test_window_staff_have_no_work_list(login, clerk):
    assert login(clerk).get("/work/").status_code == 403


def test_my_tickets_come_nearest_due_first(login, clerk, officer, window):
    now = clock.now()
    later = _open(clerk, window, dedicated=officer, subject="later")
    sooner = _open(clerk, window, dedicated=officer, subject="sooner")
    Ticket.objects.filter(pk=later.pk).update(due_at=now + timedelta(days=3))
    Ticket.objects.filter(pk=sooner.pk).update(due_at=now + timedelta(hours=1))
    response = login(officer).get("/work/")
    assert _rows(response, "mine") == [sooner.reference, later.reference]


def test_badges_show_overdue_due_soon_and_waiting_on_talent(login, clerk, officer, window):
    now = clock.now()
    overdue = _open(clerk, window, dedicated=officer)
    soon = _open(clerk, window, dedicated=officer)
    waiting = _open(clerk, window, dedicated=officer)
    Ticket.objects.filter(pk=overdue.pk).update(due_at=now - timedelta(hours=2),
                                                first_response_due=now - timedelta(hours=2))
    Ticket.objects.filter(pk=soon.pk).update(  # past the warning share of the target
        due_at=now + timedelta(hours=1), first_response_due=now + timedelta(hours=1),
        first_response_warn_at=now - timedelta(minutes=5))
    ticket_transition(ticket=waiting, action="request_materials", actor=officer.user, note="Need the contract")
    response = login(officer).get("/work/", HTTP_ACCEPT_LANGUAGE="en")
    badges = {t.reference: [b.key for b in t.badges] for t in response.context["mine"]}
    assert "overdue" in badges[overdue.reference]
    assert "due_soon" in badges[soon.reference]
    assert "paused" in badges[waiting.reference]
    body = response.content.decode()
    assert 'data-badge="overdue"' in body and 'data-badge="paused"' in body
    counts = response.context["counts"]
    assert (counts["total"], counts["overdue"], counts["due_soon"], counts["waiting"]) == (3, 1, 1, 1)


def test_filters_by_state_and_category(login, clerk, officer, window):
    settlement = _open(clerk, window, dedicated=officer)
    transport = _open(clerk, window, dedicated=officer, category="transport")
    ticket_transition(ticket=settlement, action="start_review", actor=officer.user)
    client = login(officer)
    assert _rows(client.get("/work/", {"category": "transport"}), "mine") == [transport.reference]
    assert _rows(client.get("/work/", {"state": "reviewing"}), "mine") == [settlement.reference]
    assert _rows(client.get("/work/", {"state": "no-such-state"}), "mine") != []  # ignored


def test_the_filters_answer_htmx_with_the_lists_only(login, officer, htmx):
    response = login(officer).get("/work/", {"category": "transport"}, **htmx("work-lists"))
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="work-lists"') and "<html" not in body


def test_the_queue_shows_unassigned_tickets_of_my_windows(login, clerk, officer, window, queue_only,
                                                           other_window, outsider):
    mine = _open(clerk, window)
    assert mine.assignee is None
    response = login(officer).get("/work/")
    assert _rows(response, "queue") == [mine.reference]
    assert _rows(login(outsider).get("/work/"), "queue") == []


def test_live_counts_are_a_partial_polled_every_30_seconds(login, officer, htmx):
    client = login(officer)
    page = client.get("/work/").content.decode()
    assert 'hx-trigger="every 30s"' in page
    response = client.get("/work/", **htmx("work-counts"))
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="work-counts"') and "<table" not in body


def test_claiming_from_the_queue_moves_the_ticket_to_me(login, clerk, officer, window, queue_only, htmx):
    ticket = _open(clerk, window)
    response = login(officer).post(f"/tickets/{ticket.reference}/claim/", {"next": "work"},
                                   **htmx("work-lists"))
    assert response.status_code == 200
    assert _rows(response, "mine") == [ticket.reference] and _rows(response, "queue") == []
    assert 'id="work-counts"' in response.content.decode()  # counts refreshed out of band
    assert Ticket.objects.get(pk=ticket.pk).assignee == officer


def test_a_stale_claim_says_who_was_faster_and_shows_the_fresh_queue(login, clerk, officer, second_officer,
                                                                       window, queue_only, htmx):
    ticket = _open(clerk, window)
    login(officer).post(f"/tickets/{ticket.reference}/claim/", {"next": "work"})
    response = login(second_officer).post(f"/tickets/{ticket.reference}/claim/", {"next": "work"},
                                          HTTP_ACCEPT_LANGUAGE="en", **htmx("work-lists"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Zhang Wei has already taken this ticket" in body
    assert _rows(response, "queue") == []


def test_claiming_without_javascript_comes_back_to_my_work(login, clerk, officer, window, queue_only):
    ticket = _open(clerk, window)
    response = login(officer).post(f"/tickets/{ticket.reference}/claim/", {"next": "work"})
    assert response.status_code == 302 and response["Location"] == "/work/"


def test_window_staff_cannot_claim(login, clerk, window, queue_only):
    ticket = _open(clerk, window)
    response = login(clerk).post(f"/tickets/{ticket.reference}/claim/", follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "Your role does not allow this action" in response.content.decode()
    assert Ticket.objects.get(pk=ticket.pk).assignee is None


@pytest.mark.clock("2026-12-02 10:00")  # a working day: the breaching-today list queries only on one
def test_the_list_runs_a_constant_number_of_queries(login, clerk, officer, window, queue_only,
                                                    django_assert_num_queries):
    client = login(officer)
    _open(clerk, window, dedicated=officer)
    _open(clerk, window)
    client.get("/work/")
    with django_assert_num_queries(9) as first:  # 3 lists, 2 counts, the centre + the header's unread notices
        client.get("/work/")
    for _n in range(4):
        _open(clerk, window, dedicated=officer)
        _open(clerk, window)
    with django_assert_num_queries(len(first.captured_queries)):
        response = client.get("/work/")
    assert len(response.context["mine"]) == 5 and len(response.context["queue"]) == 5
