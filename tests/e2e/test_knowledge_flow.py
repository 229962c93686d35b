"""The knowledge base in a real browser (issue #17): an officer finds an article searching
in 简体, 繁體 and English, puts it into a Hong Kong talent's ticket reply in 繁體 with one
action (htmx) and sends it; the talent reads the same article on the portal. Every page
runs under the strict CSP with no violation."""

import re

import pytest
from playwright.sync_api import expect

from knowledge.models import ArticleUse
from talents.models import origin_from
from tests.e2e.test_staff_flow import CSP_ERRORS, sign_in
from tests.factories import TalentFactory
from tests.knowledge.factories import article

pytestmark = pytest.mark.django_db(transaction=True)

KEY = "work-permit-extension"


@pytest.fixture(autouse=True)
def no_csp_violations():
    CSP_ERRORS.clear()
    yield
    assert CSP_ERRORS == []


def test_an_officer_finds_an_article_in_three_scripts_and_answers_in_the_talents(
    new_page, screenshot, clerk, officer, supervisor, window
):
    from tickets.services import ticket_open

    written = article(supervisor.user)
    talent = TalentFactory(native_name="陳嘉欣", latin_name="Chan Ka Yan", nationality="HK",
                           origin=origin_from("HK"), preferred_language="zh", dedicated_officer=officer)
    ticket = ticket_open(actor=clerk.user, talent=talent, category="work_permit", channel="window",
                         subject="工作許可延期", window=window).ticket

    page = new_page(locale="zh-CN")
    sign_in(page, "officer")
    for query in ("工作许可", "工作許可", "work permit"):
        page.goto("/knowledge/")
        page.fill("#knowledge-q", query)
        page.locator("form[role=search] button[type=submit]").click()
        page.wait_for_load_state("networkidle")
        expect(page.locator(f"#knowledge-results tr[data-article='{KEY}']")).to_be_visible()

    page.goto(f"/tickets/{ticket.reference}/")
    page.fill("#ticket-knowledge-q", "work permit")
    page.locator("#ticket-knowledge-q").press("Enter")
    hit = page.locator(f"#ticket-knowledge li[data-article='{KEY}']")
    expect(hit).to_be_visible()
    expect(page.locator("#ticket-knowledge")).to_contain_text("繁體中文")
    hit.locator("a.button").click()
    body = page.locator("#ticket-comment textarea[name=body]")
    expect(body).to_have_value(re.compile(r"^外國人工作許可證如何延期"))
    expect(page.locator("#ticket-comment [data-knowledge-source]")).to_be_visible()
    expect(page.locator("#ticket-comment input[name=visibility][value=public]")).to_be_checked()
    screenshot(page, "knowledge-insert-zh-hant")
    page.locator("#ticket-comment button[type=submit].primary").click()
    expect(page.locator("[data-answered-by]")).to_contain_text(written.title_zh_hans)

    use = ArticleUse.objects.get()
    assert (use.ticket_id, use.article_id, use.script, use.used_by_id) == (
        ticket.pk, written.pk, "zh_hant", officer.user.pk)
    assert use.event.public and use.event.body.startswith("外國人工作許可證如何延期")

    portal = new_page(locale="zh-HK")
    portal.on("console", lambda m: CSP_ERRORS.append(m.text) if "Content Security Policy" in m.text else None)
    portal.goto(f"/status/answers/{KEY}/?script=zh_hant")
    expect(portal.locator("h1")).to_have_text("外國人工作許可證如何延期")
    expect(portal.locator("article.knowledge-body")).to_contain_text("勞動合同")
    portal.wait_for_load_state("networkidle")
