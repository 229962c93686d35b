"""The service clock. Services ask ``now()``; the demo seeder and imports replay the past
with ``frozen_at`` so timestamps, due times and history dates stay consistent."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

from django.utils import timezone

_frozen: ContextVar[datetime | None] = ContextVar("talentdesk_clock", default=None)


def now() -> datetime:
    return _frozen.get() or timezone.now()


@contextmanager
def frozen_at(instant: datetime) -> Iterator[None]:
    token = _frozen.set(instant)
    try:
        yield
    finally:
        _frozen.reset(token)
