"""The portal and the talent's messages in 繁體 (zh-Hant) as well as 简体 and English:
every portal page switches between the three; a talent who reads traditional Chinese gets
the messages, the names of services and states, and the one-time code in it."""

import re

import pytest
from django.urls import reverse

from notifications.models import OutboxMessage
from tickets.models import Ticket

pytestmark = [pytest.mark.django_db, pytest.mark.clock]


@pytest.fixture(autouse=True)
def _traditional(client, centre, officer):
    client.cookies["talentdesk_language"] = "zh-hant"


@pytest.mark.parametrize("name", ["portal:check", "portal:apply", "portal:knowledge"])
def test_every_portal_page_offers_the_two_other_languages(client, name):
    body = client.get(reverse(name)).content.decode()
    assert '<html lang="zh-hant">' in body
    assert 'value="zh-hans" lang="zh-Hans">简体</button>' in body
    assert 'value="en" lang="en">English</button>' in body
    assert 'value="zh-hant"' not in body


def test_the_pages_read_in_traditional_characters(client):
    body = client.get(reverse("portal:apply")).content.decode()
    assert "網上申請" in body and "獲取驗證碼" in body
    assert "网上申请" not in body


def test_choosing_traditional_keeps_it_in_the_cookie(client):
    client.cookies["talentdesk_language"] = "en"
    response = client.post(reverse("portal:language"), {"language": "zh-hant", "next": "/status/"})
    assert response.status_code == 302
    assert response.cookies["talentdesk_language"].value == "zh-hant"


def test_a_hong_kong_applicant_gets_the_receipt_in_traditional(client):
    client.post(reverse("portal:apply"), {"phone": "+85291234567"})
    code = re.search(r"\b(\d{6})\b", OutboxMessage.objects.get(event="phone_code").body).group(1)
    assert OutboxMessage.objects.get(event="phone_code").body.startswith("【人才服務中心】您的驗證碼是")
    client.post(reverse("portal:apply_verify"), {"phone": "+85291234567", "code": code})
    page = client.get(reverse("portal:apply_register")).content.decode()
    assert 'value="zh-hant" selected' in page  # the page's language is the default
    assert "中國香港" in page or "中国香港" in page
    client.post(reverse("portal:apply_register"), {
        "native_name": "陳大文", "latin_name": "CHAN Tai Man", "nationality": "HK",
        "document_type": "hk_macau_permit", "document_number": "H1234567", "email": "",
        "preferred_language": "zh-hant"})
    token = client.session["talentdesk_apply"]["token"]
    suggested = client.post(reverse("portal:apply_request"), {
        "description": "想把香港駕照換成內地的，要帶什麼？", "token": token, "action": "suggest"}).content.decode()
    assert 'value="transport" checked' in suggested
    assert "駕" in suggested or "車" in suggested  # the service's name in traditional characters
    client.post(reverse("portal:apply_request"), {
        "description": "想把香港駕照換成內地的，要帶什麼？", "token": token, "action": "submit",
        "category": "transport"})
    ticket = Ticket.objects.get(channel="online")
    assert ticket.talent.preferred_language == "zh-hant"
    sms = OutboxMessage.objects.get(event="ticket_opened", channel="sms")
    assert sms.language == "zh-hant"
    assert "您的申請" in sms.body and "已受理" in sms.body and "查詢碼" in sms.body
    assert "申请" not in sms.body
    done = client.get(reverse("portal:apply_done")).content.decode()
    assert "申請已受理" in done and ticket.reference in done
    page = client.get(reverse("portal:ticket", args=[ticket.reference])).content.decode()
    assert "申请" not in page
