"""``Idempotency-Key`` for creating requests.

The key goes to ``tickets.services.ticket_open`` as ``idempotency_key``, the same
argument the intake page passes for its form token: the service alone decides what "the
same request" is (the same key and request return the first ticket, the same key with
another request is an ``IdempotencyConflict``, answered 422).
"""

from __future__ import annotations

import re

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

HEADER = "Idempotency-Key"
PATTERN = r"^[\x21-\x7E]{1,64}$"
_KEY = re.compile(PATTERN)


def idempotency_key(request) -> str | None:
    """The request's key, or None without the header; 400 for a malformed key."""
    raw = request.headers.get(HEADER)
    if raw is None:
        return None
    if not _KEY.match(raw):
        raise serializers.ValidationError(
            {HEADER: [_("Use 1 to 64 visible ASCII characters (no spaces).")]}
        )
    return raw
