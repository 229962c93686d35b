"""Intake slips (issue #12, point 9): the clerk's own window by default, and a duplicate
document number offering the existing record."""

import pytest

from hall.access import SESSION_WINDOW
from talents.models import AccessKind, SensitiveAccess, Talent
from tests.factories import WindowFactory
from tickets.models import Ticket

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


@pytest.fixture
def general(centre, clerk):
    """The centre's shared general window, assigned to the clerk after their own."""
    general = WindowFactory(centre=centre, code="general", name_zh="综合服务窗口", name_en="General Window")
    clerk.windows.add(general)
    return general


class TestTheDefaultWindow:
    def test_the_clerks_own_window_not_the_general_one(self, login, clerk, window, general):
        form = login(clerk).get("/intake/").context["form"]
        assert form["window"].value() == window.pk
        assert {w.pk for w in form.fields["window"].queryset} == {window.pk, general.pk}

    def test_the_window_chosen_on_the_calling_page_wins(self, login, clerk, window, general):
        client = login(clerk)
        session = client.session
        session[SESSION_WINDOW] = general.pk
        session.save()
        assert client.get("/intake/").context["form"]["window"].value() == general.pk

    def test_a_calling_page_window_the_clerk_may_not_use_is_ignored(self, login, clerk, window, other_window):
        client = login(clerk)
        session = client.session
        session[SESSION_WINDOW] = other_window.pk
        session.save()
        assert client.get("/intake/").context["form"]["window"].value() == window.pk

    def test_the_window_of_the_visit_being_served_wins(self, login, clerk, window, general, centre):
        from hall.models import ServiceLine
        from hall.services import queue_call_next, queue_number_take

        line = ServiceLine.objects.create(centre=centre, prefix="B", name_zh="综合事项", name_en="General")
        line.windows.set([general])
        queue_number_take(line=line, source="kiosk")
        queue_call_next(window=general, actor=clerk.user)
        assert login(clerk).get("/intake/").context["form"]["window"].value() == general.pk

    def test_a_supervisor_starts_at_their_own_window_among_the_centres(self, login, supervisor, window, centre):
        WindowFactory(centre=centre, code="aaa", name_zh="甲", name_en="A first by code")
        assert login(supervisor).get("/intake/").context["form"]["window"].value() == window.pk


def _new_talent_post(client, window, **fields):
    data = {
        "client_token": "token-dup", "talent": "new", "channel": "window", "category": "settlement",
        "priority": "normal", "subject": "Household registration", "description": "", "window": window.pk,
        "new-latin_name": "Siyuan Wang", "new-nationality": "GB", "new-document_type": "passport",
        "new-document_number": "e1234 5678", "new-preferred_language": "en",
    }
    data.update(fields)
    return client.post("/intake/", data)


class TestADuplicateDocument:
    def test_offers_the_existing_record_in_scope(self, login, clerk, window, talent):
        response = _new_talent_post(login(clerk, HTTP_ACCEPT_LANGUAGE="en"), window)
        body = response.content.decode()
        assert response.status_code == 422
        assert response.context["existing_talent"] == talent
        assert f'name="_use_talent" value="{talent.pk}"' in body
        assert "E12345678" not in body
        assert Talent.objects.count() == 1 and Ticket.objects.count() == 0
        # found by its document number: recorded like any search by document number
        row = SensitiveAccess.objects.get()
        assert (row.kind, row.talent, row.user) == (AccessKind.DOCUMENT_SEARCH, talent, clerk.user)

    def test_no_offer_for_a_talent_outside_the_directory(self, login, outsider, other_window, talent):
        response = _new_talent_post(login(outsider), other_window)
        assert response.status_code == 422
        assert response.context["existing_talent"] is None
        assert "_use_talent" not in response.content.decode()
        assert response.context["new_form"].errors["document_number"]

    def test_using_the_existing_record_chooses_it_and_keeps_the_request(self, login, clerk, window, talent):
        response = _new_talent_post(login(clerk), window, _use_talent=str(talent.pk))
        body = response.content.decode()
        assert response.status_code == 200
        assert f'value="{talent.pk}" checked' in body
        assert 'value="Household registration"' in body
        assert response.context["form"].errors == {}
        assert Ticket.objects.count() == 0

    def test_using_a_record_outside_the_directory_chooses_nothing(self, login, outsider, other_window, talent):
        response = _new_talent_post(login(outsider), other_window, _use_talent=str(talent.pk))
        assert f'name="talent" value="{talent.pk}"' not in response.content.decode()
