"""Talents read the policy answers on the portal, in 简体, 繁體 or English; drafts,
articles not yet in force and expired ones never show."""

from datetime import date

import pytest

from tests.knowledge.factories import article

pytestmark = pytest.mark.django_db


@pytest.fixture
def articles(supervisor, time_machine):
    time_machine.move_to("2026-11-16 10:00 +08:00")
    article(supervisor.user)
    article(supervisor.user, key="old-rule", title_en="Old rule", expires_on=date(2026, 6, 30))
    article(supervisor.user, key="draft", title_en="Draft", published=False)
    article(supervisor.user, key="future", title_en="Future", effective_from=date(2027, 1, 1))


def test_only_published_articles_in_force_are_listed(client, articles):
    body = client.get("/status/answers/", {"script": "en"}).content.decode()
    assert 'data-article="work-permit-extension"' in body
    for hidden in ("old-rule", "draft", "future"):
        assert f'data-article="{hidden}"' not in body
        assert client.get(f"/status/answers/{hidden}/").status_code == 404


@pytest.mark.parametrize(("script", "query", "title"), [
    ("zh_hans", "工作许可", "外国人工作许可证如何延期"),
    ("zh_hant", "工作許可", "外國人工作許可證如何延期"),
    ("en", "work permit", "How to extend a foreigner&#x27;s work permit"),
])
def test_talents_search_and_read_in_their_script(client, articles, script, query, title):
    body = client.get("/status/answers/", {"script": script, "q": query}).content.decode()
    assert title in body
    page = client.get("/status/answers/work-permit-extension/", {"script": script}).content.decode()
    assert f"<h1>{title}</h1>" in page


def test_an_expired_article_is_found_by_no_search(client, articles):
    body = client.get("/status/answers/", {"script": "en", "q": "Old rule"}).content.decode()
    assert 'id="answers-none"' in body


def test_markdown_scripts_are_inert_on_the_portal(client, supervisor, time_machine):
    time_machine.move_to("2026-11-16 10:00 +08:00")
    article(supervisor.user, body_en="<script>alert(1)</script>[x](javascript:alert%281%29) ok")
    page = client.get("/status/answers/work-permit-extension/", {"script": "en"}).content.decode()
    assert "alert(1)" not in page and "javascript:" not in page and "ok</p>" in page
