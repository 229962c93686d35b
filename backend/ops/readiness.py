"""Readiness: may a load balancer send this process traffic?

Liveness (``/healthz``) says the process answers; readiness (``/readyz``) says it can do
its work: the database answers, every migration on disk is applied, the broker answers
(when one is configured; asked through ``core.broker`` so a dead broker costs at most its
2 s timeouts once per ``BREAKER_SECONDS``, then nothing), and the working-day calendar
knows the current year (otherwise every new deadline is only provisional).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from core import clock
from core.broker import broker_check
from sla.clock import work_calendar


@dataclass(frozen=True)
class Check:
    ok: bool
    detail: str

    def as_json(self) -> dict:
        return {"ok": self.ok, "detail": self.detail}


# Once every migration is applied it stays so for this process's code: asked once.
_migrated = {"ok": False}


def check_database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as exc:
        return Check(False, f"unreachable ({type(exc).__name__})")
    return Check(True, connection.vendor)


def check_migrations() -> Check:
    if _migrated["ok"]:
        return Check(True, "all applied")
    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as exc:
        return Check(False, f"cannot read the applied migrations ({type(exc).__name__})")
    if plan:
        names = ", ".join(f"{m.app_label}.{m.name}" for m, _backwards in plan[:5])
        more = f" and {len(plan) - 5} more" if len(plan) > 5 else ""
        return Check(False, f"{len(plan)} not applied: {names}{more}")
    _migrated["ok"] = True
    return Check(True, "all applied")


def check_broker() -> Check:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return Check(True, "none configured: tasks run in-process")
    if broker_check() is None:
        return Check(False, "unreachable")
    return Check(True, "reachable")


def check_calendar() -> Check:
    year = timezone.localtime(clock.now()).year
    try:
        known = work_calendar().is_known_year(year)
    except ValueError as exc:  # a broken yearly file
        return Check(False, str(exc))
    if not known:
        return Check(False, f"no working-day calendar for {year}: deadlines are provisional")
    return Check(True, f"{year} loaded")


def readiness() -> dict[str, Check]:
    """Every check by name, in the order they are answered."""
    database = check_database()
    return {
        "database": database,
        "migrations": check_migrations() if database.ok else Check(False, "database unreachable"),
        "broker": check_broker(),
        "calendar": check_calendar(),
    }


def migrations_forget() -> None:
    """For tests: ask the database again on the next check."""
    _migrated["ok"] = False
