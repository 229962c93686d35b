"""Pages and API answers with personal data are not stored by caches; production cookies
carry the __Host- prefix."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from rest_framework.test import APIClient

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("url", ["/work/", "/intake/", "/notices/", "/reports/", "/talents/{pk}/"])
def test_staff_pages_are_not_stored(login_client, talent, url):
    response = login_client.get(url.format(pk=talent.pk))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


@pytest.fixture
def login_client(supervisor):
    client = Client()
    client.force_login(supervisor.user)
    return client


def test_api_answers_with_personal_data_are_not_stored(supervisor, talent):
    api = APIClient()
    api.force_authenticate(supervisor.user)
    for url in ("/api/v1/talents/", f"/api/v1/talents/{talent.pk}/", "/api/v1/tickets/"):
        response = api.get(url)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]


def test_the_sign_in_page_and_redirects_are_not_stored(db):
    assert "no-store" in Client().get("/login/")["Cache-Control"]
    assert "no-store" in Client().get("/work/")["Cache-Control"]


def test_a_view_that_sets_its_own_cache_control_keeps_it(db):
    assert Client().get("/healthz")["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"


def test_production_cookies_use_the_host_prefix(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CELERY_BROKER_URL",
                                                            "REDIS_URL", "CACHE_URL"}}
    env.update({"DEBUG": "false", "SECRET_KEY": secrets.token_urlsafe(60),
                "ALLOWED_HOSTS": "talentdesk.example.gov.cn", "TALENTDESK_VAR_DIR": str(tmp_path)})
    code = ("from django.conf import settings as s; print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, "
            "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_DOMAIN, s.CSRF_COOKIE_DOMAIN, "
            "s.SESSION_COOKIE_PATH, s.CSRF_COOKIE_PATH)")
    result = subprocess.run([sys.executable, "backend/manage.py", "shell", "-c", code], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == ["__Host-sessionid", "__Host-csrftoken", "True", "True",
                                     "None", "None", "/", "/"]


def test_a_host_prefixed_session_cookie_is_secure_for_the_whole_site(officer, settings):
    settings.SESSION_COOKIE_NAME = "__Host-sessionid"
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_NAME = "__Host-csrftoken"
    settings.CSRF_COOKIE_SECURE = True
    client = Client()
    page = client.get("/login/", secure=True)
    csrf = page.cookies["__Host-csrftoken"]
    assert (csrf["secure"], csrf["path"], csrf["domain"]) == (True, "/", "")
    response = client.post("/login/", {"username": "officer", "password": PASSWORD}, secure=True)
    assert response.status_code == 302
    cookie = response.cookies["__Host-sessionid"]
    assert (cookie["secure"], cookie["path"], cookie["domain"]) == (True, "/", "")
