"""Rebalancing work (issue 12, point 8): the officer picker with load, overdue count and
skills and a confirmation for a missing skill (one rule for page and API), reassigning
several tickets at once (all or nothing), a partial hand-over, the team page."""

from datetime import timedelta

import pytest

from core import clock
from tests.factories import OfficerFactory, TalentFactory, UserFactory
from tickets.models import Ticket
from tickets.services import ticket_open

pytestmark = pytest.mark.django_db


def _open(clerk, window, *, dedicated, category="settlement", subject="Rebalance"):
    talent = TalentFactory(dedicated_officer=dedicated, preferred_language="en")
    return ticket_open(actor=clerk.user, talent=talent, category=category, channel="window",
                       subject=subject, window=window).ticket


@pytest.fixture
def narrow(centre, window):
    """An officer who knows transport only (no settlement skill), capacity 12."""
    return OfficerFactory(user=UserFactory(username="narrow"), display_name="Narrow Nie", centre=centre,
                          windows=[window], skills=["transport"], capacity=12)


@pytest.fixture
def held(clerk, officer, window):
    """Three open tickets held by ``officer``: two on settlement (one overdue), one on transport."""
    tickets = [_open(clerk, window, dedicated=officer, subject=f"Held {n}") for n in range(2)]
    tickets.append(_open(clerk, window, dedicated=officer, category="transport", subject="Held bus"))
    Ticket.objects.filter(pk=tickets[0].pk).update(due_at=clock.now() - timedelta(hours=3))
    assert all(t.assignee == officer for t in tickets)
    return tickets


def _assignee(ticket):
    return Ticket.objects.get(pk=ticket.pk).assignee


# --- the picker and the missing-skill rule --------------------------------------------------------


def test_the_picker_shows_load_overdue_and_skills_and_warns_on_a_missing_skill(login, supervisor, officer,
                                                                                narrow, held):
    body = login(supervisor).get(f"/tickets/{held[0].reference}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    picker = body[body.index('name="officer"'):]
    picker = picker[:picker.index("</select>")]
    assert (f"张伟 Zhang Wei — 3 open of {officer.capacity}, 1 overdue · skills: Household registration"
            in picker)
    narrow_option = picker[picker.index(f'value="{narrow.pk}"'):]
    narrow_option = narrow_option[:narrow_option.index("</option>")]
    assert "Narrow Nie — 0 open of 12, 0 overdue" in narrow_option
    assert "⚠ no skill for this category" in narrow_option
    assert "⚠" not in picker[picker.index(f'value="{officer.pk}"'):].split("</option>")[0]


def test_assigning_an_officer_without_the_skill_needs_confirming(login, supervisor, officer, narrow, held):
    client = login(supervisor)
    ticket = Ticket.objects.get(pk=held[1].pk)
    url = f"/tickets/{ticket.reference}/assign/"
    refused = client.post(url, {"officer": narrow.pk, "version": ticket.version}, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 422
    assert "Narrow Nie has no skill for Household registration: confirm to assign anyway." in refused.content.decode()
    assert _assignee(ticket) == officer
    done = client.post(url, {"officer": narrow.pk, "version": ticket.version, "confirm_missing_skill": "on"})
    assert done.status_code == 302
    assert _assignee(ticket) == narrow


# --- several at once ------------------------------------------------------------------------------


def test_a_supervisor_reassigns_ticked_tickets_in_one_post(login, supervisor, officer, second_officer, held):
    client = login(supervisor)
    response = client.post("/tickets/reassign/", {
        "tickets": [held[0].reference, held[1].reference], "officer": second_officer.pk,
        "reason": "rebalancing", "next": "/work/"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302 and response["Location"] == "/work/"
    assert [_assignee(t) for t in held] == [second_officer, second_officer, officer]
    events = Ticket.objects.get(pk=held[0].pk).events.filter(kind="assignment").order_by("-created_at", "-id")
    assert events[0].body == "rebalancing"


def test_one_refused_ticket_moves_none_and_is_named(login, supervisor, officer, narrow, held):
    """``narrow`` knows transport: the two settlement tickets are refused, so the transport
    ticket stays too; each refused ticket carries its reason."""
    response = login(supervisor).post("/tickets/reassign/", {
        "tickets": [t.reference for t in held], "officer": narrow.pk, "next": "/work/"},
        HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422
    assert [_assignee(t) for t in held] == [officer, officer, officer]
    body = response.content.decode()
    assert "Nothing was changed: 2 tickets could not be assigned (see below)." in body
    errors = {t.reference: t.assign_errors for t in response.context["tickets"]}
    message = "Narrow Nie has no skill for Household registration: confirm to assign anyway."
    assert errors == {held[0].reference: [message], held[1].reference: [message], held[2].reference: []}
    # Confirmed, all three go.
    login(supervisor).post("/tickets/reassign/", {
        "tickets": [t.reference for t in held], "officer": narrow.pk, "confirm_missing_skill": "on"})
    assert [_assignee(t) for t in held] == [narrow, narrow, narrow]


def test_nothing_selected_or_an_unknown_ticket_is_named(login, supervisor, second_officer, held, outsider, clerk,
                                                       other_window):
    client = login(supervisor)
    empty = client.post("/tickets/reassign/", {"officer": second_officer.pk}, HTTP_ACCEPT_LANGUAGE="en")
    assert empty.status_code == 422 and "Select at least one ticket." in empty.content.decode()
    foreign = _open(outsider, other_window, dedicated=outsider)
    refused = client.post("/tickets/reassign/", {
        "tickets": [held[0].reference, foreign.reference], "officer": second_officer.pk},
        HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 422
    assert f"Not found or outside your scope: {foreign.reference}." in refused.content.decode()
    assert _assignee(held[0]) != second_officer


def test_officers_may_not_reassign_in_bulk(login, officer, second_officer, held):
    response = login(officer).post("/tickets/reassign/", {"tickets": [held[0].reference],
                                                          "officer": second_officer.pk})
    assert response.status_code == 403 and _assignee(held[0]) == officer


def test_my_work_offers_supervisors_checkboxes_and_the_bulk_form(login, supervisor, officer, clerk, window):
    _open(clerk, window, dedicated=supervisor)
    body = login(supervisor).get("/work/").content.decode()
    assert 'form="bulk-assign"' in body and 'id="bulk-assign"' in body
    officer_body = login(officer).get("/work/").content.decode()
    assert 'form="bulk-assign"' not in officer_body and 'id="bulk-assign"' not in officer_body


# --- partial hand-over ----------------------------------------------------------------------------


def test_a_supervisor_hands_over_only_the_chosen_tickets(login, supervisor, officer, second_officer, held):
    client = login(supervisor)
    page = client.get(f"/team/{officer.pk}/").content.decode()
    assert 'id="hand-over-some"' in page
    assert page.count('form="hand-over-some"') == 3
    response = client.post("/tickets/reassign/", {
        "tickets": [held[2].reference], "officer": second_officer.pk, "next": f"/team/{officer.pk}/"})
    assert response.status_code == 302 and response["Location"] == f"/team/{officer.pk}/"
    assert [_assignee(t) for t in held] == [officer, officer, second_officer]


# --- the team page --------------------------------------------------------------------------------


def test_the_team_page_lists_every_active_staff_member_with_their_own_capacity(
        login, supervisor, officer, narrow, clerk, outsider):
    disabled = OfficerFactory(user=UserFactory(username="gone", is_active=False), centre=officer.centre)
    response = login(supervisor).get("/team/", HTTP_ACCEPT_LANGUAGE="en")
    rows = {o.pk for o in response.context["officers"]}
    assert rows == {supervisor.pk, officer.pk, narrow.pk, clerk.pk}
    assert disabled.pk not in rows and outsider.pk not in rows
    body = response.content.decode()
    narrow_row = body.split(f'data-officer="{narrow.pk}"')[1].split("</tr>")[0]
    assert "0 / 12" in narrow_row
    officer_row = body.split(f'data-officer="{officer.pk}"')[1].split("</tr>")[0]
    assert f"0 / {officer.capacity}" in officer_row and officer.capacity != 12
    clerk_row = body.split(f'data-officer="{clerk.pk}"')[1].split("</tr>")[0]
    assert "not routed tickets" in clerk_row and "/team/" not in clerk_row
