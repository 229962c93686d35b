"""``Idempotency-Key`` for creating requests.

The key is stored with the ticket as ``client_token`` (unique per user) together with a
digest of the canonical request body (``client_digest``), which is exactly what
``tickets.services.ticket_open`` already uses for double submissions from the pages:
the same key and body return the first ticket, the same key with another body is an
``IdempotencyConflict``.
"""

from __future__ import annotations

import hashlib
import json
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


def body_digest(data) -> str:
    """SHA-256 of the body as canonical JSON: key order and whitespace do not matter."""
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
