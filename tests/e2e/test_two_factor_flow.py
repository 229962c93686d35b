"""Two-factor sign-in in a real browser: a supervisor signs in with the password, is sent
to enrolment, scans (reads) the server-drawn QR code's key, confirms with a code, signs out,
and signs in again with password and code — under the strict CSP, in English and Chinese."""

import base64

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from tests.factories import PASSWORD

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.sign_in_rules]


def _code(secret: str, *, drift: int = 0) -> str:
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return f"{totp(key, step=30, t0=0, digits=6, drift=drift):06d}"


def _password_step(page, username: str) -> None:
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit].primary")
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize(("locale", "heading", "done"), [
    ("en-GB", "Two-factor sign-in", "Response times and backlog"),
    ("zh-CN", "双重验证登录", "响应时效与积压"),
])
def test_supervisor_enrols_then_signs_in_with_password_and_code(
        new_page, screenshot, supervisor, locale, heading, done):
    page = new_page(locale=locale)
    csp_errors = []
    page.on("console", lambda m: csp_errors.append(m.text) if "Content Security Policy" in m.text else None)

    _password_step(page, "supervisor")
    assert "/account/two-factor/?next=" in page.url
    expect(page.locator("h1")).to_have_text(heading)
    qr = page.locator(".ws-two-factor-qr svg.qr")
    expect(qr).to_be_visible()
    box = qr.bounding_box()
    assert box["width"] == 200 and box["height"] == 200
    secret = page.locator("[data-secret]").inner_text()
    screenshot(page, f"two-factor-enrol-{locale[:2]}", docs=True)

    page.fill("#id_code", "000000" if _code(secret) != "000000" else "111111")
    page.click("form button[type=submit].primary")
    expect(page.locator("#id_code_error")).to_be_visible()  # a wrong code: still enrolling
    page.wait_for_timeout(1100)  # django-otp refuses any code for 1 s after a wrong one

    page.fill("#id_code", _code(secret))
    page.click("form button[type=submit].primary")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/reports/")  # supervisors start on the dashboard
    expect(page.locator("h1").first).to_contain_text(done)

    page.click(".ws-logout button")
    page.wait_for_load_state("networkidle")
    _password_step(page, "supervisor")
    assert page.url.endswith("/login/code/")
    screenshot(page, f"two-factor-code-{locale[:2]}")
    # The code of the next 30-second step: the one just used is never accepted twice.
    page.fill("#id_code", _code(secret, drift=1))
    page.click("form button[type=submit].primary")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/reports/")  # supervisors start on the dashboard
    assert csp_errors == []
