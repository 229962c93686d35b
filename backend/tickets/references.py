"""What a typed ticket reference looks like: the one reading of ``TD-2026-003004`` for the
top-bar search, the intake search and anything else a person types a reference into.

``ticket_open`` hands out ``TD-<year>-<six or more digits>``; people type it in lower
case, without the dashes or with spaces (``td2026003004``, ``TD 2026 003004``). The
``TD`` prefix is required, so a phone number is never read as a reference.
"""

from __future__ import annotations

import re

_TYPED = re.compile(r"TD[-\s]*([0-9]{4})[-\s]*([0-9]{6,9})", re.IGNORECASE)


def reference_from(text: str) -> str | None:
    """The canonical reference a search text names as a whole, or None."""
    match = _TYPED.fullmatch((text or "").strip())
    if match is None:
        return None
    return f"TD-{match.group(1)}-{match.group(2)}"
