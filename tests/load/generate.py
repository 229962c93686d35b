"""Generate N realistic tickets in PostgreSQL quickly, for the benchmark.

Everything goes in with COPY (psycopg 3): talents, tickets with consistent SLA fields,
their timeline (opened, assignment, state changes including waiting-on-talent pauses)
and their report facts. Times are drawn in working time of the centre and turned into
instants with the real ``sla`` schedule, so facts, due times and timelines agree. The
materials checklist and history rows are written only for the sample of tickets the
benchmark reads (``Sample``). About 60-90 s per million tickets on two cores.

Run through ``bench.py`` (which picks the database), or on its own:

    DJANGO_SETTINGS_MODULE=tests.load.bench_settings DATABASE_URL=postgresql://…/td_bench_10k \\
        python tests/load/generate.py --tickets 10000
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BENCH_CODE = "BENCH23456"  # every generated ticket's access code (the benchmark checks it)
SPAN_DAYS = 730
CHUNK = 20_000


def setup_django() -> None:
    import os

    for path in (ROOT / "backend", ROOT):
        if str(path) not in sys.path:
            sys.path.insert(0, str(path))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.load.bench_settings")
    import django

    django.setup()


@dataclass
class Sample:
    """What the benchmark needs from the generated data."""

    references: list[str] = field(default_factory=list)  # tickets with materials + history
    tickets: int = 0
    seconds: float = 0.0


def _fmt(value) -> str:
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value).replace("\\", "\\\\").replace("\t", " ").replace("\n", " ")


class CopyWriter:
    """Rows for one table, sent with COPY in chunks (one COPY at a time per connection).

    Only the columns that exist in the database are written, so a model ahead of its
    migration (another part of the product at work) does not break the generator.
    """

    def __init__(self, cursor, model, defaults: dict | None = None):
        self.cursor = cursor
        self.table = model._meta.db_table
        cursor.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s", [self.table]
        )
        existing = {row[0] for row in cursor.fetchall()}
        fields = [f for f in model._meta.concrete_fields if f.column in existing]
        self.columns = [f.column for f in fields]
        self.defaults = {}
        for f in fields:
            if f.null:
                self.defaults[f.column] = None
            elif f.has_default() and not callable(f.default):
                self.defaults[f.column] = f.default
            else:
                self.defaults[f.column] = ""
        self.defaults.update(defaults or {})
        self.buffer: list[str] = []
        self.rows = 0

    def row(self, values: dict) -> None:
        merged = self.defaults | values
        self.buffer.append("\t".join(_fmt(merged[c]) for c in self.columns))

    def flush(self) -> None:
        if not self.buffer:
            return
        columns = ", ".join(f'"{c}"' for c in self.columns)
        with self.cursor.copy(f'COPY "{self.table}" ({columns}) FROM STDIN') as copy:
            for start in range(0, len(self.buffer), 5000):
                copy.write("\n".join(self.buffer[start:start + 5000]) + "\n")
        self.rows += len(self.buffer)
        self.buffer = []

    def close(self) -> None:
        self.flush()


@dataclass(frozen=True)
class Shape:
    """The states of a workflow the generator walks through."""

    initial: str
    working: str
    paused: str | None
    resolved: str
    closed: str
    rejected: str | None

    @classmethod
    def of(cls, workflow) -> Shape:
        states = {s.id: s for s in workflow.states}
        initial = workflow.initial_state.id
        working = next(
            (t.target for t in workflow.transitions_from(initial)
             if not states[t.target].final and not states[t.target].pauses_sla),
            initial,
        )
        paused = next((s.id for s in workflow.states if s.pauses_sla), None)
        resolved = next(s.id for s in workflow.states if s.resolved)
        closed = next(
            (t.target for t in workflow.transitions_from(resolved) if states[t.target].final),
            resolved,
        )
        rejected = next(
            (s.id for s in workflow.states if s.final and not s.resolved and s.id != closed), None
        )
        return cls(initial, working, paused, resolved, closed, rejected)


def _action(workflow, source: str, target: str) -> str:
    return next(
        (t.action for t in workflow.transitions if source in t.sources and t.target == target), ""
    )


def generate(
    *, tickets: int, seed: int = 7, now: datetime | None = None, sample_size: int = 400,
    vacuum: bool = True,
) -> Sample:
    """Fill the (empty, migrated) database with ``tickets`` tickets; returns the sample."""
    from django.db import connection, transaction

    from centres.models import ServiceCentre
    from demo.centre import _centres, _staff
    from flows.registry import current_workflows, workflow_pin
    from reports.models import ReportFact
    from sla.clock import schedule_for
    from staff.models import Role
    from talents.models import Talent, origin_from
    from tickets.access import access_code_hash
    from tickets.models import Ticket, TimelineEvent

    started = time.monotonic()
    rng = random.Random(seed)
    now = (now or datetime.now(UTC)).replace(microsecond=0)
    with transaction.atomic():
        centres, windows = _centres()
        officers = _staff(centres, windows)
    workflows = current_workflows()
    for workflow in workflows.values():
        workflow_pin(workflow)
    shapes = {key: Shape.of(w) for key, w in workflows.items()}
    schedules = {c.pk: schedule_for(c) for c in ServiceCentre.objects.all()}
    code_hash = access_code_hash(BENCH_CODE)
    system = officers["admin"].user

    talent_count = max(500, min(100_000, tickets // 10))
    window_list = [w for w in windows.values() if w.categories]
    by_window: dict[int, list] = {}
    for officer in officers.values():
        if officer.role in (Role.OFFICER, Role.SUPERVISOR):
            for window_id in officer.window_set:
                by_window.setdefault(window_id, []).append(officer)
    clerks_by_window = {
        w.pk: [o for o in officers.values() if o.role == Role.WINDOW_STAFF and w.pk in o.window_set]
        or [officers["supervisor"]]
        for w in window_list
    }
    city = [w for w in window_list if w.centre.code == "city"]
    offshore = [w for w in window_list if w.centre.code != "city"]
    channels = ["online"] * 45 + ["window"] * 25 + ["hotline"] * 20 + ["email"] * 5 + ["referral"] * 5
    priorities = ["normal"] * 60 + ["low"] * 10 + ["high"] * 20 + ["urgent"] * 10

    with connection.cursor() as django_cursor:
        cursor = django_cursor.cursor  # the psycopg cursor, for COPY
        # --- talents
        first_talent = (Talent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        writer = CopyWriter(cursor, Talent)
        for i in range(talent_count):
            pk = first_talent + i
            nationality = rng.choice(["GB", "US", "DE", "JP", "CN", "HK"])
            writer.row({
                "id": pk, "native_name": f"人才{pk}", "latin_name": f"Talent {pk}",
                "nationality": nationality, "origin": origin_from(nationality),
                "document_type": "passport", "document_number": f"B{pk:09d}",
                "phone": f"139{pk:08d}", "email": f"talent{pk}@example.org",
                "preferred_language": rng.choice(["zh", "en"]), "tier": rng.choice(["A", "B", "C", "other"]),
                "employer": "Bench Co.", "key_industry": "benchmarks",
                "dedicated_officer_id": None, "created_at": now,
            })
        writer.close()

        # --- tickets, timeline, facts
        first_ticket = (Ticket.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        first_event = (TimelineEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        start = now - timedelta(days=SPAN_DAYS)
        moments = sorted(
            _arrival(rng, start + timedelta(days=rng.uniform(0, SPAN_DAYS))) for _ in range(tickets)
        )
        moments = [min(m, now - timedelta(minutes=1)) for m in moments]
        counters: dict[int, int] = {}
        event_id = first_event
        recent_sample: list[tuple[int, str]] = []
        t_writer = CopyWriter(cursor, Ticket)
        e_writer = CopyWriter(cursor, TimelineEvent, {"data": "{}", "body": "", "action": "",
                                                       "from_state": "", "to_state": ""})
        f_writer = CopyWriter(cursor, ReportFact)
        for i, created in enumerate(moments):
            pk = first_ticket + i
            window = rng.choice(city if rng.random() < 0.65 else offshore)
            centre_id = window.centre_id
            schedule = schedules[centre_id]
            category = rng.choice(window.categories)
            workflow = workflows[category]
            shape = shapes[category]
            priority = rng.choice(priorities)
            channel = rng.choice(channels)
            target = workflow.sla_target(priority)
            staff = by_window.get(window.pk) or [officers["supervisor"]]
            assignee = rng.choice(staff)
            opener = rng.choice(clerks_by_window[window.pk]).user_id
            local_year = (created + timedelta(hours=8)).year
            counters[local_year] = counters.get(local_year, 0) + 1
            reference = f"TD-{local_year}-{counters[local_year]:06d}"

            frt_h = min(60.0, max(0.05, rng.lognormvariate(math.log(2.0), 1.0)))
            first_at = schedule.add_hours(created, frt_h).at
            paused_h = rng.lognormvariate(math.log(10), 0.8) if shape.paused and rng.random() < 0.25 else 0.0
            work_h = rng.lognormvariate(math.log(18), 0.9)
            pause_from_h = frt_h + min(work_h, 2.0) * 0.5
            total_h = frt_h + work_h + paused_h
            frt_due = schedule.add_hours(created, target.first_response_hours).at
            res_due_base = schedule.add_hours(created, target.resolution_days * 7.0)
            res_due = schedule.add_hours(res_due_base.at, paused_h).at if paused_h else res_due_base.at

            events = [("opened", "", shape.initial, created, opener, True),
                      ("assignment", "", "", created, opener, False)]
            state, first_response_at, resolved_at, closed_at, paused_at = shape.initial, None, None, None, None
            fact_frt = fact_res = None
            done_at = None
            if first_at <= now:
                first_response_at = first_at
                fact_frt = round(frt_h * 3600)
                state = shape.working
                events.append(("transition", shape.initial, shape.working, first_at, assignee.user_id, True))
                pause_start = pause_end = None
                if paused_h:
                    pause_start = schedule.add_hours(created, pause_from_h).at
                    pause_end = schedule.add_hours(created, pause_from_h + paused_h).at
                    if pause_start <= now:
                        events.append(("transition", shape.working, shape.paused, pause_start, assignee.user_id, True))
                        state, paused_at = shape.paused, pause_start
                    if pause_end <= now:
                        events.append(("transition", shape.paused, shape.working, pause_end, assignee.user_id, True))
                        state, paused_at = shape.working, None
                finish = schedule.add_hours(created, total_h).at
                if finish <= now and state == shape.working:
                    rejected = shape.rejected and rng.random() < 0.04
                    if rejected and workflow.transition("reject") and shape.working in workflow.transition("reject").sources:
                        state, closed_at = shape.rejected, finish
                        events.append(("transition", shape.working, shape.rejected, finish, assignee.user_id, True))
                    else:
                        resolved_at = finish
                        events.append(("transition", shape.working, shape.resolved, finish, assignee.user_id, True))
                        state = shape.resolved
                        close_at = finish + timedelta(days=2)
                        if close_at <= now and shape.closed != shape.resolved:
                            closed_at = close_at
                            state = shape.closed
                            events.append(("transition", shape.resolved, shape.closed, close_at, assignee.user_id, True))
                    done_at = resolved_at or closed_at
                    fact_res = round((total_h - paused_h) * 3600) if paused_h else round(total_h * 3600)
            frt_met = None if first_response_at is None else first_response_at <= frt_due
            res_met = None if done_at is None else done_at <= res_due
            if done_at is not None or paused_at is not None:
                due_at = None
            else:
                due_at = frt_due if first_response_at is None else res_due
            updated = events[-1][3]
            t_writer.row({
                "id": pk, "reference": reference, "access_code_hash": code_hash,
                "access_code_issued_at": created, "talent_id": first_talent + rng.randrange(talent_count),
                "centre_id": centre_id, "window_id": window.pk, "category": category,
                "workflow_version": workflow.version, "state": state, "channel": channel,
                "priority": priority, "subject": "Benchmark request", "description": "Generated for the benchmark.",
                "assignee_id": assignee.pk, "created_by_id": opener, "client_token": None, "client_digest": "",
                "created_at": created, "updated_at": updated, "first_response_at": first_response_at,
                "resolved_at": resolved_at, "closed_at": closed_at, "first_response_due": frt_due,
                "resolution_due": res_due, "due_at": due_at, "sla_provisional": False,
                "sla_paused_at": paused_at, "first_response_met": frt_met,
                "resolution_met": res_met if resolved_at else None,
            })
            for kind, source, target_state, at, actor, public in events:
                e_writer.row({
                    "id": event_id, "ticket_id": pk, "kind": kind, "public": public, "actor_id": actor,
                    "by_talent": False, "action": _action(workflow, source, target_state) if kind == "transition" else "",
                    "from_state": source, "to_state": target_state, "created_at": at,
                })
                event_id += 1
            f_writer.row({
                "ticket_id": pk, "centre_id": centre_id, "window_id": window.pk, "officer_id": assignee.pk,
                "category": category, "channel": channel, "priority": priority, "created_at": created,
                "first_response_at": first_response_at, "first_response_seconds": fact_frt,
                "first_response_due": frt_due, "first_response_met": frt_met, "done_at": done_at,
                "resolution_seconds": fact_res, "resolution_due": res_due, "resolution_met": res_met,
                "paused_seconds": round(paused_h * 3600) if paused_h and done_at else 0,
                "rating": None, "source_updated_at": updated, "refreshed_at": now,
            })
            if done_at is None and centre_id == officers["officer"].centre_id:
                recent_sample.append((pk, reference))
            if (i + 1) % CHUNK == 0:
                for w in (t_writer, e_writer, f_writer):
                    w.flush()
        t_writer.close()
        e_writer.close()
        f_writer.close()
        for year, count in counters.items():
            cursor.execute(f'CREATE SEQUENCE IF NOT EXISTS "tickets_reference_{year:d}"')
            cursor.execute("SELECT setval(%s, %s)", [f"tickets_reference_{year:d}", count])
        for table in ("tickets_ticket", "tickets_timelineevent", "talents_talent"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"  # noqa: S608  (fixed names)
            )
    sample = _sample(rng, recent_sample[-sample_size * 5:], sample_size, system)
    with connection.cursor() as cursor:  # as autovacuum would: statistics and visibility map
        if vacuum:
            cursor.execute("VACUUM ANALYZE")
        cursor.execute("CREATE TABLE IF NOT EXISTS bench_meta (tickets integer, generated_at timestamptz)")
        cursor.execute("DELETE FROM bench_meta")
        cursor.execute("INSERT INTO bench_meta VALUES (%s, now())", [tickets])
    sample.tickets = tickets
    sample.seconds = time.monotonic() - started
    return sample


def _arrival(rng: random.Random, day: datetime) -> datetime:
    """Three in four requests arrive in opening hours (Shanghai), the rest at any time."""
    local_midnight = day.replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(hours=8)
    if rng.random() < 0.75:
        return local_midnight + timedelta(hours=9 + rng.uniform(0, 8.5))
    return local_midnight + timedelta(seconds=rng.uniform(0, 86400))


def _sample(rng, candidates, size: int, system_user) -> Sample:
    """Materials and a history row for the tickets the benchmark will read."""
    from simple_history.utils import bulk_create_with_history  # noqa: F401  (documented helper)

    from tickets.models import MaterialItem, Ticket

    chosen = rng.sample(candidates, min(size, len(candidates)))
    tickets = list(Ticket.objects.filter(pk__in=[pk for pk, _ in chosen]))
    items = []
    for ticket in tickets:
        for material in ticket.workflow.materials:
            items.append(MaterialItem(
                ticket=ticket, material_id=material.id, label_zh=material.label.zh,
                label_en=material.label.en, required=material.required,
            ))
    MaterialItem.objects.bulk_create(items, batch_size=2000)
    Ticket.history.bulk_history_create(tickets, default_user=system_user,
                                       default_change_reason="opened")
    return Sample(references=[t.reference for t in tickets])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    setup_django()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    sample = generate(tickets=args.tickets, seed=args.seed)
    print(f"generated {sample.tickets} tickets in {sample.seconds:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
