"""Finding a ticket in a real browser (issue #12, points 4 and 9): the top-bar search on
every workspace page, the "/" shortcut that focuses it without typing a slash, a reference
typed in lower case going straight to the ticket, and the chosen talent's open tickets at
intake. The search-results page is the README's top-bar search screenshot."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.test_staff_flow import CSP_ERRORS, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def no_csp_violations():
    CSP_ERRORS.clear()
    yield
    assert CSP_ERRORS == []


def test_the_top_bar_search_and_the_slash_shortcut(new_page, screenshot, clerk, open_ticket):
    page = new_page(locale="zh-CN")
    sign_in(page, "clerk")
    expect(page).to_have_url(re.compile(r"/intake/$"))

    # The intake's talent search has the focus: "/" selects it, and types no slash.
    search = page.locator("#talent-search")
    expect(search).to_be_focused()
    page.keyboard.press("/")
    expect(search).to_have_value("")
    # Typing elsewhere, a slash is a slash.
    page.fill("#id_subject", "")
    page.locator("#id_subject").type("A/B")
    expect(page.locator("#id_subject")).to_have_value("A/B")

    # On a page without its own search "/" goes to the top bar, without a slash in it.
    page.goto("/my-tickets/")
    expect(page.locator(f"[data-reference='{open_ticket.reference}']")).to_be_visible()
    page.locator("h1").click()
    page.keyboard.press("/")
    top = page.locator("#topbar-search")
    expect(top).to_be_focused()
    expect(top).to_have_value("")
    page.keyboard.press("/")
    expect(top).to_have_value("")

    # A name: the talents and their tickets, document and phone masked.
    top.type("王思远")
    top.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q="))
    results = page.locator("#search-results")
    expect(results).to_contain_text(open_ticket.reference)
    expect(results).to_contain_text(open_ticket.talent.masked_document)
    expect(results).not_to_contain_text("E12345678")
    screenshot(page, "search-zh", docs=True)

    # A reference in lower case, without dashes: straight to the ticket.
    page.locator("#topbar-search").fill(open_ticket.reference.lower().replace("-", ""))
    page.locator("#topbar-search").press("Enter")
    expect(page).to_have_url(re.compile(rf"/tickets/{open_ticket.reference}/$"))


def test_choosing_a_talent_at_intake_shows_its_open_tickets(new_page, clerk, open_ticket):
    page = new_page(locale="zh-CN")
    sign_in(page, "clerk")
    page.fill("#talent-search", "siyuan")
    choice = page.locator(f"#talent-results input[name=talent][value='{open_ticket.talent_id}']")
    expect(choice).to_be_visible()
    expect(page.locator("#intake-talent-tickets")).not_to_contain_text(open_ticket.reference)
    choice.check()
    tickets = page.locator("#intake-talent-tickets")
    expect(tickets.locator(f"a[href='/tickets/{open_ticket.reference}/']")).to_be_visible()
    # A reference typed at intake finds its talent too.
    page.fill("#talent-search", open_ticket.reference.lower())
    expect(page.locator(f"[data-found-ticket='{open_ticket.reference}']")).to_be_visible()


def test_the_name_typed_in_the_search_fills_the_new_talent_form(new_page, clerk, window):
    page = new_page(locale="zh-CN")
    sign_in(page, "clerk")
    page.fill("#talent-search", "Anna Müller")
    expect(page.locator("#talent-results")).to_contain_text("Anna Müller")
    page.check("input[data-new-talent]")
    expect(page.locator("#id_new-latin_name")).to_have_value("Anna Müller")
    expect(page.locator("#id_new-native_name")).to_have_value("")
    # Chinese characters go to the native name, a phone number to the phone.
    for typed, field in (("穆勒", "#id_new-native_name"), ("139 1234 5678", "#id_new-phone")):
        page.goto("/intake/")
        page.fill("#talent-search", typed)
        expect(page.locator("#talent-results")).to_contain_text(typed)
        page.check("input[data-new-talent]")
        expect(page.locator(field)).to_have_value(typed)
        expect(page.locator("#id_new-latin_name")).to_have_value("")
