"""``/metrics``: Prometheus text, protected by a bearer token (404 otherwise), open to
loopback only in the development default; figures read where they are true."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from core import broker
from notifications.models import OutboxMessage, Status
from sla.models import SlaAlert
from tickets import services

pytestmark = pytest.mark.django_db

TOKEN = "t" * 40


@pytest.fixture(autouse=True)
def _production(settings):
    settings.DEBUG = False
    settings.TALENTDESK_METRICS_TOKEN = TOKEN
    settings.CELERY_TASK_ALWAYS_EAGER = True
    broker.breaker_reset()
    yield
    broker.breaker_reset()


def L(**labels) -> frozenset:  # noqa: N802 - reads like the exposition's {labels}
    return frozenset(labels.items())


def _scrape(token=TOKEN, remote="10.0.0.5"):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token is not None else {}
    return Client(REMOTE_ADDR=remote).get("/metrics", **headers)


def _samples(response) -> dict:
    """{(name, frozenset(labels)): value} of every sample in the answer."""
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for family in text_string_to_metric_families(response.content.decode())
        for s in family.samples
    }


class TestAccess:
    def test_the_right_bearer_token_gets_prometheus_text(self):
        response = _scrape()
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/plain; version=")

    @pytest.mark.parametrize("token", [None, "", "t" * 39, "t" * 41, "T" * 40])
    def test_a_missing_or_wrong_token_is_404(self, token):
        assert _scrape(token=token).status_code == 404

    def test_basic_instead_of_bearer_is_404(self):
        response = Client().get("/metrics", HTTP_AUTHORIZATION=f"Basic {TOKEN}")
        assert response.status_code == 404

    def test_without_a_configured_token_production_answers_nobody(self, settings):
        settings.TALENTDESK_METRICS_TOKEN = ""
        assert _scrape(token="", remote="127.0.0.1").status_code == 404

    def test_development_default_answers_loopback_without_a_token(self, settings):
        settings.DEBUG = True
        settings.TALENTDESK_METRICS_TOKEN = ""
        assert _scrape(token=None, remote="127.0.0.1").status_code == 200
        assert _scrape(token=None, remote="::1").status_code == 200

    def test_development_default_refuses_other_addresses_and_forwarded_loopback(self, settings):
        settings.DEBUG = True
        settings.TALENTDESK_METRICS_TOKEN = ""
        assert _scrape(token=None, remote="192.168.1.20").status_code == 404
        response = Client(REMOTE_ADDR="192.168.1.20").get(
            "/metrics", HTTP_X_FORWARDED_FOR="127.0.0.1")
        assert response.status_code == 404

    def test_post_is_refused(self):
        response = Client().post("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
        assert response.status_code == 405


@pytest.mark.clock("2026-12-02 10:00")
class TestFigures:
    def test_request_latency_is_labelled_by_route_name_not_path(self):
        Client().get("/healthz")
        Client().get("/status/no-such-page/at-all")
        samples = _samples(_scrape())
        count = ("talentdesk_http_request_duration_seconds_count",
                 L(view="healthz", method="GET", status="2xx"))
        assert samples[count] >= 1
        paths = {dict(labels).get("view") for (name, labels) in samples
                 if name.startswith("talentdesk_http_request")}
        assert not any(view and view.startswith("/") for view in paths)

    def test_tickets_opened_and_resolved_by_category(self, clerk, officer, talent, window):
        for _ in range(2):
            services.ticket_open(actor=clerk.user, talent=talent, category="policy_consultation",
                                 channel="window", subject="Metrics", window=window)
        ticket = services.ticket_open(actor=clerk.user, talent=talent, category="policy_consultation",
                                      channel="window", subject="Metrics", window=window).ticket
        services.ticket_transition(ticket=ticket, action="answer", actor=officer.user,
                                   note="Answered at the window.")
        samples = _samples(_scrape())
        label = L(category="policy_consultation")
        assert samples[("talentdesk_tickets_opened_total", label)] == 3
        assert samples[("talentdesk_tickets_resolved_total", label)] == 1

    def test_sla_warnings_and_breaches(self, clerk, talent, window):
        ticket = services.ticket_open(actor=clerk.user, talent=talent, category="policy_consultation",
                                      channel="window", subject="Metrics", window=window).ticket
        now = timezone.now()
        SlaAlert.objects.create(ticket=ticket, target="first_response", kind="warning", created_at=now, due_at=now, threshold_at=now)
        SlaAlert.objects.create(ticket=ticket, target="first_response", kind="breach", created_at=now, due_at=now, threshold_at=now)
        SlaAlert.objects.create(ticket=ticket, target="resolution", kind="warning", created_at=now, due_at=now, threshold_at=now)
        samples = _samples(_scrape())
        assert samples[("talentdesk_sla_alerts_total",
                        L(kind="warning", target="first_response"))] == 1
        assert samples[("talentdesk_sla_alerts_total",
                        L(kind="breach", target="first_response"))] == 1
        assert samples[("talentdesk_sla_alerts_total",
                        L(kind="warning", target="resolution"))] == 1

    def test_outbox_backlog_failures_and_oldest_waiting(self):
        now = timezone.now()

        def row(status, channel, age):
            OutboxMessage.objects.create(event="ticket_opened", channel=channel, to="x", body="b",
                                         status=status, created_at=now - age,
                                         next_attempt_at=now)

        row(Status.PENDING, "email", timedelta(minutes=10))
        row(Status.SENDING, "email", timedelta(minutes=1))
        row(Status.PENDING, "sms", timedelta(minutes=2))
        row(Status.FAILED, "sms", timedelta(days=1))
        row(Status.SENT, "email", timedelta(days=2))
        samples = _samples(_scrape())
        assert samples[("talentdesk_outbox_backlog", L(channel="email"))] == 2
        assert samples[("talentdesk_outbox_backlog", L(channel="sms"))] == 1
        assert samples[("talentdesk_outbox_failed", L(channel="sms"))] == 1
        assert samples[("talentdesk_outbox_failed", L(channel="email"))] == 0
        oldest = samples[("talentdesk_outbox_oldest_waiting_seconds", L())]
        assert 600 <= oldest < 660

    def test_celery_task_runtime_is_observed(self):
        from core.tasks import task_heartbeat

        task_heartbeat.apply(args=["metrics-test"])
        samples = _samples(_scrape())
        assert samples[("talentdesk_celery_task_duration_seconds_count",
                        L(task="core.task_heartbeat", state="SUCCESS"))] >= 1

    def test_queue_lengths_from_the_broker(self, settings, monkeypatch):
        from celery import current_app
        from kombu import Connection

        settings.CELERY_TASK_ALWAYS_EAGER = False
        settings.TALENTDESK_NOTIFICATIONS_QUEUE = "notifications"
        # Celery reads CELERY_BROKER_URL from the environment before its own setting.
        monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
        monkeypatch.setattr(current_app.conf, "broker_url", "memory://metrics-test")
        with Connection("memory://metrics-test") as connection:
            queue = connection.SimpleQueue("celery")
            queue.put({"n": 1})
            queue.put({"n": 2})
            queue.close()
        samples = _samples(_scrape())
        assert samples[("talentdesk_broker_up", L())] == 1
        assert samples[("talentdesk_queue_length", L(queue="celery"))] == 2
        assert samples[("talentdesk_queue_length", L(queue="notifications"))] == 0

    def test_a_dead_broker_is_reported_down_and_the_scrape_still_answers(self, settings, monkeypatch):
        from celery import current_app

        settings.CELERY_TASK_ALWAYS_EAGER = False
        # Celery reads CELERY_BROKER_URL from the environment before its own setting.
        monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
        monkeypatch.setattr(current_app.conf, "broker_url", "redis://127.0.0.1:9/0")
        response = _scrape()
        assert response.status_code == 200
        samples = _samples(response)
        assert samples[("talentdesk_broker_up", L())] == 0
        assert not any(name == "talentdesk_queue_length" for name, _ in samples)


def test_multiprocess_mode_sums_every_process_of_the_host(tmp_path, monkeypatch):
    """gunicorn's workers (and the host's Celery worker) write to PROMETHEUS_MULTIPROC_DIR;
    a scrape answered by any one process reports all of them."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path),
           "PYTHONPATH": os.pathsep.join([str(root / "backend"), str(root)])}
    observe = ("from ops.metrics import REQUEST_LATENCY; "
               "REQUEST_LATENCY.labels(view='portal:status', method='GET', status='2xx').observe(0.2)")
    for _ in range(2):  # two worker processes, each gone when the scrape comes
        subprocess.run([sys.executable, "-c", observe], env=env, check=True, timeout=60)
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    samples = _samples(_scrape())
    assert samples[("talentdesk_http_request_duration_seconds_count",
                    L(view="portal:status", method="GET", status="2xx"))] == 2
    assert samples[("talentdesk_http_request_duration_seconds_sum",
                    L(view="portal:status", method="GET", status="2xx"))] == pytest.approx(0.4)
