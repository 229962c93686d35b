"""``/readyz``: 200 when the database, migrations, broker and calendar are ready; 503
naming the check that fails otherwise."""

import time

import pytest
from django.db import DatabaseError
from django.test import Client

from core import broker
from ops import readiness

# The calendar check reads today's year: every test pins a day of a year the calendar knows
# (the one about an unknown year pins its own).
pytestmark = [pytest.mark.django_db, pytest.mark.clock("2026-12-02 10:00")]


@pytest.fixture(autouse=True)
def _fresh_checks(settings):
    # No broker unless a test configures one, whatever the suite's environment says.
    settings.CELERY_TASK_ALWAYS_EAGER = True
    readiness.migrations_forget()
    broker.breaker_reset()
    yield
    readiness.migrations_forget()
    broker.breaker_reset()


def _ready():
    return Client().get("/readyz")


@pytest.mark.clock("2026-12-02 10:00")
def test_ready_when_every_check_passes():
    response = _ready()
    assert response.status_code == 200
    body = response.json()
    assert body["ready"] is True
    assert body["failing"] == []
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["migrations"] == {"ok": True, "detail": "all applied"}
    assert body["checks"]["broker"] == {"ok": True, "detail": "none configured: tasks run in-process"}
    assert body["checks"]["calendar"] == {"ok": True, "detail": "2026 loaded"}
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"


def test_database_unreachable_is_503_naming_database_and_migrations(monkeypatch):
    class DeadCursor:
        def __enter__(self):
            raise DatabaseError("connection refused")

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(readiness.connection, "cursor", lambda: DeadCursor())
    response = _ready()
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["database", "migrations"]
    assert body["checks"]["database"] == {"ok": False, "detail": "unreachable (DatabaseError)"}
    assert body["checks"]["migrations"] == {"ok": False, "detail": "database unreachable"}


def test_unapplied_migration_is_503_naming_it(monkeypatch):
    class Pending:
        app_label, name = "tickets", "0099_future"

    class Executor:
        def __init__(self, connection):
            self.loader = type("Loader", (), {"graph": type("G", (), {"leaf_nodes": lambda s: []})()})()

        def migration_plan(self, targets):
            return [(Pending, False)]

    monkeypatch.setattr(readiness, "MigrationExecutor", Executor)
    response = _ready()
    assert response.status_code == 503
    assert response.json()["failing"] == ["migrations"]
    assert response.json()["checks"]["migrations"] == {
        "ok": False, "detail": "1 not applied: tickets.0099_future"}


def test_unreachable_broker_is_503_and_asked_once_while_the_breaker_is_open(settings, monkeypatch):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    from celery import current_app

    # A closed port: refused at once; the breaker then keeps later checks from connecting.
    # Celery reads CELERY_BROKER_URL from the environment before its own setting.
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    monkeypatch.setattr(current_app.conf, "broker_url", "redis://127.0.0.1:9/0")
    attempts = []
    real = current_app.connection_for_read

    def counting(*args, **kwargs):
        attempts.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(current_app, "connection_for_read", counting)
    first = _ready()
    assert first.status_code == 503
    assert first.json()["failing"] == ["broker"]
    assert first.json()["checks"]["broker"] == {"ok": False, "detail": "unreachable"}
    started = time.monotonic()
    second = _ready()
    assert second.json()["failing"] == ["broker"]
    assert len(attempts) == 1
    assert time.monotonic() - started < 1.0


@pytest.mark.clock("2027-03-01 10:00")
def test_year_without_a_calendar_is_503_naming_the_calendar():
    response = _ready()
    assert response.status_code == 503
    assert response.json()["failing"] == ["calendar"]
    assert response.json()["checks"]["calendar"] == {
        "ok": False, "detail": "no working-day calendar for 2027: deadlines are provisional"}
