"""``manage.py check --deploy --fail-level WARNING`` passes in a production-like setting,
also in a year the working-day calendar does not know yet (that is information for the
administrator, not a security warning that should stop a deployment)."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]


def _production_env(tmp_path) -> dict:
    # Without pytest's and libfaketime's variables (CI runs this suite under faketime).
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DJANGO_", "PYTEST", "FAKETIME")) and k != "LD_PRELOAD"}
    env.update({
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "talentdesk.example.gov.cn",
        "PUBLIC_BASE_URL": "https://talentdesk.example.gov.cn",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        "TALENTDESK_TESTING": "false",
    })
    env.pop("CELERY_BROKER_URL", None)
    env.pop("REDIS_URL", None)
    return env


def _check_deploy(tmp_path, *, faketime=None) -> subprocess.CompletedProcess:
    command = [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"]
    if faketime:
        command = ["faketime", faketime, *command]
    return subprocess.run(command, cwd=ROOT / "backend", env=_production_env(tmp_path),
                          capture_output=True, text=True, timeout=120)


def test_check_deploy_passes_at_warning_level_in_a_production_like_environment(tmp_path):
    result = _check_deploy(tmp_path, faketime="2026-12-02 10:00:00 +0800")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (1 silenced)." in result.stdout


def test_an_unknown_calendar_year_is_information_and_does_not_fail_the_deploy_check(tmp_path):
    # The whole of 2027 is unknown to chinesecalendar 1.11 and has no yearly file here.
    result = _check_deploy(tmp_path, faketime="2027-03-15 10:00:00 +0800")
    assert result.returncode == 0, result.stdout + result.stderr
    output = result.stdout + result.stderr
    assert "?: (sla.I001) No working-day calendar is known for 2027" in output
    assert "WARNINGS" not in output


@pytest.mark.django_db
@pytest.mark.clock("2027-03-15 10:00")
def test_in_process_the_deploy_check_lists_the_unknown_year_as_info(settings, capsys):
    settings.DEBUG = False
    settings.SECRET_KEY = secrets.token_urlsafe(64)
    settings.ALLOWED_HOSTS = ["talentdesk.example.gov.cn"]
    settings.TALENTDESK_PUBLIC_BASE_URL = "https://talentdesk.example.gov.cn"
    settings.SECURE_SSL_REDIRECT = settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_SECONDS = 31536000
    # async.E001: the browser tests' plugin allows async-unsafe ORM calls in this process.
    settings.SILENCED_SYSTEM_CHECKS = ["security.W021", "async.E001"]
    call_command("check", "--deploy", "--fail-level", "WARNING")  # raises on a warning
    output = capsys.readouterr()
    assert "(sla.I001) No working-day calendar is known for 2027" in output.out + output.err
