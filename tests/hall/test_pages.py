"""The hall's pages: the window page's buttons, the kiosk, the slip, the phone page and the
board's state and event stream."""

import json

import pytest
from django.test import Client

from hall.models import NumberStatus, QueueNumber, Visit
from hall.services import queue_call_next, queue_number_take
from tests.factories import PASSWORD
from tickets.models import EventKind as TicketEventKind
from tickets.models import Ticket

pytestmark = pytest.mark.django_db


def signed_in(persona, language="en"):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    assert client.login(username=persona.user.username, password=PASSWORD)
    return client


# --- the window page ------------------------------------------------------------------------


def test_calling_a_known_talent_opens_intake_pre_filled(line_a, clerk, window, talent, frozen):
    queue_number_take(line=line_a, source="kiosk", talent=talent, category="settlement")
    client = signed_in(clerk)
    response = client.post("/hall/window/call/", {"window": window.pk}, HTTP_HX_REQUEST="true",
                           HTTP_HX_TARGET="window-panel")
    assert (response.status_code, response["HX-Redirect"]) == (
        200, f"/intake/?talent={talent.pk}&category=settlement")
    page = client.get("/hall/window/").content.decode()
    assert 'data-current-number>A001<' in page
    assert f'href="/intake/?talent={talent.pk}&amp;category=settlement"' in page
    assert "Called A001." in page


def test_calling_an_unknown_person_stays_on_the_panel(line_a, clerk, window, frozen):
    queue_number_take(line=line_a, source="kiosk")
    response = signed_in(clerk).post("/hall/window/call/", {"window": window.pk},
                                     HTTP_HX_REQUEST="true", HTTP_HX_TARGET="window-panel")
    html = response.content.decode()
    assert (response.status_code, "HX-Redirect" in response) == (200, False)
    assert 'data-current-number>A001<' in html
    assert "<html" not in html  # only the panel


def test_window_page_on_an_empty_queue_says_so(line_a, clerk, window, frozen):
    response = signed_in(clerk, "zh-hans").post("/hall/window/call/", {"window": window.pk},
                                                follow=True)
    assert response.status_code == 200
    assert "您这个窗口服务的队列中没有人在等候。" in response.content.decode()
    assert Visit.objects.count() == 0


def test_window_page_refuses_people_without_a_window(line_a, plain_user_client):
    assert plain_user_client.get("/hall/window/").status_code == 403


def test_window_page_needs_sign_in(client):
    response = client.get("/hall/window/")
    assert (response.status_code, response["Location"]) == (302, "/login/?next=/hall/window/")


def test_window_actions_refuse_get_and_unknown_actions(line_a, clerk, window):
    client = signed_in(clerk)
    assert client.get("/hall/window/call/").status_code == 405
    assert client.post("/hall/window/explode/", {"window": window.pk}).status_code == 404


def test_transfer_without_a_line_names_the_line(line_a, line_b, clerk, window, frozen):
    queue_number_take(line=line_a, source="kiosk")
    client = signed_in(clerk)
    client.post("/hall/window/call/", {"window": window.pk})
    response = client.post("/hall/window/transfer/", {"window": window.pk, "line": "x"}, follow=True)
    assert "Choose the line to send this number to." in response.content.decode()
    assert QueueNumber.objects.get().status == NumberStatus.CALLED


def test_intake_during_a_visit_links_the_ticket_and_its_timeline_shows_the_visit(
        line_a, clerk, window, talent, frozen):
    queue_number_take(line=line_a, source="kiosk", talent=talent)
    client = signed_in(clerk)
    client.post("/hall/window/call/", {"window": window.pk})
    form = client.get(f"/intake/?talent={talent.pk}").content.decode()
    token = form.split('name="client_token" value="')[1].split('"')[0]
    response = client.post("/intake/", {
        "client_token": token, "talent": talent.pk, "category": "settlement", "channel": "window",
        "priority": "normal", "window": window.pk, "subject": "Household registration",
    })
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert list(Visit.objects.get().tickets.all()) == [ticket]
    page = client.get(f"/tickets/{ticket.reference}/").content.decode()
    assert "Hall visit: number A001 at Overseas Returnee Window, waited 0 min" in page
    assert ticket.events.filter(kind=TicketEventKind.VISIT).count() == 1


# --- kiosk, slip, phone page -----------------------------------------------------------------


def test_kiosk_gives_a_number_and_shows_the_slip(line_a, clerk, talent, frozen):
    client = signed_in(clerk)
    response = client.post("/hall/kiosk/city/", {"line": line_a.pk, "language": "en",
                                                 "phone": talent.phone})
    number = QueueNumber.objects.get()
    assert (response.status_code, response["Location"]) == (302, f"/hall/slip/{number.follow_token}/")
    assert (number.number, number.talent, number.language, number.source) == ("A001", talent, "en", "kiosk")
    slip = client.get(response["Location"]).content.decode()
    assert "data-slip-number>A001<" in slip
    assert "0 people ahead of you" in slip
    assert '<svg role="img" class="qr"' in slip


def test_kiosk_identifies_by_receipt_reference(line_a, clerk, open_ticket, frozen):
    signed_in(clerk).post("/hall/kiosk/city/", {"line": line_a.pk, "receipt": open_ticket.reference.lower()})
    assert QueueNumber.objects.get().talent == open_ticket.talent


@pytest.mark.parametrize(("data", "message"), [
    ({}, "办理事项: 请选择您要办理的事项。"),
    ({"line": "999"}, "办理事项: 请选择您要办理的事项。"),
    ({"line": "LINE", "phone": "call me"}, "手机号码: 请输入数字组成的电话号码。"),
    ({"line": "LINE", "receipt": "ABC"}, "回执编号: 请输入回执上印的编号，例如 TD-2026-000123。"),
])
def test_kiosk_refuses_bad_input_in_the_kiosk_language(line_a, clerk, frozen, data, message):
    data = {k: (str(line_a.pk) if v == "LINE" else v) for k, v in data.items()}
    response = signed_in(clerk).post("/hall/kiosk/city/", data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert QueueNumber.objects.count() == 0


def test_kiosk_of_another_centre_is_404(line_a, outsider):
    assert signed_in(outsider).get("/hall/kiosk/city/").status_code == 404


def test_the_phone_page_shows_position_and_wait(line_a, frozen, client):
    queue_number_take(line=line_a, source="kiosk")
    mine = queue_number_take(line=line_a, source="kiosk")
    page = Client(HTTP_ACCEPT_LANGUAGE="en").get(f"/hall/q/{mine.follow_token}/").content.decode()
    assert "<h1 class=\"hall-follow-number\">A002</h1>" in page
    assert "<strong data-ahead>1</strong>" in page
    assert "<span data-wait>6</span>" in page
    state = client.get(f"/hall/q/{mine.follow_token}/state.json").json()
    assert (state["status"], state["ahead"], state["estimated_wait_minutes"]) == ("waiting", 1, 6)


def test_an_unknown_follow_token_is_404(client):
    assert client.get("/hall/q/not-a-token/").status_code == 404
    assert client.get("/hall/q/" + "x" * 200 + "/state.json").status_code == 404


# --- the board ---------------------------------------------------------------------------------


def test_board_state_lists_calls_newest_first_and_next_per_line(line_a, line_b, clerk, supervisor,
                                                               window, general_window, frozen,
                                                               client, django_assert_num_queries):
    for _ in range(5):
        queue_number_take(line=line_a, source="kiosk")
    queue_number_take(line=line_b, source="kiosk")
    queue_call_next(window=window, actor=clerk.user)
    queue_call_next(window=general_window, actor=supervisor.user)
    with django_assert_num_queries(4):
        state = client.get("/hall/board/city/state.json").json()
    assert [(c["number"], c["window_en"]) for c in state["calls"]] == [
        ("B001", "General Window"), ("A001", "Overseas Returnee Window")]
    assert [(line["prefix"], line["next"], line["waiting"]) for line in state["lines"]] == [
        ("A", ["A002", "A003", "A004"], 4), ("B", [], 0)]
    assert (state["time"], state["date"]) == ("09:30", "2026-12-02")


def test_board_page_has_no_inline_script_and_a_strict_csp(line_a, client):
    response = client.get("/hall/board/city/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>" not in html and "hx-on" not in html
    assert "script-src 'self' 'nonce-" in response["Content-Security-Policy"]
    assert 'src="/static/js/hall-board.js"' in html


def test_board_event_stream_sends_the_state_at_once_and_ends(line_a, client, settings, monkeypatch,
                                                            frozen):
    from hall import streams

    monkeypatch.setattr(streams, "STREAM_SECONDS", 0.5)
    queue_number_take(line=line_a, source="kiosk")
    response = client.get("/hall/board/city/events")
    assert response["Content-Type"] == "text/event-stream; charset=utf-8"
    body = b"".join(response.streaming_content).decode()
    assert body.startswith("retry: 1000\n\n")
    first = body.split("data: ", 1)[1].split("\n", 1)[0]
    assert json.loads(first)["lines"][0]["next"] == ["A001"]


@pytest.mark.parametrize("waiting", [1, 8])
def test_window_and_kiosk_pages_run_a_constant_number_of_queries(
        line_a, clerk, window, frozen, waiting, django_assert_num_queries):
    for _ in range(waiting + 1):
        queue_number_take(line=line_a, source="kiosk")
    queue_call_next(window=window, actor=clerk.user)
    client = signed_in(clerk)
    client.get("/hall/window/")  # the session is warm
    with django_assert_num_queries(16):
        assert client.get("/hall/window/").status_code == 200
    with django_assert_num_queries(5):
        assert client.get("/hall/kiosk/city/").status_code == 200


def test_kiosk_identifies_by_the_scanned_receipt_qr_code(line_a, clerk, open_ticket, frozen):
    from tickets.links import status_url

    signed_in(clerk).post("/hall/kiosk/city/", {"line": line_a.pk, "receipt": status_url(open_ticket)})
    assert QueueNumber.objects.get().talent == open_ticket.talent


def test_kiosk_refuses_a_forged_receipt_link(line_a, clerk, frozen):
    response = signed_in(clerk, "en").post("/hall/kiosk/city/", {
        "line": line_a.pk, "language": "en",
        "receipt": "http://127.0.0.1:8000/status/l/forged-token/"})
    assert response.status_code == 422
    assert "This receipt&#x27;s code has expired or was replaced: type its number instead." in \
        response.content.decode()
    assert QueueNumber.objects.count() == 0
