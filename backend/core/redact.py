"""Status-link tokens and personal data never reach a log.

A signed status link (``/status/l/<token>/``) opens a talent's ticket for 30 days, so its
token must not be written where operators, log shippers or backups read it. The link keeps
its path form (it is printed as a QR code on receipts and scanned by the hall's kiosk);
instead every log line the application writes goes through ``redact_status_links``:
Django's logging (``RedactStatusLinks`` on the handlers in ``settings.LOGGING``: request
errors, the development server's access log, the SMS console backend) and gunicorn's
access log (``config.gunicorn_logging.RedactingLogger``, loaded by ``backend/gunicorn.conf.py``).

``redact`` goes further for the application's JSON log lines (``core.logs``) and the
access log: e-mail addresses, phone numbers and anything shaped like a document number
(``core.masking.DOCUMENT_SHAPE``) are replaced as well, whatever wrote them (a
provider's error message, a console backend, a third-party library).
"""

from __future__ import annotations

import logging
import re
from functools import cache

from django.urls import reverse

from core.masking import DOCUMENT_SHAPE

REDACTED = "[redacted]"


@cache
def _pattern() -> re.Pattern:
    prefix = reverse("portal:link", kwargs={"token": "T"})[: -len("T/")]
    return re.compile(re.escape(prefix) + r"[^/\s?#\"'<>]+")


def redact_status_links(text: str) -> str:
    """``text`` with every status-link token replaced by ``[redacted]``."""
    if not isinstance(text, str) or "/l/" not in text:
        return text
    return _pattern().sub(lambda match: match.group(0)[: match.group(0).rindex("/") + 1] + REDACTED, text)


_EMAIL = re.compile(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)+")
# International numbers (+ and 7-15 digits, perhaps grouped), mainland mobiles (11 digits
# from 13x-19x), Hong Kong and Macao numbers written with their country code.
_PHONE = re.compile(
    r"(?<![\w+])(?:\+\d(?:[\s-]?\d){6,14}|1[3-9]\d(?:[\s-]?\d){8}|(?:00)?85[23][\s-]?\d{4}[\s-]?\d{4})(?![\w])"
)


# A ticket's access code as it is shown and sent (``tickets.access.access_code_display``:
# two groups of five Crockford base32 characters).
_ACCESS_CODE = re.compile(r"(?<![0-9A-Za-z-])[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}(?![0-9A-Za-z-])")


def redact_access_codes(text: str) -> str:
    """``text`` with every access code replaced by ``[code]``."""
    if not isinstance(text, str) or not text:
        return text
    return _ACCESS_CODE.sub("[code]", text)


def redact(text: str) -> str:
    """``text`` without status-link tokens, access codes, e-mail addresses, phone numbers or
    document numbers."""
    if not isinstance(text, str) or not text:
        return text
    text = redact_access_codes(redact_status_links(text))
    text = _EMAIL.sub("[email]", text)
    text = _PHONE.sub("[phone]", text)
    return DOCUMENT_SHAPE.sub("[document]", text)


class RedactStatusLinks(logging.Filter):
    """A logging filter: the record's message with status-link tokens redacted."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            return True
        redacted = redact_status_links(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True
