"""POST /api/v1/guidance/suggest/: staff tokens, suggestions best first, bad input a 400
naming the field, never a 500."""

import pytest

from guidance.text import MAX_CHARS

URL = "/api/v1/guidance/suggest/"


def test_suggest_answers_the_categories_best_first_with_reasons_and_materials(api, clerk):
    response = api(clerk).post(URL, {"text": "我儿子明年上一年级，要准备什么材料？"}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["confident"] is True
    assert len(body["suggestions"]) == 3
    best = body["suggestions"][0]
    assert best["category"] == "schooling"
    assert best["name"] == "Children's school enrolment"
    assert best["materials"][0] == {"id": "child_passport", "label": "Child's passport or identity document",
                                    "required": True, "hint": ""}
    assert best["expected_days"] == 30
    assert best["first_response_hours"] == 8.0
    assert best["why"] and all(piece in "我儿子明年上一年级，要准备什么材料？" for piece in best["why"])
    scores = [s["score"] for s in body["suggestions"]]
    assert scores == sorted(scores, reverse=True)
    assert all(0 <= s <= 1 for s in scores)


def test_suggest_names_follow_the_language_asked(api, officer):
    response = api(officer, language="zh-hans").post(
        URL, {"text": "想把香港駕照換成內地的", "language": "zh-hant"}, format="json")
    assert response.status_code == 200
    best = response.json()["suggestions"][0]
    assert (best["category"], best["name"]) == ("transport", "交通")
    assert best["materials"][0]["label"] == "護照或有效身份證件"


def test_suggest_names_follow_accept_language_by_default(api, officer):
    response = api(officer, language="zh-hans").post(URL, {"text": "visa extension"}, format="json")
    assert response.json()["suggestions"][0]["name"] == "出入境"


def test_suggest_returns_more_when_asked(api, clerk):
    response = api(clerk).post(URL, {"text": "visa", "limit": 5}, format="json")
    assert len(response.json()["suggestions"]) == 5


def test_a_vague_request_answers_low_confidence(api, clerk):
    response = api(clerk).post(URL, {"text": "hello there"}, format="json")
    assert response.status_code == 200
    assert response.json()["confident"] is False
    assert len(response.json()["suggestions"]) == 3


@pytest.mark.parametrize(("text", "message"), [
    ("", "Describe the request: the text is empty."),
    ("   \n ", "Describe the request: the text is empty."),
    ("<p></p>", "Describe the request: the text is empty."),
    ("签" * 20_000, f"Describe the request in at most {MAX_CHARS} characters (this text has 20000)."),
    ("😀🙏🎉", "Describe the request in words (Chinese or English); symbols or emoji alone cannot be read."),
])
def test_unreadable_text_is_a_400_naming_the_field(api, clerk, text, message):
    response = api(clerk).post(URL, {"text": text}, format="json")
    assert response.status_code == 400
    assert response.json() == {"text": [message]}


def test_the_message_follows_accept_language(api, clerk):
    response = api(clerk, language="zh-hans").post(URL, {"text": " "}, format="json")
    assert response.json() == {"text": ["请描述申请事项：内容为空。"]}


@pytest.mark.parametrize(("body", "field"), [
    ({}, "text"), ({"text": 12}, "text"), ({"text": ["visa"]}, "text"), ({"text": None}, "text"),
    ({"text": "visa", "language": "fr"}, "language"), ({"text": "visa", "limit": 2}, "limit"),
    ({"text": "visa", "limit": "many"}, "limit"), ({"text": "visa", "category": "x"}, "category"),
])
def test_bad_fields_are_a_400_naming_the_field(api, clerk, body, field):
    response = api(clerk).post(URL, body, format="json")
    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_html_and_mixed_scripts_are_read(api, clerk):
    response = api(clerk).post(URL, {"text": "<b>我的</b> residence permit 下個月到期"}, format="json")
    assert response.status_code == 200
    assert response.json()["suggestions"][0]["category"] == "entry_exit"


def test_without_credentials_401(api):
    assert api(None).post(URL, {"text": "visa"}, format="json").status_code == 401


def test_a_user_without_a_staff_role_is_refused(api, plain_user):
    assert api(plain_user).post(URL, {"text": "visa"}, format="json").status_code == 403


def test_get_is_not_allowed(api, clerk):
    assert api(clerk).get(URL).status_code == 405


def test_suggest_runs_only_the_token_query_once_warm(api, clerk, django_assert_num_queries):
    client = api(clerk)
    client.post(URL, {"text": "visa"}, format="json")
    with django_assert_num_queries(1):  # token + user + profile in one; the model is in memory
        assert client.post(URL, {"text": "医保卡丢了"}, format="json").status_code == 200


def test_suggest_is_in_the_schema(api, clerk):
    schema = api(clerk).get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/guidance/suggest/"]["post"]
    assert operation["operationId"] == "guidance_suggest"
    assert set(operation["responses"]) == {"200", "400", "401", "403"}
