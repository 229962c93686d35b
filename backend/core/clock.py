"""The service clock. Services ask ``now()``; the demo seeder and imports replay the past
with ``frozen_at`` so timestamps, due times and history dates stay consistent.

``database_now()`` is the database server's clock, for decisions that processes on
different hosts must take alike (the SLA escalation scan: has this checkpoint come?)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

from django.db import connections
from django.utils import timezone

_frozen: ContextVar[datetime | None] = ContextVar("talentdesk_clock", default=None)


def now() -> datetime:
    return _frozen.get() or timezone.now()


def database_now(using: str = "default") -> datetime:
    """The current time by the database server (PostgreSQL's ``clock_timestamp()``, not
    the transaction's start), so that web and worker hosts whose clocks drift apart still
    agree on what is due. The frozen service clock wins (a replay of the past); on SQLite
    the database is a file of this host, so this host's clock is the database's."""
    frozen = _frozen.get()
    if frozen is not None:
        return frozen
    connection = connections[using]
    if connection.vendor != "postgresql":
        return timezone.now()
    with connection.cursor() as cursor:
        cursor.execute("SELECT clock_timestamp()")
        return cursor.fetchone()[0]


@contextmanager
def frozen_at(instant: datetime) -> Iterator[None]:
    token = _frozen.set(instant)
    try:
        yield
    finally:
        _frozen.reset(token)
