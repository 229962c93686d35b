"""The talent's portal session: which talent, until when.

Proving access (code or signed link) stores the talent's id and an expiry in the Django
session, after rotating the session key. The session is short: it lapses after
``IDLE`` seconds without a visit and ``MAX_AGE`` seconds after verification at the latest.
It opens every ticket of that talent and nothing else.
"""

from __future__ import annotations

import time

from django.conf import settings

SESSION_KEY = "talentdesk_portal"
REFRESH_EVERY = 60  # seconds: do not write the session row on every page view


def idle_seconds() -> int:
    return getattr(settings, "TALENTDESK_PORTAL_IDLE", 30 * 60)


def max_age_seconds() -> int:
    return getattr(settings, "TALENTDESK_PORTAL_MAX_AGE", 8 * 3600)


def portal_login(request, talent, *, now: float | None = None) -> None:
    """Rotate the session key (no fixation) and remember the talent until expiry."""
    now = now or time.time()
    request.session.cycle_key()
    request.session[SESSION_KEY] = {"talent": talent.pk, "since": int(now), "seen": int(now)}
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        # A talent's cookie should not outlive the portal session itself.
        request.session.set_expiry(max_age_seconds())


def portal_talent_id(request, *, now: float | None = None) -> int | None:
    """The verified talent's id, or None when there is no live portal session."""
    data = request.session.get(SESSION_KEY)
    if not isinstance(data, dict):
        return None
    now = now or time.time()
    try:
        talent_id, since, seen = int(data["talent"]), int(data["since"]), int(data["seen"])
    except (KeyError, TypeError, ValueError):
        return None
    if now - seen > idle_seconds() or now - since > max_age_seconds():
        portal_logout(request)
        return None
    if now - seen > REFRESH_EVERY:
        request.session[SESSION_KEY] = {**data, "seen": int(now)}
    return talent_id


def portal_logout(request) -> None:
    request.session.pop(SESSION_KEY, None)
