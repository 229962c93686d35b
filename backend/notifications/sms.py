"""SMS behind a small provider interface, chosen by ``settings.SMS_BACKEND``.

A provider is a class with ``send(to, text, *, idempotency_key) -> str`` (a provider
message id) that raises ``SmsError`` (or anything else) when the message was not
accepted. The outbox passes the same ``idempotency_key`` on every attempt of one message
(``outbox.message_key``): a gateway that supports one (most HTTP SMS APIs take a client
reference) must pass it on, so a retry after a worker died mid-send is not a second SMS. The defaults need no
account: the console backend logs (status-link tokens and access codes redacted, ``core.redact``), the file backend appends one JSON line per message
(to ``SMS_FILE_PATH``) — which is also what the fault tests count. A real gateway is one
more class (e.g. the operator's HTTP API) named in the environment.
"""

from __future__ import annotations

import json
import logging
import secrets
from pathlib import Path

from django.conf import settings
from django.utils.module_loading import import_string

from core import clock
from core.redact import redact_access_codes, redact_status_links

log = logging.getLogger("talentdesk.sms")


class SmsError(Exception):
    """The provider did not accept the message."""


class BaseSmsBackend:
    # Settings the backend cannot work without: with DEBUG off, start-up stops when one
    # is empty (notifications.checks).
    required_settings: tuple[str, ...] = ()

    def send(self, to: str, text: str, *, idempotency_key: str | None = None) -> str:
        raise NotImplementedError  # pragma: no cover - interface


class ConsoleSmsBackend(BaseSmsBackend):
    """Logs the message (development)."""

    def send(self, to: str, text: str, *, idempotency_key: str | None = None) -> str:
        message_id = secrets.token_hex(6)
        log.info("SMS %s to %s: %s", message_id, to, redact_access_codes(redact_status_links(text)))
        return message_id


class FileSmsBackend(BaseSmsBackend):
    """Appends ``{"id", "to", "text", "at", "key"}`` as one JSON line to ``SMS_FILE_PATH``.

    Like a gateway that honours idempotency keys, a key it has already accepted is not
    sent again: the first message's id is answered."""

    required_settings = ("SMS_FILE_PATH",)

    def __init__(self, path: str | Path | None = None) -> None:
        path = path or settings.SMS_FILE_PATH
        self.path = Path(path)

    def send(self, to: str, text: str, *, idempotency_key: str | None = None) -> str:
        if idempotency_key and (earlier := self._sent_with(idempotency_key)):
            return earlier
        message_id = secrets.token_hex(6)
        line = json.dumps({"id": message_id, "to": to, "text": text, "at": clock.now().isoformat(),
                           "key": idempotency_key}, ensure_ascii=False)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as out:
            out.write(line + "\n")
        return message_id

    def _sent_with(self, key: str) -> str | None:
        if not self.path.exists():
            return None
        with self.path.open(encoding="utf-8") as lines:
            for line in lines:
                if line.strip() and (record := json.loads(line)).get("key") == key:
                    return record["id"]
        return None


class FailingSmsBackend(BaseSmsBackend):
    """Refuses every message: for drills and tests of the failure path."""

    def send(self, to: str, text: str, *, idempotency_key: str | None = None) -> str:
        raise SmsError("SMS gateway refused the message")


def sms_backend() -> BaseSmsBackend:
    return import_string(settings.SMS_BACKEND)()


def send_sms(to: str, text: str, *, idempotency_key: str | None = None) -> str:
    return sms_backend().send(to, text, idempotency_key=idempotency_key)
