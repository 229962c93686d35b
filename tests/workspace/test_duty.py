"""Going off duty with hand-over, back on duty, and the team page (issue 5: "Going off
duty offers to hand over open tickets by the same rules")."""

import pytest

from notifications.models import Notice, NoticeKind
from staff.models import Officer, Role
from tests.factories import OfficerFactory, TalentFactory, UserFactory
from tickets.models import EventKind, Ticket
from tickets.services import ticket_open

pytestmark = pytest.mark.django_db


def _open(clerk, talent, window, category="settlement", subject="Hand-over"):
    return ticket_open(actor=clerk.user, talent=talent, category=category, channel="window",
                       subject=subject, window=window).ticket


def _fresh(officer):
    return Officer.objects.get(pk=officer.pk)


@pytest.fixture
def backup(centre, window, officer):
    person = OfficerFactory(user=UserFactory(username="backup"), display_name="Backup Bao",
                            centre=centre, windows=[window])
    officer.backup = person
    officer.save()
    return person


@pytest.fixture
def held(clerk, talent, window, officer):
    """Two open tickets held by ``officer`` (the talent's dedicated officer)."""
    tickets = [_open(clerk, talent, window, subject=f"Held {n}") for n in range(2)]
    assert all(t.assignee == officer for t in tickets)
    return tickets


@pytest.fixture
def other_supervisor(other_centre, other_window):
    return OfficerFactory(user=UserFactory(username="boss2"), display_name="Other Boss",
                          role=Role.SUPERVISOR, centre=other_centre, windows=[other_window])


class TestMyDuty:
    def test_the_page_previews_where_each_open_ticket_would_go_and_why(self, login, officer, backup, held):
        response = login(officer).get("/duty/", HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200
        body = response.content.decode()
        assert [item.ticket.pk for item in response.context["preview"]] == [t.pk for t in held]
        for ticket in held:
            assert f'data-reference="{ticket.reference}" data-rule="backup"' in body
        assert "backup: dedicated officer handing over: Backup Bao" in body
        assert 'name="hand_over" value="on" id="duty-hand-over" checked' in body
        # Nothing changed by looking.
        assert _fresh(officer).on_duty is True
        assert {t.assignee for t in Ticket.objects.filter(pk__in=[t.pk for t in held])} == {officer}

    def test_tickets_nobody_can_take_would_wait_in_the_queue(self, login, officer, clerk, talent, window):
        ticket = _open(clerk, talent, window, category="schooling")  # only officer has no such skill…
        assert ticket.assignee == officer  # …but is the dedicated officer
        response = login(officer).get("/duty/", HTTP_ACCEPT_LANGUAGE="zh-hans")
        body = response.content.decode()
        assert response.context["queued"] == 1
        assert 'data-rule="queue"' in body
        # The reason names the category and the language in the reader's language.
        assert "暂无具备子女入学业务技能和英文语言的在岗专员" in body

    def test_going_off_duty_hands_the_tickets_over(self, login, officer, backup, held):
        client = login(officer)
        response = client.post("/duty/", {"duty": "off", "hand_over": "on", "reason": "annual leave"},
                               HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 302 and response["Location"] == "/duty/"
        assert _fresh(officer).on_duty is False
        assert _fresh(officer).history.first().history_change_reason == "annual leave"
        for ticket in held:
            ticket.refresh_from_db()
            assert ticket.assignee == backup
            event = ticket.events.filter(kind=EventKind.ASSIGNMENT).latest("id")
            assert event.data["routing"]["rule"] == "backup"
        assert Notice.objects.filter(recipient=backup, kind=NoticeKind.HANDED_OVER).count() == 2
        page = client.get("/duty/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "You are off duty: no new tickets are routed to you. 2 tickets handed over." in page

    def test_htmx_answers_with_the_panel_the_result_and_the_header_chip(self, login, officer, backup, held, htmx):
        response = login(officer).post("/duty/", {"duty": "off", "hand_over": "on"},
                                       HTTP_ACCEPT_LANGUAGE="en", **htmx("duty-panel"))
        assert response.status_code == 200
        body = response.content.decode()
        assert body.lstrip().startswith('<div id="duty-panel"')
        assert 'id="duty-result"' in body
        for ticket in held:
            assert f'data-reference="{ticket.reference}"' in body
        assert 'id="duty-chip"' in body and 'hx-swap-oob="true"' in body and 'data-on-duty="false"' in body
        assert "You are off duty" in body

    def test_going_off_duty_without_hand_over_keeps_the_tickets(self, login, officer, backup, held):
        login(officer).post("/duty/", {"duty": "off"})
        assert _fresh(officer).on_duty is False
        assert {t.assignee for t in Ticket.objects.filter(pk__in=[t.pk for t in held])} == {officer}

    def test_off_duty_the_tickets_still_held_can_be_handed_over(self, login, officer, backup, held):
        client = login(officer)
        client.post("/duty/", {"duty": "off"})
        body = client.get("/duty/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "data-hand-over" in body and "data-back-on-duty" in body
        client.post("/duty/", {"duty": "off", "hand_over": "on"})
        assert not Ticket.objects.filter(assignee=officer).exists()
        assert "data-hand-over" not in client.get("/duty/").content.decode()

    def test_back_on_duty(self, login, officer, clerk, window):
        client = login(officer)
        client.post("/duty/", {"duty": "off"})
        response = client.post("/duty/", {"duty": "on"}, follow=True, HTTP_ACCEPT_LANGUAGE="en")
        assert _fresh(officer).on_duty is True
        assert "You are on duty again" in response.content.decode()
        assert _open(clerk, TalentFactory(dedicated_officer=officer), window).assignee == officer

    def test_an_officer_without_open_tickets_is_told_there_is_nothing_to_hand_over(self, login, officer):
        body = login(officer).get("/duty/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "You hold no open tickets" in body and "duty-hand-over" not in body

    def test_the_partial_alone(self, login, officer, htmx):
        response = login(officer).get("/duty/", **htmx("duty-panel"))
        assert response.content.decode().lstrip().startswith('<div id="duty-panel"')

    @pytest.mark.parametrize("data", [{"duty": "maybe"}, {}])
    def test_a_bad_duty_value_is_named_and_changes_nothing(self, login, officer, held, data):
        response = login(officer).post("/duty/", data, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 422
        assert "Duty: Choose on duty or off duty." in response.content.decode()
        assert _fresh(officer).on_duty is True

    def test_a_too_long_reason_is_named_and_kept(self, login, officer, held, htmx):
        reason = "x" * 101
        response = login(officer).post("/duty/", {"duty": "off", "hand_over": "on", "reason": reason},
                                       HTTP_ACCEPT_LANGUAGE="en", **htmx("duty-panel"))
        body = response.content.decode()
        assert response.status_code == 200 and body.lstrip().startswith('<div id="duty-panel"')
        assert "Reason: Ensure this value has at most 100 characters" in body
        assert f'value="{reason}"' in body and 'aria-invalid="true"' in body
        assert _fresh(officer).on_duty is True
        assert {t.assignee for t in Ticket.objects.filter(pk__in=[t.pk for t in held])} == {officer}

    @pytest.mark.parametrize("persona", ["clerk", "admin_officer"])
    def test_those_never_routed_tickets_have_no_duty_page(self, request, login, persona):
        client = login(request.getfixturevalue(persona))
        assert client.get("/duty/").status_code == 403
        assert client.post("/duty/", {"duty": "off"}).status_code == 403

    def test_anonymous_visitors_sign_in_first(self, client, htmx):
        assert client.get("/duty/")["Location"].startswith("/login/")
        assert client.post("/duty/", {"duty": "off"}, **htmx("duty-panel"))["HX-Redirect"] == "/login/"

    def test_put_is_not_allowed(self, login, officer):
        assert login(officer).put("/duty/").status_code == 405

    def test_a_supervisor_has_a_duty_too(self, login, supervisor):
        client = login(supervisor)
        assert client.get("/duty/").status_code == 200
        client.post("/duty/", {"duty": "off"})
        assert _fresh(supervisor).on_duty is False


class TestTeam:
    def test_supervisors_see_their_centres_officers_with_duty_and_load(self, login, supervisor, officer,
                                                                         second_officer, clerk, outsider, held):
        second_officer.on_duty = False
        second_officer.save()
        response = login(supervisor).get("/team/", HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200
        rows = {o.pk: o for o in response.context["officers"]}
        # Every active staff member of the centre (the clerk too), nobody of another centre.
        assert set(rows) == {officer.pk, second_officer.pk, supervisor.pk, clerk.pk}
        assert (rows[officer.pk].load, rows[officer.pk].on_duty) == (2, True)
        assert (rows[second_officer.pk].load, rows[second_officer.pk].on_duty) == (0, False)
        assert response.context["on_duty"] == 2
        body = response.content.decode()
        assert f'href="/team/{officer.pk}/"' in body
        assert f"2 / {officer.capacity}" in body
        assert "Household registration" in body  # skills by name
        assert "Centre" not in body.split("<thead>")[1].split("</thead>")[0]

    def test_an_officer_at_capacity_is_marked_full(self, login, supervisor, officer, held):
        officer.capacity = 2
        officer.save()
        body = login(supervisor).get("/team/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
        row = body.split(f'data-officer="{officer.pk}"')[1].split("</tr>")[0]
        assert "2 / 2" in row and "full" in row

    def test_administrators_see_every_centre(self, login, admin_officer, officer, outsider):
        response = login(admin_officer).get("/team/", HTTP_ACCEPT_LANGUAGE="en")
        pks = {o.pk for o in response.context["officers"]}
        assert {officer.pk, outsider.pk} <= pks
        assert response.context["centres"] == 2
        assert "<th scope=\"col\">Centre</th>" in response.content.decode()

    @pytest.mark.parametrize("persona", ["clerk", "officer"])
    def test_the_team_page_is_for_supervisors(self, request, login, persona):
        assert login(request.getfixturevalue(persona)).get("/team/").status_code == 403

    def test_the_team_page_runs_a_constant_number_of_queries(self, login, supervisor, centre, window,
                                                              clerk, django_assert_num_queries):
        client = login(supervisor)
        client.get("/team/")
        with django_assert_num_queries(5) as first:  # user, profile, notices, officers + load, windows
            client.get("/team/")
        for n in range(5):
            person = OfficerFactory(user=UserFactory(username=f"more{n}"), centre=centre, windows=[window])
            _open(clerk, TalentFactory(dedicated_officer=person), window)
        with django_assert_num_queries(len(first.captured_queries)):
            response = client.get("/team/")
        assert len(response.context["officers"]) == 7  # the clerk too


class TestSupervisorSetsDuty:
    def test_a_supervisor_hands_an_officers_tickets_over(self, login, supervisor, officer, backup, held):
        client = login(supervisor)
        response = client.get(f"/team/{officer.pk}/", HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200
        body = response.content.decode()
        assert "Duty of 张伟 Zhang Wei" in body and "Backup Bao" in body
        response = client.post(f"/team/{officer.pk}/", {"duty": "off", "hand_over": "on", "reason": "sick"},
                               HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 302 and response["Location"] == f"/team/{officer.pk}/"
        assert _fresh(officer).on_duty is False
        assert not Ticket.objects.filter(assignee=officer).exists()
        event = held[0].events.filter(kind=EventKind.ASSIGNMENT).latest("id")
        assert event.actor == supervisor.user
        page = client.get(f"/team/{officer.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "张伟 Zhang Wei is off duty. 2 tickets handed over." in page

    def test_the_htmx_answer_does_not_touch_the_supervisors_own_chip(self, login, supervisor, officer, htmx):
        response = login(supervisor).post(f"/team/{officer.pk}/", {"duty": "off"}, **htmx("duty-panel"))
        assert 'hx-swap-oob' not in response.content.decode()

    def test_a_supervisor_brings_an_officer_back_on_duty(self, login, supervisor, officer):
        officer.on_duty = False
        officer.save()
        login(supervisor).post(f"/team/{officer.pk}/", {"duty": "on"})
        assert _fresh(officer).on_duty is True

    def test_another_centres_officer_is_not_found(self, login, supervisor, outsider):
        client = login(supervisor)
        assert client.get(f"/team/{outsider.pk}/").status_code == 404
        assert client.post(f"/team/{outsider.pk}/", {"duty": "off"}).status_code == 404
        assert _fresh(outsider).on_duty is True

    def test_a_supervisor_of_another_centre_gets_not_found(self, login, other_supervisor, officer):
        assert login(other_supervisor).post(f"/team/{officer.pk}/", {"duty": "off"}).status_code == 404
        assert _fresh(officer).on_duty is True

    def test_window_staff_have_no_duty_page(self, login, supervisor, clerk):
        assert login(supervisor).get(f"/team/{clerk.pk}/").status_code == 404

    @pytest.mark.parametrize("persona", ["clerk", "officer", "second_officer"])
    def test_others_may_not_set_someone_elses_duty(self, request, login, persona, officer):
        client = login(request.getfixturevalue(persona))
        assert client.post(f"/team/{officer.pk}/", {"duty": "off"}).status_code == 403
        assert _fresh(officer).on_duty is True

    def test_an_administrator_sets_any_centres_officer(self, login, admin_officer, outsider):
        login(admin_officer).post(f"/team/{outsider.pk}/", {"duty": "off"})
        assert _fresh(outsider).on_duty is False

    def test_an_unknown_officer_is_not_found(self, login, supervisor):
        assert login(supervisor).get("/team/999999/").status_code == 404
