"""The status page: what the talent reads about their case, and what it never shows."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse

from portal import status
from tests.portal.conftest import page
from tickets.models import MaterialStatus
from tickets.services import material_update, ticket_comment, ticket_open, ticket_transition

pytestmark = pytest.mark.django_db


def _html(client, ticket, lang="en"):
    client.cookies["talentdesk_language"] = lang
    response = client.get(page(ticket))
    assert response.status_code == 200
    return response.content.decode()


class TestWhatThePageSays:
    def test_category_subject_and_current_step_in_english(self, portal, open_ticket):
        html = _html(portal, open_ticket)
        assert "Household registration" in html  # category name from the workflow
        assert open_ticket.subject in html
        assert "Received, waiting for your officer" in html  # public_label of "new"

    def test_current_step_in_chinese(self, portal, open_ticket):
        html = _html(portal, open_ticket, lang="zh-hans")
        assert "落户" in html
        assert "已受理，等待专员审核" in html

    def test_what_to_do_names_each_missing_document(self, portal, waiting_ticket):
        html = _html(portal, waiting_ticket)
        assert "What you need to do now" in html
        assert "Please send the missing documents or answer your officer" in html  # talent_todo
        todo = html[html.index("What you need to do now"):html.index("When to expect")]
        assert "Talent recognition certificate" in todo
        assert "Passport" not in todo  # received, so not asked for

    def test_a_rejected_document_shows_the_reason(self, portal, waiting_ticket, officer):
        passport = waiting_ticket.materials.get(material_id="passport")
        material_update(material=passport, actor=officer.user, status=MaterialStatus.REJECTED,
                        reason="The scan is cut off at the bottom.")
        html = _html(portal, waiting_ticket)
        todo = html[html.index("What you need to do now"):html.index("When to expect")]
        assert "Passport or valid identity document" in todo
        assert "The scan is cut off at the bottom." in todo

    def test_officer_and_window_are_named(self, portal, open_ticket):
        html = _html(portal, open_ticket)
        assert "张伟 Zhang Wei" in html
        assert "Overseas Returnee Window" in html

    # Pinned: near the year's end (or in a year no calendar knows) the date is provisional.
    @pytest.mark.clock
    def test_expected_date_in_the_centres_zone_with_working_days(self, portal, open_ticket):
        html = _html(portal, open_ticket)
        due = status.local(open_ticket.resolution_due, open_ticket.centre)
        assert due.strftime("%Y-%m-%d") in html
        assert "working days left" in html
        assert "provisional" not in html

    def test_provisional_date_is_marked(self, client, sign_in, clerk, talent, window):
        # A year no calendar knows (nor ever will, while this test lives).
        with time_machine.travel(datetime(2098, 12, 24, 2, 0, tzinfo=UTC), tick=False):
            ticket = ticket_open(actor=clerk.user, talent=talent, category="settlement",
                                 channel="window", subject="Late in the year", window=window).ticket
            assert ticket.sla_provisional
            sign_in(client, ticket)
            html = _html(client, ticket)
        assert "provisional" in html

    def test_waiting_on_the_talent_says_the_clock_is_paused(self, portal, waiting_ticket):
        assert waiting_ticket.sla_paused_at is not None
        assert "The clock is paused while we wait for you" in _html(portal, waiting_ticket)

    def test_working_days_skip_the_national_day_holiday(self, centre):
        from datetime import date

        # 2026-09-30 → 2026-10-09: 1-7 October off, 10 October (Saturday) is a make-up day.
        assert status.working_days_between(centre, date(2026, 9, 30), date(2026, 10, 9)) == 2
        assert status.working_days_between(centre, date(2026, 9, 30), date(2026, 10, 10)) == 3


class TestWhatThePageNeverShows:
    def test_internal_notes_and_routing_reasons_are_not_shown(self, portal, open_ticket, officer):
        ticket_comment(ticket=open_ticket, actor=officer.user, body="INTERNAL: check the employer",
                       public=False)
        ticket_comment(ticket=open_ticket, actor=officer.user, body="We have your file.", public=True)
        html = _html(portal, open_ticket)
        assert "INTERNAL" not in html
        assert "We have your file." in html
        assert "dedicated officer" not in html.lower()  # the routing event is internal

    def test_the_document_number_is_masked(self, portal, open_ticket):
        html = _html(portal, open_ticket)
        assert "E12345678" not in html
        assert "E1****78" in html

    def test_the_access_code_hash_never_appears(self, portal, open_ticket):
        assert open_ticket.access_code_hash not in _html(portal, open_ticket)


class TestTimelineAndOtherCases:
    def test_the_officers_reply_is_on_the_timeline(self, portal, waiting_ticket, officer):
        ticket_comment(ticket=waiting_ticket, actor=officer.user, body="Thank you, all good.",
                       public=True)
        html = _html(portal, waiting_ticket)
        assert "Message from your officer" in html
        assert "Thank you, all good." in html
        assert "Please upload your talent recognition certificate." in html  # request note

    def test_other_cases_of_the_same_talent_are_listed_by_reference_to_the_check(self, portal, open_ticket,
                                                                                 clerk, window):
        other = ticket_open(actor=clerk.user, talent=open_ticket.talent, category="transport",
                            channel="hotline", subject="Parking permit", window=window).ticket
        html = _html(portal, open_ticket)
        assert f'href="/status/?reference={other.reference}"' in html
        assert reverse("portal:ticket", args=[other.reference]) not in html

    def test_the_check_page_lists_the_sessions_cases(self, portal, open_ticket):
        portal.cookies["talentdesk_language"] = "en"
        html = portal.get("/status/").content.decode()
        assert "Your cases" in html and open_ticket.reference in html

    def test_page_queries_do_not_grow_with_the_timeline(self, portal, open_ticket, officer, clerk,
                                                        window, django_assert_max_num_queries):
        portal.get(page(open_ticket))  # warm caches (workflow snapshots, calendars)
        with django_assert_max_num_queries(20) as small:
            portal.get(page(open_ticket))
        for n in range(15):
            ticket_comment(ticket=open_ticket, actor=officer.user, body=f"reply {n}", public=True)
        for n in range(5):
            ticket_open(actor=clerk.user, talent=open_ticket.talent, category="transport",
                        channel="hotline", subject=f"other {n}", window=window)
        with django_assert_max_num_queries(len(small.captured_queries)):
            portal.get(page(open_ticket))

    def test_resolved_case_offers_rating_not_uploads(self, portal, waiting_ticket, officer):
        item = waiting_ticket.materials.get(material_id="talent_certificate")
        material_update(material=item, actor=officer.user, status=MaterialStatus.RECEIVED)
        ticket_transition(ticket=waiting_ticket, action="materials_provided", actor=officer.user)
        ticket_transition(ticket=waiting_ticket, action="submit_to_police", actor=officer.user)
        ticket_transition(ticket=waiting_ticket, action="resolve", actor=officer.user, note="Done.")
        html = _html(portal, waiting_ticket)
        assert "Rate our service" in html
        assert 'enctype="multipart/form-data"' not in html
        assert "Write to your officer" not in html
        assert "Finished on" in html
