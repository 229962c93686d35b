"""Issue #12 in a real browser (headless Debian Chromium via Playwright): the officer ticks
the documents asked for (point 3), the talent's phone lists exactly those and a reply while
one is missing stays a reply; once answered, the result card comes first (point 2), in the
language chosen on the check page, with the rating in the government's wording (Also).
The result card is a README screenshot (portal-result-en / -zh)."""

import pytest
from playwright.sync_api import expect

from portal.models import Rating
from tests.factories import PASSWORD
from tickets.models import MaterialStatus
from tickets.services import material_update, ticket_open, ticket_transition

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True,
         "device_scale_factor": 1}


@pytest.fixture
def opened(clerk, talent, window, upload_root):
    talent.preferred_language = "zh"  # the profile says Chinese; the visitor will read English
    talent.save()
    return ticket_open(actor=clerk.user, talent=talent, category="settlement", channel="window",
                       subject="Household registration for me and my spouse", window=window,
                       materials_received=["passport", "talent_certificate", "employment_contract"])


def test_asked_items_reply_and_result_card(new_page, screenshot, opened, officer):
    ticket = opened.ticket

    # The officer asks for two items, ticked on the ticket page.
    staff = new_page(locale="en-GB")
    staff.goto("/login/")
    staff.fill("#id_username", officer.user.username)
    staff.fill("#id_password", PASSWORD)
    staff.click("form button[type=submit].primary")
    staff.goto(f"/tickets/{ticket.reference}/")
    staff.get_by_role("button", name="Start review").click()
    expect(staff.locator("#ticket-main")).to_contain_text("Done: Start review.")
    staff.locator("#action-requested input[value=degree_certificate]").check()
    staff.locator("#action-requested input[value=marriage_certificate]").check()
    staff.fill("#action-note", "Your degree certificate and your marriage certificate, please.")
    staff.get_by_role("button", name="Request documents *").click()
    expect(staff.locator("#ticket-main")).to_contain_text(
        "asked for: Degree certificate with authentication; Marriage certificate (accompanying spouse)")

    # The talent checks the case in English on a phone: exactly those two are asked for.
    page = new_page(locale="en-GB", **PHONE)
    page.goto("/status/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.fill("#id_reference", ticket.reference)
    page.fill("#id_code", opened.access_code)
    page.get_by_role("button", name="Show my case").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")  # not the profile's Chinese
    todo = page.locator(".todo")
    expect(todo.locator(".material")).to_have_count(2)
    expect(todo).to_contain_text("Degree certificate with authentication")
    expect(todo).to_contain_text("Marriage certificate (accompanying spouse)")

    # A reply while both are missing is a reply, not "documents received".
    page.fill("#id_body", "The degree is at the notary's; the marriage certificate follows.")
    # Nothing to tick: "this answers everything" is not offered while items are missing.
    expect(page.locator("input[name=hand_back]")).to_have_count(0)
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.locator(".step-text")).to_have_text("We need more documents from you")
    expect(page.locator(".portal-timeline li").first).to_contain_text("Your reply")

    # Answered: the result comes first, the optional items nobody sent are gone.
    for item in ticket.materials.filter(material_id__in=["degree_certificate", "marriage_certificate"]):
        material_update(material=item, actor=officer.user, status=MaterialStatus.RECEIVED)
    ticket_transition(ticket=ticket, action="materials_provided", actor=officer.user)
    ticket_transition(ticket=ticket, action="submit_to_police", actor=officer.user)
    ticket_transition(ticket=ticket, action="resolve", actor=officer.user,
                      note="Registered at Heping police station on 3 December. Collect your "
                           "household register at window 3 from 4 December, 9:00–17:00.")
    page.reload()
    cards = page.locator("main .card")
    expect(cards.nth(1)).to_have_id("case-result")
    result = page.locator("#case-result")
    expect(result.locator("h2")).to_have_text("Result")
    expect(result).to_contain_text("Done: please collect your registration documents")
    expect(result).to_contain_text("Collect your household register at window 3")
    expect(page.locator(".material-list")).not_to_contain_text("Birth certificate")
    screenshot(page, "portal-result-en", docs=True)

    rating = page.locator(".rating-form")
    rating.get_by_text("Basically satisfied").click()
    rating.get_by_role("button", name="Send rating").click()
    expect(page.locator(".score-label")).to_have_text("Basically satisfied")
    assert Rating.objects.get(ticket=ticket).score == 3

    page.get_by_role("button", name="简体").click()
    expect(page.locator("#case-result h2")).to_have_text("办理结果")
    expect(page.locator(".score-label")).to_have_text("基本满意")
    screenshot(page, "portal-result-zh", docs=True)
