"""The officer's morning and the supervisor's rebalancing in a real browser (issue 12,
points 7 and 8): the ticket breaching in six minutes on top of stale August tickets,
tiles that filter, the priority column, a colleague's ticket answering the product's own
404 page; a supervisor ticks tickets, is warned about a missing skill, confirms, and
they move. The morning view is the README's screenshot ``morning-zh``."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.clock import at
from tests.e2e.test_staff_flow import shoot, sign_in
from tests.factories import OfficerFactory, TalentFactory, UserFactory
from tickets.models import Ticket
from tickets.services import ticket_open, ticket_set_priority

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.clock("2026-12-02 10:00")]


def _open(clerk, window, officer, *, due, subject, category="settlement", name=("王芳", "Wang Fang")):
    talent = TalentFactory(native_name=name[0], latin_name=name[1], dedicated_officer=officer)
    ticket = ticket_open(actor=clerk.user, talent=talent, category=category, channel="window",
                         subject=subject, window=window).ticket
    Ticket.objects.filter(pk=ticket.pk).update(due_at=due, first_response_due=due)
    return ticket


def test_the_officers_morning(new_page, screenshot, clerk, officer, window, outsider, other_window):
    now = at("2026-12-02 10:00")
    stale = [_open(clerk, window, officer, due=at(f"2026-08-{day} 10:00"), subject=f"八月旧件 {day}",
                   name=("李雷", "Li Lei")) for day in (10, 12, 14)]
    breaching = _open(clerk, window, officer, due=now + timedelta(minutes=6), subject="子女入学材料今日截止",
                      name=("陈晓", "Chen Xiao"))
    ticket_set_priority(ticket=breaching, priority="urgent", actor=officer.user, reason="今日截止")
    Ticket.objects.filter(pk=breaching.pk).update(due_at=now + timedelta(minutes=6))  # recomputed: set again
    _open(clerk, window, officer, due=at("2026-12-03 11:00"), subject="交通补贴咨询", category="transport",
          name=("赵云", "Zhao Yun"))
    theirs = _open(outsider, other_window, outsider, due=now + timedelta(days=1), subject="他人工单")

    page = new_page(locale="zh-CN")
    sign_in(page, "officer")
    expect(page.locator("h1")).to_have_text("我的办件")
    first_breaching = page.locator("#breaching tbody tr").first
    expect(first_breaching).to_have_attribute("data-reference", breaching.reference)
    expect(first_breaching.locator("[data-priority]")).to_have_text("紧急")
    expect(page.locator("#mine tbody tr").first).to_have_attribute("data-reference", stale[0].reference)
    shoot(screenshot, page, "morning-zh")

    page.click("[data-tile=overdue]")
    expect(page.locator("#mine tbody tr")).to_have_count(3)
    expect(page.locator("[data-tile=overdue]")).to_have_attribute("aria-current", "true")

    response = page.goto(f"/tickets/{theirs.reference}/")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("无法显示此页面")
    expect(page.locator("nav a[data-nav=work]")).to_be_visible()


def test_a_supervisor_moves_ticked_tickets_after_confirming_a_missing_skill(
        new_page, clerk, officer, supervisor, window):
    narrow = OfficerFactory(user=UserFactory(username="narrow"), display_name="聂宁 Nie Ning",
                            centre=officer.centre, windows=[window], skills=["transport"])
    held = [_open(clerk, window, supervisor, due=at("2026-12-04 10:00"), subject=f"转办 {n}") for n in range(2)]
    page = new_page(locale="en-US")
    sign_in(page, "supervisor")
    expect(page).to_have_url(re.compile(r"/reports/$"))
    page.goto("/work/")
    for ticket in held:
        page.locator(f"#mine tr[data-reference='{ticket.reference}'] input[name=tickets]").check()
    picker = page.locator("#bulk-assign select[name=officer]")
    expect(picker.locator(f"option[value='{narrow.pk}']")).to_contain_text("0 open of 20, 0 overdue · skills: Transport")
    picker.select_option(str(narrow.pk))
    page.locator("#bulk-assign button[type=submit]").click()
    expect(page.locator(".form-errors")).to_contain_text("Nothing was changed: 2 tickets could not be assigned")
    expect(page.locator(f"tr[data-reference='{held[0].reference}'] [data-ticket-error]")).to_contain_text(
        "聂宁 Nie Ning has no skill for Household registration")
    page.locator("#reassign-form input[name=confirm_missing_skill]").check()
    page.locator("#reassign-form button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("2 tickets assigned to 聂宁 Nie Ning.")
    assert [Ticket.objects.get(pk=t.pk).assignee_id for t in held] == [narrow.pk, narrow.pk]
