"""Online application on a phone (390×844), in a real browser (headless Debian Chromium):
a Hong Kong applicant whose browser asks for Traditional Chinese proves the phone with the
SMS code, registers, writes the request in 繁體, is told which service it is, submits and
sees the reference — with no Content-Security-Policy violation on the way."""

import re

import pytest
from playwright.sync_api import expect

from notifications.models import OutboxMessage
from tickets.models import Ticket

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
         "device_scale_factor": 1}
REQUEST = "我想把香港駕駛執照換成內地駕照，需要準備甚麼文件？"


def test_a_hong_kong_applicant_applies_online_in_traditional_chinese(new_page, screenshot, centre, officer):
    page = new_page(locale="zh-HK", **PHONE)
    page.set_default_timeout(60000)  # a loaded shared machine: the first pages can be slow
    csp: list[str] = []
    page.on("console", lambda m: csp.append(m.text) if "Content Security Policy" in m.text else None)

    page.goto("/status/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hant")
    page.locator("#apply-link").click()

    # The phone, proven by the SMS code (read from the outbox, as the SMS gateway would get it).
    page.fill("#id_phone", "+852 9123 4567")
    page.locator("#apply-phone button[type=submit]").click()
    expect(page.locator("#code-title")).to_have_text("輸入驗證碼")
    sms = OutboxMessage.objects.get(event="phone_code", to="+85291234567")
    assert sms.body.startswith("【人才服務中心】您的驗證碼是")
    page.fill("#id_code", re.search(r"\b(\d{6})\b", sms.body).group(1))
    page.locator("#apply-code button[type=submit]").click()

    # A new applicant (申請人): name, 國籍（地區）, document.
    expect(page.locator("#register-title")).to_be_visible()
    page.fill("#id_native_name", "陳大文")
    page.fill("#id_latin_name", "CHAN Tai Man")
    page.select_option("#id_nationality", "HK")
    page.select_option("#id_document_type", "hk_macau_permit")
    page.fill("#id_document_number", "H7654321")
    expect(page.locator("#id_preferred_language")).to_have_value("zh-hant")
    screenshot(page, "apply-register-zh-hant")
    page.locator("#apply-register button[type=submit]").click()

    # The request in their own words: the suggestion appears as they type (htmx).
    page.fill("#id_description", REQUEST)
    transport = page.locator("#apply-guidance input[name=category][value=transport]")
    expect(transport).to_be_checked(timeout=60000)  # the first suggestion may load the model
    expect(page.locator('#apply-guidance .apply-suggestion[data-category="transport"] details[open]')).to_be_visible()
    screenshot(page, "apply-request-zh-hant")
    page.locator('#apply-request button[name=action][value=submit]').click()

    # The reference and the access code, shown once.
    reference = page.locator("#done-reference")
    expect(reference).to_have_text(re.compile(r"^TD-\d{4}-\d{6}$"))
    expect(page.locator("#done-code")).to_have_text(re.compile(r"^[0-9A-Z]{5}-[0-9A-Z]{5}$"))
    screenshot(page, "apply-done-zh-hant")
    ticket = Ticket.objects.select_related("talent").get(reference=reference.inner_text())
    assert (ticket.channel, ticket.category, ticket.talent.origin, ticket.talent.preferred_language) == (
        "online", "transport", "hong_kong", "zh-hant")

    # The case page takes the documents (the existing upload path).
    page.locator("#done-upload").click()
    expect(page.locator("#case-title")).to_be_visible()
    assert csp == []
