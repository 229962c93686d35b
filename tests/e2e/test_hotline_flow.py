"""The hotline in a real browser (issue #12, point 5): a caller's policy question answered
on the call (即办) is opened, answered and closed in one step, and the reference and a new
access code go out by SMS instead of a printed receipt."""

import re

import pytest
from playwright.sync_api import expect

from notifications.models import OutboxMessage
from tests.e2e.test_staff_flow import CSP_ERRORS, sign_in
from tickets.models import Ticket

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def no_csp_violations():
    CSP_ERRORS.clear()
    yield
    assert CSP_ERRORS == []


def test_a_call_answered_on_the_spot_and_the_code_sent_by_sms(new_page, clerk, talent, window):
    page = new_page(locale="zh-CN")
    sign_in(page, "clerk")
    page.click("button[name=on][value='1']")  # on the hotline
    expect(page.locator("input[name=channel][value=hotline]")).to_be_checked()
    page.fill("#talent-search", "siyuan")
    page.check(f"#talent-results input[name=talent][value='{talent.pk}']")
    page.select_option("#id_category", "policy_consultation")
    on_the_spot = page.locator("#intake-on-the-spot")
    expect(on_the_spot).to_be_visible()
    page.fill("#id_subject", "购房补贴咨询")
    on_the_spot.locator("#id_answer").fill("补贴在落户后六个月内申请。")
    on_the_spot.locator("button[name=_on_the_spot]").click()
    page.wait_for_url(re.compile(r"/receipt/$"))

    ticket = Ticket.objects.get()
    assert (ticket.channel, ticket.state, ticket.due_at) == ("hotline", "closed", None)

    send = page.locator("form.ws-receipt-sms button")
    expect(send).to_contain_text(talent.masked_phone)
    send.click()
    page.wait_for_url(re.compile(r"/receipt/$"))
    expect(page.locator(".messages")).to_contain_text(talent.masked_phone)
    assert OutboxMessage.objects.filter(event="access_code", channel="sms", to=talent.phone).count() == 1


def test_a_new_caller_needs_only_a_name_and_a_phone(new_page, clerk, window):
    page = new_page(locale="zh-CN")
    sign_in(page, "clerk")
    page.fill("#talent-search", "黄先生")
    expect(page.locator("#talent-results")).to_contain_text("黄先生")
    page.check("input[data-new-talent]")
    expect(page.locator("#id_new-native_name")).to_have_value("黄先生")
    page.fill("#id_new-phone", "13912340000")
    page.select_option("#id_category", "policy_consultation")
    expect(page.locator("#intake-on-the-spot")).to_be_visible()
    page.fill("#id_subject", "人才公寓申请条件")
    page.fill("#id_answer", "需在本市工作满一年，详见人才公寓政策。")
    page.locator("button[name=_on_the_spot]").click()
    page.wait_for_url(re.compile(r"/receipt/$"))
    ticket = Ticket.objects.get()
    assert (ticket.talent.native_name, ticket.talent.phone, ticket.talent.document_number) == (
        "黄先生", "13912340000", "")
    assert ticket.state == "closed"
