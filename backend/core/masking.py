"""The one masker of document numbers, for a whole number field and inside free text.

Free text (subjects, descriptions, replies, notes, history, exports, e-mail and SMS) goes
through ``mask_documents`` wherever it leaves the database for a reader: nobody reads a
document number there; the audited reveal is the only way to the full number.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Shapes of identity documents written inside text: one to three letters and six to
# fourteen digits, perhaps a final check character (passports, permits, permanent
# residence cards: E12345678, H1234567801, GBR440123456789); 18- and 15-character
# resident identity numbers. Only whole tokens: no letter or digit on either side, so a
# ticket reference (TD-2026-000123), a date or a phone number is left alone.
DOCUMENT_SHAPE = re.compile(
    r"(?<![0-9A-Za-z])(?:[A-Za-z]{1,3}[0-9]{6,14}[0-9A-Za-z]?|[0-9]{17}[0-9Xx]|[0-9]{15})(?![0-9A-Za-z])"
)


def mask_document_number(number: str) -> str:
    """Keep the first two and last two characters: ``E12345678`` → ``E1****78``.

    Short numbers are masked entirely so a mask never reveals most of a number.
    """
    number = (number or "").strip()
    if len(number) <= 4:
        return "*" * len(number)
    return f"{number[:2]}****{number[-2:]}"


def _known_pattern(number: str) -> re.Pattern | None:
    """A known number, in any case, even written with spaces or dashes between its
    characters (``e 1234-5678``)."""
    characters = [c for c in (number or "") if c.isalnum()]
    if len(characters) < 4:
        return None
    body = r"[\s\-]*".join(re.escape(c) for c in characters)
    return re.compile(rf"(?<![0-9A-Za-z]){body}(?![0-9A-Za-z])", re.IGNORECASE)


def mask_documents(text: str, known: Iterable[str] = ()) -> str:
    """``text`` with every document number masked: the ``known`` numbers (e.g. the
    ticket's talent's) however they are written, and anything shaped like one."""
    if not text:
        return text or ""
    for number in known:
        pattern = _known_pattern(number)
        if pattern is not None:
            text = pattern.sub(mask_document_number(number.upper()), text)
    return DOCUMENT_SHAPE.sub(lambda match: mask_document_number(match.group(0)), text)
