"""Prometheus metrics (``/metrics``, text format, prometheus-client).

Two kinds of figures, each measured where it can be measured right on many hosts:

* **Per-request and per-task timings** (request latency per route name, Celery task run
  time and queue wait) are observed in the process that served the request or ran the
  task. gunicorn runs several worker processes per host, so with
  ``PROMETHEUS_MULTIPROC_DIR`` set (deploy/: one directory per host, shared by gunicorn's
  workers and the Celery worker, emptied at service start) prometheus-client writes them
  to memory-mapped files and a scrape of any worker sums all of them: one scrape per host
  sees the whole host. Without it (``make run``, one process) they live in the process.
* **Domain figures** (tickets opened and resolved, SLA warnings and breaches, outbox backlog
  and failures, queue lengths) are read from the database and the broker at scrape time:
  they are the same whichever host and process is asked, survive restarts, and need no
  bookkeeping in the request path. Counting a process's own events instead would count
  each host's share and lose it at every restart. The queries use the indexes of the
  tables (grouped counts); scrape every 30-60 s.
"""

from __future__ import annotations

import os
import time

from django.conf import settings
from django.db.models import Count, Min, Q
from prometheus_client import CollectorRegistry, Histogram, generate_latest, multiprocess
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

from core import clock
from core.broker import broker_check

_SECONDS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
_TASK_SECONDS = (0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 15.0, 60.0, 300.0, 1800.0)

REQUEST_LATENCY = Histogram(
    "talentdesk_http_request_duration_seconds",
    "Time to answer a request, by route name (not the raw path), method and status class.",
    ["view", "method", "status"], buckets=_SECONDS,
)
TASK_RUNTIME = Histogram(
    "talentdesk_celery_task_duration_seconds",
    "Time a Celery task ran, by task name and final state.",
    ["task", "state"], buckets=_TASK_SECONDS,
)
TASK_WAIT = Histogram(
    "talentdesk_celery_task_queue_wait_seconds",
    "Time from publishing a Celery task to a worker starting it, by task name.",
    ["task"], buckets=_TASK_SECONDS,
)
PUBLISHED_AT = "talentdesk_published_at"


def multiprocess_mode() -> bool:
    return bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))


def exposition() -> tuple[bytes, str]:
    """The scrape's body and content type: this host's timings and the domain figures."""
    from prometheus_client import CONTENT_TYPE_LATEST

    registry = CollectorRegistry()
    if multiprocess_mode():
        multiprocess.MultiProcessCollector(registry)
    else:
        for metric in (REQUEST_LATENCY, TASK_RUNTIME, TASK_WAIT):
            registry.register(metric)
    registry.register(DomainCollector())
    return generate_latest(registry), CONTENT_TYPE_LATEST


class DomainCollector:
    """Figures read from the database and the broker when scraped."""

    def collect(self):
        from notifications.models import OPEN_STATUSES, OutboxMessage, Status
        from sla.models import SlaAlert
        from tickets.models import Ticket

        opened = CounterMetricFamily("talentdesk_tickets_opened", "Tickets opened, by category.",
                                     labels=["category"])
        resolved = CounterMetricFamily("talentdesk_tickets_resolved",
                                       "Tickets resolved, by category.", labels=["category"])
        rows = (Ticket.objects.order_by().values("category")
                .annotate(opened=Count("pk"), resolved=Count("pk", filter=Q(resolved_at__isnull=False))))
        for row in rows:
            opened.add_metric([row["category"]], row["opened"])
            resolved.add_metric([row["category"]], row["resolved"])
        yield opened
        yield resolved

        alerts = CounterMetricFamily("talentdesk_sla_alerts",
                                     "SLA warnings (a share of the target passed) and breaches, "
                                     "by target.", labels=["kind", "target"])
        for row in SlaAlert.objects.order_by().values("kind", "target").annotate(n=Count("pk")):
            alerts.add_metric([row["kind"], row["target"]], row["n"])
        yield alerts

        backlog = GaugeMetricFamily("talentdesk_outbox_backlog",
                                    "Outbox messages waiting to be sent, by channel.",
                                    labels=["channel"])
        failed = GaugeMetricFamily("talentdesk_outbox_failed",
                                   "Outbox messages that failed after their last attempt, by channel.",
                                   labels=["channel"])
        rows = (OutboxMessage.objects.order_by().values("channel")
                .annotate(open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
                          failed=Count("pk", filter=Q(status=Status.FAILED)),
                          oldest=Min("created_at", filter=Q(status__in=OPEN_STATUSES))))
        oldest = None
        for row in rows:
            backlog.add_metric([row["channel"]], row["open"])
            failed.add_metric([row["channel"]], row["failed"])
            if row["oldest"] is not None and (oldest is None or row["oldest"] < oldest):
                oldest = row["oldest"]
        yield backlog
        yield failed
        age = (clock.now() - oldest).total_seconds() if oldest is not None else 0.0
        yield GaugeMetricFamily("talentdesk_outbox_oldest_waiting_seconds",
                                "Age of the oldest outbox message still waiting (0: none).",
                                value=max(age, 0.0))

        yield from self._broker()

    def _broker(self):
        if settings.CELERY_TASK_ALWAYS_EAGER:
            return  # no broker: tasks run in-process, there are no queues
        from celery import current_app

        queues = tuple(dict.fromkeys(
            q for q in (current_app.conf.task_default_queue, settings.TALENTDESK_NOTIFICATIONS_QUEUE) if q))
        counts = broker_check(queues=queues)
        yield GaugeMetricFamily("talentdesk_broker_up", "1 when the broker answered this scrape.",
                                value=0 if counts is None else 1)
        if counts is not None:
            lengths = GaugeMetricFamily("talentdesk_queue_length",
                                        "Tasks waiting in each broker queue.", labels=["queue"])
            for name, count in counts.items():
                lengths.add_metric([name], count)
            yield lengths


# --- Celery: task timings, observed in the worker --------------------------------------

_started: dict[str, float] = {}


def _before_publish(sender=None, headers=None, **kwargs):
    if headers is not None:
        headers.setdefault(PUBLISHED_AT, time.time())


def _prerun(sender=None, task_id=None, task=None, **kwargs):
    _started[task_id] = time.perf_counter()
    published = getattr(task.request, PUBLISHED_AT, None) if task is not None else None
    if isinstance(published, int | float):
        TASK_WAIT.labels(task=sender.name).observe(max(time.time() - published, 0.0))


def _postrun(sender=None, task_id=None, state=None, **kwargs):
    started = _started.pop(task_id, None)
    if started is not None and sender is not None:
        TASK_RUNTIME.labels(task=sender.name, state=state or "UNKNOWN").observe(
            time.perf_counter() - started)


def connect_task_signals() -> None:
    from celery.signals import before_task_publish, task_postrun, task_prerun

    before_task_publish.connect(_before_publish, dispatch_uid="ops.metrics.publish", weak=False)
    task_prerun.connect(_prerun, dispatch_uid="ops.metrics.prerun", weak=False)
    task_postrun.connect(_postrun, dispatch_uid="ops.metrics.postrun", weak=False)
