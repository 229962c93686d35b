"""Opening a ticket at intake (issue 18): the statements of one submission, counted as a
server runs them (outside a test transaction, with a broker that takes the tasks)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from centres.models import Window
from tickets.models import Ticket

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def broker(monkeypatch):
    published = []

    def publish(task, *, args, what, queue=None):
        published.append((task.name, args))
        return True

    monkeypatch.setattr("notifications.outbox.broker_publish", publish)
    monkeypatch.setattr("reports.tasks.broker_publish", publish)
    return published


def _post(client, talent, window, token, subject):
    return client.post("/intake/", {
        "client_token": token, "talent": talent.pk, "channel": "window", "category": "settlement",
        "priority": "normal", "subject": subject, "description": "With family", "window": window.pk,
    })


def test_an_intake_submission_runs_a_pinned_number_of_statements(login, clerk, officer, talent):
    client = login(clerk)
    window = Window.objects.get(code="returnee")
    assert _post(client, talent, window, "token-1", "Household registration").status_code == 302
    with CaptureQueriesContext(connection) as captured:
        response = _post(client, talent, window, "token-2", "Second visit")
    assert response.status_code == 302
    sql = [q["sql"] for q in captured.captured_queries
           if q["sql"] not in ("BEGIN", "BEGIN IMMEDIATE", "COMMIT")]
    assert Ticket.objects.count() == 2
    # user, profile, talent, window, related tickets; savepoint (the hall visit and the
    # guidance choice join the opening's transaction), the idempotency key's first ticket,
    # the opener's windows, the reference, the dedicated officer with loads, ticket +
    # history, the officer's last assignment, materials + history, events + history, the
    # outbox; release; the visit being served; the receipt's code into the session — and on
    # PostgreSQL the idempotency key's advisory lock
    assert len(sql) == 21 + (connection.vendor == "postgresql"), "\n".join(sql)
    assert sum(s.startswith("INSERT") for s in sql) == 7
    assert not any("staff_historicalofficer" in s or "CREATE SEQUENCE" in s for s in sql)
