# ruff: noqa: S608 - the table names are the fixed history tables, not input
"""Finding 9: the application's own database role cannot rewrite or delete the audit
history (PostgreSQL: a refusing trigger on every history table, installed by migrate)."""

import pytest
from django.db import connection, transaction
from django.db.utils import ProgrammingError

from core.history_guard import guarded_tables, history_guard_install, history_tables
from tests.integration.conftest import requires_postgres
from tickets.models import Ticket, TimelineEvent
from tickets.services import ticket_comment

pytestmark = [requires_postgres, pytest.mark.django_db]


def test_every_history_table_carries_the_refusing_trigger():
    tables = history_tables()
    assert "tickets_historicalticket" in tables and "talents_historicaltalent" in tables
    assert guarded_tables() == set(tables)
    assert history_guard_install() == []  # idempotent: nothing left to install


def _refused(operation: str, table: str):
    return pytest.raises(
        ProgrammingError,
        match=rf"talentdesk: {operation} on public\.{table} refused: the audit history is append-only",
    )


def test_history_rows_cannot_be_updated_or_deleted_through_the_orm(open_ticket):
    rows = Ticket.history.filter(id=open_ticket.pk)
    before = list(rows.values_list("history_id", "subject"))
    assert before
    with _refused("UPDATE", "tickets_historicalticket"), transaction.atomic():
        rows.update(subject="rewritten")
    with _refused("DELETE", "tickets_historicalticket"), transaction.atomic():
        rows.delete()
    assert list(rows.values_list("history_id", "subject")) == before


@pytest.mark.parametrize("table", [
    "tickets_historicalticket", "tickets_historicalmaterialitem", "talents_historicaltalent",
])
def test_raw_sql_updates_and_deletes_are_refused(open_ticket, table):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")
        (rows,) = cursor.fetchone()
        assert rows > 0
        with _refused("UPDATE", table), transaction.atomic():
            cursor.execute(f"UPDATE {table} SET history_change_reason = 'rewritten'")
        with _refused("DELETE", table), transaction.atomic():
            cursor.execute(f"DELETE FROM {table}")
        cursor.execute(f"SELECT count(*) FROM {table} WHERE history_change_reason = 'rewritten'")
        assert cursor.fetchone() == (0,)
        cursor.execute(f"SELECT count(*) FROM {table}")
        assert cursor.fetchone() == (rows,)


def test_new_history_is_still_written(open_ticket, officer):
    events = TimelineEvent.history.filter(ticket_id=open_ticket.pk)
    count = events.count()
    ticket_comment(ticket=open_ticket, actor=officer.user, body="Still appending.", public=False)
    assert events.count() == count + 1
