"""The supervisors' dashboard in a real browser: headline figures, the SVG charts with
their tables, sorting a breakdown in place (htmx), drilling down to the tickets and the
export links — under the strict CSP, in Chinese and English."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from core import clock
from reports.facts import facts_sweep
from tests.factories import PASSWORD
from tickets import services

pytestmark = pytest.mark.django_db(transaction=True)

CSP_ERRORS: list[str] = []


@pytest.fixture
def last_week(clerk, officer, talent, window):
    """Three tickets opened a week ago, two online, answered by the officer."""
    start = clock.now() - timedelta(days=7)
    tickets = []
    for i, channel in enumerate(("online", "online", "window")):
        with clock.frozen_at(start + timedelta(hours=i)):
            ticket = services.ticket_open(
                actor=clerk.user, talent=talent, category="settlement", channel=channel,
                subject=f"Household registration {i}", window=window,
            ).ticket
        with clock.frozen_at(start + timedelta(hours=i, minutes=30)):
            services.ticket_comment(ticket=ticket, actor=officer.user, body="On it.", public=True)
        tickets.append(ticket)
    facts_sweep()
    return tickets


def sign_in(page, username: str):
    page.on("console", lambda m: CSP_ERRORS.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit].primary")
    page.wait_for_load_state("networkidle")


@pytest.fixture(autouse=True)
def no_csp_violations():
    CSP_ERRORS.clear()
    yield
    assert CSP_ERRORS == []


def test_supervisor_reads_sorts_and_drills_down(new_page, screenshot, supervisor, last_week):
    page = new_page(locale="zh-CN")
    sign_in(page, "supervisor")
    page.goto("/reports/")
    expect(page.locator("#headline-opened .headline-value")).to_have_text("3")
    expect(page.locator("#trend-chart-title")).to_have_text("每周受理量与首次响应时长")
    assert page.locator("#trend-chart rect.bar:not(.key)").count() >= 12  # a bar per week
    expect(page.locator("svg#trend-chart")).to_have_attribute("role", "img")
    expect(page.locator("#age-chart")).to_be_visible()
    screenshot(page, "reports-dashboard-zh")

    # Sort the channel table by first-response median: only that table is replaced.
    header = page.locator("#breakdown-channel th", has_text="首次响应中位数")
    header.locator("a").click()
    expect(page.locator("#breakdown-channel th[aria-sort=descending]")).to_contain_text("首次响应中位数")
    expect(page.locator("#headline-opened")).to_be_visible()

    # Drill down from the online share to the two online tickets.
    page.click("#headline-online .headline-value")
    page.wait_for_load_state("networkidle")
    expect(page.locator("table.drill-table tbody tr")).to_have_count(2)
    expect(page.locator("table.drill-table")).to_contain_text("E1****78")
    expect(page.locator("a[href*='format=csv']")).to_have_count(1)
    screenshot(page, "reports-drill-zh")


def test_dashboard_in_english(new_page, screenshot, supervisor, last_week):
    page = new_page(locale="en-US")
    sign_in(page, "supervisor")
    page.context.add_cookies([{"name": "talentdesk_language", "value": "en", "url": page.url}])
    page.goto("/reports/")
    expect(page.locator("h1")).to_contain_text("Response times and backlog")
    expect(page.locator("#headline-frt_p50")).to_contain_text("First response, median")
    screenshot(page, "reports-dashboard-en")


def test_officer_is_refused(new_page, officer):
    page = new_page()
    sign_in(page, "officer")
    response = page.goto("/reports/")
    assert response.status == 403
