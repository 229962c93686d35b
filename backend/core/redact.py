"""Status-link tokens never reach a log.

A signed status link (``/status/l/<token>/``) opens a talent's ticket for 30 days, so its
token must not be written where operators, log shippers or backups read it. The link keeps
its path form (it is printed as a QR code on receipts and scanned by the hall's kiosk);
instead every log line the application writes goes through ``redact_status_links``:
Django's logging (``RedactStatusLinks`` on the handlers in ``settings.LOGGING``: request
errors, the development server's access log, the SMS console backend) and gunicorn's
access log (``config.gunicorn_logging.RedactingLogger``, loaded by ``backend/gunicorn.conf.py``).
"""

from __future__ import annotations

import logging
import re
from functools import cache

from django.urls import reverse

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
