"""Backup and restore: the database, the uploaded files and a manifest to check them by.

A backup is a directory:

* ``database.dump`` — PostgreSQL: ``pg_dump --format=custom`` taken on a snapshot exported
  by this process, so the manifest's counts and hashes describe exactly the dumped data
  while the service keeps running; or ``database.sqlite3`` — the embedded default: a copy
  made with SQLite's online backup API inside one read transaction with the manifest's
  queries (consistent, unlike copying the file under a writer);
* ``files/`` — every file of the uploads storage (``STORAGES["default"]``), read through
  Django's storage API so any storage backend is backed up the same way;
* ``manifest.json`` — when and from what it was taken, the row count of every table, a
  SHA-256 over a sample of each table's rows (the first and last ``SAMPLE`` rows by primary
  key: old and new data, cheap on an index) and the size and SHA-256 of every file.

``restore`` replaces the database with the dump (``pg_restore --clean --if-exists
--single-transaction``: all or nothing) and writes the files back, then recomputes the
counts, the sample hashes and the files' hashes and compares them with the manifest.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from django.apps import apps
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection, connections, transaction

MANIFEST = "manifest.json"
PG_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
FILES = "files"
SAMPLE = 25
FORMAT_VERSION = 1


class BackupError(Exception):
    pass


# --- what the manifest describes --------------------------------------------------------


def _models():
    """Every table Django manages, in a stable order."""
    return sorted(
        (m for m in apps.get_models(include_auto_created=True)
         if m._meta.managed and not m._meta.proxy),
        key=lambda m: m._meta.db_table,
    )


def _canonical(value):
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, bytes | memoryview):
        return hashlib.sha256(bytes(value)).hexdigest()
    return value


def table_fingerprint(model) -> dict:
    """Row count and a hash of the first and last ``SAMPLE`` rows (all columns) by pk."""
    columns = [f.attname for f in model._meta.concrete_fields]
    rows = model._base_manager.order_by()
    count = rows.count()
    first = list(rows.order_by("pk").values_list(*columns)[:SAMPLE])
    last = list(rows.order_by("-pk").values_list(*columns)[:SAMPLE]) if count > SAMPLE else []
    digest = hashlib.sha256()
    for row in first + last:
        digest.update(json.dumps([_canonical(v) for v in row], sort_keys=True, default=str,
                                 ensure_ascii=False).encode())
        digest.update(b"\n")
    return {"rows": count, "sample": len(first) + len(last), "sha256": digest.hexdigest()}


def database_fingerprint() -> dict[str, dict]:
    return {model._meta.label: table_fingerprint(model) for model in _models()}


def _walk(storage, directory: str = ""):
    directories, files = storage.listdir(directory)
    for name in sorted(files):
        yield f"{directory}/{name}" if directory else name
    for sub in sorted(directories):
        yield from _walk(storage, f"{directory}/{sub}" if directory else sub)


def _sha256(handle) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: handle.read(1 << 20), b""):
        digest.update(chunk)
    return digest.hexdigest()


def files_fingerprint(storage=None) -> dict[str, dict]:
    storage = storage or default_storage
    try:
        names = list(_walk(storage))
    except FileNotFoundError:  # nothing uploaded yet: the directory does not exist
        return {}
    result = {}
    for name in names:
        with storage.open(name, "rb") as handle:
            result[name] = {"bytes": storage.size(name), "sha256": _sha256(handle)}
    return result


# --- backup -----------------------------------------------------------------------------


@dataclass
class Summary:
    directory: Path
    tables: int = 0
    rows: int = 0
    files: int = 0
    problems: list[str] = field(default_factory=list)


def backup_create(*, directory: Path) -> Summary:
    """Write a backup into ``directory`` (created; must not exist yet)."""
    directory = Path(directory)
    if directory.exists():
        raise BackupError(f"{directory} already exists: choose a new directory")
    directory.mkdir(parents=True)
    vendor = connection.vendor
    if vendor == "postgresql":
        tables = _backup_postgres(directory)
    elif vendor == "sqlite":
        tables = _backup_sqlite(directory)
    else:
        raise BackupError(f"no backup for a {vendor} database")
    files = _backup_files(directory / FILES)
    manifest = {
        "format": FORMAT_VERSION,
        "created_at": datetime.now(UTC).isoformat(),
        "database": {"vendor": vendor, "file": PG_DUMP if vendor == "postgresql" else SQLITE_COPY},
        "tables": tables,
        "files": files,
    }
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
    return Summary(directory, tables=len(tables), rows=sum(t["rows"] for t in tables.values()),
                   files=len(files))


def _pg_env() -> dict:
    settings = connection.settings_dict
    env = dict(os.environ)
    env.update({
        "PGHOST": settings.get("HOST") or "127.0.0.1", "PGPORT": str(settings.get("PORT") or 5432),
        "PGUSER": settings.get("USER") or "", "PGDATABASE": settings["NAME"],
    })
    if settings.get("PASSWORD"):  # in the environment, never on the command line
        env["PGPASSWORD"] = settings["PASSWORD"]
    return env


def _run(command: list[str]) -> None:
    result = subprocess.run(command, env=_pg_env(), capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-2000:]}")


def _backup_postgres(directory: Path) -> dict:
    # One snapshot for the dump and the manifest: rows written meanwhile are in neither.
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        _run(["pg_dump", "--format=custom", f"--snapshot={snapshot}",
              f"--file={directory / PG_DUMP}"])
        return database_fingerprint()


def _backup_sqlite(directory: Path) -> dict:
    # One read transaction for the copy and the manifest: a snapshot (WAL) or a shared lock
    # that keeps writers out (rollback journal). Not a write transaction: SQLite's backup
    # refuses to copy from a connection that is writing.
    if connection.in_atomic_block:
        raise BackupError("run the backup outside a transaction")
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("BEGIN DEFERRED")
        try:
            cursor.execute("SELECT count(*) FROM sqlite_master")
            target = sqlite3.connect(directory / SQLITE_COPY)
            try:
                connection.connection.backup(target)
            finally:
                target.close()
            return database_fingerprint()
        finally:
            cursor.execute("COMMIT")


def _backup_files(target: Path) -> dict:
    target.mkdir()
    files = files_fingerprint()
    for name in files:
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        with default_storage.open(name, "rb") as source, path.open("wb") as out:
            shutil.copyfileobj(source, out)
        with path.open("rb") as copied:
            if _sha256(copied) != files[name]["sha256"]:
                raise BackupError(f"{name} changed while it was copied")
    return files


# --- restore ----------------------------------------------------------------------------


def backup_manifest(directory: Path) -> dict:
    path = Path(directory) / MANIFEST
    try:
        manifest = json.loads(path.read_text())
    except FileNotFoundError:
        raise BackupError(f"{path} not found: not a talentdesk backup") from None
    except json.JSONDecodeError as exc:
        raise BackupError(f"{path} is not valid JSON: {exc}") from None
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"{path}: unknown backup format {manifest.get('format')!r}")
    return manifest


def backup_restore(*, directory: Path) -> Summary:
    """Replace the database and the uploaded files with the backup in ``directory``, then
    verify them against its manifest (``Summary.problems`` lists every difference)."""
    directory = Path(directory)
    manifest = backup_manifest(directory)
    vendor = manifest["database"]["vendor"]
    if vendor != connection.vendor:
        raise BackupError(f"the backup is of a {vendor} database, this is {connection.vendor}")
    for conn in connections.all():
        conn.close()
    if vendor == "postgresql":
        _run(["pg_restore", "--clean", "--if-exists", "--single-transaction", "--exit-on-error",
              f"--dbname={connection.settings_dict['NAME']}", str(directory / PG_DUMP)])
    else:
        source = sqlite3.connect(directory / SQLITE_COPY)
        try:
            connection.ensure_connection()
            source.backup(connection.connection)
        finally:
            source.close()
    _restore_files(directory / FILES, manifest["files"])
    return backup_verify(manifest=manifest, directory=directory)


def _restore_files(source: Path, files: dict) -> None:
    for name in files:
        if default_storage.exists(name):
            default_storage.delete(name)
        with (source / name).open("rb") as handle:
            saved = default_storage.save(name, File(handle))
        if saved != name:
            raise BackupError(f"{name} was stored as {saved}")


def backup_verify(*, manifest: dict, directory: Path) -> Summary:
    summary = Summary(Path(directory))
    now = database_fingerprint()
    for label, expected in manifest["tables"].items():
        found = now.get(label)
        if found is None:
            summary.problems.append(f"table of {label} is missing")
        elif found != expected:
            summary.problems.append(
                f"{label}: {found['rows']} rows (backup: {expected['rows']})"
                if found["rows"] != expected["rows"] else f"{label}: sample hash differs")
    files = files_fingerprint()
    for name, expected in manifest["files"].items():
        if files.get(name) != expected:
            summary.problems.append(f"file {name} is missing or differs")
    summary.tables = len(manifest["tables"])
    summary.rows = sum(t["rows"] for t in manifest["tables"].values())
    summary.files = len(manifest["files"])
    return summary
