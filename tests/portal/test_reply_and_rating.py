"""Answering the officer, handing the case back, and rating the service once it is done;
low ratings become follow-ups for the supervisor."""

import pytest
from django.utils import translation

from portal.models import Rating
from portal.services import portal_rate
from tests.portal.conftest import page
from tickets.models import EventKind, MaterialStatus
from tickets.services import material_update, ticket_transition

pytestmark = pytest.mark.django_db


def _resolve(ticket, officer):
    for item in ticket.materials.filter(required=True).exclude(status=MaterialStatus.RECEIVED):
        material_update(material=item, actor=officer.user, status=MaterialStatus.RECEIVED)
    ticket.refresh_from_db()
    if ticket.state == "new":
        ticket_transition(ticket=ticket, action="start_review", actor=officer.user)
    if ticket.state == "waiting_talent":
        ticket_transition(ticket=ticket, action="materials_provided", actor=officer.user)
    ticket_transition(ticket=ticket, action="submit_to_police", actor=officer.user)
    ticket_transition(ticket=ticket, action="resolve", actor=officer.user, note="Registered.")
    ticket.refresh_from_db()
    return ticket


def _certificate_in(ticket, officer):
    """What the officer asked for (tests.portal.conftest.waiting_ticket) has arrived."""
    material_update(material=ticket.materials.get(material_id="talent_certificate"),
                    actor=officer.user, status=MaterialStatus.RECEIVED)


class TestReply:
    def test_reply_is_a_public_talent_event(self, portal, open_ticket):
        response = portal.post(page(open_ticket) + "reply/", {"body": "My employer changed."})
        assert response.status_code == 302
        event = open_ticket.events.get(kind=EventKind.TALENT_REPLY)
        assert event.public and event.by_talent and event.actor is None
        assert event.body == "My employer changed."
        assert "My employer changed." in portal.get(page(open_ticket)).content.decode()

    def test_reply_that_answers_everything_hands_the_case_back(self, portal, waiting_ticket, officer):
        _certificate_in(waiting_ticket, officer)  # while it is missing, a reply stays a reply
        portal.post(page(waiting_ticket) + "reply/", {"body": "Sent by post.", "hand_back": "on"})
        waiting_ticket.refresh_from_db()
        assert waiting_ticket.state == "reviewing"
        assert waiting_ticket.sla_paused_at is None

    def test_reply_alone_keeps_the_case_waiting(self, portal, waiting_ticket):
        portal.post(page(waiting_ticket) + "reply/", {"body": "A question first."})
        waiting_ticket.refresh_from_db()
        assert waiting_ticket.state == "waiting_talent"

    def test_empty_reply_is_named(self, portal, open_ticket):
        response = portal.post(page(open_ticket) + "reply/", {"body": "   "})
        assert response.status_code == 400
        assert 'id="id_body"' in response.content.decode()
        assert not open_ticket.events.filter(kind=EventKind.TALENT_REPLY).exists()

    def test_overlong_reply_is_refused(self, portal, open_ticket):
        response = portal.post(page(open_ticket) + "reply/", {"body": "x" * 5001})
        assert response.status_code == 400
        assert not open_ticket.events.filter(kind=EventKind.TALENT_REPLY).exists()

    def test_reply_text_is_escaped(self, portal, open_ticket):
        portal.post(page(open_ticket) + "reply/", {"body": "<script>alert(1)</script>"})
        html = portal.get(page(open_ticket)).content.decode()
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html

    def test_hand_back_button(self, portal, waiting_ticket, officer):
        _certificate_in(waiting_ticket, officer)
        assert portal.post(page(waiting_ticket) + "done/").status_code == 302
        waiting_ticket.refresh_from_db()
        assert waiting_ticket.state == "reviewing"

    def test_hand_back_when_nothing_is_asked_is_refused(self, portal, open_ticket):
        response = portal.post(page(open_ticket) + "done/")
        assert response.status_code == 400
        assert "not waiting for anything" in response.content.decode()

    def test_many_writes_are_slowed_down(self, portal, open_ticket, settings):
        settings.TALENTDESK_PORTAL_LIMITS = {**settings.TALENTDESK_PORTAL_LIMITS, "talent-writes": (3, 3600, 3600)}
        codes = [portal.post(page(open_ticket) + "reply/", {"body": f"n{i}"}).status_code
                 for i in range(4)]
        assert codes == [302, 302, 302, 429]
        assert open_ticket.events.filter(kind=EventKind.TALENT_REPLY).count() == 3

    def test_no_reply_after_resolution(self, portal, open_ticket, officer):
        _resolve(open_ticket, officer)
        response = portal.post(page(open_ticket) + "reply/", {"body": "late"})
        assert response.status_code == 400
        assert not open_ticket.events.filter(kind=EventKind.TALENT_REPLY).exists()


class TestRating:
    def test_rating_after_resolution(self, portal, open_ticket, officer):
        _resolve(open_ticket, officer)
        response = portal.post(page(open_ticket) + "rating/", {"score": "5", "comment": "Fast!"})
        assert response.status_code == 302
        rating = Rating.objects.get(ticket=open_ticket)
        assert (rating.score, rating.comment, rating.follow_up) == (5, "Fast!", False)
        event = open_ticket.events.get(kind=EventKind.RATING)
        assert not event.public and event.by_talent and event.data["score"] == 5
        html = portal.get(page(open_ticket)).content.decode()
        assert "Your rating" in html and "Rate our service" not in html

    def test_rating_before_resolution_is_refused(self, portal, open_ticket):
        response = portal.post(page(open_ticket) + "rating/", {"score": "5"})
        assert response.status_code == 400
        assert not Rating.objects.exists()

    def test_rating_only_once(self, portal, open_ticket, officer):
        _resolve(open_ticket, officer)
        portal.post(page(open_ticket) + "rating/", {"score": "4"})
        response = portal.post(page(open_ticket) + "rating/", {"score": "1"})
        assert response.status_code == 400
        assert Rating.objects.get().score == 4

    @pytest.mark.parametrize("score", ["0", "6", "abc", ""])
    def test_score_outside_one_to_five_is_named(self, portal, open_ticket, officer, score):
        _resolve(open_ticket, officer)
        response = portal.post(page(open_ticket) + "rating/", {"score": score})
        assert response.status_code == 400
        assert not Rating.objects.exists()

    def test_the_database_refuses_a_score_out_of_range(self, open_ticket):
        from django.db import IntegrityError, transaction

        from core import clock

        with pytest.raises(IntegrityError), transaction.atomic():
            Rating.objects.create(ticket=open_ticket, score=9, created_at=clock.now())

    def test_rating_a_rejected_case_is_allowed(self, portal, open_ticket, officer):
        ticket_transition(ticket=open_ticket, action="reject", actor=officer.user, note="Not eligible.")
        assert portal.post(page(open_ticket) + "rating/", {"score": "3"}).status_code == 302


class TestLowRatingFollowUp:
    @pytest.fixture
    def low(self, open_ticket, officer, talent):
        _resolve(open_ticket, officer)
        return portal_rate(ticket=open_ticket, talent=talent, score=1, comment="Nobody called back.")

    def test_a_one_or_two_opens_a_follow_up(self, low, open_ticket):
        assert low.follow_up
        assert list(Rating.objects.needing_follow_up()) == [low]
        event = open_ticket.events.get(kind=EventKind.RATING)
        assert event.data == {"score": 1, "follow_up": True}
        assert not event.public

    def test_a_three_opens_none(self, open_ticket, officer, talent):
        _resolve(open_ticket, officer)
        assert not portal_rate(ticket=open_ticket, talent=talent, score=3).follow_up

    def test_supervisors_get_an_in_app_notice(self, supervisor, low, open_ticket):
        from notifications.models import Notice, NoticeKind
        from notifications.notices import notice_text
        from portal.follow_up import notify_low_rating

        notice = Notice.objects.get(recipient=supervisor, ticket=open_ticket, kind=NoticeKind.LOW_RATING)
        with translation.override("en"):
            assert notice_text(notice) == (
                f"{open_ticket.reference}: the talent rated the service 1 of 5; please follow up."
            )
        assert notify_low_rating(ticket=open_ticket, rating=low) == 0  # never twice
