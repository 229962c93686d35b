"""Nothing is lost when the broker, a worker or a provider fails.

The shared Redis and PostgreSQL servers are never stopped: a broker that is "down" is a
port nobody listens on (refused) or a local socket that accepts and never answers
(hang); a killed worker is our own subprocess on our own queue; a failing SMTP server is
a local socket that answers 421. The tests that need a worker run on PostgreSQL with a
broker configured (CI's second run); the others run everywhere.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.utils import timezone

from notifications import outbox
from notifications.models import Notice, NoticeKind, OutboxMessage, Status
from tests.factories import TalentFactory
from tests.integration.conftest import ROOT, _worker_env, requires_broker, requires_postgres
from tickets import services
from tickets.models import Ticket

REFUSED = "redis://127.0.0.1:1/0"  # port 1: nothing listens, the connection is refused


# --- the faulty parts -----------------------------------------------------------------------


class SilentServer:
    """Accepts TCP connections and never says a word (a hung broker)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(32)
        self.port = self.sock.getsockname()[1]
        self.held: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.held.append(conn)

    def close(self) -> None:
        self.sock.close()
        for conn in self.held:
            conn.close()


class RefusingSmtpServer(SilentServer):
    """Greets every connection with ``421 Service not available`` and hangs up."""

    def __init__(self) -> None:
        self.connections: list[float] = []
        super().__init__()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections.append(time.monotonic())
            conn.sendall(b"421 4.3.2 Service not available, try again later\r\n")
            conn.close()


@pytest.fixture
def silent_server():
    server = SilentServer()
    yield server
    server.close()


@pytest.fixture
def refusing_smtp():
    server = RefusingSmtpServer()
    yield server
    server.close()


@contextmanager
def broker_at(url: str):
    """Publish to ``url`` for a while, for real (not in-process), then restore."""
    from config.celery import app

    saved = app.conf.broker_write_url, app.conf.task_always_eager
    app.conf.broker_write_url = url
    app.conf.task_always_eager = False
    app._pool = None
    app.amqp._producer_pool = None
    outbox.breaker_reset()
    try:
        yield
    finally:
        app.conf.broker_write_url, app.conf.task_always_eager = saved
        app._pool = None
        app.amqp._producer_pool = None
        outbox.breaker_reset()


@pytest.fixture
def queue(settings):
    """Our own queue on the configured broker: only our workers consume it."""
    name = f"td-faults-{os.getpid()}-{uuid.uuid4().hex[:6]}"
    settings.TALENTDESK_NOTIFICATIONS_QUEUE = name
    return name


@pytest.fixture
def start_worker(tmp_path, queue):
    """Start ``celery worker`` processes on our queue; each is stopped at the end."""
    processes = []

    def start(**env_extra) -> subprocess.Popen:
        log = tmp_path / f"worker-{len(processes)}.log"
        env = _worker_env()
        env.update({"NOTIFICATIONS_QUEUE": queue, **{k: str(v) for k, v in env_extra.items()}})
        with log.open("w") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo",
                 "-Q", queue, "--without-mingle", "--without-gossip", "--without-heartbeat",
                 "-l", "info", "-n", f"{queue}-{len(processes)}@%h"],
                cwd=ROOT / "backend", env=env, stdout=out, stderr=subprocess.STDOUT,
            )
        processes.append(process)
        deadline = time.monotonic() + 60
        while "ready." not in log.read_text():
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"worker did not start:\n{log.read_text()}")
            time.sleep(0.2)
        return process

    yield start
    for process in processes:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def _wait_for(predicate, timeout=30.0, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}")


def _open(clerk, window, talent):
    return services.ticket_open(actor=clerk.user, talent=talent, category="settlement",
                                channel="online", subject="Broker faults", window=window).ticket


def _sms_lines(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


# --- broker down while a ticket is opened ---------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("fault", ["refused", "hangs"])
def test_a_ticket_opened_while_the_broker_is_down_is_saved_quickly_and_its_message_waits(
        fault, clerk, window, talent, silent_server):
    url = REFUSED if fault == "refused" else f"redis://127.0.0.1:{silent_server.port}/0"
    with broker_at(url):
        started = time.monotonic()
        ticket = _open(clerk, window, talent)
        elapsed = time.monotonic() - started
        if fault == "hangs":
            assert silent_server.held, "the publish never reached the silent broker"
    assert elapsed < 5, f"opening took {elapsed:.1f} s with the broker {fault}"
    assert Ticket.objects.filter(pk=ticket.pk).exists()
    rows = OutboxMessage.objects.filter(ticket=ticket)
    assert rows.count() == 2
    assert set(rows.values_list("status", "attempts")) == {(Status.PENDING, 0)}


@pytest.mark.django_db(transaction=True)
def test_later_messages_do_not_wait_on_a_broker_known_to_be_down(clerk, window, silent_server):
    with broker_at(f"redis://127.0.0.1:{silent_server.port}/0"):
        _open(clerk, window, TalentFactory())  # the outbox pays the bounded timeout once
        started = time.monotonic()
        ticket = _open(clerk, window, TalentFactory())
        assert time.monotonic() - started < 5
        ids = list(OutboxMessage.objects.filter(ticket=ticket).values_list("pk", flat=True))
        started = time.monotonic()
        assert outbox.outbox_publish(ids) == 0  # the breaker is open: no wait at all
        assert time.monotonic() - started < 0.2
    assert OutboxMessage.objects.filter(status=Status.PENDING).count() == 4


@pytest.mark.django_db(transaction=True)
def test_with_a_hung_broker_only_the_first_write_waits_and_the_next_publishes_nothing(
        clerk, window, silent_server):
    """Finding 6: every after-commit publish (the outbox, the report facts' refresh) sits
    behind one circuit breaker, so after the first bounded wait no request waits again."""
    with broker_at(f"redis://127.0.0.1:{silent_server.port}/0"):
        started = time.monotonic()
        _open(clerk, window, TalentFactory())
        first = time.monotonic() - started
        connections = len(silent_server.held)
        started = time.monotonic()
        second = _open(clerk, window, TalentFactory())
        elapsed = time.monotonic() - started
    assert first < 5, f"the first write waited {first:.1f} s"
    # Not even a connection attempt; any attempt would cost the 2 s socket timeout.
    assert len(silent_server.held) == connections
    assert elapsed < 2, f"the second write waited {elapsed:.1f} s on a broker known down"
    assert Ticket.objects.filter(pk=second.pk).exists()


@requires_postgres
@requires_broker
@pytest.mark.django_db(transaction=True)
def test_once_the_broker_is_back_exactly_one_message_is_delivered(clerk, window, start_worker,
                                                                 tmp_path):
    sms_file = tmp_path / "sms.jsonl"
    talent = TalentFactory(email="")  # one message: the SMS
    with broker_at(REFUSED):
        ticket = _open(clerk, window, talent)
    message = OutboxMessage.objects.get(ticket=ticket)
    assert message.status == Status.PENDING

    start_worker(SMS_BACKEND="notifications.sms.FileSmsBackend", SMS_FILE_PATH=sms_file)
    # The sweeper (beat, every minute) finds it; running it twice, and a stray duplicate
    # publish, must not send it twice.
    assert outbox.outbox_sweep(grace_seconds=0) == 1
    assert outbox.outbox_sweep(grace_seconds=0) in (0, 1)
    outbox.outbox_publish([message.pk])
    _wait_for(lambda: OutboxMessage.objects.get(pk=message.pk).status == Status.SENT,
              what="delivery after the broker came back")
    time.sleep(1.0)  # let any duplicate task run
    lines = _sms_lines(sms_file)
    assert len(lines) == 1 and ticket.reference in lines[0]["text"]
    assert OutboxMessage.objects.get(pk=message.pk).attempts == 1


@pytest.mark.django_db(transaction=True)
def test_every_after_commit_hook_survives_a_dead_broker(clerk, window, talent):
    with broker_at(REFUSED):
        ticket = _open(clerk, window, talent)
    assert Ticket.objects.filter(pk=ticket.pk).exists()


# --- a worker killed mid-delivery -----------------------------------------------------------


@requires_postgres
@requires_broker
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_delivery_delivers_once_after_restart(clerk, window, start_worker,
                                                                  tmp_path):
    sms_file = tmp_path / "sms.jsonl"
    flag = tmp_path / "sms-provider-hangs"
    flag.write_text("1")
    provider = {"SMS_BACKEND": "tests.integration.fake_providers.BlockingSmsBackend",
                "SMS_FILE_PATH": sms_file, "TD_SMS_BLOCK_FLAG": flag,
                "OUTBOX_LEASE_SECONDS": 2}
    worker = start_worker(**provider)
    ticket = _open(clerk, window, TalentFactory(email=""))
    message = OutboxMessage.objects.get(ticket=ticket)
    _wait_for(Path(f"{flag}.started").exists, what="the worker to start delivering")

    os.kill(worker.pid, signal.SIGKILL)
    worker.wait(timeout=10)
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.SENDING, 1)
    assert _sms_lines(sms_file) == []

    flag.unlink()  # the provider answers again
    start_worker(**provider)
    _wait_for(lambda: OutboxMessage.objects.get(pk=message.pk).lease_until < timezone.now(),
              timeout=10, what="the dead worker's lease to run out")
    assert outbox.outbox_sweep(grace_seconds=0) == 1
    _wait_for(lambda: OutboxMessage.objects.get(pk=message.pk).status == Status.SENT,
              what="delivery after the restart")
    time.sleep(1.0)
    lines = _sms_lines(sms_file)
    assert len(lines) == 1 and ticket.reference in lines[0]["text"]
    message.refresh_from_db()
    assert message.attempts == 2


# --- SMTP or SMS failure --------------------------------------------------------------------


@pytest.mark.django_db
def test_an_smtp_server_refusing_mail_backs_off_then_fails_visibly(settings, refusing_smtp, clerk,
                                                                  window, officer):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = (
        "127.0.0.1", refusing_smtp.port, 5)
    settings.TALENTDESK_OUTBOX_MAX_ATTEMPTS = 3
    ticket = _open(clerk, window, TalentFactory(phone="", dedicated_officer=officer))
    message = OutboxMessage.objects.get(ticket=ticket)
    outcomes = []
    for _ in range(3):
        OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())
        outcomes.append(outbox.outbox_deliver(message_id=message.pk))
    assert [o.status for o in outcomes] == [Status.PENDING, Status.PENDING, Status.FAILED]
    assert outcomes[0].retry_in < outcomes[1].retry_in  # exponential backoff
    assert len(refusing_smtp.connections) == 3
    message.refresh_from_db()
    assert "SMTPConnectError" in message.last_error and "421" in message.last_error
    assert Notice.objects.filter(recipient=officer, kind=NoticeKind.DELIVERY_FAILED).count() == 1
    ticket.refresh_from_db()
    assert (ticket.state, ticket.assignee) == ("new", officer)


@requires_postgres
@requires_broker
@pytest.mark.django_db(transaction=True)
def test_a_worker_retries_smtp_with_growing_delays_then_marks_the_message_failed(
        clerk, window, officer, start_worker, refusing_smtp):
    start_worker(EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
                 EMAIL_HOST="127.0.0.1", EMAIL_PORT=refusing_smtp.port,
                 OUTBOX_RETRY_SECONDS=1, OUTBOX_MAX_ATTEMPTS=3)
    ticket = _open(clerk, window, TalentFactory(phone="", dedicated_officer=officer))
    message = OutboxMessage.objects.get(ticket=ticket)
    _wait_for(lambda: OutboxMessage.objects.get(pk=message.pk).status == Status.FAILED,
              timeout=45, what="the last attempt")
    seen = refusing_smtp.connections
    assert len(seen) == 3
    first_gap, second_gap = seen[1] - seen[0], seen[2] - seen[1]
    assert first_gap >= 0.9 and second_gap >= 1.8 and second_gap > first_gap
    assert Notice.objects.filter(recipient=officer, kind=NoticeKind.DELIVERY_FAILED).exists()
    ticket.refresh_from_db()
    assert (ticket.state, ticket.assignee) == ("new", officer)
