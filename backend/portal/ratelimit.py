"""The portal's rate limits, counted by the product's one limiter (``core.ratelimit``).

    limit = per_reference()
    if (wait := limit.blocked(reference)) is not None: ... answer 429, Retry-After: wait
    limit.fail(reference)     # after a wrong code
"""

from __future__ import annotations

from core.ratelimit import Limit, client_address, configured

__all__ = ["Limit", "client_address", "per_address", "per_reference", "per_talent_writes"]


def per_reference() -> Limit:
    """Wrong codes for one reference: 5 an hour, then an hour's cool-down."""
    return configured("TALENTDESK_PORTAL_LIMITS", "reference")


def per_address() -> Limit:
    """Failures from one client address: 20 in 10 minutes, then 10 minutes' cool-down.

    Counted on failures only, so many talents behind the centre's own Wi-Fi do not lock
    each other out by checking their status."""
    return configured("TALENTDESK_PORTAL_LIMITS", "address")


def per_talent_writes() -> Limit:
    """Replies and uploads of one talent's session: 30 an hour (counted on every write)."""
    return configured("TALENTDESK_PORTAL_LIMITS", "talent-writes")
