"""The centre's full service catalogue: every category it handles ships a valid workflow
file, and each new category's happy path runs through the lifecycle services."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from flows.registry import current_workflows
from tickets import services
from tickets.errors import ActionForbidden
from tickets.models import MaterialStatus

pytestmark = pytest.mark.django_db

CATALOGUE = {
    "settlement", "transport", "healthcare", "schooling", "entry_exit", "talent_card",
    "policy_consultation", "work_permit", "talent_recognition", "talent_housing",
    "personnel_files", "startup", "hk_macau_residents", "complaints",
}

# category → the actions of its everyday case, each by "officer" or "supervisor", with a
# note where the file requires one; the ticket must end resolved, then closed.
HAPPY_PATHS = {
    "work_permit": [("start_pre_review", "officer"), ("file_online", "officer"),
                    ("accepted_by_office", "officer"), ("permit_granted", "officer"),
                    ("collected", "officer"), ("close", "officer")],
    "talent_recognition": [("start_check", "officer"), ("submit_for_approval", "officer"),
                           ("approve", "officer"), ("publicity_passed", "officer"),
                           ("paid", "officer"), ("close", "officer")],
    "talent_housing": [("start_check", "officer"), ("submit_to_housing_office", "officer"),
                       ("allocated", "officer"), ("moved_in", "officer"), ("close", "officer")],
    "personnel_files": [("start", "officer"), ("send_to_other_office", "officer"),
                        ("returned", "officer"), ("issue", "officer"), ("mailed", "officer"),
                        ("close", "officer")],
    "startup": [("start_consulting", "officer"), ("submit_registration", "officer"),
                ("registered", "officer"), ("resolve", "officer"), ("close", "officer")],
    "hk_macau_residents": [("start_review", "officer"), ("submit_to_authority", "officer"),
                           ("issued", "officer"), ("collected", "officer"), ("close", "officer")],
    "complaints": [("start_investigation", "officer"), ("propose_reply", "officer"),
                   ("approve_reply", "supervisor"), ("close", "supervisor")],
}


def test_the_catalogue_covers_every_category_of_the_centre():
    assert set(current_workflows()) == CATALOGUE


@pytest.mark.parametrize("key", sorted(HAPPY_PATHS))
def test_new_category_has_bilingual_materials_targets_routing_and_keywords(key):
    workflow = current_workflows()[key]
    assert workflow.version >= 1
    assert workflow.materials and all(m.label.zh and m.label.en for m in workflow.materials)
    assert all(s.label.zh and s.label.en and s.public_label.zh and s.public_label.en for s in workflow.states)
    assert set(workflow.sla) == {"low", "normal", "high", "urgent"}
    hours = [workflow.sla[p].first_response_hours for p in ("low", "normal", "high", "urgent")]
    assert hours == sorted(hours, reverse=True)
    assert workflow.routing_skills == (key,)
    assert workflow.routing_windows
    assert len(workflow.keywords["zh"]) >= 5 and len(workflow.keywords["en"]) >= 5
    # Every state a talent owes something in says what to do.
    assert all(s.talent_todo for s in workflow.states if s.pauses_sla)


def test_complaints_have_the_strictest_first_response_target():
    workflows = current_workflows()
    complaints = workflows["complaints"].sla["normal"].first_response_hours
    others = [w.sla["normal"].first_response_hours for k, w in workflows.items() if k != "complaints"]
    assert complaints == 2
    assert complaints == min(others)


@pytest.fixture
def personas(officer, supervisor):
    return {"officer": officer, "supervisor": supervisor}


@pytest.mark.parametrize("key", sorted(HAPPY_PATHS))
def test_happy_path_runs_through_the_services(key, clerk, talent, window, personas):
    ticket = services.ticket_open(
        actor=clerk.user, talent=talent, category=key, channel="window",
        subject="Happy path", window=window,
    ).ticket
    assert ticket.assignee == personas["officer"]  # the talent's dedicated officer
    assert ticket.state == current_workflows()[key].initial_state.id
    for item in ticket.materials.filter(required=True):
        services.material_update(material=item, actor=clerk.user, status=MaterialStatus.RECEIVED)
    workflow = ticket.workflow
    for action, who in HAPPY_PATHS[key]:
        transition = workflow.transition(action)
        note = "Checked and done." if transition.comment_required else ""
        services.ticket_transition(ticket=ticket, action=action, actor=personas[who].user, note=note)
        ticket.refresh_from_db()
        assert ticket.state == transition.target
        if workflow.state(ticket.state).resolved:
            assert ticket.resolved_at is not None
    assert ticket.state == "closed"
    assert ticket.closed_at is not None
    assert ticket.first_response_at is not None


def test_filing_a_work_permit_needs_the_required_materials(clerk, talent, window, officer):
    ticket = services.ticket_open(
        actor=clerk.user, talent=talent, category="work_permit", channel="window",
        subject="Work permit", window=window, materials_received=["passport"],
    ).ticket
    services.ticket_transition(ticket=ticket, action="start_pre_review", actor=officer.user)
    with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
        services.ticket_transition(ticket=ticket, action="file_online", actor=officer.user)
    message = caught.value.message_dict["materials"][0]
    assert "无犯罪记录证明（经认证）" in message
    assert "有效护照" not in message  # handed over at opening
    ticket.refresh_from_db()
    assert ticket.state == "pre_review"


def test_an_officer_cannot_send_a_complaint_reply_without_the_supervisor(clerk, talent, window, officer):
    ticket = services.ticket_open(
        actor=clerk.user, talent=talent, category="complaints", channel="hotline",
        subject="Nobody called me back", window=window,
    ).ticket
    services.ticket_transition(ticket=ticket, action="start_investigation", actor=officer.user,
                               note="Called the talent.")
    services.ticket_transition(ticket=ticket, action="propose_reply", actor=officer.user,
                               note="We apologise; the officer was on leave.")
    with pytest.raises(ActionForbidden):
        services.ticket_transition(ticket=ticket, action="approve_reply", actor=officer.user,
                                   note="Sending it myself.")
    ticket.refresh_from_db()
    assert ticket.state == "supervisor_review"


def test_a_document_ready_for_pickup_pauses_the_clock(clerk, talent, window, officer):
    ticket = services.ticket_open(
        actor=clerk.user, talent=talent, category="hk_macau_residents", channel="window",
        subject="Residence permit", window=window,
        materials_received=["home_return_permit", "hk_macau_id", "proof_of_residence"],
    ).ticket
    for action in ("start_review", "submit_to_authority", "issued"):
        services.ticket_transition(ticket=ticket, action=action, actor=officer.user)
    ticket.refresh_from_db()
    assert ticket.state == "ready_for_pickup"
    assert ticket.sla_paused_at is not None
    services.ticket_transition(ticket=ticket, action="mailed", actor=officer.user, note="EMS 1234")
    ticket.refresh_from_db()
    assert ticket.sla_paused_at is None and ticket.resolved_at is not None


# --- the older categories, made realistic (each file's version raised) ----------------------


def test_edited_workflows_carry_a_new_version():
    workflows = current_workflows()
    assert {key: workflows[key].version for key in
            ("settlement", "entry_exit", "talent_card", "transport", "policy_consultation")} == {
        "settlement": 3, "entry_exit": 2, "talent_card": 2, "transport": 2, "policy_consultation": 3}


def _settlement_submitted(clerk, talent, window, officer):
    ticket = services.ticket_open(
        actor=clerk.user, talent=talent, category="settlement", channel="window",
        subject="Hukou from Shenyang", window=window,
        materials_received=["passport", "talent_certificate", "employment_contract",
                            "degree_certificate", "returnee_certificate"],
    ).ticket
    services.ticket_transition(ticket=ticket, action="start_review", actor=officer.user)
    services.ticket_transition(ticket=ticket, action="submit_to_police", actor=officer.user)
    return ticket


def test_settlement_from_another_city_goes_through_the_permit_to_move(clerk, talent, window, officer):
    ticket = _settlement_submitted(clerk, talent, window, officer)
    assert ticket.materials.get(material_id="returnee_certificate").status == MaterialStatus.RECEIVED
    services.ticket_transition(ticket=ticket, action="permit_to_move_issued", actor=officer.user)
    ticket.refresh_from_db()
    assert ticket.state == "permit_to_move"
    assert ticket.sla_paused_at is not None  # the talent moves out at home meanwhile
    assert ticket.state_definition.talent_todo.en.startswith("Take the permit to move")
    services.ticket_transition(ticket=ticket, action="migration_certificate_received", actor=clerk.user)
    services.ticket_transition(ticket=ticket, action="resolve", actor=officer.user, note="Registered.")
    ticket.refresh_from_db()
    assert ticket.state == "resolved" and ticket.sla_paused_at is None


def test_settlement_refused_by_public_security_is_final_and_needs_the_reason(clerk, talent, window, officer):
    ticket = _settlement_submitted(clerk, talent, window, officer)
    with pytest.raises(ValidationError) as caught:
        services.ticket_transition(ticket=ticket, action="refuse", actor=officer.user, note="  ")
    assert list(caught.value.message_dict) == ["note"]
    services.ticket_transition(ticket=ticket, action="refuse", actor=officer.user,
                               note="Collective registration quota of the employer used up.")
    ticket.refresh_from_db()
    assert ticket.state == "refused" and ticket.is_final
    assert ticket.resolved_at is None


@pytest.mark.parametrize(("key", "path"), [
    ("entry_exit", ["start_pre_review", "submit_application", "issue"]),
    ("talent_card", ["start_review", "submit_for_approval", "issue"]),
    ("transport", ["start_review", "forward_to_authority", "issue"]),
])
def test_an_issued_document_waits_for_pickup_or_mailing(key, path, clerk, talent, window, officer):
    ticket = services.ticket_open(
        actor=clerk.user, talent=talent, category=key, channel="window", subject="Document", window=window,
    ).ticket
    for item in ticket.materials.filter(required=True):
        services.material_update(material=item, actor=clerk.user, status=MaterialStatus.RECEIVED)
    for action in path:
        transition = ticket.workflow.transition(action)
        services.ticket_transition(ticket=ticket, action=action, actor=officer.user,
                                   note="ok" if transition.comment_required else "")
    ticket.refresh_from_db()
    assert ticket.state == "ready_for_pickup" and ticket.resolved_at is None
    with pytest.raises(ValidationError) as caught:
        services.ticket_transition(ticket=ticket, action="mailed", actor=clerk.user)
    assert list(caught.value.message_dict) == ["note"]  # the mailing receipt number
    services.ticket_transition(ticket=ticket, action="collected", actor=clerk.user)
    ticket.refresh_from_db()
    assert ticket.state == "resolved" and ticket.resolved_at is not None


def test_a_consultation_answered_at_the_window_is_done_at_once(clerk, talent, window):
    ticket = services.ticket_open(
        actor=clerk.user, talent=talent, category="policy_consultation", channel="window",
        subject="Which documents for the talent card?", window=window,
    ).ticket
    services.ticket_transition(ticket=ticket, action="answer_on_the_spot", actor=clerk.user,
                               note="Passport, contract and degree; apply online.")
    ticket.refresh_from_db()
    assert ticket.state == "answered"
    assert ticket.first_response_at == ticket.resolved_at
    assert ticket.first_response_met is True and ticket.resolution_met is True
