"""The knowledge base: safe Markdown, search in three scripts, supervisors' edits with
history and named errors, and the script a talent reads."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from core.errors import ActionForbidden
from knowledge.models import Article, ArticleQuerySet
from knowledge.rendering import render_markdown
from knowledge.search import article_search
from knowledge.services import article_save, reply_text, script_for, template_save
from tests.factories import TalentFactory
from tests.integration.conftest import requires_postgres
from tests.knowledge.factories import article

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("markdown", [
    "<script>alert('x')</script>Hello",
    "[click](javascript:alert('x'))",
    "[click](JaVaScRiPt:alert('x'))",
    '<a href="javascript:alert(1)">click</a>',
    '<img src="x" onerror="alert(1)">',
    '<p onclick="alert(1)">Hello</p>',
    "[click](data:text/html;base64,PHNjcmlwdD4=)",
])
def test_markdown_with_scripts_or_javascript_links_renders_inert(markdown):
    lowered = render_markdown(markdown).lower()
    assert "<script" not in lowered and "<img" not in lowered
    assert "javascript:" not in lowered and "data:text" not in lowered
    assert "onerror" not in lowered and "onclick" not in lowered


def test_script_content_is_dropped_and_plain_links_are_kept_safe():
    assert render_markdown("<script>alert('x')</script>Hello") == "<p>Hello</p>"
    assert render_markdown("[click](javascript:alert%281%29)") == "<p><a rel=\"noopener noreferrer nofollow\">click</a></p>"
    assert render_markdown("[portal](https://example.gov.cn/a?b=1)") == (
        '<p><a href="https://example.gov.cn/a?b=1" rel="noopener noreferrer nofollow">portal</a></p>'
    )
    assert render_markdown("**30 日**") == "<p><strong>30 日</strong></p>"


@pytest.mark.parametrize("query", ["工作许可", "工作許可", "work permit", "WORK PERMIT", "延期 护照"])
def test_search_finds_the_article_in_each_script(supervisor, query):
    article(supervisor.user)
    article(supervisor.user, key="housing", category="talent_housing", title_zh_hans="人才公寓申请",
            title_zh_hant="人才公寓申請", title_en="Applying for a talent apartment",
            body_zh_hans="住房", body_zh_hant="住房", body_en="housing")
    assert [a.key for a in article_search(Article.objects.all(), query)] == ["work-permit-extension"]


@pytest.mark.parametrize("query", ["", "   ", "签证", "visa"])
def test_search_without_a_match_or_terms_finds_nothing(supervisor, query):
    article(supervisor.user)
    assert list(article_search(Article.objects.all(), query)) == []


def test_supervisors_edit_articles_and_every_edit_is_kept_with_its_reason(supervisor):
    written = article(supervisor.user)
    article_save(actor=supervisor.user, article=written, reason="new deadline", body_en="Apply 20 days before.")
    written.refresh_from_db()
    assert written.body_en == "Apply 20 days before."
    assert [h.history_change_reason for h in written.history.order_by("history_date")] == [
        "first version", "new deadline"]
    assert {h.history_user for h in written.history.all()} == {supervisor.user}


@pytest.mark.parametrize("persona", ["clerk", "officer"])
def test_only_supervisors_and_administrators_write_articles(request, persona):
    with pytest.raises(ActionForbidden):
        article(request.getfixturevalue(persona).user)
    assert not Article.objects.exists()


@pytest.mark.parametrize(("changes", "field"), [
    ({"expires_on": date(2025, 12, 31)}, "expires_on"),
    ({"category": "astrology"}, "category"),
    ({"title_zh_hant": "  "}, "title_zh_hant"),
    ({"key": "Not a slug!"}, "key"),
])
def test_bad_article_input_is_named_and_nothing_is_stored(supervisor, changes, field):
    with pytest.raises(ValidationError) as caught:
        article(supervisor.user, **changes)
    assert field in caught.value.message_dict
    assert not Article.objects.exists()


def test_a_second_article_with_the_same_key_is_refused_naming_the_key(supervisor):
    article(supervisor.user)
    with pytest.raises(ValidationError) as caught:
        article(supervisor.user)
    assert list(caught.value.message_dict) == ["key"]


def test_talents_see_published_articles_in_force_and_never_expired_ones(supervisor):
    article(supervisor.user)
    article(supervisor.user, key="old-rule", expires_on=date(2026, 6, 30))
    article(supervisor.user, key="draft", published=False)
    article(supervisor.user, key="future", effective_from=date(2027, 1, 1))
    visible = Article.objects.for_talents(date(2026, 11, 16))
    assert isinstance(visible, ArticleQuerySet)
    assert [a.key for a in visible] == ["work-permit-extension"]
    assert [a.key for a in Article.objects.expired(date(2026, 11, 16))] == ["old-rule"]


@pytest.mark.parametrize(("language", "nationality", "script"), [
    ("en", "HK", "en"), ("zh", "HK", "zh_hant"), ("zh", "TW", "zh_hant"), ("zh", "MO", "zh_hant"),
    ("zh", "CN", "zh_hans"), ("zh", "SG", "zh_hans"),
])
def test_the_talent_reads_english_traditional_or_simplified(language, nationality, script):
    talent = TalentFactory(preferred_language=language, nationality=nationality)
    assert script_for(talent) == script


def test_the_reply_text_is_in_the_talents_script_with_the_source(supervisor, open_ticket):
    written = article(supervisor.user)
    open_ticket.talent.preferred_language, open_ticket.talent.origin = "zh", "hong_kong"
    assert reply_text(ticket=open_ticket, article=written) == (
        "外國人工作許可證如何延期\n\n工作許可證有效期屆滿前30日內，由用人單位在線申請延期。\n\n• 護照\n• 勞動合同"
        "\n\n依據: 外国人来华工作许可服务指南（试行）"
    )


def test_a_template_fills_in_the_name_and_reference(supervisor, open_ticket):
    template = template_save(
        actor=supervisor.user, key="received", category="", title_zh_hans="已收到", title_en="Received",
        body_zh_hans="{name}您好，{reference}已收到。", body_zh_hant="{name}您好，{reference}已收到。",
        body_en="Dear {name}, we received {reference}. {unknown} stays.",
    )
    assert reply_text(ticket=open_ticket, template=template) == (
        f"Dear {open_ticket.talent.display_name}, we received {open_ticket.reference}. {{unknown}} stays."
    )


@requires_postgres
@pytest.mark.postgres
def test_on_postgresql_english_words_also_match_their_stem(supervisor):
    article(supervisor.user)
    assert [a.key for a in article_search(Article.objects.all(), "extending permits")] == [
        "work-permit-extension"]
