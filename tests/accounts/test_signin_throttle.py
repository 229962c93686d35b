"""Wrong passwords lock the account and the address on every door that takes one:
/login/, /admin/login/ (which is /login/) and the API token endpoint."""

import html

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.test import Client
from rest_framework.test import APIClient

from notifications.models import Notice, NoticeKind
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOCKED_EN = ("Too many failed sign-in attempts. Try again in 15 minutes; if you are locked "
             "out of your own account, the centre's supervisors have been told.")


def _wrong(client, username="officer", n=1, **extra):
    for _ in range(n):
        response = client.post("/login/", {"username": username, "password": "wrong-password-123"}, **extra)
        assert response.status_code == 200
    return response


def test_twenty_wrong_passwords_are_not_followed_by_a_sign_in(officer):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    _wrong(client, n=10)
    response = client.post("/login/", {"username": "officer", "password": PASSWORD})
    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    assert LOCKED_EN in html.unescape(response.content.decode())
    assert SESSION_KEY not in client.session


def test_the_lock_message_is_in_chinese_on_a_chinese_page(officer):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-CN")
    _wrong(client, n=10)
    response = client.post("/login/", {"username": "officer", "password": PASSWORD})
    assert response.status_code == 429
    assert "登录失败次数过多，请 15 分钟后再试" in response.content.decode()


def test_nine_wrong_passwords_then_the_right_one_signs_in_and_clears_the_count(officer):
    client = Client()
    _wrong(client, n=9)
    assert client.post("/login/", {"username": "officer", "password": PASSWORD}).status_code == 302
    client.logout()
    _wrong(client, n=9)  # counting starts again: nine more are still not a lock
    assert client.post("/login/", {"username": "officer", "password": PASSWORD}).status_code == 302


def test_the_account_lock_holds_from_another_address(officer):
    _wrong(Client(REMOTE_ADDR="203.0.113.5"), n=10)
    response = Client(REMOTE_ADDR="198.51.100.7").post(
        "/login/", {"username": "officer", "password": PASSWORD})
    assert response.status_code == 429


def test_the_lock_ends_after_fifteen_minutes(officer):
    with time_machine.travel("2026-12-02 10:00 +0800", tick=False) as traveller:
        client = Client()
        _wrong(client, n=10)
        traveller.shift(14 * 60)
        assert client.post("/login/", {"username": "officer", "password": PASSWORD}).status_code == 429
        traveller.shift(61)
        assert client.post("/login/", {"username": "officer", "password": PASSWORD}).status_code == 302


def test_one_address_trying_many_names_is_blocked_after_thirty_failures(officer):
    client = Client(REMOTE_ADDR="203.0.113.9")
    for n in range(30):
        _wrong(client, username=f"guess{n}")
    response = client.post("/login/", {"username": "officer", "password": PASSWORD})
    assert response.status_code == 429
    assert Client(REMOTE_ADDR="203.0.113.10").post(
        "/login/", {"username": "officer", "password": PASSWORD}).status_code == 302


def test_a_lock_leaves_each_supervisor_of_the_centre_one_notice(officer, supervisor, outsider):
    client = Client(REMOTE_ADDR="203.0.113.5")
    _wrong(client, n=10)
    client.post("/login/", {"username": "officer", "password": "still-wrong-12345"})  # refused: locked
    notices = list(Notice.objects.filter(kind=NoticeKind.SIGNIN_LOCKED))
    assert [notice.recipient for notice in notices] == [supervisor]
    assert notices[0].data == {"username": "officer", "display_name": "张伟 Zhang Wei",
                               "address": "203.0.113.5", "failures": 10, "minutes": 15}


def test_the_lock_notice_reads_in_the_supervisors_language(officer, supervisor):
    _wrong(Client(REMOTE_ADDR="203.0.113.5"), n=10)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(supervisor.user)
    page = client.get("/notices/").content.decode()
    assert ("Sign-in to 张伟 Zhang Wei (officer) is locked for 15 minutes after 10 wrong "
            "passwords or codes from 203.0.113.5.") in page


def test_a_locked_supervisor_alerts_the_administrators(supervisor, admin_officer):
    _wrong(Client(), username="supervisor", n=10)
    assert list(Notice.objects.values_list("recipient__user__username", "kind")) == [
        ("admin", NoticeKind.SIGNIN_LOCKED)]


def test_an_unknown_name_alerts_nobody(supervisor):
    _wrong(Client(), username="nobody-here", n=10)
    assert Notice.objects.count() == 0


def test_the_admin_login_is_the_workspace_sign_in(admin_officer):
    response = Client().get("/admin/login/?next=/admin/talents/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/admin/talents/"
    posted = Client().post("/admin/login/", {"username": "admin", "password": PASSWORD})
    assert posted.status_code == 302 and posted["Location"] == "/login/?next=/admin/"
    assert Client().get("/admin/").status_code == 302


def test_the_admin_login_refuses_a_signed_in_user_without_admin_rights(officer):
    client = Client()
    client.force_login(officer.user)
    assert client.get("/admin/login/?next=/admin/").status_code == 403


def test_the_admin_login_does_not_follow_a_foreign_next(admin_officer):
    client = Client()
    client.force_login(admin_officer.user)
    response = client.get("/admin/login/?next=https://evil.example/")
    assert response["Location"] == "/admin/"


def test_the_token_endpoint_locks_after_ten_wrong_passwords(officer):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    for _ in range(10):
        response = client.post("/api/v1/auth/token/", {"username": "officer", "password": "nope-nope-nope"},
                               format="json")
        assert response.status_code == 400
    response = client.post("/api/v1/auth/token/", {"username": "officer", "password": PASSWORD},
                           format="json")
    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    assert response.json() == {"detail": LOCKED_EN}


def test_wrong_passwords_on_the_api_lock_the_sign_in_page_too(officer):
    client = APIClient()
    for _ in range(10):
        client.post("/api/v1/auth/token/", {"username": "officer", "password": "nope-nope-nope"},
                    format="json")
    assert Client().post("/login/", {"username": "officer", "password": PASSWORD}).status_code == 429
