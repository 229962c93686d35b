"""Intake suggests the category as the clerk types the description; the clerk decides,
and the suggestions shown are recorded with the ticket."""

import pytest

from centres.models import Window
from guidance.models import GuidanceChoice
from tickets.models import Ticket

pytestmark = pytest.mark.django_db

URL = "/intake/suggest/"


def test_typing_a_description_suggests_categories_best_first(login, clerk, htmx):
    response = login(clerk, HTTP_ACCEPT_LANGUAGE="en").get(
        URL, {"subject": "School", "description": "我儿子明年上一年级，要准备什么材料？", "category": ""},
        **htmx("intake-guidance"))
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="intake-guidance"')
    assert body.count("data-guidance-category=") == 3
    assert body.index('data-guidance-category="schooling"') < body.index("data-guidance-category=", body.index("schooling") + 10)
    assert "Children&#x27;s school enrolment" in body
    assert "Likely categories — click one to choose it" in body
    assert "not sure" not in body
    assert 'name="guidance_suggested" value="schooling,' in body


def test_the_chosen_category_is_marked_pressed(login, clerk, htmx):
    body = login(clerk).get(URL, {"description": "驾照换证", "category": "transport"},
                            **htmx("intake-guidance")).content.decode()
    assert 'data-guidance-category="transport" aria-pressed="true"' in body


def test_a_vague_description_says_the_clerk_should_ask(login, clerk, htmx):
    body = login(clerk, HTTP_ACCEPT_LANGUAGE="en").get(
        URL, {"description": "hello there"}, **htmx("intake-guidance")).content.decode()
    assert "not sure: ask the talent" in body


def test_an_empty_description_shows_the_hint_and_no_suggestion(login, clerk, htmx):
    body = login(clerk, HTTP_ACCEPT_LANGUAGE="en").get(
        URL, {"subject": "visa", "description": "  "}, **htmx("intake-guidance")).content.decode()
    assert "Type the description: the likely categories appear here." in body
    assert "guidance_suggested" not in body


@pytest.mark.parametrize(("description", "message"), [
    ("😀😀", "Describe the request in words (Chinese or English); symbols or emoji alone cannot be read."),
    ("签" * 20_000, "Describe the request in at most 5000 characters (this text has 20000)."),
])
def test_an_unreadable_description_says_why(login, clerk, htmx, description, message):
    response = login(clerk, HTTP_ACCEPT_LANGUAGE="en").get(URL, {"description": description},
                                                           **htmx("intake-guidance"))
    assert response.status_code == 200
    assert message in response.content.decode()


def test_the_message_is_in_chinese_for_a_chinese_clerk(login, clerk, htmx):
    body = login(clerk, HTTP_ACCEPT_LANGUAGE="zh-hans").get(
        URL, {"description": "🙏"}, **htmx("intake-guidance")).content.decode()
    assert "请用文字（中文或英文）描述申请事项；仅有符号或表情无法识别。" in body


def test_user_text_is_escaped(login, clerk, htmx):
    body = login(clerk).get(URL, {"description": "<script>alert(1)</script><b>签证</b>延期"},
                            **htmx("intake-guidance")).content.decode()
    assert "<script>" not in body and "<b>" not in body


def test_suggestions_run_in_a_constant_number_of_queries(login, clerk, htmx, django_assert_num_queries):
    client = login(clerk)
    client.get(URL, {"description": "visa"}, **htmx("intake-guidance"))
    # user, staff profile (session: cache), the policy answers; the model is in memory
    with django_assert_num_queries(3):
        client.get(URL, {"description": "我想把户口迁到天津"}, **htmx("intake-guidance"))


def test_a_user_without_a_staff_role_gets_no_suggestions(client, django_user_model):
    user = django_user_model.objects.create_user("plain", password="x")
    client.force_login(user)
    assert client.get(URL, {"description": "visa"}).status_code == 403


def test_post_is_not_allowed(login, clerk):
    assert login(clerk).post(URL, {"description": "visa"}).status_code == 405


def test_the_description_asks_for_suggestions_as_the_clerk_types(login, clerk):
    body = login(clerk).get("/intake/").content.decode()
    assert 'hx-get="/intake/suggest/"' in body
    assert 'hx-trigger="input changed delay:400ms"' in body
    assert '<div id="intake-guidance"' in body


def _open(client, talent, **fields):
    data = {
        "client_token": "token-1", "talent": talent.pk, "channel": "window", "category": "settlement",
        "priority": "normal", "subject": "落户", "description": "我想把户口迁到天津",
        "window": Window.objects.get(code="returnee").pk,
    }
    data.update(fields)
    return client.post("/intake/", data)


def test_opening_after_a_suggestion_records_the_choice(login, clerk, talent):
    response = _open(login(clerk), talent, guidance_suggested="settlement,policy_consultation,talent_card")
    assert response.status_code == 302
    choice = GuidanceChoice.objects.get()
    assert choice.ticket == Ticket.objects.get()
    assert choice.suggested == ["settlement", "policy_consultation", "talent_card"]
    assert (choice.chosen_category, choice.corrected, choice.channel) == ("settlement", False, "window")
    assert choice.created_by == clerk.user


def test_choosing_another_category_than_the_first_suggestion_is_a_correction(login, clerk, talent):
    _open(login(clerk), talent, guidance_suggested="policy_consultation,settlement")
    choice = GuidanceChoice.objects.get()
    assert (choice.suggested_category, choice.chosen_category, choice.corrected) == (
        "policy_consultation", "settlement", True)


def test_opening_without_a_suggestion_records_nothing(login, clerk, talent):
    assert _open(login(clerk), talent).status_code == 302
    assert GuidanceChoice.objects.count() == 0


def test_a_double_click_records_one_choice(login, clerk, talent):
    client = login(clerk)
    _open(client, talent, guidance_suggested="settlement")
    _open(client, talent, guidance_suggested="settlement")
    assert GuidanceChoice.objects.count() == 1


def test_a_refused_form_asks_for_the_suggestions_again_on_load(login, clerk, talent):
    response = _open(login(clerk), talent, subject="", guidance_suggested="settlement")
    assert response.status_code == 422
    assert 'hx-trigger="input changed delay:400ms, load"' in response.content.decode()
    assert GuidanceChoice.objects.count() == 0


def test_the_suggestions_speak_chinese_to_a_chinese_clerk(login, clerk, htmx):
    body = login(clerk, HTTP_ACCEPT_LANGUAGE="zh-hans").get(
        URL, {"description": "想把香港駕照換成內地的"}, **htmx("intake-guidance")).content.decode()
    assert "可能的类别（点击即选定）" in body
    assert "<strong>交通</strong>" in body
    assert "依据: 駕照換成內地" in body


@pytest.mark.clock
def test_the_suggestion_shows_the_policy_answers_of_the_likely_categories(login, clerk, supervisor, htmx):
    from tests.knowledge.factories import article

    article(supervisor.user)
    body = login(clerk, HTTP_ACCEPT_LANGUAGE="en").get(
        URL, {"description": "My work permit expires next month, how do I extend it?"},
        **htmx("intake-guidance")).content.decode()
    assert 'href="/knowledge/work-permit-extension/"' in body
    assert "How to extend a foreigner&#x27;s work permit" in body
