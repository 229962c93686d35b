"""The hall API: take a number, call next (409 when nobody waits), list lines; scope 404."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from hall.models import QueueNumber
from hall.services import queue_number_take

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(db):
    def client_for(persona=None, language="en"):
        client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
        if persona is not None:
            token, _ = Token.objects.get_or_create(user=persona.user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return client_for


def test_take_a_number_answers_201_with_number_ahead_and_wait(api, clerk, line_a, talent, frozen):
    queue_number_take(line=line_a, source="kiosk")
    response = api(clerk).post("/api/v1/hall/numbers/", {"centre": "city", "line": "A",
                                                          "talent": talent.pk}, format="json")
    assert response.status_code == 201
    body = response.json()
    number = QueueNumber.objects.get(number="A002")
    assert body == {
        "id": number.pk, "number": "A002", "status": "waiting",
        "line": {"prefix": "A", "name_zh": "海外人才专窗", "name_en": "Overseas talent window"},
        "ahead": 1, "estimated_wait_minutes": 6, "window": None,
        "taken_at": "2026-12-02T01:30:00+00:00",
        "follow_url": f"http://testserver/hall/q/{number.follow_token}/",
    }
    assert (number.source, number.talent) == ("api", talent)


@pytest.mark.parametrize(("payload", "errors"), [
    ({}, {"centre": ["This field is required."], "line": ["This field is required."]}),
    ({"centre": "city", "line": "a1"}, {"line": ["This value does not match the required pattern."]}),
    ({"centre": "city", "line": "Z"}, {"line": ["This centre has no line “Z”."]}),
    ({"centre": "city", "line": "A", "talent": 999}, {"talent": ["No such talent."]}),
    ({"centre": "city", "line": "A", "category": "healthcare"},
     {"category": ["This line does not take this matter."]}),
    ({"centre": "city", "line": "A", "number": "A999"}, {"number": ["Unknown field."]}),
])
def test_take_refuses_bad_input_naming_the_field(api, clerk, line_a, frozen, payload, errors):
    response = api(clerk).post("/api/v1/hall/numbers/", payload, format="json")
    assert (response.status_code, response.json()) == (400, errors)
    assert QueueNumber.objects.count() == 0


def test_take_in_another_centre_is_404(api, outsider, line_a, frozen):
    response = api(outsider).post("/api/v1/hall/numbers/", {"centre": "city", "line": "A"},
                                  format="json")
    assert response.status_code == 404


def test_take_without_credentials_is_401(api, line_a):
    assert api(None).post("/api/v1/hall/numbers/", {"centre": "city", "line": "A"},
                          format="json").status_code == 401


def test_call_next_answers_the_called_number_with_its_window(api, clerk, line_a, window, frozen):
    queue_number_take(line=line_a, source="kiosk")
    response = api(clerk).post(f"/api/v1/hall/windows/{window.pk}/call-next/")
    assert response.status_code == 200
    body = response.json()
    assert (body["number"], body["status"], body["window"]) == (
        "A001", "called", {"zh": "海外留学人员服务窗口", "en": "Overseas Returnee Window"})


def test_call_next_on_an_empty_queue_is_409_with_a_message(api, clerk, line_a, window, frozen):
    response = api(clerk, language="zh-hans").post(f"/api/v1/hall/windows/{window.pk}/call-next/")
    assert (response.status_code, response.json()) == (
        409, {"detail": "您这个窗口服务的队列中没有人在等候。"})


def test_call_next_at_a_window_outside_your_scope_is_404(api, outsider, line_a, window, frozen):
    queue_number_take(line=line_a, source="kiosk")
    assert api(outsider).post(f"/api/v1/hall/windows/{window.pk}/call-next/").status_code == 404
    assert api(outsider).post("/api/v1/hall/windows/99999999999999999999/call-next/").status_code == 404
    assert QueueNumber.objects.get().status == "waiting"


def test_lines_of_a_centre_with_people_waiting(api, clerk, line_a, line_b, window,
                                               general_window, frozen):
    queue_number_take(line=line_b, source="kiosk")
    queue_number_take(line=line_b, source="kiosk")
    response = api(clerk).get("/api/v1/hall/lines/?centre=city")
    assert response.status_code == 200
    assert response.json()["results"] == [
        {"id": line_a.pk, "prefix": "A", "name_zh": "海外人才专窗", "name_en": "Overseas talent window",
         "categories": ["settlement", "entry_exit", "talent_card"], "windows": [window.pk],
         "waiting": 0, "estimated_wait_minutes": 0},
        {"id": line_b.pk, "prefix": "B", "name_zh": "综合事项", "name_en": "General matters",
         "categories": [], "windows": [general_window.pk], "waiting": 2,
         "estimated_wait_minutes": 20},
    ]


def test_lines_need_a_centre_and_hide_other_centres(api, clerk, outsider, line_a):
    assert (api(clerk).get("/api/v1/hall/lines/").json()) == {"centre": ["This field is required."]}
    assert api(clerk).get("/api/v1/hall/lines/").status_code == 400
    assert api(outsider).get("/api/v1/hall/lines/?centre=city").status_code == 404
    assert api(clerk).get("/api/v1/hall/lines/?centre=nowhere").status_code == 404


def test_the_hall_endpoints_are_in_the_schema(client):
    paths = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    assert set(paths["/api/v1/hall/numbers/"]) == {"post"}
    assert set(paths["/api/v1/hall/windows/{window_id}/call-next/"]["post"]["responses"]) == {
        "200", "400", "401", "403", "404", "409"}
    lines = paths["/api/v1/hall/lines/"]["get"]
    assert {p["name"] for p in lines["parameters"]} == {"centre", "page", "page_size"}
