"""Swagger UI renders in headless Chromium under the strict CSP, with every request
staying on our own server (offline: no CDN), and without a single CSP violation."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_swagger_ui_renders_under_the_csp_from_our_own_server(new_page, live_server):  # noqa: F811
    page = new_page(locale="en-GB")
    console, failed, requested = [], [], []
    page.on("console", lambda message: console.append((message.type, message.text)))
    page.on("pageerror", lambda error: console.append(("pageerror", str(error))))
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.on("request", lambda request: requested.append(request.url))
    page.goto("/api/docs/")
    page.wait_for_selector(".swagger-ui .info .title", timeout=20000)
    assert "talentdesk API" in page.inner_text(".swagger-ui .info .title")
    page.wait_for_selector("#operations-tickets-tickets_list", timeout=20000)
    violations = [text for kind, text in console if "Content Security Policy" in text
                  or kind == "pageerror"]
    assert violations == []
    assert failed == []
    outside = [url for url in requested
               if not url.startswith(live_server.url) and not url.startswith("data:")]
    assert outside == []
