"""Who may open a workspace page: signed in, with a staff role (and sometimes a given one).

Full pages and their htmx partials go through the same decorator, so a partial never
checks less than its page. The role groups and the rules are ``staff.permissions`` and ``tickets.permissions``;
scope (which tickets) is ``Ticket.objects.visible_to``.
"""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render
from django_htmx.http import HttpResponseClientRedirect

from staff.models import role_of
from staff.permissions import CASEWORK_ROLES, ROUTABLE_ROLES, STAFF_ROLES, SUPERVISING_ROLES

__all__ = ["CASEWORK_ROLES", "ROUTABLE_ROLES", "STAFF_ROLES", "SUPERVISING_ROLES", "officer_of",
           "staff_required"]


def officer_of(user):
    """The user's Officer profile, or None (a superuser without a profile)."""
    return getattr(user, "officer", None)


def staff_required(*roles: str):
    """Require sign-in and a staff role (one of ``roles`` when given).

    Sets ``request.role``. Outside the roles: a 403 page naming the reason; for htmx
    requests without a session the browser is sent to the sign-in page as a whole.
    """
    allowed = set(roles or STAFF_ROLES)

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                if getattr(request, "htmx", False):
                    from django.conf import settings
                    from django.shortcuts import resolve_url

                    return HttpResponseClientRedirect(resolve_url(settings.LOGIN_URL))
                return redirect_to_login(request.get_full_path())
            role = role_of(request.user)
            if role is None or role not in allowed:
                return render(request, "workspace/forbidden.html", {"role": role}, status=403)
            request.role = role
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
