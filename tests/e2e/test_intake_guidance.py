"""Intake in a real browser: as the clerk types a caller's description (Traditional
Chinese), the likely categories appear under it; clicking one selects it and swaps in its
checklist; the ticket opens under the clerk's choice and the suggestion is recorded."""

import re

import pytest
from playwright.sync_api import expect

from guidance.models import GuidanceChoice
from guidance.services import guidance_suggest
from tests.factories import PASSWORD
from tickets.models import Ticket

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_clerk_types_a_description_and_picks_a_suggested_category(new_page, screenshot, clerk, talent):
    guidance_suggest(text="visa")  # the live server shares this process: the model is ready
    csp = []
    page = new_page(locale="zh-CN")
    page.on("console", lambda m: csp.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto("/login/", timeout=60000)  # the first page of a fresh browser, on a busy host
    page.fill("#id_username", "clerk")
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit].primary")
    expect(page).to_have_url(re.compile(r"/intake/$"))

    # On the hotline: a caller from Hong Kong explains in Traditional Chinese.
    page.click("button[name=on][value='1']")
    expect(page.locator("input[name=channel][value=hotline]")).to_be_checked()
    page.fill("#talent-search", "王思远")
    page.locator(f"input[name=talent][value='{talent.pk}']").check()
    page.fill("#id_subject", "駕照")
    guidance = page.locator("#intake-guidance")
    expect(guidance).to_contain_text("输入情况说明后")
    page.locator("#id_description").press_sequentially("想把香港駕照換成內地的，要唔要考試？", delay=20)

    first = guidance.locator("button[data-guidance-category]").first
    expect(first).to_have_attribute("data-guidance-category", "transport", timeout=15000)
    expect(first).to_contain_text("交通")
    expect(guidance).to_contain_text("依据")
    expect(guidance.locator("button[data-guidance-category]")).to_have_count(3)
    # Advice only: nothing is chosen until the clerk clicks.
    expect(page.locator("#id_category")).to_have_value("")
    screenshot(page, "intake-guidance-zh")

    first.click()
    expect(page.locator("#id_category")).to_have_value("transport")
    expect(first).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#intake-materials")).to_contain_text("境外驾驶证")

    page.locator("form#intake-form button[type=submit].primary").click()
    page.wait_for_url(re.compile(r"/receipt/$"))
    ticket = Ticket.objects.get()
    assert (ticket.category, ticket.channel) == ("transport", "hotline")
    choice = GuidanceChoice.objects.get()
    assert choice.ticket == ticket
    assert choice.suggested[0] == "transport"
    assert len(choice.suggested) == 3
    assert (choice.chosen_category, choice.corrected) == ("transport", False)
    assert csp == []
