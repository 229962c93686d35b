"""Free text as the classifier reads it, and the checks a request text must pass.

Everything the model sees goes through ``normalise``: HTML tags dropped and entities
decoded, Unicode NFKC (full-width letters and digits become ASCII), lower case, and
Traditional Chinese folded to Simplified with OpenCC's ``t2s`` dictionaries (shipped
with the ``opencc`` wheel, nothing downloaded), so 繁體 and 简体 requests share features.
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import cache

import opencc
from django.core.exceptions import ValidationError
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

MAX_CHARS = 5000

_SPACES = re.compile(r"\s+")
_SCRIPTS = re.compile(r"<(script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
# A letter of any script, or a CJK ideograph: emoji, symbols, digits and punctuation alone
# say nothing about a request.
_WORDISH = re.compile(r"[^\W\d_]")


@cache
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def to_simplified(text: str) -> str:
    return _converter("t2s").convert(text)


def to_hong_kong(text: str) -> str:
    """Simplified → Traditional as written in Hong Kong (for names shown to zh-Hant readers)."""
    return _converter("s2hk").convert(text)


def plain(text: str) -> str:
    """The text as a person reads it: tags (and script and style blocks) dropped, entities
    decoded, spaces collapsed."""
    text = html.unescape(strip_tags(_SCRIPTS.sub(" ", text or "")))
    return _SPACES.sub(" ", text).strip()


def normalise(text: str) -> str:
    """What the features are computed on (see the module docstring): ``plain``, then NFKC,
    lower case and Simplified characters."""
    return to_simplified(unicodedata.normalize("NFKC", plain(text)).lower())


def request_text(text) -> str:
    """Check a request text and return it ``plain``; raise ``ValidationError`` (code named)
    when it cannot be read as a request."""
    if not isinstance(text, str):
        raise ValidationError(_("Describe the request as text."), code="invalid")
    if len(text) > MAX_CHARS * 4:
        # Far too long to be one request: refuse before any work on it.
        raise ValidationError(
            _("Describe the request in at most %(max)d characters (this text has %(length)d).")
            % {"max": MAX_CHARS, "length": len(text)}, code="max_length")
    cleaned = plain(text)
    if not cleaned:
        raise ValidationError(_("Describe the request: the text is empty."), code="blank")
    if len(cleaned) > MAX_CHARS:
        raise ValidationError(
            _("Describe the request in at most %(max)d characters (this text has %(length)d).")
            % {"max": MAX_CHARS, "length": len(cleaned)}, code="max_length")
    if not _WORDISH.search(cleaned):
        raise ValidationError(
            _("Describe the request in words (Chinese or English); symbols or emoji alone cannot be read."),
            code="no_words")
    return cleaned
