"""Server-Sent Events for the board and the phone page, bounded in time.

A stream sends the whole state at once (so a board that reconnects catches up with
everything it missed), then again whenever the centre's hall version moves
(``hall.live``), checked every ``TICK`` seconds; it re-reads the database every
``live.FALLBACK_SECONDS`` anyway in case the cache is not shared between processes.

**Why it ends after ``STREAM_SECONDS``:** under gunicorn's sync workers a stream holds a
whole worker. Ending after ~30 s with ``retry: 1000`` makes the browser's EventSource
reconnect a second later, so a board occupies one worker at most ~97% of the time and
never forever; give gunicorn one extra worker per board (or per few phone pages) that
may be connected at once. The pages also poll the ``state.json`` view when
EventSource is missing or keeps failing.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator

from django.http import StreamingHttpResponse

from hall import live

STREAM_SECONDS = 30.0
TICK = 0.2
KEEPALIVE_SECONDS = 3.0  # also how soon a stream notices its board has gone
RETRY_MS = 1000


def _message(data: dict) -> str:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return f"id: {data.get('version', 0)}\nevent: state\ndata: {body}\n\n"


def _events(centre_id: int, read: Callable[[], dict | None], seconds: float) -> Iterator[str]:
    yield f"retry: {RETRY_MS}\n\n"
    started = last_read = time.monotonic()
    seen_version = live.version(centre_id)
    state = read()
    last_body = json.dumps(state, sort_keys=True)
    yield _message(state or {})
    last_sent = started
    while time.monotonic() - started < seconds:
        time.sleep(TICK)
        now = time.monotonic()
        current = live.version(centre_id)
        if current == seen_version and now - last_read < live.FALLBACK_SECONDS:
            if now - last_sent >= KEEPALIVE_SECONDS:
                last_sent = now
                yield ": keepalive\n\n"
            continue
        seen_version, last_read = current, now
        state = read()
        body = json.dumps(state, sort_keys=True)
        if body != last_body:
            last_body, last_sent = body, now
            yield _message(state or {})


def event_stream(centre_id: int, read: Callable[[], dict | None], *, seconds: float | None = None):
    response = StreamingHttpResponse(_events(centre_id, read, seconds or STREAM_SECONDS),
                                     content_type="text/event-stream; charset=utf-8")
    response["Cache-Control"] = "no-cache, no-store"
    response["X-Accel-Buffering"] = "no"  # nginx: pass events through unbuffered
    return response
