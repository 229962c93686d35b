"""Snapshots of the period figures, so that big periods answer at once.

Measured (docs/benchmarks.md): computing the percentiles of a period costs about a
microsecond per ticket and breakdown on PostgreSQL, so a 365-day period over a million
tickets takes seconds. The dashboard therefore serves the period figures from a
snapshot in the shared cache (Redis in production) when one is younger than
``FRESH_SECONDS``; a Celery beat task recomputes the standard periods (last 30 and 365
days, per centre and for all centres) every few minutes, and any other period is
computed live on first view and kept for the next ones. Snapshots are derived from the
facts, which follow every ticket change, so a late change (a reopen, a rating) shows in
the next refresh. Backlog, overdue and ages are always counted live.
"""

from __future__ import annotations

from datetime import datetime

from django.core.cache import cache

from core import clock
from reports import queries
from reports.periods import Period, Scope, today

FRESH_SECONDS = 300
KEEP_SECONDS = 24 * 3600
STANDARD_DAYS = (30, 365)
VERSION = 3  # raise when PeriodFigures changes shape


def _key(scope: Scope, period: Period) -> str:
    who = "all" if scope.all_centres else "-".join(str(pk) for pk in scope.centre_ids)
    return f"reports:figures:v{VERSION}:{who}:{period.start}:{period.end}"


def period_figures(scope: Scope, period: Period, *, now: datetime | None = None,
                   refresh: bool = False) -> queries.PeriodFigures:
    """The figures of a period: from a fresh snapshot, else computed now and stored."""
    now = now or clock.now()
    key = _key(scope, period)
    if not refresh:
        snapshot = cache.get(key)
        if snapshot is not None and (now - snapshot.computed_at).total_seconds() < FRESH_SECONDS:
            return snapshot
    figures = queries.period_figures(scope, period, now)
    cache.set(key, figures, KEEP_SECONDS)
    return figures


def standard_scopes() -> list[Scope]:
    from centres.models import ServiceCentre

    centres = tuple(ServiceCentre.objects.order_by("code"))
    scopes = [Scope(centres=centres, all_centres=True, available=centres)]
    scopes += [Scope(centres=(c,), all_centres=False, available=(c,)) for c in centres]
    return scopes


def warm_standard(*, now: datetime | None = None) -> int:
    """Recompute the standard periods of every scope (the beat task calls this)."""
    now = now or clock.now()
    count = 0
    for scope in standard_scopes():
        for days in STANDARD_DAYS:
            period_figures(scope, Period.ending(today(), days), now=now, refresh=True)
            count += 1
    return count


