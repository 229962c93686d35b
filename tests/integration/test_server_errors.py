"""Finding 10: errors are visible. Malformed references in paths are a 404 before any
database look-up; a server error under ``/api/`` answers the API's JSON error shape; every
server error has an incident id that the reader sees and the log holds (with the
traceback), also in gunicorn's error log with the shipped gunicorn settings."""

from __future__ import annotations

import http.client
import json
import logging
import os
import secrets
import socket
import subprocess
import sys
import time

import pytest
from django.test import Client

from api import workflow_views
from tests.integration.conftest import ROOT

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", [
    "/tickets/TD%00/",
    "/tickets/TD-2026-000001%00/",
    "/tickets/TD-2026-%D9%A1%D9%A2%D9%A3%D9%A4%D9%A5%D9%A6/",  # Arabic-Indic digits
    "/tickets/" + "TD-2026-" + "1" * 5000 + "/",
    "/tickets/TD%00/receipt/",
    "/status/t/TD%00/",
])
def test_a_malformed_reference_in_a_page_path_is_a_404(client, supervisor, path):
    client.force_login(supervisor.user)
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("path", [
    "/api/v1/tickets/TD%00/",
    "/api/v1/tickets/TD-2026-000001%00/timeline/",
    "/api/v1/tickets/TD-2026-000001/materials/pass%00port/",
    "/api/v1/workflows/settle%00ment/",
])
def test_a_malformed_path_under_the_api_is_a_json_404(client, supervisor, path):
    client.force_login(supervisor.user)
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found."}


def test_a_real_reference_still_opens_its_ticket(client, supervisor, open_ticket):
    client.force_login(supervisor.user)
    response = client.get(f"/api/v1/tickets/{open_ticket.reference}/")
    assert response.status_code == 200
    assert response.json()["reference"] == open_ticket.reference


def _incident_records(caplog, incident):
    return [r for r in caplog.records
            if r.name == "talentdesk.errors" and r.getMessage().startswith(f"incident {incident}:")]


@pytest.mark.parametrize(("language", "detail"), [
    ("en", "A server error occurred."), ("zh-hans", "服务器出现了错误。"),
])
def test_a_server_error_in_an_api_view_answers_json_with_a_logged_incident_id(
        monkeypatch, caplog, supervisor, language, detail):
    def fail(self, request, key):
        raise RuntimeError("a fault on purpose")

    monkeypatch.setattr(workflow_views.WorkflowDetailView, "get", fail)
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(supervisor.user)
    with caplog.at_level(logging.ERROR, logger="talentdesk.errors"):
        response = client.get("/api/v1/workflows/settlement/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"detail", "incident"} and body["detail"] == detail
    assert len(body["incident"]) == 12 and response["X-Incident-Id"] == body["incident"]
    [record] = _incident_records(caplog, body["incident"])
    assert record.getMessage() == f"incident {body['incident']}: GET /api/v1/workflows/settlement/"
    assert record.exc_info[0] is RuntimeError


def test_the_500_page_shows_the_incident_id_that_is_logged(settings, caplog):
    settings.ROOT_URLCONF = "tests.integration.error_urls"
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.ERROR, logger="talentdesk.errors"):
        response = client.get("/boom/")
    assert response.status_code == 500
    incident = response["X-Incident-Id"]
    html = response.content.decode()
    assert f'<code id="incident">{incident}</code>' in html
    assert "服务器出错" in html and "Server error" in html
    assert "a fault on purpose" not in html  # the traceback stays in the log
    [record] = _incident_records(caplog, incident)
    assert record.exc_info[1].args == ("a fault on purpose",)
    assert response["Cache-Control"] == "no-store"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_gunicorn_with_the_shipped_settings_logs_the_incident_and_its_traceback(tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": "tests.integration.error_settings",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "backend"), str(ROOT)]),
        "DEBUG": "false", "SECRET_KEY": secrets.token_urlsafe(64), "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false", "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "PUBLIC_BASE_URL": "https://talentdesk.example.gov.cn",
        "TALENTDESK_TESTING": "false", "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "1",
    })
    for name in ("CELERY_BROKER_URL", "REDIS_URL", "CACHE_URL"):
        env.pop(name, None)
    log = tmp_path / "gunicorn.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "config/gunicorn.conf.py", "config.wsgi"],
            cwd=ROOT / "backend", env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                conn.request("GET", "/boom/")
                response = conn.getresponse()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"gunicorn did not start:\n{log.read_text()}")
                time.sleep(0.3)
        assert response.status == 500
        incident = response.getheader("X-Incident-Id")
        request_id = response.getheader("X-Request-Id")
        assert f'<code id="incident">{incident}</code>' in response.read().decode()
    finally:
        server.terminate()
        server.wait(timeout=30)
    text = log.read_text()
    assert "Booting worker" in text  # gunicorn's own error log is there too
    # The application's lines are JSON (core.logs), with the request's id.
    lines = [json.loads(line) for line in text.splitlines() if line.startswith("{")]
    error = next(line for line in lines if line["logger"] == "talentdesk.errors")
    assert (error["level"], error["message"], error["request_id"]) == (
        "ERROR", f"incident {incident}: GET /boom/", request_id)
    assert "RuntimeError: a fault on purpose" in error["exception"]
