"""The top-bar search, the clerk's "my tickets" list and the intake's reference search
and open tickets (issue #12, point 4)."""

import pytest

from talents.models import AccessKind, SensitiveAccess
from tests.factories import TalentFactory
from tickets.references import reference_from
from tickets.services import ticket_open

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


class TestReadingAReference:
    @pytest.mark.parametrize("typed", ["TD-2026-003004", "td-2026-003004", "TD2026003004",
                                       "td 2026 003004", "  TD-2026-003004 "])
    def test_a_whole_reference_is_read_however_it_is_typed(self, typed):
        assert reference_from(typed) == "TD-2026-003004"

    @pytest.mark.parametrize("typed", ["13800001234", "2026-003004", "TD-2026-0030", "Wang", "",
                                       "TD-2026-003004x"])
    def test_anything_else_is_not_a_reference(self, typed):
        assert reference_from(typed) is None


class TestTopBarSearch:
    def test_every_workspace_page_has_the_search_box_in_the_top_bar(self, login, clerk, officer):
        for persona, path in ((clerk, "/intake/"), (officer, "/work/"), (clerk, "/my-tickets/")):
            body = login(persona).get(path).content.decode()
            assert 'action="/search/"' in body
            assert 'id="topbar-search"' in body

    @pytest.mark.parametrize("typed", ["{ref}", "{lower}", "{bare}"])
    def test_a_visible_reference_goes_straight_to_the_ticket(self, login, clerk, open_ticket, typed):
        ref = open_ticket.reference
        text = typed.format(ref=ref, lower=ref.lower(), bare=ref.replace("-", ""))
        response = login(clerk).get("/search/", {"q": text})
        assert response.status_code == 302
        assert response["Location"] == f"/tickets/{ref}/"

    def test_an_invisible_reference_reads_exactly_like_a_missing_one(self, login, outsider, open_ticket):
        client = login(outsider)
        hidden = client.get("/search/", {"q": open_ticket.reference})
        number = int(open_ticket.reference.rsplit("-", 1)[1]) + 1
        missing_ref = f"{open_ticket.reference.rsplit('-', 1)[0]}-{number:06d}"
        missing = client.get("/search/", {"q": missing_ref})
        assert hidden.status_code == missing.status_code == 200
        def main(response, ref):
            body = response.content.decode()
            return body[body.index("<main"):body.index("</main>")].replace(ref, "REF")

        assert main(hidden, open_ticket.reference) == main(missing, missing_ref)
        assert f"未找到办件 {open_ticket.reference}。" in hidden.content.decode()

    @pytest.mark.parametrize("query", ["王思远", "siyuan", "5678"])
    def test_a_name_or_document_tail_lists_talents_and_their_tickets_masked(self, login, clerk, open_ticket, query):
        response = login(clerk, HTTP_ACCEPT_LANGUAGE="en").get("/search/", {"q": query})
        body = response.content.decode()
        assert response.status_code == 200
        assert [t.pk for t in response.context["talents"]] == [open_ticket.talent_id]
        assert [t.reference for t in response.context["tickets"]] == [open_ticket.reference]
        assert "E12345678" not in body
        assert open_ticket.talent.masked_document in body

    def test_a_phone_number_finds_the_talent(self, login, clerk, talent):
        response = login(clerk).get("/search/", {"q": talent.phone})
        assert [t.pk for t in response.context["talents"]] == [talent.pk]
        body = response.content.decode()
        results = body[body.index('<div id="search-results">'):]
        assert talent.phone not in results  # shown masked (only the typed query echoes it)
        assert talent.masked_phone in results

    def test_a_document_tail_hit_is_written_to_the_sensitive_access_log(self, login, clerk, talent):
        login(clerk).get("/search/", {"q": "5678"})
        row = SensitiveAccess.objects.get()
        assert (row.kind, row.talent_id, row.user_id, row.detail) == (
            AccessKind.DOCUMENT_SEARCH, talent.pk, clerk.user_id, "…5678")

    def test_a_name_search_writes_nothing_to_the_log(self, login, clerk, talent):
        login(clerk).get("/search/", {"q": "siyuan"})
        assert not SensitiveAccess.objects.exists()

    def test_the_search_stays_strictly_within_the_users_directory(self, login, outsider, talent, open_ticket):
        # Even the whole document number (which the intake accepts from a walk-in showing
        # the document) finds nobody outside the outsider's directory, and logs nothing.
        for query in ("王思远", "5678", "E12345678", talent.phone):
            response = login(outsider).get("/search/", {"q": query})
            assert response.context["talents"] == []
            assert response.context["tickets"] == []
        assert not SensitiveAccess.objects.exists()

    def test_tickets_of_a_found_talent_are_only_those_in_scope(self, login, clerk, talent, open_ticket,
                                                                outsider, other_window):
        elsewhere = ticket_open(actor=outsider.user, talent=talent, category="entry_exit", channel="window",
                                subject="Visa", window=other_window).ticket
        response = login(clerk).get("/search/", {"q": "siyuan"})
        refs = [t.reference for t in response.context["tickets"]]
        assert refs == [open_ticket.reference]
        assert elsewhere.reference not in response.content.decode()

    @pytest.mark.parametrize("query", ["", "   ", "\x00", "a" * 5000, "%_%", "TD-\x00"])
    def test_odd_input_answers_the_page_without_error(self, login, clerk, query):
        response = login(clerk).get("/search/", {"q": query})
        assert response.status_code == 200

    def test_signed_out_users_are_sent_to_sign_in(self, client):
        response = client.get("/search/", {"q": "x"})
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")

    def test_query_count_is_constant_in_the_number_of_results(self, login, clerk, talent,
                                                             django_assert_num_queries, window):
        client = login(clerk)
        client.get("/search/", {"q": "siyuan"})  # session warm
        with django_assert_num_queries(6) as few:
            client.get("/search/", {"q": "王思远"})
        for n in range(4):
            extra = TalentFactory(document_number=f"X{n}0000000")
            ticket_open(actor=clerk.user, talent=extra, category="settlement", channel="window",
                        subject=f"Case {n}", window=window)
        with django_assert_num_queries(len(few.captured_queries)):
            response = client.get("/search/", {"q": "王思远"})
        assert len(response.context["talents"]) == 5
        assert len(response.context["tickets"]) == 4


class TestMyTickets:
    def test_window_staff_have_my_tickets_in_the_top_bar(self, login, clerk):
        body = login(clerk).get("/intake/").content.decode()
        assert 'href="/my-tickets/"' in body

    def test_the_list_holds_the_tickets_the_clerk_opened(self, login, clerk, officer, open_ticket, talent, window):
        other = ticket_open(actor=officer.user, talent=talent, category="transport", channel="window",
                            subject="Airport transfer", window=window).ticket
        response = login(clerk).get("/my-tickets/")
        refs = [t.reference for t in response.context["page"].object_list]
        assert refs == [open_ticket.reference]
        assert other.reference not in response.content.decode()

    def test_the_list_holds_the_tickets_served_at_the_clerks_hall_visit(self, login, clerk, officer, talent,
                                                                       window):
        from hall.models import ServiceLine
        from hall.services import queue_call_next, queue_number_take, visit_link_ticket

        line = ServiceLine.objects.create(centre=window.centre, prefix="A", name_zh="海外人才专窗",
                                          name_en="Overseas talent window")
        line.windows.set([window])
        queue_number_take(line=line, source="kiosk")
        queue_call_next(window=window, actor=clerk.user)
        served = ticket_open(actor=officer.user, talent=talent, category="transport", channel="window",
                             subject="Airport transfer", window=window).ticket
        visit_link_ticket(actor=clerk.user, ticket=served)
        refs = [t.reference for t in login(clerk).get("/my-tickets/").context["page"].object_list]
        assert refs == [served.reference]

    def test_closed_tickets_show_under_all(self, login, clerk, open_ticket):
        client = login(clerk)
        assert client.get("/my-tickets/?show=all").context["show"] == "all"
        assert client.get("/my-tickets/?show=bogus&page=zz").status_code == 200


class TestIntakeRecognisesAReference:
    def test_a_reference_typed_at_intake_offers_that_tickets_talent(self, login, clerk, open_ticket, htmx):
        response = login(clerk).get("/intake/", {"q": open_ticket.reference.lower()}, **htmx("talent-results"))
        body = response.content.decode()
        assert f'value="{open_ticket.talent_id}"' in body
        assert f'data-found-ticket="{open_ticket.reference}"' in body
        assert f'href="/tickets/{open_ticket.reference}/"' in body

    def test_a_reference_out_of_scope_is_not_found_at_intake(self, login, outsider, open_ticket, htmx):
        response = login(outsider).get("/intake/", {"q": open_ticket.reference}, **htmx("talent-results"))
        assert f'value="{open_ticket.talent_id}"' not in response.content.decode()
        assert f"未找到办件 {open_ticket.reference}。" in response.content.decode()

    def test_choosing_a_talent_shows_its_open_tickets(self, login, clerk, open_ticket, htmx):
        response = login(clerk).get("/intake/", {"talent": open_ticket.talent_id}, **htmx("intake-talent-tickets"))
        body = response.content.decode()
        assert body.lstrip().startswith('<div id="intake-talent-tickets"')
        assert f'data-open-ticket="{open_ticket.reference}"' in body

    def test_the_full_page_shows_the_preselected_talents_open_tickets(self, login, clerk, open_ticket):
        body = login(clerk).get("/intake/", {"talent": open_ticket.talent_id}).content.decode()
        assert f'data-open-ticket="{open_ticket.reference}"' in body

    def test_a_new_talent_has_no_open_tickets(self, login, clerk, htmx):
        response = login(clerk).get("/intake/", {"talent": "new"}, **htmx("intake-talent-tickets"))
        assert "data-open-ticket" not in response.content.decode()
