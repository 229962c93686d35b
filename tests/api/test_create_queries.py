"""Opening a ticket through the API runs at most 15 statements (issue 18), counted as a
server runs them: outside a test transaction, so the opening's own transaction is the
outermost one (BEGIN/COMMIT are not statements) and the workflow pin is remembered once
committed. What each statement is, is pinned too: one INSERT per kind of row."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.conftest import url
from tickets.models import MaterialItem, Ticket, TimelineEvent

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def broker(monkeypatch):
    """A broker that takes every task: without one the tasks would run in the request
    (eager mode), which no server does. Returns what was published."""
    published = []

    def publish(task, *, args, what, queue=None):
        published.append((task.name, args))
        return True

    monkeypatch.setattr("notifications.outbox.broker_publish", publish)
    monkeypatch.setattr("reports.tasks.broker_publish", publish)
    return published


def _statements(captured):
    """The statements run, without the opening transaction's BEGIN and COMMIT."""
    return [q["sql"] for q in captured.captured_queries
            if q["sql"] not in ("BEGIN", "BEGIN IMMEDIATE", "COMMIT")]


def _body(talent, window, subject="Moving my hukou"):
    return {"talent": talent.pk, "category": "settlement", "channel": "hotline",
            "subject": subject, "description": "Called the hotline", "window": window.pk,
            "priority": "high", "confirm_duplicate": True}


def test_an_api_create_runs_fifteen_statements(api, clerk, officer, talent, window, broker):
    client = api(clerk)
    assert client.post(url("tickets"), _body(talent, window), format="json").status_code == 201
    # token + user + profile, talent, window + centre, related tickets (one query), the
    # opener's windows, the reference, the dedicated officer with loads, ticket + history,
    # the officer's last assignment, materials + history, events + history, the outbox
    broker.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.post(url("tickets"), _body(talent, window, "Second visit"), format="json")
    assert response.status_code == 201, response.content
    sql = _statements(captured)
    assert len(sql) == 15, "\n".join(sql)
    # after commit: the talent's two messages and the report fact are handed to the broker
    assert sorted(name for name, _args in broker) == [
        "notifications.task_outbox_deliver", "notifications.task_outbox_deliver",
        "reports.task_facts_refresh"]
    assert not any("CREATE SEQUENCE" in s for s in sql)
    assert not any("staff_historicalofficer" in s for s in sql)  # routing is not configuration
    for table in ("tickets_materialitem", "tickets_historicalmaterialitem", "tickets_timelineevent",
                  "tickets_historicaltimelineevent", "tickets_ticket", "tickets_historicalticket",
                  "notifications_outboxmessage"):
        assert sum(s.startswith(f'INSERT INTO "{table}"') for s in sql) == 1, table


def test_the_bulk_opening_keeps_the_history_and_the_related_note(api, clerk, officer, talent, window):
    client = api(clerk)
    rows_before = officer.history.count()
    first = client.post(url("tickets"), _body(talent, window), format="json").json()
    second = client.post(url("tickets"), _body(talent, window, "Again"), format="json").json()
    ticket = Ticket.objects.get(reference=second["reference"])
    assert second["materials"] and {m["material_id"] for m in second["materials"]} == set(
        ticket.materials.values_list("material_id", flat=True))
    assert second["assignee"] == {"id": officer.pk, "name": officer.display_name}
    # one history row per material, written by the clerk
    for item in MaterialItem.objects.filter(ticket=ticket):
        assert [h.history_type for h in item.history.all()] == ["+"]
        assert item.history.first().history_user == clerk.user
    # the ticket's row names the routing reason; opened, routed and the related note follow
    assert ticket.history.count() == 1
    assert ticket.history.first().history_change_reason == f"dedicated officer: {officer.display_name}"
    kinds = list(TimelineEvent.objects.filter(ticket=ticket).order_by("created_at", "id")
                 .values_list("kind", flat=True))
    assert kinds == ["opened", "assignment", "note"]
    note = TimelineEvent.objects.get(ticket=ticket, kind="note")
    assert note.body == first["reference"] and note.public is False
    assert all(e.history.count() == 1 for e in TimelineEvent.objects.filter(ticket=ticket))
    officer.refresh_from_db()
    assert officer.last_assigned_at is not None
    assert officer.history.count() == rows_before  # routing is not a change of configuration


def test_a_create_routed_by_least_work_runs_fifteen_statements_on_postgresql(
        api, clerk, officer, window, broker):
    from django.db import connection as db

    from tests.api.conftest import new_talent

    officer.skills, officer.languages = ["settlement"], ["zh", "en"]
    officer.save()
    talent = new_talent(dedicated_officer=None, preferred_language="en")
    client = api(clerk)
    assert client.post(url("tickets"), _body(talent, window), format="json").status_code == 201
    with CaptureQueriesContext(connection) as captured:
        response = client.post(url("tickets"), _body(talent, window, "Second visit"), format="json")
    assert response.status_code == 201 and response.json()["assignee"]["id"] == officer.pk
    sql = _statements(captured)
    # no dedicated officer: the qualified officers of the serving windows with their loads
    # (one query where the database matches inside JSON lists; SQLite reads the windows first)
    assert len(sql) == (15 if db.features.supports_json_field_contains else 16), "\n".join(sql)
