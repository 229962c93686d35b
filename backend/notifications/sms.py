"""SMS behind a small provider interface, chosen by ``settings.SMS_BACKEND``.

A provider is a class with ``send(to, text) -> str`` (a provider message id) that raises
``SmsError`` (or anything else) when the message was not accepted. The defaults need no
account: the console backend logs, the file backend appends one JSON line per message
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

log = logging.getLogger("talentdesk.sms")


class SmsError(Exception):
    """The provider did not accept the message."""


class BaseSmsBackend:
    def send(self, to: str, text: str) -> str:  # pragma: no cover - interface
        raise NotImplementedError


class ConsoleSmsBackend(BaseSmsBackend):
    """Logs the message (development)."""

    def send(self, to: str, text: str) -> str:
        message_id = secrets.token_hex(6)
        log.info("SMS %s to %s: %s", message_id, to, text)
        return message_id


class FileSmsBackend(BaseSmsBackend):
    """Appends ``{"id", "to", "text", "at"}`` as one JSON line to ``SMS_FILE_PATH``."""

    def __init__(self, path: str | Path | None = None) -> None:
        path = path or getattr(settings, "SMS_FILE_PATH", "") or (settings.VAR_DIR / "sms.jsonl")
        self.path = Path(path)

    def send(self, to: str, text: str) -> str:
        message_id = secrets.token_hex(6)
        line = json.dumps({"id": message_id, "to": to, "text": text, "at": clock.now().isoformat()},
                          ensure_ascii=False)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as out:
            out.write(line + "\n")
        return message_id


class FailingSmsBackend(BaseSmsBackend):
    """Refuses every message: for drills and tests of the failure path."""

    def send(self, to: str, text: str) -> str:
        raise SmsError("SMS gateway refused the message")


def sms_backend() -> BaseSmsBackend:
    return import_string(settings.SMS_BACKEND)()


def send_sms(to: str, text: str) -> str:
    return sms_backend().send(to, text)
