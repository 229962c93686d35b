"""Providers that misbehave on purpose, loaded by worker processes in the fault tests."""

import os
import time
from pathlib import Path

from notifications.sms import FileSmsBackend


class BlockingSmsBackend(FileSmsBackend):
    """Hangs while the file named by ``TD_SMS_BLOCK_FLAG`` exists (a provider that stopped
    answering), after writing ``<flag>.started`` so the test knows delivery has begun."""

    def send(self, to: str, text: str, *, idempotency_key: str | None = None) -> str:
        flag = Path(os.environ["TD_SMS_BLOCK_FLAG"])
        if flag.exists():
            Path(f"{flag}.started").write_text(str(os.getpid()))
            deadline = time.monotonic() + 120
            while flag.exists() and time.monotonic() < deadline:
                time.sleep(0.1)
        return super().send(to, text, idempotency_key=idempotency_key)
