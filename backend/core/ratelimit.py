"""Failure counters in the shared cache (Redis in production): one rate limiter for the
whole product — the portal's status check and the staff sign-in both count here.

A limit counts failures (wrong codes, wrong passwords) per key in a window that starts with
the first failure; reaching the limit blocks the key for a cool-down. Because the counters
live in the cache, every web process on every host sees the same numbers.

    limit = Limit(name="signin-account", limit=10, window=900, cooldown=900)
    if (wait := limit.blocked(ident)) is not None: ... answer 429, Retry-After: wait
    limit.fail(ident)     # after a wrong password
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache


@dataclass(frozen=True)
class Limit:
    name: str
    limit: int  # failures allowed in the window
    window: int  # seconds, from the first failure
    cooldown: int  # seconds the key stays blocked once the limit is reached

    def _key(self, ident: str, part: str) -> str:
        digest = hashlib.sha256(f"{self.name}:{ident}".encode()).hexdigest()[:32]
        return f"rl:{self.name}:{part}:{digest}"

    def blocked(self, ident: str, *, now: float | None = None) -> int | None:
        """Seconds until the key may try again; None when it is not blocked."""
        until = cache.get(self._key(ident, "until"))
        if until is None:
            return None
        remaining = until - (now or time.time())
        return max(1, math.ceil(remaining)) if remaining > 0 else None

    def fail(self, ident: str, *, now: float | None = None) -> int:
        """Count one failure; block the key when the limit is reached. Returns the count
        (exactly ``limit`` on the failure that blocks the key)."""
        key = self._key(ident, "n")
        cache.add(key, 0, timeout=self.window)
        try:
            count = cache.incr(key)
        except ValueError:  # the window expired between add and incr
            cache.add(key, 0, timeout=self.window)
            count = cache.incr(key)
        if count >= self.limit:
            until = (now or time.time()) + self.cooldown
            cache.set(self._key(ident, "until"), until, timeout=self.cooldown)
        return count

    def reset(self, ident: str) -> None:
        cache.delete_many([self._key(ident, "n"), self._key(ident, "until")])


def configured(setting: str, name: str) -> Limit:
    """The limit ``name`` from the settings dict ``setting`` (limit, window, cooldown);
    every limit is declared, with its default, in ``config/settings.py``."""
    limit, window, cooldown = getattr(settings, setting)[name]
    return Limit(name=name, limit=limit, window=window, cooldown=cooldown)


def client_address(request) -> str:
    """The client's address: ``REMOTE_ADDR``, or the address the trusted proxies saw.

    ``TALENTDESK_TRUSTED_PROXIES`` is the number of reverse proxies in front of the app
    that append to ``X-Forwarded-For``; the client is that many entries from the right,
    so a client cannot choose its own address by sending the header itself.
    """
    proxies = settings.TALENTDESK_TRUSTED_PROXIES
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) >= proxies:
        return forwarded[-proxies]
    return remote
