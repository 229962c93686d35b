"""Settings come from the environment; a malformed value stops start-up naming it."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run(env: dict, *args: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {
        "DATABASE_URL", "CELERY_BROKER_URL", "REDIS_URL", "CACHE_URL", "DEBUG", "SECRET_KEY",
        "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "backend/manage.py", *args], cwd=ROOT, env=clean,
        capture_output=True, text=True, timeout=120,
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [("DATABASE_URL", "mysql//nope"), ("CELERY_BROKER_URL", "carrier-pigeon"), ("DEBUG", "maybe"),
     ("TIME_ZONE", "Mars/Olympus"), ("REDIS_URL", "http://x"), ("EMAIL_PORT", "twenty-five")],
)
def test_malformed_value_stops_start_up_naming_the_variable(name, value, tmp_path):
    result = _run({name: value, "TALENTDESK_VAR_DIR": str(tmp_path)}, "check")
    assert result.returncode != 0
    assert name in result.stderr


def test_secret_key_is_required_without_debug(tmp_path):
    result = _run({"DEBUG": "false", "TALENTDESK_VAR_DIR": str(tmp_path)}, "check")
    assert result.returncode != 0
    assert "SECRET_KEY is required" in result.stderr


def test_check_deploy_passes_with_production_environment(tmp_path):
    env = {
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "talentdesk.example.gov.cn",
        "PUBLIC_BASE_URL": "https://talentdesk.example.gov.cn",
        "TALENTDESK_VAR_DIR": str(tmp_path),
    }
    result = _run(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr + result.stdout


def test_no_environment_gives_sqlite_in_var_and_eager_tasks(settings):
    from django.conf import settings as live

    if os.environ.get("DATABASE_URL"):
        pytest.skip("running against DATABASE_URL")
    assert live.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert live.CELERY_TASK_ALWAYS_EAGER is (not os.environ.get("CELERY_BROKER_URL"))
    assert live.TIME_ZONE == "Asia/Shanghai"
