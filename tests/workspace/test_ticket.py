"""The ticket page: actions from the workflow, comments, materials, reassignment, reveal,
access code, timeline and history; refusals come back as messages, never as errors."""

import pytest

from talents.models import DocumentReveal
from tickets import access
from tickets.models import EventKind, MaterialStatus, Ticket
from tickets.services import material_update, ticket_transition

pytestmark = pytest.mark.django_db


def url(ticket, suffix=""):
    return f"/tickets/{ticket.reference}/{suffix}"


def _v(ticket) -> str:
    """The version a freshly loaded page would carry in its forms."""
    return _fresh(ticket).version


def _fresh(ticket):
    return Ticket.objects.get(pk=ticket.pk)


class TestScope:
    def test_the_assignee_sees_the_page(self, login, officer, open_ticket):
        response = login(officer).get(url(open_ticket))
        assert response.status_code == 200
        assert open_ticket.subject in response.content.decode()

    @pytest.mark.parametrize("persona", ["clerk", "supervisor", "admin_officer"])
    def test_the_window_and_the_centre_see_it(self, request, login, open_ticket, persona):
        assert login(request.getfixturevalue(persona)).get(url(open_ticket)).status_code == 200

    def test_another_centre_gets_not_found_for_page_and_partials(self, login, outsider, open_ticket, htmx):
        client = login(outsider)
        assert client.get(url(open_ticket)).status_code == 404
        assert client.get(url(open_ticket), {"tab": "history"}, **htmx("ticket-tabs")).status_code == 404
        assert client.post(url(open_ticket, "act/"), {"action": "start_review"}).status_code == 404
        assert client.post(url(open_ticket, "reveal/")).status_code == 404
        assert _fresh(open_ticket).state == "new"

    def test_an_officer_does_not_see_a_colleagues_ticket(self, login, second_officer, open_ticket):
        assert login(second_officer).get(url(open_ticket)).status_code == 404

    def test_the_document_number_is_masked(self, login, officer, open_ticket):
        body = login(officer).get(url(open_ticket)).content.decode()
        assert "E12345678" not in body and "E1****78" in body


class TestActions:
    def test_buttons_are_the_workflows_actions_for_my_role_in_this_state(self, login, officer, clerk, open_ticket):
        officer_actions = [a["action"] for a in login(officer).get(url(open_ticket)).context["actions"]]
        workflow = open_ticket.workflow
        assert officer_actions == [t.action for t in workflow.actions_for("new", "officer")]
        clerk_actions = [a["action"] for a in login(clerk).get(url(open_ticket)).context["actions"]]
        assert clerk_actions == [t.action for t in workflow.actions_for("new", "window_staff")]

    def test_an_action_moves_the_ticket_and_answers_htmx_with_the_fresh_panel(self, login, officer, open_ticket, htmx):
        response = login(officer).post(url(open_ticket, "act/"), {"action": "start_review"},
                                       **htmx("ticket-main"))
        assert response.status_code == 200
        body = response.content.decode()
        assert body.lstrip().startswith('<div id="ticket-main"')
        assert _fresh(open_ticket).state == "reviewing"
        assert 'data-state="reviewing"' in body

    def test_without_javascript_an_action_redirects_back_to_the_page(self, login, officer, open_ticket):
        response = login(officer).post(url(open_ticket, "act/"), {"action": "start_review"})
        assert response.status_code == 302 and response["Location"] == url(open_ticket)

    def test_a_stale_action_gets_a_message_and_the_current_state(self, login, officer, supervisor, open_ticket, htmx):
        ticket_transition(ticket=open_ticket, action="start_review", actor=supervisor.user)
        response = login(officer).post(url(open_ticket, "act/"), {"action": "start_review"},
                                       HTTP_ACCEPT_LANGUAGE="en", **htmx("ticket-main"))
        assert response.status_code == 200
        body = response.content.decode()
        assert "The ticket changed meanwhile" in body and "Reviewing materials" in body

    def test_a_forbidden_action_gets_a_message(self, login, clerk, open_ticket):
        response = login(clerk).post(url(open_ticket, "act/"), {"action": "start_review"},
                                     follow=True, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200
        assert "Your role does not allow this action" in response.content.decode()
        assert _fresh(open_ticket).state == "new"

    def test_an_unknown_action_is_a_stale_action_not_an_error(self, login, officer, open_ticket):
        response = login(officer).post(url(open_ticket, "act/"), {"action": "teleport"}, follow=True)
        assert response.status_code == 200

    def test_a_required_note_is_asked_for_next_to_the_field(self, login, officer, open_ticket, htmx):
        response = login(officer).post(url(open_ticket, "act/"), {"action": "reject", "note": "  "},
                                       **htmx("ticket-main"))
        body = response.content.decode()
        assert 'id="action-note-error"' in body
        assert _fresh(open_ticket).state == "new"

    def test_missing_materials_are_named(self, login, officer, open_ticket):
        ticket_transition(ticket=open_ticket, action="start_review", actor=officer.user)
        response = login(officer).post(url(open_ticket, "act/"), {"action": "submit_to_police", "note": "keep me"},
                                       HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 422
        body = response.content.decode()
        assert "Required materials missing" in body and "keep me" in body


class TestClaimOnThePage:
    @pytest.fixture
    def queued(self, clerk, window, officer, second_officer):
        from tests.factories import TalentFactory
        from tickets.services import ticket_open

        for person in (officer, second_officer):
            person.skills = []
            person.save()
        return ticket_open(actor=clerk.user, talent=TalentFactory(), category="settlement",
                           channel="window", subject="Queued", window=window).ticket

    def test_claiming_on_the_page_shows_the_fresh_panel(self, login, officer, queued, htmx):
        response = login(officer).post(url(queued, "claim/"), **htmx("ticket-main"))
        assert response.status_code == 200 and "data-assignee" in response.content.decode()
        assert _fresh(queued).assignee == officer

    def test_a_stale_claim_on_the_page_sends_the_loser_to_their_work_with_the_reason(
        self, login, officer, second_officer, queued, htmx
    ):
        login(officer).post(url(queued, "claim/"))
        client = login(second_officer)
        response = client.post(url(queued, "claim/"), HTTP_ACCEPT_LANGUAGE="en", **htmx("ticket-main"))
        assert response.status_code == 200 and response["HX-Redirect"] == "/"
        page = client.get("/work/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "Zhang Wei has already taken this ticket" in page
        assert _fresh(queued).assignee == officer


class TestCommentsAndMaterials:
    def test_a_public_reply_and_an_internal_note(self, login, officer, open_ticket):
        client = login(officer)
        client.post(url(open_ticket, "comment/"), {"body": "We received your file.", "visibility": "public"})
        client.post(url(open_ticket, "comment/"), {"body": "Call back Monday.", "visibility": "internal"})
        assert open_ticket.events.get(kind=EventKind.COMMENT).public is True
        assert open_ticket.events.get(kind=EventKind.NOTE).public is False
        body = client.get(url(open_ticket)).content.decode()
        assert 'class="public"' in body and 'class="internal"' in body

    def test_an_empty_comment_is_refused_next_to_the_field(self, login, officer, open_ticket):
        response = login(officer).post(url(open_ticket, "comment/"), {"body": "", "visibility": "public"})
        assert response.status_code == 422
        assert "body" in response.context["comment_form"].errors

    def test_receiving_a_material(self, login, officer, open_ticket):
        item = open_ticket.materials.get(material_id="passport")
        login(officer).post(url(open_ticket, f"materials/{item.pk}/"), {"status": "received"})
        item.refresh_from_db()
        assert item.status == MaterialStatus.RECEIVED

    def test_rejecting_needs_a_reason_and_keeps_what_was_typed(self, login, officer, open_ticket):
        item = open_ticket.materials.get(material_id="passport")
        response = login(officer).post(url(open_ticket, f"materials/{item.pk}/"), {"status": "rejected", "reason": ""})
        assert response.status_code == 422
        assert 'class="field-error"' in response.content.decode()
        login(officer).post(url(open_ticket, f"materials/{item.pk}/"), {"status": "rejected", "reason": "Expired"})
        item.refresh_from_db()
        assert (item.status, item.reason) == (MaterialStatus.REJECTED, "Expired")

    def test_a_material_of_another_ticket_is_not_found(self, login, officer, open_ticket, clerk, talent, window):
        from tickets.services import ticket_open

        other = ticket_open(actor=clerk.user, talent=talent, category="settlement", channel="window",
                            subject="Other", window=window).ticket
        item = other.materials.first()
        assert login(officer).post(url(open_ticket, f"materials/{item.pk}/"), {"status": "received"}).status_code == 404

    def test_a_bad_status_is_named(self, login, officer, open_ticket):
        item = open_ticket.materials.first()
        response = login(officer).post(url(open_ticket, f"materials/{item.pk}/"), {"status": "lost"})
        assert response.status_code == 422


class TestReassign:
    def test_supervisors_reassign(self, login, supervisor, second_officer, open_ticket):
        response = login(supervisor).post(url(open_ticket, "assign/"),
                                          {"officer": second_officer.pk, "reason": "holiday cover", "version": _v(open_ticket)})
        assert response.status_code == 302
        assert _fresh(open_ticket).assignee == second_officer

    def test_officers_do_not_see_the_form_and_cannot_post_it(self, login, officer, second_officer, open_ticket):
        client = login(officer)
        assert 'id="ticket-assign"' not in client.get(url(open_ticket)).content.decode()
        response = client.post(url(open_ticket, "assign/"), {"officer": second_officer.pk, "version": _v(open_ticket)}, follow=True,
                               HTTP_ACCEPT_LANGUAGE="en")
        assert "Your role does not allow this action" in response.content.decode()
        assert _fresh(open_ticket).assignee == officer

    def test_an_officer_of_another_centre_is_not_offered(self, login, supervisor, outsider, open_ticket):
        response = login(supervisor).post(url(open_ticket, "assign/"), {"officer": outsider.pk, "version": _v(open_ticket)})
        assert response.status_code == 422
        assert "officer" in response.context["assign_form"].errors


class TestRevealAndAccessCode:
    def test_reveal_shows_the_number_once_and_records_who_and_why(self, login, officer, open_ticket, htmx):
        response = login(officer).post(url(open_ticket, "reveal/"), {"reason": "check at the window"},
                                       **htmx("talent-document"))
        body = response.content.decode()
        assert body.lstrip().startswith('<div id="talent-document"') and "E12345678" in body
        reveal = DocumentReveal.objects.get()
        assert (reveal.user, reveal.ticket_id, reveal.reason) == (officer.user, open_ticket.pk, "check at the window")
        assert open_ticket.events.filter(kind=EventKind.REVEAL, public=False).exists()
        assert "E12345678" not in login(officer).get(url(open_ticket)).content.decode()

    def test_a_new_access_code_is_shown_once_and_replaces_the_old(self, login, officer, open_ticket, htmx):
        response = login(officer).post(url(open_ticket, "access-code/"), **htmx("ticket-access-code"))
        body = response.content.decode()
        code = body.split("data-access-code>")[1].split("<")[0]
        assert access.access_code_matches(code, _fresh(open_ticket).access_code_hash)
        assert "data-access-code" not in login(officer).get(url(open_ticket)).content.decode()


class TestTimelineAndHistory:
    def test_the_timeline_tells_public_from_internal(self, login, officer, open_ticket):
        body = login(officer).get(url(open_ticket), HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert 'class="public" data-kind="opened"' in body
        assert 'class="internal" data-kind="assignment"' in body

    def test_the_history_tab_is_a_partial_of_readable_diffs(self, login, officer, open_ticket, htmx):
        ticket_transition(ticket=open_ticket, action="start_review", actor=officer.user)
        material_update(material=open_ticket.materials.get(material_id="passport"), actor=officer.user,
                        status=MaterialStatus.RECEIVED)
        response = login(officer).get(url(open_ticket), {"tab": "history"}, HTTP_ACCEPT_LANGUAGE="en",
                                      **htmx("ticket-tabs"))
        body = response.content.decode()
        assert body.lstrip().startswith('<div id="ticket-tabs"')
        assert "<del>New</del> → <ins>Reviewing materials</ins>" in body
        assert "<del>pending</del> → <ins>received</ins>" in body
        assert "Start review" in body  # why
        assert officer.display_name in body  # who
        entries = login(officer).get(url(open_ticket), {"tab": "history"}).context["history"]
        assert [e.when for e in entries] == sorted(e.when for e in entries)

    def test_the_history_page_works_without_javascript(self, login, officer, open_ticket):
        response = login(officer).get(url(open_ticket), {"tab": "history"})
        assert response.status_code == 200 and response.context["tab"] == "history"

    def test_the_history_runs_a_constant_number_of_queries(self, login, officer, open_ticket,
                                                          django_assert_num_queries):
        client = login(officer)
        client.get(url(open_ticket), {"tab": "history"})
        # 10 + the header's unread notices, the talent's uploads, the messages to the talent,
        # the uploads' pre-reviews, the last one-time notice, the knowledge-base articles
        # that answered it
        with django_assert_num_queries(16) as first:
            client.get(url(open_ticket), {"tab": "history"})
        for note in ("one", "two", "three"):
            ticket_transition(ticket=open_ticket, action="request_materials", actor=officer.user, note=note)
            ticket_transition(ticket=open_ticket, action="materials_provided", actor=officer.user)
        with django_assert_num_queries(len(first.captured_queries)):
            client.get(url(open_ticket), {"tab": "history"})


class TestRevealNeedsAReason:
    @pytest.mark.parametrize("reason", ["", "   "])
    def test_an_empty_reason_is_refused_and_nothing_recorded(self, login, officer, open_ticket, htmx, reason):
        client = login(officer, HTTP_ACCEPT_LANGUAGE="en")
        response = client.post(url(open_ticket, "reveal/"), {"reason": reason}, **htmx("talent-document"))
        body = response.content.decode()
        assert response.status_code == 200
        assert "Say why you need the full number." in body and "E12345678" not in body
        response = client.post(url(open_ticket, "reveal/"), {"reason": reason})
        assert response.status_code == 422
        assert not DocumentReveal.objects.exists()
        assert not open_ticket.events.filter(kind=EventKind.REVEAL).exists()
