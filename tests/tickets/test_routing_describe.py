"""A routing reason names the category and the language, in the reader's language."""

import pytest
from django.utils import translation

from tickets.routing import describe

QUEUED = {"rule": "queue", "because": None, "skill": "settlement", "language": "zh",
          "window_zh": "海外留学人员服务窗口", "window_en": "Overseas Returnee Window"}
LEAST = {"rule": "least_work", "because": "off_duty", "skill": "schooling", "language": "en",
         "officer": 7, "officer_name": "Third Tan", "load": 2}


def test_a_waiting_ticket_names_the_category_and_language_in_chinese():
    with translation.override("zh-hans"):
        assert describe(QUEUED) == (
            "暂无具备落户业务技能和中文语言的在岗专员：在海外留学人员服务窗口排队等候，已通知负责人")


def test_a_waiting_ticket_names_the_category_and_language_in_english():
    with translation.override("en"):
        assert describe(QUEUED) == (
            "no officer available with skill Household registration and language Chinese: "
            "waiting in the queue of Overseas Returnee Window; supervisor notified")


@pytest.mark.parametrize(("language", "expected"), [
    ("zh-hans", "具备子女入学业务技能和英文语言、在办工作量最少的专员：Third Tan"),
    ("en", "least open work with skill Children's school enrolment and language English: Third Tan"),
])
def test_least_open_work_names_the_category_and_language(language, expected):
    with translation.override(language):
        assert describe(LEAST) == expected


def test_an_unknown_category_or_language_is_shown_as_stored():
    with translation.override("en"):
        text = describe({**QUEUED, "skill": "retired_category", "language": "fr", "window_zh": "",
                         "window_en": ""})
    assert "skill retired_category and language fr" in text


def test_old_decisions_without_skill_or_language_still_read():
    with translation.override("en"):
        assert describe({"rule": "queue"}).startswith("no officer available with skill  and language ")
