"""Backup and restore drill: back up, wipe, restore — tickets, history rows and attachments
are all back and the manifest's counts and sample hashes match. On PostgreSQL (marker
``postgres``: pg_dump/pg_restore) and on the embedded SQLite default."""

import json

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection

from ops.backup import MANIFEST, database_fingerprint, files_fingerprint
from prereview.models import Attachment
from prereview.uploads import attachment_upload
from tests.integration.conftest import on_postgres
from tests.portal.conftest import PDF
from tickets.models import Ticket, TimelineEvent
from tickets.services import ticket_comment, ticket_open

pytestmark = pytest.mark.django_db(transaction=True)


def _cases(clerk, officer, talent, window, count=3):
    for n in range(count):
        ticket = ticket_open(actor=clerk.user, talent=talent, category="settlement",
                             channel="window", subject=f"Drill {n}", window=window).ticket
        ticket_comment(ticket=ticket, actor=officer.user, body=f"Reply {n}", public=True)
        attachment_upload(ticket=ticket, material=ticket.materials.get(material_id="passport"),
                          upload=SimpleUploadedFile(f"scan-{n}.pdf", PDF + str(n).encode(),
                                                    content_type="application/pdf"),
                          actor=officer.user)


def _wipe():
    """Everything gone: every table (and its history triggers) and every uploaded file."""
    with connection.cursor() as cursor:
        if on_postgres():
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
        else:
            cursor.execute("PRAGMA foreign_keys = OFF")
            for table in connection.introspection.table_names(cursor):
                cursor.execute(f'DROP TABLE "{table}"')
    for name in files_fingerprint():
        default_storage.delete(name)


def _drill(tmp_path, capsys):
    before_tables, before_files = database_fingerprint(), files_fingerprint()
    tickets = {t.reference: t.subject for t in Ticket.objects.all()}
    history = Ticket.history.count()
    events = TimelineEvent.objects.count()
    attachments = {a.stored_name: default_storage.open(a.stored_name).read()
                   for a in Attachment.objects.all()}
    assert len(tickets) == 3 and history >= 3 and len(attachments) == 3

    call_command("backup", str(tmp_path / "backup"))
    manifest = json.loads((tmp_path / "backup" / MANIFEST).read_text())
    assert manifest["tables"]["tickets.Ticket"]["rows"] == 3
    assert len(manifest["files"]) == 3
    _wipe()
    assert "tickets_ticket" not in connection.introspection.table_names()
    assert files_fingerprint() == {}

    call_command("restore", str(tmp_path / "backup"), interactive=False)
    assert "counts, sample hashes and file hashes match the manifest" in capsys.readouterr().out
    assert {t.reference: t.subject for t in Ticket.objects.all()} == tickets
    assert Ticket.history.count() == history
    assert TimelineEvent.objects.count() == events
    assert {a.stored_name: default_storage.open(a.stored_name).read()
            for a in Attachment.objects.all()} == attachments
    assert database_fingerprint() == before_tables
    assert files_fingerprint() == before_files


@pytest.mark.postgres
@pytest.mark.skipif("not config.getoption('--no-migrations', default=False) and "
                    "__import__('os').environ.get('DATABASE_URL', '').split(':')[0] "
                    "not in ('postgres', 'postgresql')", reason="needs PostgreSQL (set DATABASE_URL)")
def test_restore_drill_on_postgresql(clerk, officer, talent, window, upload_root, tmp_path, capsys):
    _cases(clerk, officer, talent, window)
    _drill(tmp_path, capsys)
    # The audit history is append-only again after the restore (the triggers came back).
    with pytest.raises(Exception, match="append-only"), connection.cursor() as cursor:
        cursor.execute("DELETE FROM tickets_historicalticket")


def test_restore_drill_on_sqlite(clerk, officer, talent, window, upload_root, tmp_path, capsys):
    if on_postgres():
        pytest.skip("the PostgreSQL drill covers this database")
    _cases(clerk, officer, talent, window)
    _drill(tmp_path, capsys)


def test_restore_refuses_what_is_not_a_backup(tmp_path):
    with pytest.raises(CommandError, match="manifest.json not found: not a talentdesk backup"):
        call_command("restore", str(tmp_path), interactive=False)


def test_backup_refuses_an_existing_directory(tmp_path):
    with pytest.raises(CommandError, match="already exists: choose a new directory"):
        call_command("backup", str(tmp_path))


def test_restore_reports_a_tampered_manifest(clerk, officer, talent, window, upload_root,
                                             tmp_path):
    _cases(clerk, officer, talent, window, count=1)
    call_command("backup", str(tmp_path / "b"))
    path = tmp_path / "b" / MANIFEST
    manifest = json.loads(path.read_text())
    manifest["tables"]["tickets.Ticket"]["rows"] = 2
    path.write_text(json.dumps(manifest))
    with pytest.raises(CommandError, match=r"tickets.Ticket: 1 rows \(backup: 2\)"):
        call_command("restore", str(tmp_path / "b"), interactive=False)
