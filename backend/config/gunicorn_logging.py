"""gunicorn's access log without status-link tokens or personal data (``core.redact``).

Every atom of the access-log format (request line, path, query, referer, headers,
environ) is redacted, so a custom ``access_log_format`` cannot bring a token back."""

from __future__ import annotations

from gunicorn.glogging import Logger

from core.redact import redact


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {key: redact(value) for key, value in atoms.items()}
