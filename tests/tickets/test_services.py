"""The lifecycle services: the only way a ticket changes."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from core.errors import ActionForbidden, ClaimConflict, IdempotencyConflict, InvalidTransition
from talents.models import Talent
from tickets import access, services
from tickets.models import EventKind, MaterialStatus, Ticket, TimelineEvent

pytestmark = pytest.mark.django_db


def _open(actor, talent, window, **extra):
    fields = dict(
        actor=actor.user, talent=talent, category="settlement", channel="window",
        subject="Household registration", window=window,
    )
    fields.update(extra)
    return services.ticket_open(**fields)


def _receive_required(ticket, actor):
    for item in ticket.materials.filter(required=True):
        services.material_update(material=item, actor=actor.user, status=MaterialStatus.RECEIVED)


class TestOpening:
    def test_open_allocates_reference_code_and_checklist(self, clerk, talent, window):
        opened = _open(clerk, talent, window, materials_received=["passport"])
        ticket = opened.ticket
        assert opened.created
        assert ticket.reference.startswith("TD-") and len(ticket.reference) == len("TD-2026-000001")
        assert ticket.state == "new"
        assert ticket.workflow_version == ticket.workflow.version
        assert len(opened.access_code) == 10
        assert opened.access_code not in ticket.access_code_hash
        assert access.access_code_matches(opened.access_code, ticket.access_code_hash)
        statuses = dict(ticket.materials.values_list("material_id", "status"))
        assert statuses["passport"] == MaterialStatus.RECEIVED
        assert statuses["talent_certificate"] == MaterialStatus.PENDING
        assert ticket.events.filter(kind=EventKind.OPENED, public=True).exists()

    def test_references_are_sequential_and_unique(self, clerk, talent, window):
        first = _open(clerk, talent, window).ticket.reference
        second = _open(clerk, talent, window).ticket.reference
        assert int(second[-6:]) == int(first[-6:]) + 1

    def test_open_routes_to_the_dedicated_officer_and_records_why(self, clerk, talent, window, officer):
        ticket = _open(clerk, talent, window).ticket
        assert ticket.assignee == officer
        event = ticket.events.get(kind=EventKind.ASSIGNMENT)
        assert officer.display_name in event.body

    def test_open_computes_due_times(self, clerk, talent, window):
        ticket = _open(clerk, talent, window).ticket
        assert ticket.first_response_due > ticket.created_at
        assert ticket.resolution_due > ticket.first_response_due
        assert ticket.due_at == ticket.first_response_due

    def test_same_key_and_request_returns_the_first_ticket(self, clerk, talent, window):
        first = _open(clerk, talent, window, idempotency_key="tok-1", materials_received=["passport"])
        again = _open(clerk, talent, window, idempotency_key="tok-1", subject=" Household registration ",
                      materials_received=("passport", "passport"))
        assert again.ticket.pk == first.ticket.pk
        assert not again.created and again.access_code is None
        assert Ticket.objects.count() == 1

    @pytest.mark.parametrize(
        ("field", "value"),
        [("subject", "Another matter"), ("category", "transport"), ("channel", "hotline"),
         ("priority", "high"), ("description", "more"), ("materials_received", ["passport"])],
    )
    def test_same_key_with_a_different_request_is_refused(self, clerk, talent, window, field, value):
        _open(clerk, talent, window, idempotency_key="tok-1")
        with pytest.raises(IdempotencyConflict):
            _open(clerk, talent, window, idempotency_key="tok-1", **{field: value})
        assert Ticket.objects.count() == 1

    def test_same_key_for_another_talent_is_refused(self, clerk, talent, window):
        from tests.factories import TalentFactory

        _open(clerk, talent, window, idempotency_key="tok-1")
        with pytest.raises(IdempotencyConflict):
            _open(clerk, TalentFactory(), window, idempotency_key="tok-1")

    def test_a_refused_request_does_not_use_up_its_key(self, clerk, talent, window):
        with pytest.raises(ValidationError):
            _open(clerk, talent, window, idempotency_key="tok-1", subject="")
        assert _open(clerk, talent, window, idempotency_key="tok-1").created

    def test_a_new_talent_is_registered_in_the_same_transaction(self, clerk, window):
        new = {"latin_name": "Ada Park", "nationality": "kr", "document_type": "passport",
               "document_number": "m1234567"}
        opened = _open(clerk, None, window, new_talent=new, idempotency_key="n-1")
        assert (opened.ticket.talent.latin_name, opened.ticket.talent.document_number) == (
            "Ada Park", "M1234567")
        again = _open(clerk, None, window, new_talent=new, idempotency_key="n-1")
        assert again.ticket.pk == opened.ticket.pk and not again.created
        assert Talent.objects.filter(document_number="M1234567").count() == 1

    def test_a_refused_ticket_leaves_no_new_talent(self, clerk, window):
        new = {"latin_name": "Ada Park", "nationality": "KR", "document_type": "passport",
               "document_number": "M1234567"}
        with pytest.raises(ValidationError) as caught:
            _open(clerk, None, window, new_talent=new, category="astrology")
        assert list(caught.value.message_dict) == ["category"]
        assert not Talent.objects.exists()

    def test_a_bad_new_talent_names_its_field_and_stores_nothing(self, clerk, window):
        new = {"latin_name": "", "native_name": "", "nationality": "KR",
               "document_type": "passport", "document_number": "M1234567"}
        with pytest.raises(ValidationError) as caught:
            _open(clerk, None, window, new_talent=new)
        assert list(caught.value.message_dict) == ["latin_name"]
        assert (Talent.objects.count(), Ticket.objects.count()) == (0, 0)

    @pytest.mark.parametrize("both", [True, False])
    def test_exactly_one_of_talent_and_new_talent(self, clerk, talent, window, both):
        new = {"latin_name": "Ada Park", "nationality": "KR", "document_type": "passport",
               "document_number": "M1234567"}
        with pytest.raises(ValidationError) as caught:
            _open(clerk, talent if both else None, window, new_talent=new if both else None)
        assert caught.value.message_dict == {
            "talent": ["Give either an existing talent or a new talent, not both."]}

    def test_a_clerk_opens_only_at_their_own_windows(self, clerk, talent, centre):
        from tests.factories import WindowFactory

        with pytest.raises(ValidationError) as caught:
            _open(clerk, talent, WindowFactory(centre=centre))
        assert caught.value.message_dict == {"window": ["You do not serve at this window."]}

    def test_the_system_opens_an_online_application_for_a_new_talent(self, centre):
        from core.system import system_user

        new = {"latin_name": "Ada Park", "nationality": "KR", "document_type": "passport",
               "document_number": "M1234567", "email": "ada@example.org"}
        opened = services.ticket_open(
            actor=system_user(), new_talent=new, category="settlement", channel="online",
            subject="Settling in", centre=centre, idempotency_key="online-1")
        assert (opened.created, opened.ticket.channel, opened.ticket.centre) == (True, "online", centre)
        assert opened.ticket.talent.email == "ada@example.org"

    @pytest.mark.parametrize(
        ("field", "value"),
        [("category", "astrology"), ("channel", "pigeon"), ("priority", "whenever"),
         ("subject", "   "), ("subject", "x" * 201), ("materials_received", ["unicorn"])],
    )
    def test_bad_input_names_the_field_and_saves_nothing(self, clerk, talent, window, field, value):
        with pytest.raises(ValidationError) as caught:
            _open(clerk, talent, window, **{field: value})
        expected = "materials" if field == "materials_received" else field
        assert expected in caught.value.message_dict
        assert Ticket.objects.count() == 0
        assert TimelineEvent.objects.count() == 0

    def test_window_of_another_centre_is_refused(self, clerk, talent, window, other_window, centre):
        with pytest.raises(ValidationError) as caught:
            _open(clerk, talent, other_window, centre=centre)
        assert "window" in caught.value.message_dict

    def test_talent_cannot_be_an_opener(self, talent, window, db):
        from tests.factories import UserFactory

        with pytest.raises(ActionForbidden):
            services.ticket_open(actor=UserFactory(), talent=talent, category="settlement",
                                 channel="online", subject="x", window=window)
        assert Ticket.objects.count() == 0


class TestTransitions:
    def test_transition_moves_state_and_records_event_and_history(self, open_ticket, officer):
        event = services.ticket_transition(ticket=open_ticket, action="start_review", actor=officer.user)
        open_ticket.refresh_from_db()
        assert open_ticket.state == "reviewing"
        assert (event.from_state, event.to_state, event.actor) == ("new", "reviewing", officer.user)
        latest = open_ticket.history.first()
        assert latest.history_change_reason == "start_review"
        assert latest.history_user == officer.user
        assert open_ticket.first_response_at is not None

    def test_illegal_transition_names_state_and_allowed_actions(self, open_ticket, officer):
        with pytest.raises(InvalidTransition) as caught:
            services.ticket_transition(ticket=open_ticket, action="resolve", actor=officer.user)
        assert caught.value.current_state == "new"
        assert "start_review" in caught.value.allowed
        assert "new" in str(caught.value.message)

    def test_unknown_action_is_an_invalid_transition(self, open_ticket, officer):
        with pytest.raises(InvalidTransition):
            services.ticket_transition(ticket=open_ticket, action="teleport", actor=officer.user)

    def test_role_not_allowed_gets_permission_error(self, open_ticket, clerk):
        with pytest.raises(ActionForbidden):
            services.ticket_transition(ticket=open_ticket, action="start_review", actor=clerk.user)
        open_ticket.refresh_from_db()
        assert open_ticket.state == "new"

    def test_out_of_scope_actor_is_refused(self, open_ticket, outsider):
        with pytest.raises(ActionForbidden):
            services.ticket_transition(ticket=open_ticket, action="start_review", actor=outsider.user)

    def test_required_comment_is_enforced(self, open_ticket, officer):
        with pytest.raises(ValidationError) as caught:
            services.ticket_transition(ticket=open_ticket, action="reject", actor=officer.user, note=" ")
        assert "note" in caught.value.message_dict

    def test_required_materials_are_enforced_and_named(self, open_ticket, officer):
        services.ticket_transition(ticket=open_ticket, action="start_review", actor=officer.user)
        with pytest.raises(ValidationError) as caught, translation.override("en"):
            services.ticket_transition(ticket=open_ticket, action="submit_to_police", actor=officer.user)
        assert caught.value.message_dict["materials"] == [
            "Required materials missing: Passport or valid identity document; Talent recognition "
            "certificate; Employment contract or employer's acceptance letter; Degree certificate "
            "with authentication."]
        _receive_required(open_ticket, officer)
        services.ticket_transition(ticket=open_ticket, action="submit_to_police", actor=officer.user)
        open_ticket.refresh_from_db()
        assert open_ticket.state == "submitted_to_police"

    def test_resolve_and_close_set_timestamps(self, open_ticket, officer):
        services.ticket_transition(ticket=open_ticket, action="start_review", actor=officer.user)
        _receive_required(open_ticket, officer)
        services.ticket_transition(ticket=open_ticket, action="submit_to_police", actor=officer.user)
        services.ticket_transition(ticket=open_ticket, action="resolve", actor=officer.user, note="Done")
        open_ticket.refresh_from_db()
        assert open_ticket.resolved_at and open_ticket.resolution_met is True
        assert open_ticket.due_at is None and open_ticket.closed_at is None
        services.ticket_transition(ticket=open_ticket, action="close", actor=officer.user)
        open_ticket.refresh_from_db()
        assert open_ticket.closed_at and open_ticket.is_final

    def test_waiting_on_talent_pauses_the_clock(self, open_ticket, officer):
        services.ticket_transition(ticket=open_ticket, action="request_materials", actor=officer.user,
                                   note="Please bring your degree certificate")
        open_ticket.refresh_from_db()
        assert open_ticket.sla_paused_at is not None and open_ticket.due_at is None
        services.ticket_transition(ticket=open_ticket, action="materials_provided", actor=officer.user)
        open_ticket.refresh_from_db()
        assert open_ticket.sla_paused_at is None and open_ticket.due_at is not None

    def test_pinned_workflow_version_survives_a_file_change(self, open_ticket, settings, tmp_path):
        import shutil

        from flows.registry import reload_workflows

        for path in settings.WORKFLOWS_DIR.iterdir():
            shutil.copy(path, tmp_path / path.name)
        pinned = open_ticket.workflow_version
        text = (tmp_path / "settlement.yaml").read_text()
        text = text.replace(f"version: {pinned}", f"version: {pinned + 1}", 1)
        text = text.replace("action: start_review", "action: begin")
        (tmp_path / "settlement.yaml").write_text(text)
        settings.WORKFLOWS_DIR = tmp_path
        reload_workflows()
        try:
            assert open_ticket.workflow.version == pinned
            assert open_ticket.workflow.transition("start_review") is not None
        finally:
            settings.WORKFLOWS_DIR = settings.ROOT_DIR / "workflows"
            reload_workflows()


class TestAssignment:
    def test_claim_takes_an_unassigned_ticket(self, clerk, second_officer, window, db):
        from tests.factories import TalentFactory

        # No persona has the schooling skill, so routing leaves it in the window's queue.
        ticket = _open(clerk, TalentFactory(), window, category="schooling").ticket
        assert ticket.assignee is None
        services.ticket_claim(ticket=ticket, actor=second_officer.user)
        ticket.refresh_from_db()
        assert ticket.assignee == second_officer
        assert ticket.history.first().history_user == second_officer.user

    def test_claim_of_a_held_ticket_names_the_holder(self, open_ticket, second_officer, officer):
        with pytest.raises(ClaimConflict) as caught:
            services.ticket_claim(ticket=open_ticket, actor=second_officer.user)
        assert officer.display_name in str(caught.value.message)

    def test_window_staff_cannot_claim(self, open_ticket, clerk):
        with pytest.raises(ActionForbidden):
            services.ticket_claim(ticket=open_ticket, actor=clerk.user)

    def test_supervisor_reassigns_with_reason(self, open_ticket, supervisor, second_officer):
        services.ticket_assign(ticket=open_ticket, officer=second_officer, actor=supervisor.user,
                               reason="officer on leave")
        open_ticket.refresh_from_db()
        assert open_ticket.assignee == second_officer
        assert open_ticket.history.first().history_change_reason == "officer on leave"

    def test_officer_cannot_reassign(self, open_ticket, officer, second_officer):
        with pytest.raises(ActionForbidden):
            services.ticket_assign(ticket=open_ticket, officer=second_officer, actor=officer.user)

    def test_cannot_assign_to_another_centres_officer(self, open_ticket, supervisor, outsider):
        with pytest.raises(ValidationError) as caught:
            services.ticket_assign(ticket=open_ticket, officer=outsider, actor=supervisor.user)
        assert "assignee" in caught.value.message_dict


class TestCommentsAndMaterials:
    def test_public_reply_counts_as_first_response(self, open_ticket, officer):
        services.ticket_comment(ticket=open_ticket, actor=officer.user, body="We are on it", public=True)
        open_ticket.refresh_from_db()
        assert open_ticket.first_response_at is not None
        assert open_ticket.first_response_met is True

    def test_internal_note_is_not_public_and_not_a_response(self, open_ticket, officer):
        event = services.ticket_comment(ticket=open_ticket, actor=officer.user, body="check", public=False)
        open_ticket.refresh_from_db()
        assert event.kind == EventKind.NOTE and not event.public
        assert open_ticket.first_response_at is None

    def test_empty_comment_names_the_body_field(self, open_ticket, officer):
        with pytest.raises(ValidationError) as caught:
            services.ticket_comment(ticket=open_ticket, actor=officer.user, body="", public=True)
        assert "body" in caught.value.message_dict

    def test_rejecting_a_material_needs_a_reason(self, open_ticket, officer):
        item = open_ticket.materials.get(material_id="passport")
        with pytest.raises(ValidationError) as caught:
            services.material_update(material=item, actor=officer.user, status="rejected")
        assert "reason" in caught.value.message_dict
        services.material_update(material=item, actor=officer.user, status="rejected", reason="expired")
        item.refresh_from_db()
        assert (item.status, item.reason) == ("rejected", "expired")
        assert item.history.first().history_user == officer.user

    def test_unknown_material_status_is_refused(self, open_ticket, officer):
        item = open_ticket.materials.first()
        with pytest.raises(ValidationError) as caught:
            services.material_update(material=item, actor=officer.user, status="lost")
        assert "status" in caught.value.message_dict

    def test_new_access_code_replaces_the_old(self, open_ticket, officer):
        code = services.ticket_access_code_reset(ticket=open_ticket, actor=officer.user)
        open_ticket.refresh_from_db()
        assert access.access_code_matches(code, open_ticket.access_code_hash)
