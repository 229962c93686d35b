"""The staff workspace in a real browser (headless Debian Chromium via Playwright).

A window clerk registers a new talent and opens a ticket with some materials, prints
the receipt; an officer claims the ticket from the queue and works it through to
resolved, checking the timeline and the history on the way. A second officer's stale
claim gets the conflict message; a validation error keeps what was typed. Screenshots
of intake, receipt, inbox and ticket page are saved in Chinese and English.
"""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from core import clock
from talents.models import Talent
from tests.factories import PASSWORD, TalentFactory
from tickets.models import Ticket

pytestmark = pytest.mark.django_db(transaction=True)

SHOTS = ("intake", "receipt", "inbox", "ticket")


@pytest.fixture
def queue_only(officer, second_officer):
    """Nobody qualifies for automatic routing (no category skills), so a talent without a
    dedicated officer waits in the window's queue until an officer claims the ticket."""
    for person in (officer, second_officer):
        person.skills = []
        person.save()


CSP_ERRORS: list[str] = []


def sign_in(page, username: str):
    # Every page runs under the strict CSP: any refused script or style is a failure.
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


def shoot(screenshot, page, name: str):
    return screenshot(page, name, docs=True)


def test_new_talent_intake_to_resolution(new_page, screenshot, clerk, officer, window, queue_only):
    page = new_page(locale="zh-CN")
    sign_in(page, "clerk")
    expect(page).to_have_url(re.compile(r"/intake/$"))
    expect(page.locator("h1")).to_have_text("受理登记")

    # A new talent: not found by the search, registered inline.
    page.fill("#talent-search", "Müller")
    expect(page.locator("#talent-results")).to_contain_text("Müller")
    page.check("input[data-new-talent]")
    expect(page.locator("#new-talent")).to_have_attribute("open", "")
    page.fill("#id_new-native_name", "穆勒")
    page.fill("#id_new-latin_name", "Anna Müller")
    page.select_option("#id_new-nationality", "DE")
    page.select_option("#id_new-document_type", "passport")  # no default: a caller may have none
    page.fill("#id_new-document_number", "C01X00T47")
    page.fill("#id_new-phone", "13912345678")
    page.fill("#id_new-email", "anna.mueller@example.org")
    expect(page.locator("input[name=channel][value=window]")).to_be_checked()
    page.select_option("#id_category", "settlement")
    expect(page.locator("#intake-materials")).to_contain_text("护照或有效身份证件")
    page.check("input[name=materials][value=passport]")
    page.check("input[name=materials][value=talent_certificate]")
    page.fill("#id_subject", "随迁配偶落户咨询")
    page.fill("#id_description", "本人已获人才认定，配偶随迁，希望了解落户所需材料。")
    shoot(screenshot, page, "intake-zh")

    # Double click: one ticket.
    page.locator("form#intake-form button[type=submit].primary").dblclick()
    page.wait_for_url(re.compile(r"/receipt/$"))
    assert Ticket.objects.count() == 1
    ticket = Ticket.objects.get()
    assert Talent.objects.get(latin_name="Anna Müller").tickets.get() == ticket
    assert ticket.assignee is None  # no dedicated officer: it waits in the window's queue

    receipt = page.locator(".ws-receipt")
    expect(receipt).to_contain_text(ticket.reference)
    expect(receipt).to_contain_text("护照或有效身份证件")
    expect(receipt.locator(".ws-receipt-materials")).to_contain_text("劳动合同或单位接收函")
    code = page.locator("[data-access-code]").inner_text()
    assert re.fullmatch(r"[0-9A-Z]{5}-[0-9A-Z]{5}", code)
    expect(page.locator(".ws-receipt-qr svg")).to_be_visible()
    shoot(screenshot, page, "receipt-zh")
    page.reload()
    expect(page.locator("[data-access-code]")).to_have_count(0)
    expect(page.locator(".ws-code-gone")).to_contain_text("ask for a new code")

    # The officer takes it from the queue.
    officer_page = new_page(locale="zh-CN")
    sign_in(officer_page, "officer")
    expect(officer_page).to_have_url(re.compile(r"/work/$"))
    queue = officer_page.locator("#queue")
    expect(queue).to_contain_text(ticket.reference)
    expect(officer_page.locator("#work-counts")).to_contain_text("1")
    queue.locator(f"#row-{ticket.reference} button").click()
    expect(officer_page.locator("#mine")).to_contain_text(ticket.reference)
    expect(officer_page.locator("#queue")).not_to_contain_text(ticket.reference)
    expect(officer_page.locator(".messages")).to_contain_text(ticket.reference)
    shoot(screenshot, officer_page, "inbox-zh")

    # Work it through: review, materials, submission, resolution.
    officer_page.click(f"#mine a:text('{ticket.reference}')")
    expect(officer_page.locator("h1")).to_have_text("随迁配偶落户咨询")
    main = officer_page.locator("#ticket-main")
    main.locator("button[name=action][value=start_review]").click()
    expect(main.locator(".ws-state")).to_have_text("材料审核中")
    for material in ("employment_contract", "degree_certificate"):
        main.locator(f"[data-material={material}] button[value=received]").click()
        expect(main.locator(f"[data-material={material}] [data-status]")).to_have_text("已收取")
    main.locator("[data-material=marriage_certificate] details:has(input[name=reason]) summary").click()
    main.locator("[data-material=marriage_certificate] input[name=reason]").fill("复印件不清晰")
    main.locator("[data-material=marriage_certificate] button[value=rejected]").click()
    expect(main.locator("[data-material=marriage_certificate]")).to_contain_text("复印件不清晰")
    main.locator("button[name=action][value=submit_to_police]").click()
    expect(main.locator(".ws-state")).to_have_text("已报送公安机关")

    # "Resolve" needs a note: refused next to the field, then done.
    main.locator("button[name=action][value=resolve]").click()
    expect(main.locator("#action-note-error")).to_be_visible()
    main.locator("#action-note").fill("落户手续已办结，请携带身份证件领取材料。")
    main.locator("button[name=action][value=resolve]").click()
    expect(main.locator(".ws-state")).to_have_text("已办结")

    main.locator("#ticket-comment textarea").fill("已电话告知人才领取时间。")
    main.locator("#ticket-comment button[type=submit]").click()
    timeline = officer_page.locator("#ticket-tabs .ws-timeline")
    expect(timeline.locator("li.internal").last).to_contain_text("已电话告知人才领取时间。")
    expect(timeline.locator("li.public", has_text="落户手续已办结")).to_have_count(1)
    expect(timeline).to_contain_text("认领")  # the claim is on the record
    shoot(screenshot, officer_page, "ticket-zh")

    officer_page.click("#ticket-tabs a:text('修改历史')")
    history = officer_page.locator("#ticket-tabs .ws-history")
    expect(history).to_contain_text("材料审核中 → 已报送公安机关")
    expect(history).to_contain_text("张伟 Zhang Wei")
    expect(history).to_contain_text("办结")
    assert "C01X00T47" not in history.inner_text()
    shoot(screenshot, officer_page, "ticket-history-zh")

    ticket.refresh_from_db()
    assert ticket.state == "resolved" and ticket.assignee == officer


def test_a_validation_error_keeps_the_typed_input(new_page, screenshot, clerk, window):
    page = new_page(locale="zh-CN")
    sign_in(page, "clerk")
    page.check("input[data-new-talent]")
    page.fill("#id_new-latin_name", "Jean Dupont")
    page.select_option("#id_new-nationality", "FR")
    page.select_option("#id_new-document_type", "passport")  # no default: a caller may have none
    # The document number is left empty.
    page.select_option("#id_category", "transport")
    page.fill("#id_subject", "Driving licence conversion")
    page.fill("#id_description", "Moved here in May.")
    page.locator("form#intake-form button[type=submit].primary").click()
    page.wait_for_load_state("networkidle")

    expect(page.locator("#id_new-document_number_error")).to_be_visible()
    expect(page.locator("#id_new-latin_name")).to_have_value("Jean Dupont")
    expect(page.locator("#id_subject")).to_have_value("Driving licence conversion")
    expect(page.locator("#id_description")).to_have_value("Moved here in May.")
    expect(page.locator("#id_category")).to_have_value("transport")
    expect(page.locator("input[data-new-talent]")).to_be_checked()
    assert Ticket.objects.count() == 0 and not Talent.objects.filter(latin_name="Jean Dupont").exists()

    page.fill("#id_new-document_number", "FR7788991")
    page.locator("form#intake-form button[type=submit].primary").click()
    page.wait_for_url(re.compile(r"/receipt/$"))
    assert Ticket.objects.get().talent.latin_name == "Jean Dupont"


def test_a_second_officers_stale_claim_gets_the_conflict_message(
    new_page, clerk, officer, second_officer, window, queue_only
):
    from tickets.services import ticket_open

    talent = TalentFactory(native_name="林晓", latin_name="Lin Xiao", dedicated_officer=None)
    ticket = ticket_open(actor=clerk.user, talent=talent, category="transport", channel="hotline",
                         subject="Parking permit", window=window).ticket
    first, second = new_page(locale="en-US"), new_page(locale="en-US")
    sign_in(first, "officer")
    sign_in(second, "officer2")
    expect(second.locator("#queue")).to_contain_text(ticket.reference)

    first.locator(f"#row-{ticket.reference} button").click()
    expect(first.locator("#mine")).to_contain_text(ticket.reference)

    second.locator(f"#row-{ticket.reference} button").click()  # the page still shows it free
    expect(second.locator(".messages")).to_contain_text("Zhang Wei has already taken this ticket")
    expect(second.locator("#queue")).not_to_contain_text(ticket.reference)
    ticket.refresh_from_db()
    assert ticket.assignee == officer


def test_english_screens(new_page, screenshot, clerk, officer, window):
    from tickets.services import ticket_open, ticket_transition

    TalentFactory(native_name="", latin_name="Emily Carter", document_number="P55501234",
                  nationality="GB", dedicated_officer=officer)
    other = TalentFactory(native_name="", latin_name="Omar Haddad", dedicated_officer=None)
    ticket_open(actor=clerk.user, talent=other, category="healthcare", channel="window",
                subject="Health insurance enrolment", window=window)
    # Some work already on the officer's desk, to show the deadline badges.
    now = clock.now()
    for subject, category, due, warn in (
        ("Hukou transfer for spouse", "settlement", now - timedelta(hours=3), now - timedelta(hours=5)),
        ("Talent card renewal", "talent_card", now + timedelta(hours=2), now - timedelta(minutes=10)),
        ("Metro card subsidy", "transport", now + timedelta(days=4), now + timedelta(days=3)),
    ):
        opened = ticket_open(actor=clerk.user, talent=TalentFactory(dedicated_officer=officer),
                             category=category, channel="window", subject=subject, window=window).ticket
        Ticket.objects.filter(pk=opened.pk).update(due_at=due, first_response_due=due,
                                                   first_response_warn_at=warn)
    waiting = ticket_open(actor=clerk.user, talent=TalentFactory(dedicated_officer=officer),
                          category="settlement", channel="hotline", subject="Collective hukou",
                          window=window).ticket
    ticket_transition(ticket=waiting, action="request_materials", actor=officer.user,
                      note="Please bring the employer's acceptance letter.")

    page = new_page(locale="en-US")
    sign_in(page, "clerk")
    expect(page.locator("h1")).to_have_text("Intake")
    page.click("text=I'm on the hotline")
    expect(page.locator("input[name=channel][value=hotline]")).to_be_checked()
    page.fill("#talent-search", "1234")  # last digits of the document number
    expect(page.locator("#talent-results")).to_contain_text("Emily Carter")
    page.locator("#talent-results label", has_text="Emily Carter").click()
    page.select_option("#id_category", "schooling")
    page.locator("#intake-materials input[name=materials]").first.check()
    page.fill("#id_subject", "School place for my daughter")
    page.fill("#id_description", "Grade 3, English-taught programme preferred.")
    shoot(screenshot, page, "intake-en")
    page.locator("form#intake-form button[type=submit].primary").click()
    page.wait_for_url(re.compile(r"/receipt/$"))
    expect(page.locator("[data-access-code]")).to_be_visible()
    expect(page.locator(".ws-receipt")).to_contain_text("Zhang Wei")
    shoot(screenshot, page, "receipt-en")

    officer_page = new_page(locale="en-US")
    sign_in(officer_page, "officer")
    expect(officer_page.locator("#mine")).to_contain_text("School place for my daughter")
    for badge in ("overdue", "due_soon", "paused"):
        expect(officer_page.locator(f"#mine [data-badge={badge}]").first).to_be_visible()
    shoot(screenshot, officer_page, "inbox-en")
    reference = Ticket.objects.get(subject="School place for my daughter").reference
    officer_page.click(f"#mine a:text('{reference}')")
    officer_page.locator("#action-note").fill("Checking places at the international school.")
    officer_page.locator("#ticket-actions button[name=action]").first.click()
    expect(officer_page.locator(".messages")).to_contain_text("Done")
    officer_page.locator("#talent-document input[name=reason]").fill("verify passport at the window")
    officer_page.locator("#talent-document button").click()
    expect(officer_page.locator(".ws-revealed")).to_have_text("P55501234")
    shoot(screenshot, officer_page, "ticket-en")

    # The language switch is remembered for the next sign-in.
    officer_page.click(".language-switch button")
    expect(officer_page.locator("#ticket-actions h2")).to_have_text("下一步")


def test_priority_change_and_going_off_duty_with_hand_over(new_page, screenshot, clerk, officer, supervisor,
                                                           window):
    from tests.factories import OfficerFactory, UserFactory
    from tickets.services import ticket_open

    backup = OfficerFactory(user=UserFactory(username="backup"), display_name="刘洋 Liu Yang",
                            centre=officer.centre, windows=[window])
    officer.backup = backup
    officer.save()
    talent = TalentFactory(native_name="周明", latin_name="Zhou Ming", dedicated_officer=officer)
    held = [ticket_open(actor=clerk.user, talent=talent, category=category, channel="window",
                        subject=subject, window=window).ticket
            for category, subject in (("settlement", "集体户挂靠"), ("transport", "通勤补贴申请"))]

    # The officer raises a priority: the due times are recomputed in place.
    page = new_page(locale="zh-CN")
    sign_in(page, "officer")
    page.goto(f"/tickets/{held[0].reference}/")
    due = page.locator("[data-due=resolution]")
    before = due.inner_text()
    page.select_option("#priority-select", "urgent")
    page.fill("#priority-reason", "领导人才，加急办理")
    page.locator("#ticket-priority button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("优先级：普通 → 紧急")
    expect(due).not_to_have_text(before)
    expect(page.locator("#ticket-tabs .ws-timeline")).to_contain_text("优先级：普通 → 紧急；到期时间已重新计算")

    # Going off duty: the page shows where each open ticket would go, then hands them over.
    page.click("#duty-chip")
    expect(page.locator("h1")).to_have_text("我的在岗状态")
    preview = page.locator("#duty-preview")
    for ticket in held:
        expect(preview.locator(f"tr[data-reference='{ticket.reference}'] [data-destination]")).to_have_text(
            "刘洋 Liu Yang")
    expect(preview).to_contain_text("备岗专员（专属专员正在移交工作）：刘洋 Liu Yang")
    expect(page.locator("#duty-hand-over")).to_be_checked()
    shoot(screenshot, page, "duty-zh")
    # A full-page screenshot leaves an empty style attribute on text inputs (Playwright hides
    # the caret); htmx would carry it into the swapped panel, which the CSP refuses. Reload.
    page.reload()
    page.fill("#duty-reason", "年假")
    page.locator("[data-go-off-duty]").click()
    expect(page.locator("#duty-result")).to_contain_text(held[1].reference)
    expect(page.locator("#duty-chip")).to_have_attribute("data-on-duty", "false")
    expect(page.locator(".messages")).to_contain_text("已移交 2 件")
    for ticket in held:
        ticket.refresh_from_db()
        assert ticket.assignee == backup

    # The supervisor sees it on the team page and brings the officer back.
    boss = new_page(locale="en-US")
    sign_in(boss, "supervisor")
    boss.click("nav a[data-nav=team]")
    row = boss.locator(f"tr[data-officer='{officer.pk}']")
    expect(row.locator("[data-duty]")).to_have_text("Off duty")
    expect(boss.locator(f"tr[data-officer='{backup.pk}'] [data-load]")).to_contain_text("2 / ")
    shoot(screenshot, boss, "team-en")
    row.locator("a.button").click()
    expect(boss.locator("h1")).to_have_text("Duty of 张伟 Zhang Wei")
    boss.locator("[data-back-on-duty]").click()
    expect(boss.locator(".messages")).to_contain_text("张伟 Zhang Wei is on duty again.")
    officer.refresh_from_db()
    assert officer.on_duty
