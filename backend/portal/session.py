"""The talent's portal session: which talent, which tickets, until when.

Proving access (code or signed link) to one ticket gives the browser a **signed,
short-lived cookie** (``COOKIE``: ``django.core.signing.dumps`` with the secret key and a
salt of its own — readable, not forgeable; HttpOnly, SameSite=Lax, path ``/status/``) carrying the talent's id and that ticket's access-code
fingerprint — no session row is written, and reading it costs no query. The cookie opens
the tickets it was opened for and nothing else: the talent's other tickets are only listed
by reference, and each needs its own code or link. A fingerprint that no longer matches
the ticket (``ticket_access_code_reset`` since) ends that ticket's access, and the session
with it when nothing else is left. The session is short: it lapses after ``IDLE`` seconds
without a visit and ``MAX_AGE`` seconds after verification at the latest (the signature's
own age is checked against ``MAX_AGE`` too, so an old copy of the cookie cannot be
replayed past it).

Views change the state through the functions below; ``portal_save(request, response)``
(called by every portal view, see ``portal.views.portal_page``) writes the cookie when it
changed, or deletes it when the session ended.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core import signing

SESSION_KEY = "talentdesk_portal"  # the state's name (the cookie's, and the old session key)
COOKIE = "talentdesk_portal"
SALT = "talentdesk.portal.session"
COOKIE_PATH = "/status/"
REFRESH_EVERY = 60  # seconds: do not re-sign the cookie on every page view

_UNREAD = object()


def idle_seconds() -> int:
    return settings.TALENTDESK_PORTAL_IDLE


def max_age_seconds() -> int:
    return settings.TALENTDESK_PORTAL_MAX_AGE


def access_fingerprint(ticket) -> str:
    """Changes whenever the ticket's access code is reset (the hash and the issue moment)."""
    issued = int(ticket.access_code_issued_at.timestamp() * 1000)
    return hashlib.sha256(f"{ticket.access_code_hash}:{issued}".encode()).hexdigest()[:32]


# --- the cookie --------------------------------------------------------------------------------


def _state(request) -> dict | None:
    """The verified state from the request's cookie (read once per request), or None."""
    state = getattr(request, "_portal_state", _UNREAD)
    if state is _UNREAD:
        state = None
        raw = request.COOKIES.get(COOKIE)
        if raw:
            try:
                state = signing.loads(raw, salt=SALT, max_age=max_age_seconds())
            except (signing.BadSignature, ValueError):
                state = None
                request._portal_dirty = True  # tampered or too old: delete it
        request._portal_state = state if isinstance(state, dict) else None
    return request._portal_state


def _set_state(request, state: dict | None) -> None:
    request._portal_state = state
    request._portal_dirty = True


def portal_save(request, response) -> None:
    """Write the cookie when this request changed the state; delete it when it ended."""
    if not getattr(request, "_portal_dirty", False):
        return
    state = getattr(request, "_portal_state", None)
    if not state:
        if COOKIE in request.COOKIES:
            response.delete_cookie(COOKIE, path=COOKIE_PATH, samesite="Lax")
        return
    left = max(1, max_age_seconds() - int(time.time() - state["since"]))
    value = signing.dumps(state, salt=SALT)
    response.set_cookie(COOKIE, value, max_age=left, path=COOKIE_PATH, httponly=True,
                        secure=settings.SESSION_COOKIE_SECURE, samesite="Lax")


# --- the state ---------------------------------------------------------------------------------


def portal_login(request, ticket, *, now: float | None = None) -> None:
    """Open ``ticket`` until expiry in a freshly signed cookie; tickets of the same talent
    opened before in this live session stay open."""
    now = now or time.time()
    talent_id = portal_talent_id(request, now=now)
    state = _state(request)
    tickets = dict(state.get("tickets") or {}) if state and talent_id == ticket.talent_id else {}
    tickets[str(ticket.pk)] = access_fingerprint(ticket)
    _set_state(request, {"talent": ticket.talent_id, "tickets": tickets,
                         "since": int(now), "seen": int(now)})


def portal_talent_id(request, *, now: float | None = None) -> int | None:
    """The verified talent's id, or None when there is no live portal session."""
    data = _state(request)
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
        _set_state(request, {**data, "seen": int(now)})
    return talent_id


def portal_opened_ids(request) -> set[int]:
    """The ids of the tickets this session was opened for (fingerprints not checked)."""
    data = _state(request)
    if not isinstance(data, dict) or not isinstance(data.get("tickets"), dict):
        return set()
    return {int(pk) for pk in data["tickets"] if str(pk).isdigit()}


def portal_may_open(request, ticket) -> bool:
    """Whether this session was opened for ``ticket`` under its current access code.

    A stale fingerprint (the code was reset) removes the ticket from the session, and
    ends the session when no ticket is left."""
    if portal_talent_id(request) != ticket.talent_id:
        return False
    data = _state(request)
    stored = data["tickets"].get(str(ticket.pk))
    if stored is None:
        return False
    if stored == access_fingerprint(ticket):
        return True
    tickets = {pk: value for pk, value in data["tickets"].items() if pk != str(ticket.pk)}
    if tickets:
        _set_state(request, {**data, "tickets": tickets})
    else:
        portal_logout(request)
    return False


def portal_logout(request) -> None:
    _set_state(request, None)
