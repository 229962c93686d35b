"""The talent's portal session: which talent, which tickets, until when.

Proving access (code or signed link) to one ticket stores the talent's id and that
ticket's access-code fingerprint in the Django session, after rotating the session key.
The session opens the tickets it was opened for and nothing else: the talent's other
tickets are only listed by reference, and each needs its own code or link. A fingerprint
that no longer matches the ticket (``ticket_access_code_reset`` since) ends that ticket's
access, and the session with it when nothing else is left. The session is short: it
lapses after ``IDLE`` seconds without a visit and ``MAX_AGE`` seconds after verification
at the latest.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings

SESSION_KEY = "talentdesk_portal"
REFRESH_EVERY = 60  # seconds: do not write the session row on every page view


def idle_seconds() -> int:
    return settings.TALENTDESK_PORTAL_IDLE


def max_age_seconds() -> int:
    return settings.TALENTDESK_PORTAL_MAX_AGE


def access_fingerprint(ticket) -> str:
    """Changes whenever the ticket's access code is reset (the hash and the issue moment)."""
    issued = int(ticket.access_code_issued_at.timestamp() * 1000)
    return hashlib.sha256(f"{ticket.access_code_hash}:{issued}".encode()).hexdigest()[:32]


def portal_login(request, ticket, *, now: float | None = None) -> None:
    """Rotate the session key (no fixation) and open ``ticket`` until expiry; tickets of
    the same talent opened before in this live session stay open."""
    now = now or time.time()
    talent_id = portal_talent_id(request, now=now)
    tickets = dict(request.session[SESSION_KEY].get("tickets") or {}) if talent_id == ticket.talent_id else {}
    tickets[str(ticket.pk)] = access_fingerprint(ticket)
    request.session.cycle_key()
    request.session[SESSION_KEY] = {"talent": ticket.talent_id, "tickets": tickets,
                                    "since": int(now), "seen": int(now)}
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        # A talent's cookie should not outlive the portal session itself.
        request.session.set_expiry(max_age_seconds())


def portal_talent_id(request, *, now: float | None = None) -> int | None:
    """The verified talent's id, or None when there is no live portal session."""
    data = request.session.get(SESSION_KEY)
    if not isinstance(data, dict) or not isinstance(data.get("tickets"), dict) or not data["tickets"]:
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


def portal_opened_ids(request) -> set[int]:
    """The ids of the tickets this session was opened for (fingerprints not checked)."""
    data = request.session.get(SESSION_KEY)
    if not isinstance(data, dict) or not isinstance(data.get("tickets"), dict):
        return set()
    return {int(pk) for pk in data["tickets"] if str(pk).isdigit()}


def portal_may_open(request, ticket) -> bool:
    """Whether this session was opened for ``ticket`` under its current access code.

    A stale fingerprint (the code was reset) removes the ticket from the session, and
    ends the session when no ticket is left."""
    if portal_talent_id(request) != ticket.talent_id:
        return False
    data = request.session[SESSION_KEY]
    stored = data["tickets"].get(str(ticket.pk))
    if stored is None:
        return False
    if stored == access_fingerprint(ticket):
        return True
    tickets = {pk: value for pk, value in data["tickets"].items() if pk != str(ticket.pk)}
    if tickets:
        request.session[SESSION_KEY] = {**data, "tickets": tickets}
    else:
        portal_logout(request)
    return False


def portal_logout(request) -> None:
    request.session.pop(SESSION_KEY, None)
