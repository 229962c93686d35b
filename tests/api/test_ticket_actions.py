"""Changing tickets through the API: transitions (409 with the current state and the
allowed actions, 403 for a role that may not), claims (409 naming the holder),
assignment by supervisors, comments, materials — each only within the scope."""

import pytest

from tests.api.conftest import url
from tickets.models import EventKind, MaterialItem
from tickets.services import material_update

pytestmark = pytest.mark.django_db


def _post(client, ticket, action, payload=None):
    return client.post(url("tickets", ticket.reference, action), payload or {}, format="json")


# --- transitions -----------------------------------------------------------------------------------


def test_the_assigned_officer_starts_the_review(api, tickets, officer):
    ticket = tickets["mine"]
    response = _post(api(officer), ticket, "transitions", {"action": "start_review"})
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "reviewing"
    ticket.refresh_from_db()
    assert ticket.state == "reviewing"
    assert ticket.events.filter(kind=EventKind.TRANSITION, actor=officer.user).exists()


def test_an_action_not_possible_now_answers_409_with_state_and_allowed_actions(api, tickets,
                                                                                officer):
    response = _post(api(officer), tickets["mine"], "transitions", {"action": "resolve"})
    assert response.status_code == 409
    body = response.json()
    assert body["current_state"] == "new"
    assert body["allowed_actions"] == ["start_review", "request_materials", "reject"]
    assert isinstance(body["detail"], str) and "resolve" in body["detail"]


def test_an_unknown_action_is_also_a_409(api, tickets, officer):
    response = _post(api(officer), tickets["mine"], "transitions", {"action": "teleport"})
    assert response.status_code == 409
    assert response.json()["current_state"] == "new"


def test_a_role_that_may_not_take_the_action_gets_403(api, tickets, clerk):
    response = _post(api(clerk), tickets["mine"], "transitions", {"action": "start_review"})
    assert response.status_code == 403
    assert set(response.json()) == {"detail"}


def test_a_required_note_is_named(api, tickets, officer):
    response = _post(api(officer), tickets["mine"], "transitions", {"action": "reject"})
    assert response.status_code == 400
    assert list(response.json()) == ["note"]


def test_required_materials_are_named(api, tickets, officer):
    client = api(officer)
    _post(client, tickets["mine"], "transitions", {"action": "start_review"})
    response = _post(client, tickets["mine"], "transitions", {"action": "submit_to_police"})
    assert response.status_code == 400
    assert list(response.json()) == ["materials"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [({}, "action"), ({"action": ""}, "action"), ({"action": "x" * 41}, "action"),
     ({"action": "start_review", "state": "closed"}, "state"),
     ({"action": "start_review", "comment": "hi"}, "comment")],
)
def test_bad_transition_requests_are_named(api, tickets, officer, payload, field):
    response = _post(api(officer), tickets["mine"], "transitions", payload)
    assert response.status_code == 400
    assert field in response.json()


# --- scope on every action -------------------------------------------------------------------------

ACTIONS = [
    ("transitions", {"action": "start_review"}),
    ("claim", {}),
    ("assign", {"assignee": None}),
    ("comments", {"body": "hello"}),
]


@pytest.mark.parametrize(("action", "payload"), ACTIONS)
def test_actions_outside_the_scope_answer_404(api, tickets, outsider, second_officer, action,
                                              payload):
    assert _post(api(outsider), tickets["mine"], action, payload).status_code == 404
    response = api(outsider).patch(url("tickets", tickets["mine"].reference, "materials",
                                       "passport"), {"status": "received"}, format="json")
    assert response.status_code == 404


@pytest.mark.parametrize(("action", "payload"), ACTIONS)
def test_users_without_a_staff_role_get_403_on_every_action(api, tickets, plain_user, action,
                                                            payload):
    assert _post(api(plain_user), tickets["mine"], action, payload).status_code == 403
    response = api(plain_user).patch(url("tickets", tickets["mine"].reference, "materials",
                                         "passport"), {"status": "received"}, format="json")
    assert response.status_code == 403


@pytest.mark.parametrize("reference", ["TD-2026-999999", "td-2026-000001", "nonsense", "%00"])
def test_unknown_or_malformed_references_are_404(api, tickets, supervisor, reference):
    assert api(supervisor).get(f"/api/v1/tickets/{reference}/").status_code == 404
    assert _post(api(supervisor), type("T", (), {"reference": reference}), "comments",
                 {"body": "x"}).status_code == 404


# --- claim and assign ------------------------------------------------------------------------------


def test_an_officer_claims_a_queued_ticket(api, tickets, second_officer):
    response = _post(api(second_officer), tickets["queued"], "claim")
    assert response.status_code == 200
    assert response.json()["assignee"]["id"] == second_officer.pk


def test_a_claim_on_a_ticket_someone_took_meanwhile_is_409_naming_the_holder(
    api, tickets, officer, second_officer
):
    assert _post(api(officer), tickets["queued"], "claim").status_code == 200
    response = _post(api(second_officer), tickets["queued"], "claim")
    assert response.status_code == 409
    body = response.json()
    assert body["holder"] == {"id": officer.pk, "name": officer.display_name}
    assert officer.display_name in body["detail"]


def test_window_staff_cannot_claim(api, tickets, clerk):
    assert _post(api(clerk), tickets["queued"], "claim").status_code == 403


def test_a_supervisor_assigns_and_returns_to_the_queue(api, tickets, supervisor, second_officer):
    client = api(supervisor)
    response = _post(client, tickets["mine"], "assign",
                     {"assignee": second_officer.pk, "reason": "holiday cover"})
    assert response.status_code == 200
    assert response.json()["assignee"]["id"] == second_officer.pk
    response = _post(client, tickets["mine"], "assign", {"assignee": None})
    assert response.status_code == 200 and response.json()["assignee"] is None


def test_officers_cannot_assign(api, tickets, officer, second_officer):
    response = _post(api(officer), tickets["mine"], "assign", {"assignee": second_officer.pk})
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("payload", "field"),
    [({}, "assignee"), ({"assignee": 99999}, "assignee"), ({"assignee": "me"}, "assignee"),
     ({"assignee": None, "reason": "x" * 101}, "reason")],
)
def test_bad_assignments_are_named(api, tickets, supervisor, payload, field):
    response = _post(api(supervisor), tickets["mine"], "assign", payload)
    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_assigning_to_another_centres_officer_is_refused_by_the_service(api, tickets, supervisor,
                                                                         outsider):
    response = _post(api(supervisor), tickets["mine"], "assign", {"assignee": outsider.pk})
    assert response.status_code == 400
    assert list(response.json()) == ["assignee"]


# --- comments and materials ------------------------------------------------------------------------


def test_a_public_reply_and_an_internal_note(api, tickets, officer):
    client = api(officer)
    reply = _post(client, tickets["mine"], "comments", {"body": "We received it", "public": True})
    note = _post(client, tickets["mine"], "comments", {"body": "Check the stamp"})
    assert reply.status_code == note.status_code == 201
    assert reply.json()["kind"] == "comment" and reply.json()["public"] is True
    assert note.json()["kind"] == "note" and note.json()["public"] is False
    assert note.json()["actor"] == {"id": officer.user.pk, "name": officer.display_name}


@pytest.mark.parametrize(
    "payload", [{}, {"body": ""}, {"body": "   "}, {"body": "x" * 5001}, {"body": "x", "public": "maybe"}]
)
def test_bad_comments_are_named(api, tickets, officer, payload):
    response = _post(api(officer), tickets["mine"], "comments", payload)
    assert response.status_code == 400
    assert set(response.json()) <= {"body", "public"}


def test_a_material_is_marked_received_or_rejected_with_a_reason(api, tickets, officer):
    path = url("tickets", tickets["mine"].reference, "materials", "passport")
    client = api(officer)
    response = client.patch(path, {"status": "received"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "received"
    response = client.patch(path, {"status": "rejected"}, format="json")
    assert response.status_code == 400 and list(response.json()) == ["reason"]
    response = client.patch(path, {"status": "rejected", "reason": "expired"}, format="json")
    assert response.json()["reason"] == "expired"
    response = client.patch(path, {"reason": "expired in 2025"}, format="json")
    assert response.json()["status"] == "rejected" and response.json()["reason"] == "expired in 2025"
    assert MaterialItem.objects.get(ticket=tickets["mine"], material_id="passport").status == "rejected"


@pytest.mark.parametrize(
    ("payload", "field"),
    [({}, "status"), ({"status": "lost"}, "status"), ({"status": "received", "required": False},
                                                        "required"), ({"reason": "x" * 301}, "reason")],
)
def test_bad_material_updates_are_named(api, tickets, officer, payload, field):
    path = url("tickets", tickets["mine"].reference, "materials", "passport")
    response = api(officer).patch(path, payload, format="json")
    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_an_unknown_material_is_404(api, tickets, officer):
    path = url("tickets", tickets["mine"].reference, "materials", "unicorn")
    assert api(officer).patch(path, {"status": "received"}, format="json").status_code == 404


def test_the_timeline_lists_events_oldest_first_with_internal_ones(api, tickets, officer):
    _post(api(officer), tickets["mine"], "comments", {"body": "internal"})
    material_update(material=tickets["mine"].materials.first(), actor=officer.user,
                    status="received")
    events = api(officer).get(url("tickets", tickets["mine"].reference, "timeline")).json()
    kinds = [event["kind"] for event in events["results"]]
    assert kinds == ["opened", "assignment", "note", "material"]


WRITE_SCOPE = {
    "clerk": {"mine", "queued"},
    "officer": {"mine", "queued"},
    "second_officer": {"queued"},
    "supervisor": {"mine", "queued"},
    "admin_officer": {"mine", "queued", "elsewhere"},
    "outsider": {"elsewhere"},
}


@pytest.mark.parametrize(("persona", "expected"), WRITE_SCOPE.items())
def test_every_role_writes_exactly_within_its_scope(request, api, tickets, persona, expected):
    client = api(request.getfixturevalue(persona))
    for name, ticket in tickets.items():
        comment = _post(client, ticket, "comments", {"body": f"note by {persona}"})
        material = client.patch(url("tickets", ticket.reference, "materials", "passport"),
                                {"status": "received"}, format="json")
        wanted = (201, 200) if name in expected else (404, 404)
        assert (comment.status_code, material.status_code) == wanted, name
