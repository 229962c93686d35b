"""The ticket page, continued: the priority control (due times recomputed), the talent's
uploads next to the materials, the messages sent to the talent, and routing reasons that
name the category and the language."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from notifications.models import OutboxMessage
from portal.services import portal_upload
from prereview.models import Attachment
from tests.factories import TalentFactory
from tickets.models import EventKind, Ticket
from tickets.services import ticket_comment, ticket_open, ticket_transition

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def url(ticket, suffix=""):
    return f"/tickets/{ticket.reference}/{suffix}"


def _v(ticket) -> str:
    """The version a freshly loaded page would carry in its forms."""
    return _fresh(ticket).version


def _fresh(ticket):
    return Ticket.objects.get(pk=ticket.pk)


@pytest.fixture(autouse=True)
def _uploads_in_a_fresh_directory(upload_root):
    return upload_root


def _upload(ticket, material_id, name="scan.pdf"):
    material = ticket.materials.get(material_id=material_id)
    return portal_upload(ticket=ticket, talent=ticket.talent, material=material,
                         upload=SimpleUploadedFile(name, PDF, content_type="application/pdf"))


class TestPriority:
    @pytest.mark.parametrize(("persona", "shown"), [
        ("clerk", False), ("officer", True), ("supervisor", True), ("admin_officer", True),
    ])
    def test_the_control_shows_only_to_roles_that_may_use_it(self, request, login, open_ticket, persona, shown):
        body = login(request.getfixturevalue(persona)).get(url(open_ticket)).content.decode()
        assert ('id="ticket-priority"' in body) is shown

    def test_raising_the_priority_recomputes_the_due_times_and_shows_them(self, login, officer, open_ticket, htmx):
        before = _fresh(open_ticket)
        response = login(officer).post(url(open_ticket, "priority/"), {"priority": "urgent", "reason": "VIP visit", "version": _v(open_ticket)},
                                       HTTP_ACCEPT_LANGUAGE="en", **htmx("ticket-main"))
        assert response.status_code == 200
        after = _fresh(open_ticket)
        assert after.priority == "urgent"
        assert after.resolution_due < before.resolution_due
        body = response.content.decode()
        assert body.lstrip().startswith('<div id="ticket-main"')
        from workspace.display import centre_time

        assert centre_time(after.resolution_due, after.centre) in body
        assert centre_time(before.resolution_due, before.centre) not in body
        assert "Priority: Normal → Urgent; the due times were recomputed." in body
        assert "Priority: normal → urgent; due times recomputed" in body  # the timeline
        event = open_ticket.events.filter(kind=EventKind.SLA, action="priority").get()
        assert (event.body, event.actor, event.public) == ("VIP visit", officer.user, False)
        assert '<option value="urgent" selected>' in body

    def test_without_javascript_it_redirects_back(self, login, supervisor, open_ticket):
        response = login(supervisor).post(url(open_ticket, "priority/"), {"priority": "low", "version": _v(open_ticket)})
        assert response.status_code == 302 and response["Location"] == url(open_ticket)
        assert _fresh(open_ticket).priority == "low"

    def test_window_staff_are_refused_with_a_message(self, login, clerk, open_ticket):
        response = login(clerk).post(url(open_ticket, "priority/"), {"priority": "urgent", "version": _v(open_ticket)}, follow=True,
                                     HTTP_ACCEPT_LANGUAGE="en")
        assert "Your role does not allow this action" in response.content.decode()
        assert _fresh(open_ticket).priority == "normal"

    @pytest.mark.parametrize("value", ["critical", ""])
    def test_a_bad_priority_is_named_next_to_the_field(self, login, officer, open_ticket, value):
        response = login(officer).post(url(open_ticket, "priority/"), {"priority": value, "version": _v(open_ticket)},
                                       HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 422
        assert "priority" in response.context["priority_form"].errors
        assert 'id="id_priority_error"' in response.content.decode()
        assert _fresh(open_ticket).priority == "normal"

    def test_a_too_long_reason_is_named_and_kept(self, login, officer, open_ticket, htmx):
        reason = "r" * 301
        response = login(officer).post(url(open_ticket, "priority/"), {"priority": "high", "reason": reason, "version": _v(open_ticket)},
                                       **htmx("ticket-main"))
        assert "reason" in response.context["priority_form"].errors
        assert reason in response.content.decode()
        assert _fresh(open_ticket).priority == "normal"

    def test_a_finished_ticket_has_no_control_and_refuses_a_change(self, login, officer, open_ticket):
        ticket_transition(ticket=open_ticket, action="reject", actor=officer.user, note="Not eligible")
        assert _fresh(open_ticket).is_final
        client = login(officer)
        assert 'id="ticket-priority"' not in client.get(url(open_ticket)).content.decode()
        response = client.post(url(open_ticket, "priority/"), {"priority": "urgent", "version": _v(open_ticket)}, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 422
        assert response.context["priority_form"].errors["priority"] == ["The ticket is closed."]
        assert _fresh(open_ticket).priority == "normal"

    def test_out_of_scope_is_not_found(self, login, outsider, second_officer, open_ticket):
        assert login(outsider).post(url(open_ticket, "priority/"), {"priority": "urgent", "version": _v(open_ticket)}).status_code == 404
        assert login(second_officer).post(url(open_ticket, "priority/"), {"priority": "urgent", "version": _v(open_ticket)}).status_code == 404
        assert _fresh(open_ticket).priority == "normal"

    def test_the_page_only_takes_posts(self, login, officer, open_ticket):
        assert login(officer).get(url(open_ticket, "priority/")).status_code == 405


class TestUploadsAndMessages:
    def test_the_talents_uploads_are_listed_next_to_their_material_with_a_download_link(
        self, login, officer, open_ticket
    ):
        attachment = _upload(open_ticket, "passport", name="护照 scan.pdf")
        client = login(officer)
        body = client.get(url(open_ticket), HTTP_ACCEPT_LANGUAGE="en").content.decode()
        row = body.split('data-material="passport"')[1].split("</tr>")[0]
        link = f"/status/files/{attachment.key}/"
        assert f'href="{link}"' in row and "护照 scan.pdf" in row and "uploaded by the talent" in row
        download = client.get(link)
        assert download.status_code == 200 and b"".join(download.streaming_content) == PDF

    def test_uploads_are_not_shown_to_another_centre(self, login, outsider, open_ticket):
        attachment = _upload(open_ticket, "passport")
        client = login(outsider)
        assert client.get(url(open_ticket)).status_code == 404
        assert client.get(f"/status/files/{attachment.key}/").status_code == 404

    def test_messages_to_the_talent_show_their_delivery_state(self, login, officer, open_ticket):
        ticket_comment(ticket=open_ticket, actor=officer.user, body="We have your file.", public=True)
        messages = OutboxMessage.objects.filter(ticket=open_ticket)
        assert messages.exists()
        first = messages.first()
        OutboxMessage.objects.filter(pk=first.pk).update(status="failed", last_error="550 mailbox unknown")
        body = login(officer).get(url(open_ticket), HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert 'id="ticket-messages"' in body
        assert "Messages to the talent" in body
        assert 'class="outbox-failed"' in body and "550 mailbox unknown" in body

    def test_the_page_stays_constant_with_more_uploads_and_messages(self, login, officer, open_ticket,
                                                                     django_assert_num_queries):
        client = login(officer)
        client.get(url(open_ticket))
        # user, profile, ticket, materials, uploads, pre-reviews, last notice, events,
        # unread notices, messages, the knowledge-base articles that answered it
        with django_assert_num_queries(11) as first:
            client.get(url(open_ticket))
        for material in ("passport", "degree_certificate"):
            if open_ticket.materials.filter(material_id=material).exists():
                _upload(open_ticket, material)
        for n in range(3):
            ticket_comment(ticket=open_ticket, actor=officer.user, body=f"Update {n}", public=True)
        assert Attachment.objects.filter(ticket=open_ticket).exists()
        with django_assert_num_queries(len(first.captured_queries)):
            client.get(url(open_ticket))


class TestRoutingReasonOnTheTimeline:
    def test_a_waiting_ticket_names_the_category_and_language_in_chinese(self, login, clerk, supervisor, window):
        for person in (supervisor,):
            person.skills = []
            person.save()
        ticket = ticket_open(actor=clerk.user, talent=TalentFactory(preferred_language="zh"),
                             category="schooling", channel="window", subject="School place",
                             window=window).ticket
        assert ticket.assignee is None
        body = login(supervisor).get(url(ticket), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
        assert "暂无具备子女入学业务技能和中文语言的在岗专员" in body
        assert "schooling" not in body.split('class="timeline ws-timeline"')[1]
        english = login(supervisor).get(url(ticket), HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "skill Children&#x27;s school enrolment and language Chinese" in english


class TestStaleForms:
    """Two people on one ticket: the later form, filled in on the older version, is
    refused (409) instead of silently overwriting the newer change."""

    def test_a_stale_priority_form_is_refused_and_the_newer_change_kept(self, login, officer, supervisor,
                                                                       open_ticket):
        seen = _v(open_ticket)
        assert login(supervisor).post(url(open_ticket, "priority/"),
                                      {"priority": "urgent", "version": seen}).status_code == 302
        response = login(officer).post(url(open_ticket, "priority/"), {"priority": "low", "version": seen},
                                       HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 409
        body = response.content.decode()
        assert "Someone changed this ticket after you opened it." in body
        assert '<option value="urgent" selected>' in body
        assert f'name="version" value="{_v(open_ticket)}"' in body
        assert _fresh(open_ticket).priority == "urgent"

    def test_a_stale_reassign_form_is_refused_and_the_newer_change_kept(self, login, supervisor, admin_officer,
                                                                       second_officer, officer, open_ticket):
        seen = _v(open_ticket)
        assert login(admin_officer).post(url(open_ticket, "assign/"),
                                         {"officer": second_officer.pk, "version": seen}).status_code == 302
        response = login(supervisor).post(url(open_ticket, "assign/"), {"officer": officer.pk, "version": seen},
                                          HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 409
        assert _fresh(open_ticket).assignee == second_officer

    def test_htmx_gets_the_fresh_panel_with_the_warning(self, login, officer, supervisor, open_ticket, htmx):
        seen = _v(open_ticket)
        login(supervisor).post(url(open_ticket, "priority/"), {"priority": "urgent", "version": seen})
        response = login(officer).post(url(open_ticket, "priority/"), {"priority": "low", "version": seen},
                                       HTTP_ACCEPT_LANGUAGE="en", **htmx("ticket-main"))
        body = response.content.decode()
        assert response.status_code == 200 and body.lstrip().startswith('<div id="ticket-main"')
        assert "Someone changed this ticket after you opened it." in body
        assert _fresh(open_ticket).priority == "urgent"

    @pytest.mark.parametrize("version", ["", "abc", "1" * 21])
    def test_a_form_without_a_valid_version_is_refused(self, login, officer, open_ticket, version):
        response = login(officer).post(url(open_ticket, "priority/"), {"priority": "high", "version": version},
                                       HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 422
        assert response.context["priority_form"].errors["version"] == ["This form is out of date: reload the page."]
        assert _fresh(open_ticket).priority == "normal"
