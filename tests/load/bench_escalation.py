"""Benchmark: the escalation scan over a million tickets in PostgreSQL.

Builds (once) a database of ``--tickets`` tickets — most closed, a share open with their
next SLA checkpoint spread over the coming weeks, and ``--due`` of them due right now —
then shows with EXPLAIN that the scan's query reads the partial index
``ticket_sla_next_check``, and times:

* the scan's query alone (median of 30 runs);
* a full ``escalation_scan()`` acting on the ``--due`` tickets (alerts, timeline events,
  notices, outbox rows, in their own transactions);
* the next scan, with nothing left to do (what beat runs every minute on a quiet centre).

    python tests/load/bench_escalation.py                      # 1,000,000 tickets, td_sla_bench
    python tests/load/bench_escalation.py --tickets 100000 --db td_sla_bench_100k
    python tests/load/bench_escalation.py --markdown docs/escalation-benchmark.md

The server is the one in ``--server`` (default the local PostgreSQL); only the named
database is created or changed. Each run re-arms the ``--due`` tickets, so it repeats.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCAN_SQL = (
    "SELECT id FROM tickets_ticket WHERE sla_next_check_at <= %s "
    "ORDER BY sla_next_check_at LIMIT 500"
)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--open-share", type=float, default=0.06,
                        help="share of tickets still open (default 6%%)")
    parser.add_argument("--due", type=int, default=200, help="tickets due at the scan")
    parser.add_argument("--db", default="td_sla_bench")
    parser.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432")
    parser.add_argument("--markdown", type=Path, help="also write the figures to this file")
    return parser.parse_args(argv)


def ensure_database(server: str, name: str) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.pop("CELERY_BROKER_URL", None)  # tasks in-process: the scan is what we time
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "true")
    for path in (ROOT / "backend", ROOT):
        if str(path) not in sys.path:
            sys.path.insert(0, str(path))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def generate(total: int, open_share: float) -> float:
    """Insert tickets with ``generate_series`` until there are ``total``; return seconds."""
    from django.db import connection

    from centres.models import ServiceCentre, Window
    from flows.registry import current_workflows, workflow_pin
    from staff.models import Officer, Role
    from talents.models import Talent
    from tests.factories import UserFactory

    have = Ticket_count()
    if have >= total:
        return 0.0
    started = time.monotonic()
    workflows = current_workflows()
    for workflow in workflows.values():
        workflow_pin(workflow)
    centre, _ = ServiceCentre.objects.get_or_create(
        code="bench", defaults={"name_zh": "基准中心", "name_en": "Benchmark centre"})
    window, _ = Window.objects.get_or_create(
        centre=centre, code="all",
        defaults={"name_zh": "综合窗口", "name_en": "All", "categories": list(workflows)})
    officers = []
    for n in range(20):
        user = UserFactory(username=f"bench-officer-{n}")
        officer, _ = Officer.objects.get_or_create(
            user=user, defaults={"display_name": f"Officer {n}", "centre": centre,
                                 "role": Role.OFFICER, "skills": list(workflows),
                                 "languages": ["zh", "en"], "capacity": 30000})
        officers.append(officer.pk)
    supervisor_user = UserFactory(username="bench-supervisor")
    Officer.objects.get_or_create(user=supervisor_user, defaults={
        "display_name": "Supervisor", "centre": centre, "role": Role.SUPERVISOR})
    if not Talent.objects.filter(document_number__startswith="BENCH").exists():
        Talent.objects.bulk_create([
            Talent(latin_name=f"Talent {n}", nationality="GB", document_type="passport",
                   document_number=f"BENCH{n:07d}", preferred_language="en" if n % 2 else "zh")
            for n in range(10_000)
        ], batch_size=2000)
    talent_ids = list(Talent.objects.filter(document_number__startswith="BENCH")
                      .values_list("pk", flat=True))
    keys = list(workflows)
    categories = "ARRAY[" + ",".join(f"'{k}'" for k in keys) + "]"
    versions = "ARRAY[" + ",".join(str(workflows[k].version) for k in keys) + "]"
    initial = "ARRAY[" + ",".join(f"'{workflows[k].initial_state.id}'" for k in keys) + "]"
    officer_array = "ARRAY[" + ",".join(map(str, officers)) + "]"
    open_every = max(1, round(1 / open_share))
    chunk = 100_000
    with connection.cursor() as cursor:
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM tickets_ticket")
        start = cursor.fetchone()[0]
        for offset in range(have, total, chunk):
            size = min(chunk, total - offset)
            # Interpolated: only workflow keys, versions and ids of this database (not input).
            insert = f"""
                INSERT INTO tickets_ticket (
                    reference, access_code_hash, access_code_issued_at, talent_id, centre_id,
                    window_id, category, workflow_version, state, channel, priority, subject,
                    description, assignee_id, client_digest, created_at, updated_at,
                    first_response_at, resolved_at, closed_at, first_response_due,
                    resolution_due, due_at, sla_provisional, first_response_warn_at,
                    resolution_warn_at, sla_next_check_at)
                SELECT
                    'TB-' || lpad((%(start)s + g)::text, 9, '0'), 'x', t.created,
                    (%(talents)s)[1 + (g %% %(n_talents)s)], %(centre)s, %(window)s,
                    ({categories})[1 + (g %% {len(keys)})], ({versions})[1 + (g %% {len(keys)})],
                    CASE WHEN t.open THEN ({initial})[1 + (g %% {len(keys)})] ELSE 'closed' END,
                    'online', 'normal', 'Benchmark ticket', '',
                    ({officer_array})[1 + (g %% {len(officers)})], '', t.created, t.created,
                    CASE WHEN t.open THEN NULL ELSE t.created + interval '3 hours' END,
                    CASE WHEN t.open THEN NULL ELSE t.created + interval '5 days' END,
                    CASE WHEN t.open THEN NULL ELSE t.created + interval '6 days' END,
                    t.created + interval '1 day', t.created + interval '21 days',
                    CASE WHEN t.open THEN t.created + interval '21 days' END, false,
                    t.created + interval '18 hours', t.created + interval '15 days',
                    CASE WHEN t.open THEN now() + (random() * interval '30 days') + interval '1 hour' END
                FROM generate_series(1, %(size)s) AS g,
                LATERAL (SELECT (g %% {open_every} = 0) AS open,
                                now() - (random() * interval '730 days') AS created) AS t
            """  # noqa: S608
            cursor.execute(insert, {"start": start + offset, "size": size, "talents": talent_ids,
                  "n_talents": len(talent_ids), "centre": centre.pk, "window": window.pk})
            print(f"  {offset + size:>9,} tickets", flush=True)
        cursor.execute("ANALYZE tickets_ticket")
    return time.monotonic() - started


def Ticket_count() -> int:  # noqa: N802 - reads like the model it counts
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM tickets_ticket")
        return cursor.fetchone()[0]


def arm(due: int, now: datetime) -> None:
    """Make exactly ``due`` open tickets due now (past their 75 % point), fresh alerts."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM sla_slaalert")
        cursor.execute(
            "UPDATE tickets_ticket SET sla_next_check_at = now() + interval '2 days' "
            "WHERE sla_next_check_at <= %s", [now])
        cursor.execute("""
            UPDATE tickets_ticket SET first_response_warn_at = %(now)s - interval '1 minute',
                   first_response_due = %(now)s + interval '2 hours',
                   resolution_warn_at = %(now)s + interval '5 days',
                   resolution_due = %(now)s + interval '7 days',
                   sla_next_check_at = %(now)s - interval '1 minute'
            WHERE id IN (SELECT id FROM tickets_ticket WHERE closed_at IS NULL
                         AND first_response_at IS NULL ORDER BY id DESC LIMIT %(due)s)
        """, {"now": now, "due": due})
        cursor.execute("ANALYZE tickets_ticket")


def explain(now: datetime) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + SCAN_SQL, [now])
        return "\n".join(row[0] for row in cursor.fetchall())


def time_query(now: datetime, runs: int = 30) -> float:
    from django.db import connection

    samples = []
    with connection.cursor() as cursor:
        for _ in range(runs):
            started = time.perf_counter()
            cursor.execute(SCAN_SQL, [now])
            cursor.fetchall()
            samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def sizes() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FILTER (WHERE sla_next_check_at IS NOT NULL), "
                       "pg_relation_size('tickets_ticket'), "
                       "pg_relation_size('ticket_sla_next_check') FROM tickets_ticket")
        watched, table, index = cursor.fetchone()
    return {"watched": watched, "table_mb": table / 2**20, "index_mb": index / 2**20}


def main(argv=None) -> int:
    args = parse_args(argv)
    ensure_database(args.server, args.db)
    setup_django(f"{args.server}/{args.db}")
    print(f"database {args.db}: ensuring {args.tickets:,} tickets")
    generated = generate(args.tickets, args.open_share)
    total = Ticket_count()

    from core import clock
    from tickets.escalation import escalation_scan

    now = datetime.now(UTC)
    arm(args.due, now)
    plan = explain(now)
    uses_index = "ticket_sla_next_check" in plan
    query_ms = time_query(now)
    with clock.frozen_at(now):
        started = time.perf_counter()
        result = escalation_scan()
        scan_ms = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        again = escalation_scan()
        idle_ms = (time.perf_counter() - started) * 1000
    info = sizes()

    lines = [
        f"tickets: {total:,} (generated now in {generated:.0f} s)" if generated else
        f"tickets: {total:,}",
        f"watched by the scan (sla_next_check_at set): {info['watched']:,}; "
        f"table {info['table_mb']:.0f} MB, partial index {info['index_mb']:.1f} MB",
        f"index used: {'yes' if uses_index else 'NO'} (ticket_sla_next_check)",
        f"scan query (500 ids due now), median of 30: {query_ms:.2f} ms",
        f"full scan acting on {result.visited} due tickets ({result.alerts} alerts): "
        f"{scan_ms:.0f} ms, {scan_ms / max(result.visited, 1):.1f} ms per ticket",
        f"next scan, nothing due: {idle_ms:.2f} ms (visited {again.visited})",
    ]
    print("\nEXPLAIN (ANALYZE, BUFFERS)\n" + plan + "\n")
    print("\n".join(lines))
    if args.markdown:
        write_markdown(args.markdown, lines, plan, args)
        print(f"\nwritten to {args.markdown}")
    return 0 if uses_index and result.alerts == args.due and again.visited == 0 else 1


def write_markdown(path: Path, lines: list[str], plan: str, args) -> None:
    import platform

    import django
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    text = f"""# Escalation scan benchmark

Reproduce: `python tests/load/bench_escalation.py --tickets {args.tickets} --due {args.due} \\
--markdown docs/escalation-benchmark.md` (creates or reuses the PostgreSQL database
`{args.db}`; the figures below are from {datetime.now(UTC):%Y-%m-%d} on this development
machine: {os.cpu_count()} cores shared with other work, PostgreSQL {server}, Python
{platform.python_version()}, Django {django.get_version()}).

Every minute beat runs `sla.task_escalation_scan`. It reads the ids of tickets whose
`sla_next_check_at` has come — a column set only while a ticket's clock runs (to the
next 75 % warning or breach instant) and covered by the **partial** index
`ticket_sla_next_check` (`WHERE sla_next_check_at IS NOT NULL`), so closed tickets, the
vast majority, are not even in the index — then handles each due ticket in its own
transaction (row lock, alert row unique per ticket/target/kind, timeline event, notices,
outbox rows).

## Figures

""" + "\n".join(f"- {line}" for line in lines) + f"""

## Query plan of the scan

```
{SCAN_SQL.replace('%s', "'<now>'")}
```

```
{plan}
```

Finding what is due does not grow with the number of tickets: the index holds only
running clocks (closed tickets drop out of it), and the query reads the few entries at
its low end — well under a millisecond at a million tickets, and a quiet minute's scan
costs about a millisecond in all. Acting on a due ticket is about ten small statements
in its own transaction (lock, alert, timeline event and its history, notice, next
checkpoint) and one commit, a few milliseconds each on this shared machine; that is
the price of "exactly once" per ticket, and it is paid only by tickets that actually
cross a threshold in that minute (a busy minute works through them in batches of 500).
"""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
