"""Signing in and out, the start page by role, and the remembered language."""

import pytest
from django.conf import settings
from django.test import Client

from tests.factories import PASSWORD, UserFactory
from workspace.models import StaffPreference

pytestmark = pytest.mark.django_db


def test_the_sign_in_page_is_public_and_bilingual(client):
    response = client.get("/login/", HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert response.status_code == 200
    assert "登录" in response.content.decode()
    assert "Sign in" in client.get("/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_staff_pages_send_anonymous_visitors_to_sign_in(client):
    for url in ("/", "/intake/", "/work/", "/tickets/TD-2026-000001/", "/talents/1/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/?next=")


def test_an_htmx_request_without_a_session_reloads_the_sign_in_page(client):
    response = client.get("/work/", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="work-counts")
    assert response.status_code == 200
    assert response["HX-Redirect"] == "/login/"


@pytest.mark.parametrize(
    ("persona", "start"),
    [("clerk", "/intake/"), ("officer", "/work/"), ("supervisor", "/reports/"),
     ("admin_officer", "/reports/")],
)
def test_home_sends_each_role_to_its_start_page(request, login, persona, start):
    response = login(request.getfixturevalue(persona)).get("/")
    assert response.status_code == 302 and response["Location"] == start


def test_a_user_without_a_staff_profile_is_refused_politely(db):
    client = Client()
    client.force_login(UserFactory(username="visitor"))
    response = client.get("/intake/")
    assert response.status_code == 403
    assert "工作人员档案" in response.content.decode()  # no language chosen: Chinese


def test_first_sign_in_stores_the_language_the_page_was_shown_in(clerk):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = client.post("/login/", {"username": "clerk", "password": PASSWORD})
    assert response.status_code == 302
    assert StaffPreference.objects.get(user=clerk.user).language == "en"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_a_stored_language_wins_at_sign_in_on_another_device(clerk):
    StaffPreference.objects.create(user=clerk.user, language="en")
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-CN")
    response = client.post("/login/", {"username": "clerk", "password": PASSWORD}, follow=True)
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "Intake" in response.content.decode()


def test_switching_language_is_remembered_for_the_user(login, officer):
    client = login(officer)
    response = client.post("/language/", {"language": "en", "next": "/work/"})
    assert response.status_code == 302 and response["Location"] == "/work/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert StaffPreference.objects.get(user=officer.user).language == "en"
    assert "My work" in client.get("/work/").content.decode()


def test_switching_to_an_unknown_language_changes_nothing(login, officer):
    client = login(officer)
    client.post("/language/", {"language": "xx", "next": "/work/"})
    assert not StaffPreference.objects.filter(user=officer.user).exists()


def test_wrong_password_shows_a_message_and_keeps_the_username(client, clerk):
    response = client.post("/login/", {"username": "clerk", "password": "nope"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="clerk"' in body and "form-errors" in body


def test_sign_out_needs_a_post_and_ends_the_session(login, clerk):
    client = login(clerk)
    assert client.get("/logout/").status_code == 405
    response = client.post("/logout/")
    assert response.status_code == 302 and response["Location"] == "/login/"
    assert client.get("/intake/").status_code == 302


def test_supervisors_see_the_reports_link(login, supervisor, officer):
    body = login(supervisor).get("/work/").content.decode()
    officer_body = login(officer).get("/work/").content.decode()
    assert 'href="/reports/"' in body
    assert 'href="/reports/"' not in officer_body
