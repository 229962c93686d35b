"""The talent portal on a phone, in a real browser (headless Debian Chromium via Playwright).

A talent whose officer asked for a document opens the status link from the receipt's QR
code (Chinese, their preferred language), switches to English, uploads the document, sees
the officer's reply, and rates the service once the case is resolved. Screenshots of each
step are saved in Chinese and English (test-artifacts/screenshots, copied to
docs/screenshots).
"""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from portal.models import Rating
from prereview.models import Attachment
from tests.portal.conftest import PDF
from tickets.links import status_path
from tickets.models import MaterialStatus, Ticket
from tickets.services import material_update, ticket_comment, ticket_open, ticket_transition

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
         "device_scale_factor": 1}


def shoot(screenshot, page, name: str) -> Path:
    return screenshot(page, name, docs=True)


@pytest.fixture
def waiting_for_certificate(clerk, officer, talent, window, upload_root):
    """A settlement case in waiting_talent: the officer asked for the talent certificate."""
    talent.preferred_language = "zh"
    talent.save()
    ticket = ticket_open(actor=clerk.user, talent=talent, category="settlement", channel="window",
                         subject="本人及配偶落户 Household registration for me and my spouse",
                         window=window, materials_received=["passport", "employment_contract",
                                                            "degree_certificate"]).ticket
    ticket_transition(ticket=ticket, action="start_review", actor=officer.user)
    ticket_transition(ticket=ticket, action="request_materials", actor=officer.user,
                      note="请上传人才认定证明。Please upload your talent recognition certificate.")
    return ticket


def test_a_talent_follows_their_case_on_a_phone(new_page, screenshot, waiting_for_certificate,
                                                officer):
    ticket = waiting_for_certificate
    page = new_page(locale="zh-CN", **PHONE)

    # The QR code's link: signed in, and the token is gone from the address bar.
    page.goto(status_path(ticket))
    expect(page).to_have_url(f"{page.url.split('/status/')[0]}/status/t/{ticket.reference}/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator(".step-text")).to_have_text("需要您补充材料")
    expect(page.locator(".todo")).to_contain_text("人才认定证明")
    expect(page.locator(".portal-timeline")).to_contain_text("请上传人才认定证明")
    shoot(screenshot, page, "portal-status-zh")

    # Switch to English; the choice is remembered on the next pages.
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator(".step-text")).to_have_text("We need more documents from you")
    todo = page.locator(".todo")
    expect(todo).to_contain_text("Talent recognition certificate")
    expect(todo).to_contain_text("still needed")
    shoot(screenshot, page, "portal-status-en")

    # Upload the requested document from the phone.
    todo.locator("input[type=file]").set_input_files(
        {"name": "certificate.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    todo.get_by_role("button", name="Upload", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("We received “Talent recognition certificate”")
    expect(page.locator(".step-text")).to_have_text("Your officer is reviewing your documents")
    expect(page.locator(".portal-timeline")).to_contain_text("You uploaded “certificate.pdf”")
    shoot(screenshot, page, "portal-uploaded-en")
    ticket.refresh_from_db()
    assert ticket.state == "reviewing" and ticket.sla_paused_at is None
    assert Attachment.objects.get(ticket=ticket).material.status == MaterialStatus.SUBMITTED

    # The downloaded file comes back as an attachment.
    with page.expect_download() as download:
        page.locator(".material-list a", has_text="certificate.pdf").first.click()
    assert download.value.suggested_filename == "certificate.pdf"

    # The officer reads the pre-review next to the file and receives it; then answers.
    material_update(material=Attachment.objects.get(ticket=ticket).material, actor=officer.user,
                    status=MaterialStatus.RECEIVED)
    ticket_comment(ticket=ticket, actor=officer.user, public=True,
                   body="Thank you, your documents are complete. We submit them today.")
    page.reload()
    expect(page.locator(".portal-timeline")).to_contain_text("Message from your officer")
    expect(page.locator(".portal-timeline")).to_contain_text("your documents are complete")

    # Resolved: the talent rates the service.
    ticket_transition(ticket=ticket, action="submit_to_police", actor=officer.user)
    ticket_transition(ticket=ticket, action="resolve", actor=officer.user,
                      note="Registered. Please collect your documents at window 3.")
    page.reload()
    expect(page.locator(".step-text")).to_have_text("Done: please collect your registration documents")
    rating = page.locator(".rating-form")
    expect(rating).to_be_visible()
    shoot(screenshot, page, "portal-rate-en")
    rating.get_by_text("Very satisfied").click()
    rating.locator("textarea").fill("Quick and friendly, thank you!")
    rating.get_by_role("button", name="Send rating").click()
    expect(page.locator(".messages")).to_contain_text("Thank you for your rating.")
    expect(page.locator(".stars .on")).to_have_count(5)
    assert Rating.objects.get(ticket=ticket).score == 5

    # And the whole page once more in Chinese.
    page.get_by_role("button", name="简体").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator(".step-text")).to_have_text("已办结，请领取落户材料")
    shoot(screenshot, page, "portal-resolved-zh")
    assert Ticket.objects.get(pk=ticket.pk).state == "resolved"


def test_the_status_check_form_on_a_phone(new_page, screenshot, waiting_for_certificate):
    page = new_page(locale="en-GB", **PHONE)
    page.goto("/status/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.fill("#id_reference", waiting_for_certificate.reference)
    page.fill("#id_code", "WRONG-CODE1")
    page.get_by_role("button", name="Show my case").click()
    expect(page.locator(".notice.bad")).to_contain_text("not right")
    shoot(screenshot, page, "portal-check-en")
    page.get_by_role("button", name="简体").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    shoot(screenshot, page, "portal-check-zh")


def test_the_portal_works_without_javascript(new_page, waiting_for_certificate):
    ticket = waiting_for_certificate
    page = new_page(locale="en-GB", java_script_enabled=False, **PHONE)
    page.goto(status_path(ticket))
    expect(page.locator(".step-text")).to_have_text("需要您补充材料")  # the talent's language
    page.get_by_role("button", name="English").click()
    expect(page.locator(".step-text")).to_have_text("We need more documents from you")
    page.locator(".reply-form textarea").fill("I will send the certificate tomorrow.")
    # The asked-for certificate is still missing: no "this completes what was asked" box.
    expect(page.locator(".reply-form input[type=checkbox]")).to_have_count(0)
    page.locator(".reply-form").get_by_role("button", name="Send").click()
    expect(page.locator(".messages")).to_contain_text("Your reply was sent to your officer.")
    expect(page.locator(".portal-timeline")).to_contain_text("I will send the certificate tomorrow.")
    ticket.refresh_from_db()
    assert ticket.state == "waiting_talent"
