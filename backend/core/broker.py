"""Publishing a task from the request path: bounded, and never twice on a dead broker.

Every after-commit publish in the product goes through ``broker_publish``: the outbox's
delivery tasks, the report facts' refresh and the calendar recompute. A publish that
fails (refused, or a broker that accepts and never answers: the Celery settings bound
that to a few seconds) opens a per-process circuit breaker for ``BREAKER_SECONDS``;
while it is open no publish is attempted at all, so the requests that follow do not
wait. What was not published is not lost: the periodic sweepers find it (the outbox's
pending rows, facts older than their ticket, provisional deadlines).
"""

from __future__ import annotations

import logging
import time

log = logging.getLogger("talentdesk.broker")

BREAKER_SECONDS = 30.0
_breaker = {"open_until": 0.0}


def broker_known_down() -> bool:
    return time.monotonic() < _breaker["open_until"]


def broker_publish(task, *, args: list, what: str, queue: str | None = None) -> bool:
    """Queue ``task(*args)``; True when published. Never raises, never waits on a broker
    that failed in the last ``BREAKER_SECONDS``; ``what`` names the work in the log."""
    if broker_known_down():
        log.warning("broker marked down: %s left for the sweeper", what)
        return False
    options = {"queue": queue} if queue else {}
    try:
        task.apply_async(args=args, **options)
    except Exception as exc:  # the broker's errors are many and transport-specific
        _breaker["open_until"] = time.monotonic() + BREAKER_SECONDS
        log.warning("could not publish %s (%s: %s); the sweeper will retry",
                    what, type(exc).__name__, exc)
        return False
    return True


def breaker_reset() -> None:
    _breaker["open_until"] = 0.0


def broker_check(*, queues: tuple[str, ...] = ()) -> dict[str, int] | None:
    """Connect to the broker and count the messages waiting in ``queues``; None when the
    broker is unreachable. Bounded like a publish (the transport's 2 s socket timeouts, one
    connection attempt), never raises, and shares the circuit breaker: a broker that failed
    in the last ``BREAKER_SECONDS`` is not asked again, one that fails now opens it."""
    if broker_known_down():
        return None
    from celery import current_app

    counts: dict[str, int] = {}
    try:
        with current_app.connection_for_read() as connection:
            connection.ensure_connection(max_retries=1)
            for name in queues:
                with connection.channel() as channel:
                    try:
                        counts[name] = channel.queue_declare(queue=name, passive=True).message_count
                    except connection.channel_errors:  # a queue nobody declared yet is empty
                        counts[name] = 0
    except Exception as exc:  # as in broker_publish: the transports' errors are many
        _breaker["open_until"] = time.monotonic() + BREAKER_SECONDS
        log.warning("broker unreachable (%s: %s)", type(exc).__name__, exc)
        return None
    return counts
