"""The outbox: write in the event's transaction, publish after commit, deliver once.

* ``outbox_add`` writes a row inside the caller's transaction and registers a robust
  ``on_commit`` callback that publishes ``task_outbox_deliver(id)``. If the broker is
  refused or hangs, publishing gives up within the bounded Celery options
  (settings: socket timeouts, publish retry policy) and the row simply waits; a short
  circuit breaker stops the next callbacks from waiting on the same dead broker.
* ``outbox_deliver`` is idempotent on the row: it claims the row with a lease (status
  ``sending``) in one short transaction, talks to the provider outside any transaction,
  then marks it ``sent`` — or ``pending`` again with an exponential backoff, or
  ``failed`` after the last attempt, which leaves an in-app notice for staff.
* ``outbox_sweep`` (beat, every minute) re-queues pending rows whose time has come and
  rows whose lease ran out (the worker died mid-delivery), and expires rows too old to be
  worth sending.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from datetime import timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from core import clock
from core.broker import breaker_reset, broker_publish  # noqa: F401 - the fault tests reset it here
from notifications.models import OPEN_STATUSES, Channel, NoticeKind, OutboxMessage, Status
from notifications.notices import notice_add
from notifications.recipients import supervisors_to_alert

log = logging.getLogger("talentdesk.outbox")



def max_attempts() -> int:
    return int(settings.TALENTDESK_OUTBOX_MAX_ATTEMPTS)


def lease_seconds() -> float:
    return float(settings.TALENTDESK_OUTBOX_LEASE_SECONDS)


def retry_delay(attempt: int, *, jitter: bool = True) -> float:
    """Seconds to wait after failed attempt number ``attempt`` (1-based): base·2^(n-1),
    capped at an hour, with up to 10 % random jitter so a recovering provider is not hit
    by every waiting message at once."""
    base = float(settings.TALENTDESK_OUTBOX_RETRY_SECONDS)
    delay = min(base * (2 ** max(attempt - 1, 0)), 3600.0)
    return delay * (1 + random.random() * 0.1) if jitter else delay


# --- writing --------------------------------------------------------------------------------


def outbox_add(*, event: str, channel: str, to: str, subject: str = "", body: str,
               language: str = "zh", ticket=None, talent=None, officer=None,
               dedupe_key: str | None = None) -> OutboxMessage | None:
    """Write one message in the current transaction; publish it after commit.

    With ``dedupe_key`` a second row with the same key is not written (returns None).
    """
    written = outbox_add_many([dict(
        event=event, channel=channel, to=to, subject=subject, body=body, language=language,
        ticket=ticket, talent=talent, officer=officer, dedupe_key=dedupe_key,
    )])
    return written[0] if written else None


def outbox_add_many(messages: list[dict], *, fresh_keys: bool = False) -> list[OutboxMessage]:
    """Write several messages (the fields of ``outbox_add``) in two statements — one with
    ``fresh_keys`` (the caller knows no row can hold their dedupe keys yet, e.g. keys
    naming a ticket created in this transaction; the unique key still guards it) — and
    publish them after commit. Messages without an address or with a known dedupe key are
    skipped; returns the rows written."""
    for message in messages:
        if message["channel"] not in Channel.values:
            raise ValueError(f"unknown channel {message['channel']!r}")
    messages = [m for m in messages if m.get("to")]
    keys = [m["dedupe_key"] for m in messages if m.get("dedupe_key")]
    if keys and not fresh_keys:
        known = set(OutboxMessage.objects.filter(dedupe_key__in=keys).values_list("dedupe_key", flat=True))
        messages = [m for m in messages if m.get("dedupe_key") not in known]
    if not messages:
        return []
    now = clock.now()
    rows = [
        OutboxMessage(
            event=m["event"], channel=m["channel"], to=m["to"][:254],
            subject=(m.get("subject") or "")[:250], body=m["body"],
            language=m.get("language", "zh"), ticket=m.get("ticket"), talent=m.get("talent"),
            officer=m.get("officer"), dedupe_key=m.get("dedupe_key"), created_at=now,
            next_attempt_at=now,
        )
        for m in messages
    ]
    if len(rows) == 1:
        rows[0].save(force_insert=True)
    else:
        OutboxMessage.objects.bulk_create(rows)
    if _replaying(now):
        # The service clock is frozen in the past (the demo seeder, an import): history
        # being replayed is not announced live. The sweeper sends what is still fresh.
        return rows
    ids = [row.pk for row in rows]
    transaction.on_commit(lambda: outbox_publish(ids), robust=True)
    return rows


def _replaying(now) -> bool:
    return abs((timezone.now() - now).total_seconds()) > 300


# --- publishing -----------------------------------------------------------------------------


def outbox_publish(ids) -> int:
    """Queue delivery tasks for ``ids``; return how many were published.

    Never raises: a broker that is down leaves the rows pending for the sweeper, and the
    shared circuit breaker (``core.broker``) spares later requests the same wait.
    """
    from notifications.tasks import task_outbox_deliver

    queue = settings.TALENTDESK_NOTIFICATIONS_QUEUE
    published = 0
    for pk in ids:
        if not broker_publish(task_outbox_deliver, args=[pk], queue=queue, what=f"outbox {pk}"):
            break
        published += 1
    return published


# --- delivering -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Delivery:
    status: str  # the row's status afterwards, or "busy"/"missing"/"not_due"
    retry_in: float | None = None


def outbox_deliver(*, message_id: int) -> Delivery:
    """Send one outbox row at most once; safe to call any number of times, concurrently."""
    now = timezone.now()
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None:
            return Delivery("missing")
        if message.status not in OPEN_STATUSES:
            return Delivery(message.status)
        if message.status == Status.SENDING and message.lease_until and message.lease_until > now:
            return Delivery("busy")
        if message.status == Status.PENDING and message.next_attempt_at > now + timedelta(seconds=1):
            return Delivery("not_due", (message.next_attempt_at - now).total_seconds())
        if _expired(message, now):
            message.status = Status.EXPIRED
            message.last_error = "too old to send"
            message.save(update_fields=["status", "last_error"])
            return Delivery(Status.EXPIRED)
        message.status = Status.SENDING
        message.attempts += 1
        message.lease_until = now + timedelta(seconds=lease_seconds())
        message.save(update_fields=["status", "attempts", "lease_until"])
    attempt = message.attempts

    try:
        _send(message)
    except Exception as exc:  # any provider failure is retried, then reported
        return _record_failure(message_id, attempt, exc)

    claimed = OutboxMessage.objects.filter(pk=message_id, status=Status.SENDING, attempts=attempt)
    claimed.update(status=Status.SENT, sent_at=timezone.now(), lease_until=None, last_error="")
    return Delivery(Status.SENT)


def _expired(message: OutboxMessage, now) -> bool:
    max_age = timedelta(days=float(settings.TALENTDESK_OUTBOX_MAX_AGE_DAYS))
    return now - message.created_at > max_age


def message_key(message: OutboxMessage) -> str:
    """The row's stable identity for providers: the same on every attempt of the row, and
    different for any other row (also across databases: the creation instant is in it)."""
    return f"talentdesk-outbox-{message.pk}-{message.created_at:%Y%m%d%H%M%S%f}"


def email_message_id(message: OutboxMessage) -> str:
    """A deterministic ``Message-ID``: a retry after a worker died mid-send carries the
    same id, so the receiving side can recognise and drop the duplicate."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "talentdesk.local"
    return f"<{message_key(message)}@{domain}>"


def _send(message: OutboxMessage) -> None:
    if message.channel == Channel.EMAIL:
        EmailMessage(subject=message.subject, body=message.body, to=[message.to],
                     headers={"Message-ID": email_message_id(message)}).send()
    else:
        from notifications.sms import send_sms

        send_sms(message.to, message.body, idempotency_key=message_key(message))


def _record_failure(message_id: int, attempt: int, exc: Exception) -> Delivery:
    error = f"{type(exc).__name__}: {exc}"[:500]
    log.warning("outbox %s attempt %s failed: %s", message_id, attempt, error)
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().filter(
            pk=message_id, status=Status.SENDING, attempts=attempt).first()
        if message is None:  # the lease ran out and someone else took over
            return Delivery("busy")
        message.last_error = error
        message.lease_until = None
        if attempt >= max_attempts():
            message.status = Status.FAILED
            message.save(update_fields=["status", "last_error", "lease_until"])
            notify_delivery_failed(message=message)
            return Delivery(Status.FAILED)
        delay = retry_delay(attempt)
        message.status = Status.PENDING
        message.next_attempt_at = timezone.now() + timedelta(seconds=delay)
        message.save(update_fields=["status", "last_error", "lease_until", "next_attempt_at"])
        return Delivery(Status.PENDING, delay)


def outbox_retry(*, message: OutboxMessage) -> None:
    """Give a failed or expired message another round of attempts (staff or admin)."""
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().get(pk=message.pk)
        if message.status in OPEN_STATUSES or message.status == Status.SENT:
            return
        now = timezone.now()
        message.status = Status.PENDING
        message.attempts = 0
        message.created_at = max(message.created_at, now - timedelta(days=1))
        message.next_attempt_at = now
        message.save(update_fields=["status", "attempts", "created_at", "next_attempt_at"])
        pk = message.pk
        transaction.on_commit(lambda: outbox_publish([pk]), robust=True)


# --- sweeping -------------------------------------------------------------------------------


def outbox_sweep(*, grace_seconds: float | None = None, limit: int = 500) -> int:
    """Re-queue what a dead broker or worker left behind; return how many were published.

    Rows are taken when pending and due for ``grace_seconds`` (their own task may still be
    on its way), or sending with a lapsed lease (the worker died mid-delivery). Rows too
    old to be worth sending are first expired in one statement, and the rest go newest
    due first: after an outage, a fresh message never waits behind a backlog.
    """
    grace = float(settings.TALENTDESK_OUTBOX_SWEEP_GRACE_SECONDS
                  if grace_seconds is None else grace_seconds)
    now = timezone.now()
    outbox_expire(now=now)
    stale = OutboxMessage.objects.filter(status=Status.SENDING, lease_until__lt=now)
    stale.update(status=Status.PENDING, lease_until=None, last_error="worker lost mid-delivery")
    ids = list(
        OutboxMessage.objects.filter(
            status=Status.PENDING, next_attempt_at__lte=now - timedelta(seconds=grace))
        .order_by("-next_attempt_at", "-pk").values_list("pk", flat=True)[:limit]
    )
    return outbox_publish(ids) if ids else 0


def outbox_expire(*, now) -> int:
    """Mark every pending row older than the maximum age expired (one UPDATE); return how
    many. A row a worker holds (``sending``, lease running) is left to that worker."""
    max_age = timedelta(days=float(settings.TALENTDESK_OUTBOX_MAX_AGE_DAYS))
    return OutboxMessage.objects.filter(
        status=Status.PENDING, created_at__lt=now - max_age
    ).update(status=Status.EXPIRED, last_error="too old to send")


def notify_delivery_failed(*, message) -> None:
    """A message that used up its attempts: visible to the ticket's holder (else the
    supervisors) as an in-app notice; the ticket itself is untouched."""
    ticket = message.ticket
    if ticket is None:
        return
    people = [ticket.assignee] if ticket.assignee_id else supervisors_to_alert(ticket.centre)
    data = {"reference": ticket.reference, "channel": message.channel,
            "to": _mask_address(message.to), "error": message.last_error[:120],
            "message": message.pk, "failed_at": timezone.now().isoformat()}
    for person in people:
        notice_add(recipient=person, kind=NoticeKind.DELIVERY_FAILED, ticket=ticket, data=data,
                   dedupe_key=f"failed:{message.pk}:{message.attempts}:{person.pk}")


def _mask_address(address: str) -> str:
    if "@" in address:
        name, _, domain = address.partition("@")
        return f"{name[:2]}***@{domain}"
    return f"{address[:3]}****{address[-2:]}" if len(address) > 6 else "****"
