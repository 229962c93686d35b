"""API tokens end with the password, the account, their age, or a rotation."""

import pytest
import time_machine
from django.contrib.auth.forms import AdminPasswordChangeForm
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.sign_in_rules]

ME = "/api/v1/workflows/"
START = "2026-12-02 09:00 +0800"


def _token(username="officer", password=PASSWORD):
    response = APIClient().post("/api/v1/auth/token/", {"username": username, "password": password},
                                format="json")
    assert response.status_code == 200
    return response.json()


def _get(key, url=ME):
    return APIClient(HTTP_ACCEPT_LANGUAGE="en").get(url, HTTP_AUTHORIZATION=f"Token {key}")


def test_a_token_stops_working_when_the_password_is_changed(officer):
    key = _token()["token"]
    assert _get(key).status_code == 200
    officer.user.set_password("a-brand-new-passphrase")
    officer.user.save()
    assert _get(key).status_code == 401
    assert not Token.objects.filter(user=officer.user).exists()


def test_a_password_changed_in_the_admin_form_revokes_the_token(officer):
    key = _token()["token"]
    form = AdminPasswordChangeForm(officer.user, {"password1": "another-long-passphrase",
                                                  "password2": "another-long-passphrase"})
    assert form.is_valid(), form.errors
    form.save()
    assert _get(key).status_code == 401


def test_a_token_stops_working_when_the_account_is_deactivated(officer):
    key = _token()["token"]
    officer.user.is_active = False
    officer.user.save()
    assert not Token.objects.filter(user=officer.user).exists()
    assert _get(key).status_code == 401


def test_saving_the_user_for_other_reasons_keeps_the_token(officer):
    key = _token()["token"]
    officer.user.first_name = "Wei"
    officer.user.save()
    assert _get(key).status_code == 200


def test_a_token_expires_after_seven_days_by_default(officer):
    with time_machine.travel(START, tick=False) as traveller:
        answer = _token()
        assert answer["expires"] == "2026-12-09T09:00:00+08:00"
        traveller.shift(7 * 86400 - 1)
        assert _get(answer["token"]).status_code == 200
        traveller.shift(1)
        response = _get(answer["token"])
    assert response.status_code == 401
    assert response.json() == {
        "detail": "The token has expired. Ask for a new one with your user name and password."}


def test_the_expiry_is_a_setting(officer, settings):
    settings.TALENTDESK_API_TOKEN_MAX_AGE = 3600
    with time_machine.travel(START, tick=False) as traveller:
        key = _token()["token"]
        traveller.shift(3600)
        assert _get(key).status_code == 401


def test_signing_in_again_after_expiry_gives_a_new_token(officer):
    with time_machine.travel(START, tick=False) as traveller:
        old = _token()["token"]
        assert _token()["token"] == old  # the same token while it is valid
        traveller.shift(8 * 86400)
        new = _token()["token"]
        assert new != old
        assert _get(new).status_code == 200


def test_rotating_gives_a_new_token_and_ends_the_old_one(officer):
    with time_machine.travel(START, tick=False) as traveller:
        old = _token()["token"]
        traveller.shift(6 * 86400)
        response = APIClient().post("/api/v1/auth/token/rotate/", HTTP_AUTHORIZATION=f"Token {old}")
        assert response.status_code == 200
        new = response.json()
        assert new["token"] != old
        assert new["expires"] == "2026-12-15T09:00:00+08:00"
        assert _get(old).status_code == 401
        assert _get(new["token"]).status_code == 200


def test_rotating_needs_a_valid_token(officer):
    assert APIClient().post("/api/v1/auth/token/rotate/").status_code == 401
    response = APIClient().post("/api/v1/auth/token/rotate/", HTTP_AUTHORIZATION="Token nope")
    assert response.status_code == 401


def test_an_expired_token_cannot_be_rotated(officer):
    with time_machine.travel(START, tick=False) as traveller:
        key = _token()["token"]
        traveller.shift(7 * 86400)
        response = APIClient().post("/api/v1/auth/token/rotate/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 401
