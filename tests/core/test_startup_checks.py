"""Issue #12, point 1: with DEBUG off, start-up stops on a public address that points
nowhere (loopback, plain http) and on a mail or SMS backend without its settings — in
``check``, in ``check --deploy`` and in every web worker as it loads."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.checks import run_checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError

ROOT = Path(__file__).resolve().parents[2]


def _startup(settings, **values):
    settings.DEBUG = False
    for name, value in values.items():
        setattr(settings, name, value)
    return [(message.id, message.msg) for message in run_checks(tags=["startup"])]


@pytest.mark.parametrize(("url", "problem"), [
    ("http://127.0.0.1:8000", ("core.E010", "PUBLIC_BASE_URL is 'http://127.0.0.1:8000': with DEBUG "
                               "off it must be an https:// address (status links in receipts, SMS "
                               "and e-mail go out with it).")),
    ("http://talent.example.gov.cn", ("core.E010", "PUBLIC_BASE_URL is 'http://talent.example.gov.cn':"
                                      " with DEBUG off it must be an https:// address (status links "
                                      "in receipts, SMS and e-mail go out with it).")),
    ("https://localhost:8443", ("core.E011", "PUBLIC_BASE_URL is 'https://localhost:8443': a "
                                "loopback address reaches nobody's phone.")),
    ("https://[::1]/", ("core.E011", "PUBLIC_BASE_URL is 'https://[::1]/': a loopback address "
                        "reaches nobody's phone.")),
    ("https://127.0.0.2", ("core.E011", "PUBLIC_BASE_URL is 'https://127.0.0.2': a loopback "
                           "address reaches nobody's phone.")),
])
def test_a_public_address_that_reaches_nobody_stops_start_up(settings, url, problem):
    assert _startup(settings, TALENTDESK_PUBLIC_BASE_URL=url) == [problem]


def test_a_public_https_address_passes(settings):
    assert _startup(settings, TALENTDESK_PUBLIC_BASE_URL="https://talent.example.gov.cn") == []


def test_with_debug_on_the_development_defaults_pass(settings):
    settings.TALENTDESK_PUBLIC_BASE_URL = "http://127.0.0.1:8000"
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = ""
    settings.DEBUG = True
    assert run_checks(tags=["startup"]) == []


def test_file_based_mail_without_its_path_stops_start_up(settings, tmp_path):
    filebased = "django.core.mail.backends.filebased.EmailBackend"
    assert _startup(settings, EMAIL_BACKEND=filebased, EMAIL_FILE_PATH="") == [(
        "notifications.E001", f"EMAIL_BACKEND '{filebased}' needs EMAIL_FILE_PATH, which is not set.")]
    assert _startup(settings, EMAIL_FILE_PATH=str(tmp_path)) == []


def test_smtp_needs_a_host_and_both_credentials(settings):
    smtp = "django.core.mail.backends.smtp.EmailBackend"
    assert _startup(settings, EMAIL_BACKEND=smtp, EMAIL_HOST="", EMAIL_HOST_USER="mailer",
                    EMAIL_HOST_PASSWORD="") == [
        ("notifications.E001", f"EMAIL_BACKEND '{smtp}' needs EMAIL_HOST, which is not set."),
        ("notifications.E001", "EMAIL_HOST_USER and EMAIL_HOST_PASSWORD are set together or not at all."),
    ]


def test_an_sms_backend_without_its_settings_or_that_does_not_exist_stops_start_up(settings):
    assert _startup(settings, SMS_BACKEND="notifications.sms.FileSmsBackend", SMS_FILE_PATH="") == [(
        "notifications.E002",
        "SMS_BACKEND 'notifications.sms.FileSmsBackend' needs SMS_FILE_PATH, which is not set.")]
    problems = _startup(settings, SMS_BACKEND="notifications.sms.NoSuchBackend")
    assert [code for code, _ in problems] == ["notifications.E002"]
    assert problems[0][1].startswith("SMS_BACKEND 'notifications.sms.NoSuchBackend' cannot be imported (")


def test_the_test_settings_pass_the_start_up_checks():
    from django.conf import settings

    assert settings.DEBUG is False  # pytest-django's default: the checks are live here
    assert run_checks(tags=["startup"]) == []


@pytest.mark.django_db
@pytest.mark.parametrize("deploy", [[], ["--deploy"]])
def test_check_and_check_deploy_fail_on_them(settings, deploy):
    settings.DEBUG = False
    settings.TALENTDESK_PUBLIC_BASE_URL = "http://127.0.0.1:8000"
    with pytest.raises(SystemCheckError) as caught:
        call_command("check", *deploy)
    assert "(core.E010) PUBLIC_BASE_URL is 'http://127.0.0.1:8000'" in str(caught.value)


def test_a_web_worker_refuses_to_load_with_the_development_address(tmp_path):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DJANGO_", "PYTEST", "FAKETIME")) and k != "LD_PRELOAD"}
    env.update({"DEBUG": "false", "SECRET_KEY": secrets.token_urlsafe(64),
                "ALLOWED_HOSTS": "talent.example.gov.cn", "TALENTDESK_VAR_DIR": str(tmp_path),
                "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "TALENTDESK_TESTING": "false"})
    for name in ("PUBLIC_BASE_URL", "CELERY_BROKER_URL", "REDIS_URL", "CACHE_URL"):
        env.pop(name, None)
    result = subprocess.run([sys.executable, "-c", "import config.wsgi"], cwd=ROOT / "backend",
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert ("django.core.exceptions.ImproperlyConfigured: talentdesk refuses to start:\n"
            "  core.E010: PUBLIC_BASE_URL is 'http://127.0.0.1:8000'") in result.stderr
