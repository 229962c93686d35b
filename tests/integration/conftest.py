"""Real parts: PostgreSQL for concurrency, and a real Celery worker on the broker."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def on_postgres() -> bool:
    return connection.vendor == "postgresql"


requires_postgres = pytest.mark.skipif(
    "not config.getoption('--no-migrations', default=False) and "
    "os.environ.get('DATABASE_URL', '').split(':')[0] not in ('postgres', 'postgresql')",
    reason="needs PostgreSQL (set DATABASE_URL)",
)
requires_broker = pytest.mark.skipif(
    not os.environ.get("CELERY_BROKER_URL"), reason="needs a broker (set CELERY_BROKER_URL)"
)


def _worker_env() -> dict:
    """The worker must talk to the test database that pytest-django created."""
    env = dict(os.environ)
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("postgresql"):
        env["DATABASE_URL"] = (
            f"postgresql://{db['USER']}:{db.get('PASSWORD') or ''}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        )
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "backend"), str(ROOT)])
    return env


@pytest.fixture
def celery_worker_process(transactional_db, tmp_path):
    """Start ``celery worker`` as a separate process on the configured broker."""
    log = tmp_path / "worker.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo",
             "--concurrency=1", "--without-mingle", "--without-gossip", "-l", "info",
             "-n", f"test-{os.getpid()}@%h"],
            cwd=ROOT / "backend", env=_worker_env(), stdout=out, stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 60
    while "ready." not in log.read_text():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"worker did not start:\n{log.read_text()}")
        time.sleep(0.2)
    yield process
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
