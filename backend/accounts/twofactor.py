"""Two-factor sign-in with time-based one-time codes (TOTP, django-otp).

- Who must: the roles in ``TALENTDESK_TWO_FACTOR_ROLES`` (supervisors and administrators
  by default). Until they have a confirmed device, every page sends them to the
  enrolment page and the API refuses their session (403); the token endpoint refuses them.
- Who may: every other staff member, from the same page.
- Signing in: a user with a confirmed device gives the password first; the session then
  holds only a *pending* sign-in (no user) until the code is right, so nothing is open
  between the two steps. Wrong codes count like wrong passwords (``accounts.signin``).
- A lost phone: an administrator deletes the device in the admin (TOTP devices); the user
  enrols again at the next sign-in.
"""

from __future__ import annotations

import base64
import time

import django_otp
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy
from django_htmx.http import HttpResponseClientRedirect
from django_otp.plugins.otp_totp.models import TOTPDevice

from staff.models import role_of

PENDING = "td_2fa_pending"
PENDING_SECONDS = 300  # the code step must follow the password within five minutes
DEVICE_NAME = "authenticator"

CODE_WRONG = gettext_lazy("The code is wrong or has expired. Enter the code your app shows now.")
CODE_MISSING = gettext_lazy("This account signs in with two factors: send the code from the "
                            "authenticator app as otp.")
DEVICE_NEEDED = gettext_lazy("Your role signs in with two factors: set up an authenticator app "
                             "in the workspace first.")


def two_factor_required(user) -> bool:
    return role_of(user) in set(settings.TALENTDESK_TWO_FACTOR_ROLES)


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


@transaction.atomic
def device_for_enrolment(*, user) -> TOTPDevice:
    """The user's unconfirmed device (created on first call); its secret stays the same
    until it is confirmed, so reloading the page does not invalidate a scanned code."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def device_secret(device: TOTPDevice) -> str:
    """The secret in base32, for typing into an app (or ``oathtool --totp -b``)."""
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def device_verify(*, device: TOTPDevice, code: str) -> bool:
    """Check a code against one device (django-otp throttles and refuses reuse)."""
    return django_otp.verify_token(device.user, device.persistent_id, code) is not None


def session_verify(*, request, device: TOTPDevice, code: str) -> bool:
    """Check a code for the signed-in user's device; the session counts as verified."""
    if device.user_id != request.user.pk or not device_verify(device=device, code=code):
        return False
    django_otp.login(request, device)
    return True


@transaction.atomic
def device_confirm(*, request, device: TOTPDevice, code: str) -> bool:
    """Confirm an enrolment with a first right code; the session counts as verified."""
    if not device_verify(device=device, code=code):
        return False
    TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
    TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    device.confirmed = True
    django_otp.login(request, device)
    return True


# --- the pending sign-in between the password and the code ------------------------------


def pending_start(request, *, user, redirect_to: str) -> None:
    request.session.cycle_key()
    request.session[PENDING] = {"user": user.pk, "backend": user.backend,
                                "at": int(time.time()), "next": redirect_to}


def pending_user(request):
    """The user whose password was right a moment ago, or None (none, or too old)."""
    data = request.session.get(PENDING)
    if not isinstance(data, dict):
        return None
    if time.time() - data.get("at", 0) > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        return None
    user = get_user_model().objects.filter(pk=data.get("user"), is_active=True).first()
    if user is not None:
        user.backend = data["backend"]
    return user


def pending_next(request) -> str:
    return (request.session.get(PENDING) or {}).get("next") or resolve_url(settings.LOGIN_REDIRECT_URL)


def pending_clear(request) -> None:
    request.session.pop(PENDING, None)


# --- the requirement, enforced for every request ----------------------------------------

OPEN_PATHS = ("/static/", "/i18n/", "/healthz", "/status/")


class TwoFactorRequiredMiddleware:
    """After ``OTPMiddleware``: a signed-in user of a required role whose session is not
    verified reaches only the two-factor page, signing out and the language switch."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not user.is_verified() and two_factor_required(user):
            answer = self._refuse(request)
            if answer is not None:
                return answer
        return self.get_response(request)

    def _refuse(self, request):
        enrol = reverse("workspace:two_factor")
        allowed = (enrol, reverse("workspace:logout"), reverse("workspace:language"))
        if request.path in allowed or request.path.startswith(OPEN_PATHS):
            return None
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": str(DEVICE_NEEDED)}, status=403)
        target = f"{enrol}?{urlencode({'next': request.get_full_path()})}"
        if getattr(request, "htmx", False):
            if request.htmx.current_url_abs_path and request.htmx.current_url_abs_path.split("?")[0] == enrol:
                # A fragment the enrolment page itself asks for (the navigation's counts):
                # nothing to show yet. Sending the browser to the enrolment page again
                # would reload it, ask again, and loop.
                return HttpResponse(status=204)
            return HttpResponseClientRedirect(target)
        return redirect(target)
