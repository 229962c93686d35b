"""The audit trail of a ticket: who, when, why and which fields changed from what to what."""

import pytest

from talents.services import talent_update
from tests.api.conftest import url
from tickets.services import material_update, ticket_comment, ticket_open, ticket_transition

pytestmark = pytest.mark.django_db


def _history(client, ticket):
    response = client.get(url("tickets", ticket.reference, "history"), {"page_size": 100})
    assert response.status_code == 200
    return response.json()["results"]


def test_each_change_shows_who_when_why_and_the_changed_fields(api, tickets, officer, supervisor):
    ticket = tickets["mine"]
    ticket_transition(ticket=ticket, action="start_review", actor=officer.user)
    entries = _history(api(supervisor), ticket)
    opened = next(e for e in entries if e["object"] == "ticket" and e["type"] == "created")
    assert {"field": "state", "old": None, "new": "new"} in opened["changes"]
    review = entries[-1]
    assert review["who"] == {"id": officer.user.pk, "name": officer.display_name}
    assert review["reason"] == "start_review"
    assert review["object"] == "ticket" and review["type"] == "changed"
    changed = {c["field"]: (c["old"], c["new"]) for c in review["changes"]}
    assert changed["state"] == ("new", "reviewing")
    assert "first_response_at" in changed
    assert [e["when"] for e in entries] == sorted(e["when"] for e in entries)


def test_material_changes_are_in_the_ticket_history(api, tickets, officer):
    material = tickets["mine"].materials.get(material_id="passport")
    material_update(material=material, actor=officer.user, status="rejected", reason="expired")
    entries = _history(api(officer), tickets["mine"])
    last = [e for e in entries if e["object"] == "material:passport"][-1]
    assert last["reason"] == "pending → rejected"
    assert {"field": "status", "old": "pending", "new": "rejected"} in last["changes"]
    assert {"field": "reason", "old": "", "new": "expired"} in last["changes"]


def test_assignment_shows_the_officer_ids(api, tickets, supervisor, second_officer, officer):
    from tickets.services import ticket_assign

    ticket_assign(ticket=tickets["mine"], officer=second_officer, actor=supervisor.user,
                  reason="cover")
    last = _history(api(supervisor), tickets["mine"])[-1]
    assert last["reason"] == "cover"
    assert last["changes"] == [{"field": "assignee", "old": officer.pk, "new": second_officer.pk}]


def test_secrets_never_appear_and_document_numbers_are_masked(api, talent, officer, clerk, window):
    ticket = ticket_open(actor=clerk.user, talent=talent, category="settlement", channel="window",
                         subject="E12345678 lost", description="Passport E12345678 expired",
                         window=window, idempotency_key="form-1").ticket
    ticket_comment(ticket=ticket, actor=officer.user, body="passport E12345678", public=False)
    talent_update(talent=talent, actor=clerk.user, document_number="E99999999")
    text = api(officer).get(url("tickets", ticket.reference, "history")).content.decode()
    for secret in ("E12345678", "E99999999", ticket.access_code_hash, "client_token",
                   "access_code_hash", "client_digest", "form-1"):
        assert secret not in text
    assert "Passport E1****78 expired" in text
