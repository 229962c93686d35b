"""How long a staff session lives: 30 minutes without a request, 12 hours in all.

Signing in stamps the session with its start; each request refreshes "last seen" (at
most once a minute, so a page view does not write the session row every time). A request
past either limit signs the user out before the view runs, so the view sees an anonymous
visitor and answers as it does to one (the sign-in page, 401 on the API) — with a message
saying why. Talents' portal sessions have their own, shorter rules (``portal.session``).
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils.translation import gettext as _

STARTED = "td_started"
SEEN = "td_seen"
REFRESH_EVERY = 60  # seconds


def idle_seconds() -> int:
    return settings.TALENTDESK_STAFF_SESSION_IDLE


def max_age_seconds() -> int:
    return settings.TALENTDESK_STAFF_SESSION_MAX_AGE


@receiver(user_logged_in, dispatch_uid="accounts-session-start")
def stamp_session_start(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[STARTED] = now
        request.session[SEEN] = now


class StaffSessionLifetimeMiddleware:
    """After the authentication and messages middleware: ends a signed-in session past its limits."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            self._check(request)
        return self.get_response(request)

    def _check(self, request) -> None:
        session = request.session
        now = int(time.time())
        try:
            started, seen = int(session[STARTED]), int(session[SEEN])
        except (KeyError, TypeError, ValueError):
            # A session from before these limits: its age is unknown, so it starts now.
            session[STARTED] = session[SEEN] = now
            return
        if now - started > max_age_seconds():
            reason = _("You were signed out: a session lasts at most %(hours)d hours. "
                       "Please sign in again.") % {"hours": max_age_seconds() // 3600}
        elif now - seen > idle_seconds():
            reason = _("You were signed out after %(minutes)d minutes without activity. "
                       "Please sign in again.") % {"minutes": idle_seconds() // 60}
        else:
            if now - seen >= REFRESH_EVERY:
                session[SEEN] = now
            return
        logout(request)
        if not request.path.startswith("/api/"):
            messages.info(request, reason)
