"""The knowledge base in the workspace: staff search and read, supervisors write with a
history and see expired articles flagged; on a ticket, one action puts an article or
template into the public reply in the talent's script, and sending it records what
answered the ticket."""

from datetime import date

import pytest

from knowledge.models import Article, ArticleUse
from knowledge.services import template_save
from tests.knowledge.factories import WORK_PERMIT_ARTICLE, article
from tickets.models import EventKind

pytestmark = pytest.mark.django_db


def _form(**changes):
    data = {**WORK_PERMIT_ARTICLE, "effective_from": "2026-01-01", "expires_on": "", "published": "on",
            "reason": "first version"}
    data.update(changes)
    return data


@pytest.mark.parametrize("query", ["工作许可", "工作許可", "work permit"])
def test_staff_find_articles_in_each_script(login, clerk, supervisor, query):
    article(supervisor.user)
    body = login(clerk).get("/knowledge/", {"q": query}).content.decode()
    assert 'data-article="work-permit-extension"' in body


def test_a_supervisor_writes_an_article_and_the_history_keeps_the_reason(login, supervisor):
    client = login(supervisor)
    response = client.post("/knowledge/new/", _form())
    assert response.status_code == 302 and response["Location"] == "/knowledge/work-permit-extension/"
    response = client.post("/knowledge/work-permit-extension/edit/",
                           _form(body_en="Apply 20 days before.", reason="new deadline"))
    assert response.status_code == 302
    page = client.get("/knowledge/work-permit-extension/").content.decode()
    assert "new deadline" in page and "first version" in page
    assert "<p>Apply 20 days before.</p>" in page


@pytest.mark.parametrize(("changes", "field"), [
    ({"expires_on": "2025-01-01"}, "expires_on"),
    ({"title_en": ""}, "title_en"),
    ({"effective_from": "soon"}, "effective_from"),
    ({"category": "astrology"}, "category"),
])
def test_a_bad_article_is_named_and_nothing_is_stored(login, supervisor, changes, field):
    response = login(supervisor).post("/knowledge/new/", _form(**changes))
    assert response.status_code == 422
    assert list(response.context["form"].errors) == [field]
    assert not Article.objects.exists()


@pytest.mark.parametrize("persona", ["clerk", "officer"])
def test_only_supervisors_may_write(login, request, persona):
    response = login(request.getfixturevalue(persona)).post("/knowledge/new/", _form())
    assert response.status_code == 403
    assert not Article.objects.exists()


def test_script_in_an_article_is_shown_inert_to_staff(login, supervisor):
    article(supervisor.user, body_en="<script>alert(1)</script>[x](javascript:alert%281%29)")
    page = login(supervisor).get("/knowledge/work-permit-extension/").content.decode()
    assert "alert(1)" not in page and "javascript:" not in page


def test_expired_articles_are_flagged_to_editors_only(login, supervisor, officer, time_machine):
    time_machine.move_to("2026-11-16 10:00 +08:00")
    article(supervisor.user, expires_on=date(2026, 6, 30))
    editor_page = login(supervisor).get("/knowledge/").content.decode()
    assert 'id="knowledge-expired"' in editor_page and "2026-06-30" in editor_page
    assert 'id="knowledge-expired"' not in login(officer).get("/knowledge/").content.decode()


@pytest.mark.parametrize(("language", "nationality", "expected"), [
    ("zh", "HK", "外國人工作許可證如何延期"),
    ("zh", "CN", "外国人工作许可证如何延期"),
    ("en", "DE", "How to extend a foreigner's work permit"),
])
def test_one_action_puts_the_article_into_the_reply_in_the_talents_script(
    login, htmx, supervisor, officer, open_ticket, language, nationality, expected
):
    talent = open_ticket.talent
    talent.preferred_language, talent.nationality, talent.origin = language, nationality, ""
    from talents.models import origin_from

    talent.origin = origin_from(nationality)
    talent.save()
    article(supervisor.user)
    client = login(officer)
    found = client.get(f"/tickets/{open_ticket.reference}/knowledge/", {"q": "work permit"},
                       **htmx("ticket-knowledge"))
    assert found.status_code == 200 and 'data-article="work-permit-extension"' in found.content.decode()
    response = client.get(f"/tickets/{open_ticket.reference}/knowledge/insert/",
                          {"article": "work-permit-extension"}, **htmx("ticket-comment"))
    body = response.content.decode()
    assert body.lstrip().startswith('<section class="card" id="ticket-comment"')
    assert response.context["comment_form"].initial["body"].startswith(expected)
    assert 'name="article" value="work-permit-extension"' in body
    assert response.context["comment_form"].initial["visibility"] == "public"


def test_sending_the_reply_records_which_article_answered_the_ticket(login, supervisor, officer, open_ticket):
    written = article(supervisor.user)
    client = login(officer)
    response = client.post(f"/tickets/{open_ticket.reference}/comment/", {
        "body": "外国人工作许可证如何延期 …", "visibility": "public", "article": written.key})
    assert response.status_code == 302
    use = ArticleUse.objects.get()
    assert (use.ticket, use.article, use.used_by, use.script) == (open_ticket, written, officer.user, "en")
    assert use.event.kind == EventKind.COMMENT and use.event.public
    page = client.get(f"/tickets/{open_ticket.reference}/").content.decode()
    assert "data-answered-by" in page and written.title_zh_hans in page


def test_an_internal_note_from_an_article_records_nothing(login, supervisor, officer, open_ticket):
    written = article(supervisor.user)
    login(officer).post(f"/tickets/{open_ticket.reference}/comment/", {
        "body": "see article", "visibility": "internal", "article": written.key})
    assert not ArticleUse.objects.exists()
    assert open_ticket.events.filter(kind=EventKind.NOTE).count() == 1


def test_an_unknown_article_is_named_and_nothing_is_sent(login, officer, open_ticket):
    response = login(officer).post(f"/tickets/{open_ticket.reference}/comment/", {
        "body": "hello", "visibility": "public", "article": "no-such-article"})
    assert response.status_code == 422
    assert list(response.context["comment_form"].errors) == ["article"]
    assert not open_ticket.events.filter(kind=EventKind.COMMENT).exists()


def test_a_template_is_inserted_with_the_name_and_reference(login, htmx, supervisor, officer, open_ticket):
    template_save(actor=supervisor.user, key="received", category="settlement", title_zh_hans="已收到",
                  title_en="Received", body_zh_hans="{name}您好", body_zh_hant="{name}您好",
                  body_en="Dear {name}, {reference} is with your officer.")
    response = login(officer).get(f"/tickets/{open_ticket.reference}/knowledge/insert/",
                                  {"template": "received"}, **htmx("ticket-comment"))
    assert response.context["comment_form"].initial["body"] == (
        f"Dear {open_ticket.talent.display_name}, {open_ticket.reference} is with your officer.")


def test_a_ticket_outside_the_scope_answers_404(login, outsider, open_ticket, supervisor):
    article(supervisor.user)
    client = login(outsider)
    assert client.get(f"/tickets/{open_ticket.reference}/knowledge/").status_code == 404
    assert client.get(f"/tickets/{open_ticket.reference}/knowledge/insert/",
                      {"article": "work-permit-extension"}).status_code == 404
