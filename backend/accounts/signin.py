"""Throttling and lockout of staff sign-in, per account and per client address.

One rule for every door that takes a password or a one-time code: the workspace sign-in
(``/login/``, which ``/admin/login/`` leads to), its two-factor step, and the API token
endpoint. The counters are the product's rate limiter (``core.ratelimit``) in the shared
cache, so they hold across processes and hosts.

- per account: 10 wrong passwords or codes in 15 minutes lock the account for 15 minutes
  (a wrong-password flood on one name cannot go on for ever); the centre's supervisors get
  an in-app notice at once, so a locked-out owner is not left alone and an attack is seen.
- per address: 30 failures in 15 minutes block the address for 15 minutes (one source
  trying many names).

A successful sign-in clears the account's count, never the address's.
"""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django.utils.translation import ngettext

from core.ratelimit import Limit, client_address, configured
from notifications.models import NoticeKind
from notifications.notices import notice_add
from staff.models import Officer, Role

log = logging.getLogger(__name__)

SETTING = "TALENTDESK_SIGNIN_LIMITS"


def per_account() -> Limit:
    return configured(SETTING, "signin-account")


def per_address() -> Limit:
    return configured(SETTING, "signin-address")


def _account(username: str | None) -> str:
    return (username or "").strip().casefold()


def signin_blocked(*, request, username: str | None) -> int | None:
    """Seconds until this address may try this account again; None when it may now."""
    waits = [per_address().blocked(client_address(request))]
    if _account(username):
        waits.append(per_account().blocked(_account(username)))
    return max((wait for wait in waits if wait), default=None)


def blocked_message(wait: int) -> str:
    minutes = max(1, (wait + 59) // 60)
    return ngettext(
        "Too many failed sign-in attempts. Try again in %(minutes)d minute; if you are "
        "locked out of your own account, the centre's supervisors have been told.",
        "Too many failed sign-in attempts. Try again in %(minutes)d minutes; if you are "
        "locked out of your own account, the centre's supervisors have been told.",
        minutes,
    ) % {"minutes": minutes}


def signin_failed(*, request, username: str | None) -> None:
    """Count a wrong password or code. The failure that locks an account leaves every
    supervisor of the account's centre an in-app notice (in the caller's transaction)."""
    address = client_address(request)
    per_address().fail(address)
    account = _account(username)
    if not account:
        return
    limit = per_account()
    if limit.fail(account) == limit.limit:
        log.warning("sign-in locked for %r after %d failures (last from %s)", account,
                    limit.limit, address)
        _alert_supervisors(username=username, address=address, limit=limit)


def signin_succeeded(*, username: str | None) -> None:
    per_account().reset(_account(username))


def _alert_supervisors(*, username: str, address: str, limit: Limit) -> int:
    """Notices for the supervisors of the locked account's centre (administrators when the
    centre has no other supervisor). An unknown name alerts nobody: there is no owner to
    lock out, and the per-address limit handles the guessing."""
    user = get_user_model().objects.filter(username__iexact=username.strip()).first()
    if user is None:
        return 0
    officer = Officer.objects.filter(user=user).select_related("centre").first()
    active = Officer.objects.filter(user__is_active=True).exclude(user=user)
    recipients = []
    if officer is not None:
        recipients = list(active.filter(centre=officer.centre, role=Role.SUPERVISOR))
    if not recipients:
        recipients = list(active.filter(role=Role.ADMIN))
    data = {
        "username": user.get_username(),
        "display_name": officer.display_name if officer else user.get_username(),
        "address": address,
        "failures": limit.limit,
        "minutes": (limit.cooldown + 59) // 60,
    }
    for recipient in recipients:
        notice_add(recipient=recipient, kind=NoticeKind.SIGNIN_LOCKED, data=data)
    return len(recipients)
