""""The hall changed": a per-centre version in the shared cache, bumped after commit.

The board's and the phone page's event streams look at this key a few times a second
(one cache read, no SQL) and read the database only when it moved. With Redis as the
cache (production) every gunicorn worker on every host sees a change made by any other;
with the local-memory cache of the embedded setup the streams also re-read the database
every ``FALLBACK_SECONDS``, so a change made in another process still shows, only later.
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.db import transaction

FALLBACK_SECONDS = 5.0


def _key(centre_id: int) -> str:
    return f"hall:version:{centre_id}"


def version(centre_id: int) -> int:
    return cache.get(_key(centre_id)) or 0


def _bump(centre_id: int) -> None:
    # Nanoseconds of the wall clock: monotonic enough across workers for "did it move".
    cache.set(_key(centre_id), time.time_ns(), timeout=None)


def changed_after_commit(centre_id: int) -> None:
    # robust: a cache outage must not turn a saved call into an error.
    transaction.on_commit(lambda: _bump(centre_id), robust=True)
