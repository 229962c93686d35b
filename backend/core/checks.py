"""System checks on settings a production start-up must not go without.

Registered with the ``startup`` tag: ``manage.py check`` and ``check --deploy`` run them,
and so does every web worker as it loads (``config.wsgi``), so gunicorn refuses to start
on them. Each is an error only with DEBUG off: the embedded default (DEBUG on) stays a
one-command demo.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, register, run_checks

STARTUP = "startup"
LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


def _is_loopback(host: str) -> bool:
    host = (host or "").strip("[]").lower()
    if host in LOOPBACK_NAMES or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


@register(STARTUP)
def check_public_base_url(app_configs=None, **kwargs):
    """Receipts' QR codes, SMS and e-mail links start with PUBLIC_BASE_URL: in production
    it must be the public https address, not the development default."""
    if settings.DEBUG:
        return []
    url = settings.TALENTDESK_PUBLIC_BASE_URL
    parts = urlsplit(url)
    hint = "Set PUBLIC_BASE_URL to the portal's public address, e.g. https://talent.example.gov.cn."
    if parts.scheme != "https" or not parts.hostname:
        return [Error(f"PUBLIC_BASE_URL is {url!r}: with DEBUG off it must be an https:// address "
                      "(status links in receipts, SMS and e-mail go out with it).",
                      hint=hint, id="core.E010")]
    if _is_loopback(parts.hostname):
        return [Error(f"PUBLIC_BASE_URL is {url!r}: a loopback address reaches nobody's phone.",
                      hint=hint, id="core.E011")]
    return []


def refuse_to_start() -> None:
    """Raise when a start-up check fails (called by ``config.wsgi`` as each worker loads)."""
    from django.core.exceptions import ImproperlyConfigured

    errors = [message for message in run_checks(tags=[STARTUP]) if message.is_serious()]
    if errors:
        raise ImproperlyConfigured("talentdesk refuses to start:\n" + "\n".join(
            f"  {message.id}: {message.msg} {message.hint or ''}".rstrip() for message in errors))
