"""Intake: search, pick or register a talent, open one ticket, never lose the input."""

import pytest

from centres.models import Window
from talents.models import Talent
from tests.factories import TalentFactory
from tickets.models import Channel, MaterialStatus, Ticket
from workspace.receipts import SESSION_KEY

pytestmark = pytest.mark.django_db


def _post(client, **fields):
    data = {
        "client_token": "token-1", "talent": "", "channel": "window", "category": "settlement",
        "priority": "normal", "subject": "Household registration", "description": "With family",
    }
    data.update(fields)
    if "window" not in data:
        data["window"] = Window.objects.get(code="returnee").pk  # the personas' window
    return client.post("/intake/", data)


class TestThePage:
    def test_window_staff_get_the_form_with_the_window_channel_chosen(self, login, clerk, window):
        response = login(clerk).get("/intake/")
        assert response.status_code == 200
        body = response.content.decode()
        assert 'name="channel" value="window"' in body
        assert response.context["form"]["channel"].value() == Channel.WINDOW
        assert 'value="window" id="id_channel_0" required checked' in body
        assert response.context["form"]["window"].value() == window.pk
        assert len(response.context["form"]["client_token"].value()) == 32

    def test_the_hotline_switch_preselects_the_hotline_channel(self, login, clerk):
        client = login(clerk)
        client.post("/intake/hotline/", {"on": "1"})
        assert client.get("/intake/").context["form"]["channel"].value() == Channel.HOTLINE
        client.post("/intake/hotline/", {"on": "0"})
        assert client.get("/intake/").context["form"]["channel"].value() == Channel.WINDOW

    def test_a_query_parameter_also_chooses_the_hotline(self, login, clerk):
        response = login(clerk).get("/intake/?channel=hotline")
        assert response.context["form"]["channel"].value() == Channel.HOTLINE

    def test_officers_and_supervisors_may_take_intake_too(self, login, officer, supervisor):
        assert login(officer).get("/intake/").status_code == 200
        assert login(supervisor).get("/intake/").status_code == 200


class TestSearch:
    @pytest.mark.parametrize("query", ["王思远", "siyuan", "wang", "5678", "13800"])
    def test_active_search_finds_by_name_phone_or_last_document_digits(self, login, clerk, talent, htmx, query):
        response = login(clerk).get("/intake/", {"q": query}, **htmx("talent-results"))
        body = response.content.decode()
        assert response.status_code == 200
        assert body.lstrip().startswith('<div id="talent-results"')  # the partial only
        assert "<html" not in body
        assert talent.display_name in body
        assert "E12345678" not in body and talent.masked_document in body

    def test_the_chosen_talent_stays_in_the_results_while_searching_on(self, login, clerk, talent, htmx):
        body = login(clerk).get("/intake/", {"q": "nobody", "talent": talent.pk},
                                **htmx("talent-results")).content.decode()
        assert f'value="{talent.pk}" checked' in body

    def test_no_match_says_so_and_still_offers_registration(self, login, clerk, htmx):
        body = login(clerk).get("/intake/", {"q": "Zzyzx"}, **htmx("talent-results"),
                                HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "No talent found" in body and 'value="new"' in body

    def test_search_runs_in_a_constant_number_of_queries(self, login, clerk, htmx, django_assert_num_queries):
        client = login(clerk)
        TalentFactory(latin_name="Marta Ruiz")
        client.get("/intake/", {"q": "Marta"}, **htmx("talent-results"))
        # user, staff profile, talents found by document (none), talents + officers (session: cache)
        with django_assert_num_queries(4):
            client.get("/intake/", {"q": "Marta"}, **htmx("talent-results"))
        for n in range(6):
            TalentFactory(latin_name=f"Marta Ruiz {n}")
        with django_assert_num_queries(4):
            client.get("/intake/", {"q": "Marta"}, **htmx("talent-results"))

    def test_without_javascript_the_search_button_reshows_the_form_with_results(self, login, clerk, talent):
        response = _post(login(clerk), q="Siyuan", _refresh="search", subject="typed subject")
        body = response.content.decode()
        assert response.status_code == 200
        assert talent.display_name in body
        assert 'value="typed subject"' in body
        assert "errorlist" not in body
        assert Ticket.objects.count() == 0


class TestMaterialsChecklist:
    def test_choosing_a_category_swaps_in_its_checklist(self, login, clerk, htmx):
        response = login(clerk).get("/intake/", {"category": "settlement"}, **htmx("intake-materials"),
                                    HTTP_ACCEPT_LANGUAGE="en")
        body = response.content.decode()
        assert body.lstrip().startswith('<div id="intake-materials"')
        assert 'value="passport"' in body and "Passport or valid identity document" in body
        assert "required" in body and "optional" in body

    def test_the_category_select_asks_for_the_checklist(self, login, clerk):
        body = login(clerk).get("/intake/").content.decode()
        assert 'hx-target="#intake-materials"' in body


class TestOpening:
    def test_a_found_talent_gets_a_ticket_and_the_receipt(self, login, clerk, talent, window):
        client = login(clerk)
        response = _post(client, talent=talent.pk, materials=["passport", "talent_certificate"])
        ticket = Ticket.objects.get()
        assert response.status_code == 302
        assert response["Location"] == f"/tickets/{ticket.reference}/receipt/"
        assert ticket.talent == talent and ticket.window == window and ticket.channel == "window"
        received = set(ticket.materials.filter(status=MaterialStatus.RECEIVED).values_list("material_id", flat=True))
        assert received == {"passport", "talent_certificate"}
        assert str(ticket.pk) in client.session[SESSION_KEY]

    def test_a_new_talent_is_registered_with_the_ticket(self, login, clerk, window):
        response = _post(
            login(clerk), talent="new", **{
                "new-native_name": "穆勒", "new-latin_name": "Anna Müller", "new-nationality": "de",
                "new-document_type": "passport", "new-document_number": "c01x00t47",
                "new-preferred_language": "en",
            })
        assert response.status_code == 302
        talent = Talent.objects.get(latin_name="Anna Müller")
        assert talent.nationality == "DE" and talent.document_number == "C01X00T47"
        assert Ticket.objects.get().talent == talent

    def test_a_double_click_opens_one_ticket(self, login, clerk, talent):
        client = login(clerk)
        first = _post(client, talent=talent.pk)
        second = _post(client, talent=talent.pk)
        assert Ticket.objects.count() == 1
        assert first["Location"] == second["Location"]

    def test_a_double_click_with_a_new_talent_registers_them_once(self, login, clerk):
        client = login(clerk)
        fields = {"talent": "new", "new-latin_name": "Jean Dupont", "new-nationality": "FR",
                  "new-document_type": "passport", "new-document_number": "FR7788991",
                  "new-preferred_language": "en"}
        assert _post(client, **fields).status_code == 302
        assert _post(client, **fields).status_code == 302
        assert Talent.objects.filter(latin_name="Jean Dupont").count() == 1
        assert Ticket.objects.count() == 1

    def test_hotline_calls_are_opened_on_the_hotline_channel(self, login, clerk, talent):
        _post(login(clerk), talent=talent.pk, channel="hotline")
        assert Ticket.objects.get().channel == Channel.HOTLINE


class TestBadInput:
    def test_missing_fields_are_named_and_the_input_is_kept(self, login, clerk, talent):
        response = _post(login(clerk), talent=talent.pk, subject="", description="typed description",
                         HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 422
        form = response.context["form"]
        assert "subject" in form.errors
        body = response.content.decode()
        assert "typed description" in body
        assert f'value="{talent.pk}" checked' in body
        assert Ticket.objects.count() == 0

    def test_no_talent_chosen_is_named(self, login, clerk):
        response = _post(login(clerk), talent="")
        assert "talent" in response.context["form"].errors
        assert 'id="talent-error"' in response.content.decode()

    def test_an_invalid_new_talent_stores_nothing_and_keeps_every_field(self, login, clerk):
        response = _post(login(clerk), talent="new", subject="Keep me", **{
            "new-latin_name": "Jean Dupont", "new-nationality": "FR", "new-document_type": "passport",
            "new-document_number": "", "new-preferred_language": "en"})
        assert response.status_code == 422
        assert "document_number" in response.context["new_form"].errors
        body = response.content.decode()
        assert 'value="Jean Dupont"' in body and 'value="Keep me"' in body
        assert 'id="new-talent" class="ws-new-talent" open' in body
        assert not Talent.objects.filter(latin_name="Jean Dupont").exists()
        assert Ticket.objects.count() == 0

    def test_a_document_already_registered_is_named_by_the_service(self, login, clerk, talent):
        response = _post(login(clerk), talent="new", **{
            "new-latin_name": "Someone Else", "new-nationality": "GB", "new-document_type": "passport",
            "new-document_number": talent.document_number, "new-preferred_language": "en"})
        assert response.status_code == 422
        assert "document_number" in response.context["new_form"].errors
        assert Talent.objects.count() == 1 and Ticket.objects.count() == 0

    def test_a_talent_whose_ticket_fails_is_not_left_behind(self, login, clerk):
        response = _post(login(clerk), talent="new", category="settlement", materials=["not_a_material"], **{
            "new-latin_name": "Half Made", "new-nationality": "GB", "new-document_type": "passport",
            "new-document_number": "HALF0001", "new-preferred_language": "en"})
        assert response.status_code == 422
        assert "materials" in response.context["form"].errors
        assert not Talent.objects.filter(latin_name="Half Made").exists()

    def test_materials_of_another_category_are_refused(self, login, clerk, talent):
        response = _post(login(clerk), talent=talent.pk, category="transport",
                         materials=["marriage_certificate"])  # a settlement material
        assert response.status_code == 422
        assert "materials" in response.context["form"].errors
        assert Ticket.objects.count() == 0

    def test_a_window_that_is_not_mine_is_refused(self, login, clerk, talent, other_window):
        response = _post(login(clerk), talent=talent.pk, window=other_window.pk)
        assert "window" in response.context["form"].errors
        assert Ticket.objects.count() == 0

    def test_an_unknown_category_is_named(self, login, clerk, talent):
        response = _post(login(clerk), talent=talent.pk, category="astrology")
        assert "category" in response.context["form"].errors

    def test_a_reused_token_for_another_request_asks_to_submit_again(self, login, clerk, talent):
        client = login(clerk)
        client.cookies["talentdesk_language"] = "en"
        _post(client, talent=talent.pk, subject="First")
        response = _post(client, talent=talent.pk, subject="Something else")
        assert Ticket.objects.count() == 1
        assert response.status_code == 422
        form = response.context["form"]
        assert form.non_field_errors() == ["This request key was already used for a different ticket."]
        assert form["client_token"].value() != "token-1"  # submitting again opens a new ticket
        assert _post(client, talent=talent.pk, subject="Something else",
                     client_token=form["client_token"].value()).status_code == 302
        assert Ticket.objects.count() == 2
