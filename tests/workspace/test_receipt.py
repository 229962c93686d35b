"""The receipt: bilingual, printable, the access code once, a QR code of the status link."""

import re
from datetime import UTC, datetime

import pytest

from tickets import access
from tickets.links import ticket_from_token
from tickets.models import Ticket
from tickets.services import ticket_open
from workspace.receipts import SESSION_KEY

pytestmark = pytest.mark.django_db


@pytest.fixture
def opened(clerk, talent, window):
    return ticket_open(actor=clerk.user, talent=talent, category="settlement", channel="window",
                       subject="Household registration", window=window, materials_received=["passport"])


def _receipt(client, ticket):
    return client.get(f"/tickets/{ticket.reference}/receipt/")


def _code_in(body):
    match = re.search(r'data-access-code>([0-9A-Z-]+)<', body)
    return match.group(1) if match else None


def test_the_access_code_is_shown_once_then_only_a_new_one_can_be(login, clerk, opened):
    client = login(clerk)
    session = client.session
    session[SESSION_KEY] = {str(opened.ticket.pk): opened.access_code}  # as intake leaves it
    session.save()
    first = _receipt(client, opened.ticket).content.decode()
    assert _code_in(first) == access.access_code_display(opened.access_code)
    again = _receipt(client, opened.ticket).content.decode()
    assert _code_in(again) is None
    assert "ask for a new code" in again and "申请新的查询码" in again


def test_the_receipt_shows_what_the_talent_needs_in_both_languages(login, clerk, opened, officer):
    body = _receipt(login(clerk), opened.ticket).content.decode()
    ticket = opened.ticket
    assert ticket.reference in body
    assert "受理回执" in body and "Receipt" in body
    assert "落户" in body and "Household registration" in body
    assert "护照或有效身份证件" in body and "Passport or valid identity document" in body  # received
    assert "人才认定证明" in body and "Talent recognition certificate" in body  # still missing
    assert officer.display_name in body
    assert "E12345678" not in body


def test_the_first_response_time_is_in_the_centres_time_zone(login, clerk, opened):
    ticket = opened.ticket
    Ticket.objects.filter(pk=ticket.pk).update(first_response_due=datetime(2026, 12, 1, 2, 30, tzinfo=UTC))
    body = _receipt(login(clerk), ticket).content.decode()
    assert "2026-12-01 10:30" in body  # Asia/Shanghai


@pytest.mark.clock("2026-12-30 10:00")
def test_only_the_provisional_deadline_is_marked(login, clerk, talent, window):
    # Opened on 30 December: the first response falls in 2026 (calendar known), the
    # promised completion 15 working days later in 2027, which no calendar knows yet.
    opened = ticket_open(actor=clerk.user, talent=talent, category="settlement", channel="window",
                         subject="Household registration", window=window)
    assert opened.ticket.sla_provisional
    body = _receipt(login(clerk), opened.ticket).content.decode()
    assert body.count("badge provisional") == 1
    first = body[body.index('data-receipt="first-response"'):body.index('data-receipt="completion"')]
    completion = body[body.index('data-receipt="completion"'):body.index("</dl>")]
    assert "badge provisional" not in first and "2026-12-3" in first
    assert "badge provisional" in completion and "暂定" in completion and "2027-01-" in completion


def test_the_qr_code_is_inline_svg_of_a_working_status_link_and_needs_no_inline_style(login, clerk, opened):
    response = _receipt(login(clerk), opened.ticket)
    body = response.content.decode()
    svg = body[body.index("<svg"):body.index("</svg>")]
    assert "<path" in svg and "style=" not in svg and "<script" not in svg
    token = re.search(r"/status/l/([^/\s<]+)/", body).group(1)
    assert ticket_from_token(token) == opened.ticket
    assert "style-src 'self'" in response["Content-Security-Policy"]
    assert " style=" not in body


def test_the_receipt_has_a_print_button_and_print_css(login, clerk, opened):
    body = _receipt(login(clerk), opened.ticket).content.decode()
    assert "data-print" in body and "css/workspace.css" in body


def test_a_receipt_outside_my_scope_is_not_found(login, outsider, opened):
    assert _receipt(login(outsider), opened.ticket).status_code == 404


def test_asking_for_a_new_code_revokes_the_old_one_and_prints_it(login, clerk, opened):
    client = login(clerk)
    response = client.post(f"/tickets/{opened.ticket.reference}/receipt/new-code/")
    assert response.status_code == 302
    body = _receipt(client, opened.ticket).content.decode()
    code = _code_in(body)
    ticket = Ticket.objects.get(pk=opened.ticket.pk)
    assert code and access.access_code_matches(code, ticket.access_code_hash)
    assert not access.access_code_matches(opened.access_code, ticket.access_code_hash)


def test_replaying_the_intake_shows_the_receipt_without_the_code(login, clerk, talent, window):
    client = login(clerk)
    data = {"client_token": "t-1", "talent": talent.pk, "channel": "window", "window": window.pk,
            "category": "settlement", "priority": "normal", "subject": "Household registration"}
    first = client.post("/intake/", data, follow=True).content.decode()
    replay = client.post("/intake/", data, follow=True).content.decode()
    assert _code_in(first) is not None
    assert _code_in(replay) is None and "ask for a new code" in replay
