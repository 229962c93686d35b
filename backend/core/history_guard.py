"""The audit history is append-only in the database itself (PostgreSQL).

Every table of a django-simple-history model gets a row trigger that refuses UPDATE and
DELETE, whoever asks: the product never changes a history row, and with this neither can
the application's own database role (a bug, an injected query, a hand in ``dbshell``).
New rows are still written as before. The triggers are (re)installed after every
``migrate``, so a history table added later is covered without a new migration.

Maintenance that must remove history rows (a benchmark database's clean-up) runs as the
tables' owner or a superuser and bypasses the triggers explicitly
(``SET session_replication_role = replica``, superuser only, or
``ALTER TABLE … DISABLE TRIGGER``, owner only); the application's role is neither — see
README, "Least privilege on PostgreSQL". TRUNCATE is a table privilege the application's
role is not granted.
"""

from __future__ import annotations

from django.apps import apps
from django.db import connections

TRIGGER = "talentdesk_history_append_only"

FUNCTION_SQL = f"""
CREATE OR REPLACE FUNCTION {TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'talentdesk: % on %.% refused: the audit history is append-only',
        TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$;
"""


def history_tables() -> list[str]:
    """The tables of every django-simple-history model, sorted."""
    return sorted(
        model._meta.db_table for model in apps.get_models()
        if hasattr(model, "instance_type") and hasattr(model, "history_object")
    )


def guarded_tables(using: str = "default") -> set[str]:
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                       "WHERE t.tgname = %s AND NOT t.tgisinternal", [TRIGGER])
        return {row[0] for row in cursor.fetchall()}


def history_guard_install(*, using: str = "default") -> list[str]:
    """Install the refusing trigger on each history table that lacks it; return those.
    Does nothing on a database other than PostgreSQL."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return []
    missing = [table for table in history_tables() if table not in guarded_tables(using)]
    if not missing:
        return []
    with connection.cursor() as cursor:
        cursor.execute(FUNCTION_SQL)
        for table in missing:
            name = connection.ops.quote_name(table)
            cursor.execute(f"CREATE TRIGGER {TRIGGER} BEFORE UPDATE OR DELETE ON {name} "
                           f"FOR EACH ROW EXECUTE FUNCTION {TRIGGER}()")
    return missing


def after_migrate(sender, using="default", **kwargs) -> None:
    """``post_migrate`` is sent once per app with models; act on the last one only, when
    every table exists (this app, ``core``, has no models of its own to be sent for)."""
    last = [config for config in apps.get_app_configs() if config.models_module is not None][-1]
    if sender is last:
        history_guard_install(using=using)
