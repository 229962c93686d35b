"""Staff sessions end after 30 minutes idle and 12 hours in all (pinned clock)."""

import html

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.test import Client
from rest_framework.test import APIClient

from tests.factories import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.sign_in_rules]

START = "2026-12-02 09:00 +0800"


def _signed_in(persona, **headers):
    client = Client(**headers)
    assert client.post("/login/", {"username": persona.user.username, "password": PASSWORD}).status_code == 302
    return client


def test_a_session_survives_29_minutes_idle(officer):
    with time_machine.travel(START, tick=False) as traveller:
        client = _signed_in(officer)
        traveller.shift(29 * 60)
        assert client.get("/work/").status_code == 200


def test_a_session_ends_after_30_minutes_idle(officer):
    with time_machine.travel(START, tick=False) as traveller:
        client = _signed_in(officer, HTTP_ACCEPT_LANGUAGE="en")
        traveller.shift(30 * 60 + 1)
        response = client.get("/work/")
        assert response.status_code == 302
        assert response["Location"] == "/login/?next=/work/"
        assert SESSION_KEY not in client.session
        page = html.unescape(client.get(response["Location"]).content.decode())
    assert "You were signed out after 30 minutes without activity. Please sign in again." in page


def test_activity_keeps_a_session_going_past_30_minutes(officer):
    with time_machine.travel(START, tick=False) as traveller:
        client = _signed_in(officer)
        for _ in range(4):  # one request every 20 minutes: 80 minutes in all
            traveller.shift(20 * 60)
            assert client.get("/work/").status_code == 200


def test_a_busy_session_still_ends_after_12_hours(officer):
    with time_machine.travel(START, tick=False) as traveller:
        client = _signed_in(officer, HTTP_ACCEPT_LANGUAGE="zh-CN")
        for _ in range(36):  # every 20 minutes for 12 hours
            traveller.shift(20 * 60)
            assert client.get("/work/").status_code == 200
        traveller.shift(1)
        response = client.get("/work/")
        assert response.status_code == 302
        page = client.get(response["Location"]).content.decode()
    assert "会话最长 12 小时" in page


def test_the_limits_are_settings(officer, settings):
    settings.TALENTDESK_STAFF_SESSION_IDLE = 5 * 60
    with time_machine.travel(START, tick=False) as traveller:
        client = _signed_in(officer)
        traveller.shift(5 * 60 + 1)
        assert client.get("/work/").status_code == 302


def test_an_idle_browser_session_on_the_api_answers_401(officer):
    with time_machine.travel(START, tick=False) as traveller:
        client = APIClient()
        client.force_login(officer.user)
        assert client.get("/api/v1/workflows/").status_code == 200
        traveller.shift(31 * 60)
        assert client.get("/api/v1/workflows/").status_code == 401


def test_the_session_cookie_lasts_no_longer_than_12_hours(officer):
    client = _signed_in(officer)
    assert client.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 12 * 3600
