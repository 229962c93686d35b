"""The supervisors' follow-ups of low ratings, in the staff workspace: listed for the
ratings of their centre, closed with a note; officers and other centres are kept out."""

import pytest
from django.test import Client
from django.urls import reverse

from portal.models import Rating
from portal.services import portal_rate
from tests.portal.test_reply_and_rating import _resolve

pytestmark = pytest.mark.django_db


class TestFollowUpPages:
    @pytest.fixture
    def low(self, open_ticket, officer, talent):
        _resolve(open_ticket, officer)
        return portal_rate(ticket=open_ticket, talent=talent, score=1, comment="Nobody called back.")

    def test_the_supervisor_sees_and_closes_it(self, low, supervisor):
        staff = Client()
        staff.force_login(supervisor.user)
        staff.cookies["talentdesk_language"] = "en"
        html = staff.get(reverse("workspace:follow_ups")).content.decode()
        assert low.ticket.reference in html and "Nobody called back." in html
        url = reverse("workspace:follow_up_close", args=[low.pk])
        assert staff.post(url, {"note": ""}).status_code == 400
        assert staff.post(url, {"note": "Called; apologised; documents sent."}).status_code == 302
        low.refresh_from_db()
        assert low.follow_up_done_at is not None and low.follow_up_by == supervisor.user
        assert not Rating.objects.needing_follow_up().exists()
        assert low.history.count() == 2

    def test_officers_may_not_see_the_follow_ups(self, low, officer):
        staff = Client()
        staff.force_login(officer.user)
        assert staff.get(reverse("workspace:follow_ups")).status_code == 403
        url = reverse("workspace:follow_up_close", args=[low.pk])
        assert staff.post(url, {"note": "x"}).status_code == 403

    def test_another_centres_supervisor_does_not_see_it(self, low, other_centre, other_window):
        from staff.models import Role
        from tests.factories import OfficerFactory, UserFactory

        boss = OfficerFactory(user=UserFactory(username="boss2"), role=Role.SUPERVISOR,
                              centre=other_centre, windows=[other_window])
        staff = Client()
        staff.force_login(boss.user)
        assert low.ticket.reference not in staff.get(reverse("workspace:follow_ups")).content.decode()
        assert staff.post(reverse("workspace:follow_up_close", args=[low.pk]), {"note": "x"}).status_code == 404

    def test_anonymous_is_sent_to_log_in(self, low):
        response = Client().get(reverse("workspace:follow_ups"))
        assert response.status_code == 302 and "login" in response["Location"]
