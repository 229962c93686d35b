"""talentdesk's benchmark suite: ``make bench`` (options: ``make bench BENCH_ARGS="--help"``).

1. Makes (once, then reuses) a PostgreSQL database per size, ``td_bench_<size>``, filled
   by ``generate.py`` with COPY.
2. Times the supervisors' dashboard in-process at each size (``--scaling``), for a 30-day
   and a 365-day period: median of repeated cold computations, and its query count.
3. Starts gunicorn with fixed settings on 127.0.0.1 against the ``--tickets`` database
   and loads each key endpoint in turn with a bounded, loopback-only load generator,
   then counts SQL queries per request with Django's test client in a separate pass.
4. Prints requests/s, p50 and p99 latency and queries per request, each throughput also
   as a ratio to a bare Django view served by the same gunicorn in the same run, and
   writes everything to ``bench-results/bench-<size>-<time>.json``.

Endpoints the product does not serve yet are reported as missing, not skipped silently.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "backend"), str(ROOT)]

from tests.load import loadgen, wrk  # noqa: E402

BENCH_SECRET = "talentdesk-benchmark-secret-key-not-for-production-0123456789abcdef"
BENCH_BROKER = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/11")
BENCH_REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")
SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}


def label(n: int) -> str:
    for name, value in SIZES.items():
        if value == n:
            return name
    return str(n)


def bench_env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "DJANGO_SETTINGS_MODULE": "tests.load.bench_settings",
        "DATABASE_URL": database_url,
        "DEBUG": "false",
        "SECRET_KEY": BENCH_SECRET,
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_SSL_REDIRECT": "false",
        "PUBLIC_BASE_URL": "https://talentdesk.example.gov.cn",
        "STATICFILES_MANIFEST": "false",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "backend"), str(ROOT)]),
    })
    # Production-like: a broker takes the after-commit tasks (no worker is needed here).
    env.setdefault("CELERY_BROKER_URL", BENCH_BROKER)
    env.setdefault("REDIS_URL", BENCH_REDIS)
    return env


def psql_admin(server: str):
    import psycopg

    return psycopg.connect(f"{server}/postgres", autocommit=True)


def ticket_count(server: str, name: str) -> int | None:
    import psycopg

    try:
        with psycopg.connect(f"{server}/{name}") as conn:
            return conn.execute("SELECT tickets FROM bench_meta").fetchone()[0]
    except psycopg.Error:
        return None


def ensure_database(server: str, n: int, *, fresh: bool) -> str:
    """The URL of a database holding exactly ``n`` generated tickets (made if needed)."""
    name = f"td_bench_{label(n)}"
    url = f"{server}/{name}"
    env = bench_env(url)
    current = ticket_count(server, name)
    if fresh or current != n:
        print(f"· generating {n:,} tickets in {name} (found {current})", flush=True)
        with psql_admin(server) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        subprocess.run([sys.executable, str(ROOT / "tests/load/generate.py"), "--tickets", str(n)],
                       env=env, check=True, cwd=ROOT)
    else:
        subprocess.run([sys.executable, str(ROOT / "backend/manage.py"), "migrate", "-v0"],
                       env=env, check=True, cwd=ROOT)
    return url


# --- the dashboard's cost by size (run in a subprocess per database) -----------------------


def measure_dashboard(repeat: int) -> dict:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from reports import queries
    from reports.periods import Period, scope_for, today

    supervisor = get_user_model().objects.get(username="supervisor")
    admin = get_user_model().objects.get(username="admin")
    result = {}
    for who, user in (("supervisor", supervisor), ("admin", admin)):
        scope = scope_for(user)
        for days in (30, 365):
            period = Period.ending(today(), days)
            timings = []
            for _ in range(repeat):
                reset_queries()
                with CaptureQueriesContext(connection) as captured:
                    t0 = time.perf_counter()
                    board = queries.dashboard(scope, period)  # live: no snapshot
                    timings.append((time.perf_counter() - t0) * 1000)
            result[f"live_{who}_{days}d"] = {
                "median_ms": round(statistics.median(timings), 1),
                "min_ms": round(min(timings), 1),
                "max_ms": round(max(timings), 1),
                "queries": len(captured),
                "tickets_in_period": board.current.opened,
            }
    # The page as supervisors get it: period figures from the snapshot the beat task keeps.
    from django.test import Client

    from reports.snapshots import warm_standard

    warm_standard()
    client = Client()
    signed_in(client, supervisor)
    for days in (30, 365):
        params = Period.ending(today(), days).as_params()
        timings = []
        for _ in range(repeat + 1):
            with CaptureQueriesContext(connection) as captured:
                t0 = time.perf_counter()
                response = client.get("/reports/", params)
                timings.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, response.status_code
        result[f"page_supervisor_{days}d"] = {
            "median_ms": round(statistics.median(timings[1:]), 1),
            "min_ms": round(min(timings[1:]), 1),
            "max_ms": round(max(timings[1:]), 1),
            "queries": len(captured),
            "tickets_in_period": None,
        }
    return result


def dashboard_scaling(server: str, sizes: list[int], fresh: bool, repeat: int) -> dict:
    results = {}
    for n in sizes:
        url = ensure_database(server, n, fresh=fresh)
        out = subprocess.run(
            [sys.executable, __file__, "--measure-dashboard", "--repeat", str(repeat)],
            env=bench_env(url), check=True, cwd=ROOT, capture_output=True, text=True,
        )
        results[label(n)] = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"· dashboard at {n:,} tickets: {results[label(n)]}", flush=True)
    return results


# --- HTTP endpoints -------------------------------------------------------------------------


def second_factor(user) -> dict:
    """Session keys of a sign-in verified with a confirmed TOTP device, as supervisors and
    administrators have in production (the bench measures their pages as they get them)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    device = device or TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    return {DEVICE_ID_SESSION_KEY: device.persistent_id}


def signed_in(client, user) -> None:
    client.force_login(user)
    session = client.session
    session.update(second_factor(user))
    session.save()


class Fixtures:
    """Users, sessions, a token and sample tickets, prepared in the bench database."""

    def __init__(self):
        from importlib import import_module

        from django.conf import settings
        from django.contrib.auth import (
            BACKEND_SESSION_KEY,
            HASH_SESSION_KEY,
            SESSION_KEY,
            get_user_model,
        )

        from accounts.tokens import token_issue
        from tickets.models import Ticket

        users = get_user_model().objects
        self.users = {name: users.get(username=name) for name in ("clerk", "officer", "supervisor", "admin")}
        self.sessions = {}
        for name, user in self.users.items():
            session = import_module(settings.SESSION_ENGINE).SessionStore()
            session[SESSION_KEY] = str(user.pk)
            session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            session.update(second_factor(user))
            session.save()
            self.sessions[name] = session.session_key
        # A valid token (the bench database is reused; an old token would have expired).
        self.token = token_issue(user=self.users["clerk"]).key
        sample = Ticket.objects.filter(materials__isnull=False).distinct().order_by("pk")
        self.references = list(sample.values_list("reference", flat=True)[:400])
        officer_refs = sample.filter(assignee__user=self.users["officer"])
        self.officer_references = list(officer_refs.values_list("reference", flat=True)[:400]) or self.references
        from talents.models import Talent

        self.talent_ids = list(Talent.objects.order_by("pk").values_list("pk", flat=True)[:500])
        from centres.models import Window

        window = Window.objects.filter(code="returnee").first()
        self.window_id = window.pk if window else None
        self.csrf = "benchcsrf" + uuid.uuid4().hex[:23]  # 32 characters, sent as cookie and field


def endpoints(fx: Fixtures) -> list[dict]:
    """What to load, as (name, request factory, accepted statuses, test-client call)."""
    from django.conf import settings
    from django.urls import NoReverseMatch, reverse

    from tests.load.generate import BENCH_CODE

    def url(name, **kwargs):
        try:
            return reverse(name, kwargs=kwargs or None)
        except NoReverseMatch:
            return None

    def cookie(user):
        return {"Cookie": f"{settings.SESSION_COOKIE_NAME}={fx.sessions[user]}; "
                          f"{settings.CSRF_COOKIE_NAME}={fx.csrf}"}

    result = [{
        "name": "bare Django view", "key": "bare", "path": "/bench/bare/", "ok": {200},
        "request": lambda i: loadgen.Request("GET", "/bench/bare/"),
        "client": ("get", "/bench/bare/", {}, None),
    }]
    status_path = url("portal:check")
    if status_path:
        def status_request(i):
            reference = fx.references[i % len(fx.references)]
            body = f"csrfmiddlewaretoken={fx.csrf}&reference={reference}&code={BENCH_CODE}".encode()
            return loadgen.Request("POST", status_path, body, {
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": f"{settings.CSRF_COOKIE_NAME}={fx.csrf}",
                "Referer": "http://127.0.0.1/status/", "Host": "127.0.0.1",
            })
        result.append({
            "name": "public status check (POST /status/)", "key": "status", "path": status_path,
            "ok": {200, 302, 303}, "request": status_request,
            "client": ("post", status_path, {"reference": fx.references[0], "code": BENCH_CODE}, None),
        })
    api_tickets = url("api:tickets") or "/api/v1/tickets/"
    if url("api:tickets"):
        def create_request(i):
            body = json.dumps({
                "talent": fx.talent_ids[i % len(fx.talent_ids)], "category": "transport",
                "channel": "hotline", "subject": f"Benchmark request {i}",
                "description": "Created by the benchmark.", "window": fx.window_id,
                # the talents repeat: each request knowingly opens another ticket of the category
                "confirm_duplicate": True,
            }).encode()
            return loadgen.Request("POST", api_tickets, body, {
                "Content-Type": "application/json", "Authorization": f"Token {fx.token}",
            })
        result.append({
            "name": "ticket create (POST /api/v1/tickets/)", "key": "create", "path": api_tickets,
            "ok": {201}, "request": create_request,
            "client": ("post_json", api_tickets, None, "clerk"),
        })
    inbox = url("workspace:my_work")
    if inbox:
        result.append({
            "name": f"staff inbox (GET {inbox})", "key": "inbox", "path": inbox, "ok": {200},
            "request": lambda i: loadgen.Request("GET", inbox, None, cookie("officer")),
            "client": ("get", inbox, {}, "officer"),
        })
    if url("workspace:ticket", reference="TD-2026-000001"):
        def ticket_request(i):
            reference = fx.officer_references[i % len(fx.officer_references)]
            return loadgen.Request("GET", reverse("workspace:ticket", kwargs={"reference": reference}),
                                   None, cookie("officer"))
        first = reverse("workspace:ticket", kwargs={"reference": fx.officer_references[0]})
        result.append({
            "name": "ticket page (GET /tickets/<ref>/)", "key": "ticket", "path": first, "ok": {200},
            "request": ticket_request, "client": ("get", first, {}, "officer"),
        })
    dashboard = reverse("reports:dashboard")
    from urllib.parse import urlencode

    from reports.periods import Period, today

    year = dashboard + "?" + urlencode(Period.ending(today(), 365).as_params())
    result.append({
        "name": "dashboard, 365 days (GET /reports/?from=…)", "key": "dashboard_365", "path": year,
        "ok": {200},
        "request": lambda i: loadgen.Request("GET", year, None, cookie("supervisor")),
        "client": ("get", year, {}, "supervisor"),
    })
    result.insert(len(result) - 1, {
        "name": "dashboard, 30 days (GET /reports/)", "key": "dashboard", "path": dashboard, "ok": {200},
        "request": lambda i: loadgen.Request("GET", dashboard, None, cookie("supervisor")),
        "client": ("get", dashboard, {}, "supervisor"),
    })
    return result


def count_queries(fx: Fixtures, points: list[dict]) -> dict[str, int | None]:
    """SQL statements per request, with Django's test client (second of two identical
    requests), not counting BEGIN/COMMIT."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for point in points:
        method, path, data, user = point["client"]
        client = Client()
        headers = {}
        if user and method != "post_json":
            signed_in(client, fx.users[user])
        if method == "post_json":
            headers["HTTP_AUTHORIZATION"] = f"Token {fx.token}"
        statuses = []
        for attempt in range(2):
            with CaptureQueriesContext(connection) as captured:
                if method == "get":
                    response = client.get(path, data, **headers)
                elif method == "post":
                    response = client.post(path, data, **headers)
                else:
                    body = point["request"](900_000 + attempt).body
                    response = client.post(path, body, content_type="application/json", **headers)
            statuses.append(response.status_code)
        # statements, without the transaction's BEGIN/COMMIT (as the pinned tests count)
        statements = [q for q in captured.captured_queries
                      if q["sql"] not in ("BEGIN", "BEGIN IMMEDIATE", "COMMIT")]
        counts[point["key"]] = len(statements) if response.status_code in point["ok"] else None
        point["probe_status"] = statuses[-1]
    return counts


def start_gunicorn(env: dict, port: int, workers: int, log: Path) -> subprocess.Popen:
    import http.client

    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", str(workers), "--worker-class", "sync", "--backlog", "2048",
         "--timeout", "60", "--chdir", str(ROOT / "backend")],
        env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/bench/bare/")
            if conn.getresponse().status == 200:
                return process
        except OSError:
            pass
        if process.poll() is not None:
            break
        time.sleep(0.3)
    process.kill()
    raise SystemExit(f"gunicorn did not start; see {log}")


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def cleanup(fx: Fixtures) -> int:
    """Delete what the load created (tickets, sessions), so the database can be reused."""
    from django.contrib.sessions.models import Session

    from tickets.models import Ticket

    created = Ticket.objects.filter(subject__startswith="Benchmark request ")
    history = Ticket.history.model.objects.filter(subject__startswith="Benchmark request ")
    count = created.count()
    from django.db import connection, transaction

    from reports.models import ReportFact

    ReportFact.objects.filter(ticket__in=created).delete()
    created.delete()
    with transaction.atomic(), connection.cursor() as cursor:
        # History is append-only (core.history_guard); the bench runs as the superuser and
        # lifts the triggers for this one clean-up transaction only.
        cursor.execute("SET LOCAL session_replication_role = replica")
        history.delete()
    Session.objects.exclude(session_key__in=fx.sessions.values()).delete()
    broker = os.environ.get("CELERY_BROKER_URL", "")
    if broker == BENCH_BROKER:  # no worker ran: drop the tasks the load queued
        import redis

        redis.Redis.from_url(broker).delete("celery")
    return count


def http_suite(args, url: str) -> dict:
    env = bench_env(url)
    args.port = args.port or free_port()
    os.environ.update({k: v for k, v in env.items() if k not in ("PYTHONPATH",)})
    import django

    django.setup()
    fx = Fixtures()
    from django.core.cache import cache

    from reports.snapshots import warm_standard

    cache.clear()  # the bench's own cache database: no rate-limit counters from earlier runs
    warm_standard()  # what the beat task does every few minutes in production
    points = endpoints(fx)
    queries = count_queries(fx, points)
    out_dir = ROOT / args.out
    out_dir.mkdir(exist_ok=True)
    server = start_gunicorn(env, args.port, args.workers, out_dir / "gunicorn.log")
    use_wrk = wrk.available() and not args.loadgen
    args.tool = (f"wrk -t{args.threads} -c{args.concurrency}, {args.rounds} interleaved rounds"
                 if use_wrk else f"Python load generator, {args.concurrency} threads")
    runs: dict[str, list] = {point["key"]: [] for point in points}
    try:
        for round_no in range(1, (args.rounds if use_wrk else 1) + 1):
            for point in points:
                print(f"· round {round_no}: {point['name']} for {args.duration:g} s", flush=True)
                if use_wrk:
                    variants = [point["request"](i) for i in range(len(fx.references) or 1)]
                    run = wrk.run(host="127.0.0.1", port=args.port, requests=variants, ok=point["ok"],
                                  threads=args.threads, connections=args.concurrency,
                                  duration=args.duration)
                    runs[point["key"]].append({
                        "requests": run.requests, "errors": run.errors, "rps": run.rps,
                        "p50_ms": run.p50_ms, "p99_ms": run.p99_ms, "statuses": {}})
                else:
                    run = loadgen.run(
                        host="127.0.0.1", port=args.port, make_request=point["request"], ok=point["ok"],
                        concurrency=args.concurrency, duration=args.duration,
                        max_requests=args.max_requests,
                    )
                    runs[point["key"]].append({
                        "requests": run.requests, "errors": run.errors, "rps": run.rps,
                        "p50_ms": run.percentile(0.5), "p99_ms": run.percentile(0.99),
                        "statuses": {str(k): v for k, v in run.statuses.items()}})
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        removed = cleanup(fx)
        print(f"· removed the {removed} tickets the load created", flush=True)
    results = {}
    for point in points:
        rounds = runs[point["key"]]
        if not rounds:
            continue
        requests = sum(r["requests"] for r in rounds)
        errors = sum(r["errors"] for r in rounds)
        results[point["key"]] = {
            "name": point["name"], "path": point["path"], "requests": requests, "errors": errors,
            "rounds": [round(r["rps"], 1) for r in rounds],
            "rps": round(statistics.mean(r["rps"] for r in rounds), 1),
            "p50_ms": _round(statistics.median(r["p50_ms"] for r in rounds if r["p50_ms"] is not None)),
            "p99_ms": _round(statistics.median(r["p99_ms"] for r in rounds if r["p99_ms"] is not None)),
            "queries": queries.get(point["key"]), "statuses": rounds[-1]["statuses"],
        }
    bare_rounds = runs["bare"]
    for key, item in results.items():
        good = item["requests"] - item["errors"]
        item["rps_ok"] = round(good / max(item["requests"], 1) * item["rps"], 1)
        # round by round against the bare view of the same round, then the mean
        shares = [(r["rps"] * (r["requests"] - r["errors"]) / max(r["requests"], 1)) / (b["rps"] or 1)
                  for r, b in zip(runs[key], bare_rounds, strict=False)]
        item["ratio_to_bare"] = round(statistics.mean(shares), 4) if shares else None
        target = TARGETS.get(key)
        if target is not None:
            share, max_queries = target
            met = item["ratio_to_bare"] is not None and item["ratio_to_bare"] >= share
            if max_queries is not None:
                met = met and item["queries"] is not None and item["queries"] <= max_queries
            item["target"] = f"≥ {share:.0%}" + (f", ≤ {max_queries} queries" if max_queries else "")
            item["met"] = met
    return results


# Issue 18's targets: the share of the bare view (and a query ceiling for create).
TARGETS = {"status": (0.25, None), "create": (0.07, 15), "inbox": (0.10, None), "ticket": (0.10, None),
           "dashboard": (0.10, None), "dashboard_365": (0.10, None)}


def _round(value):
    return None if value is None else round(value, 1)


def machine() -> dict:
    info = {"nproc": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()]}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["memory_gib"] = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    try:
        import psycopg

        with psycopg.connect(f"{ARGS.pg}/postgres") as conn:
            info["postgresql"] = conn.execute("SHOW server_version").fetchone()[0]
    except Exception:  # noqa: BLE001, S110  (informational only)
        pass
    return info


def print_report(report: dict) -> None:
    http = report.get("http", {})
    if http:
        print(f"\nEndpoints at {report['tickets']:,} tickets (gunicorn {report['settings']['workers']} sync "
              f"workers; {report['settings'].get('tool')}, {report['settings']['duration']} s each):")
        print(f"{'endpoint':44} {'req/s':>8} {'× bare':>7} {'p50 ms':>8} {'p99 ms':>8} {'queries':>8} "
              f"{'errors':>7}  target")
        for item in http.values():
            verdict = "" if "met" not in item else f"{item['target']}: {'met' if item['met'] else 'MISSED'}"
            print(f"{item['name'][:44]:44} {item['rps_ok']:>8.1f} {item['ratio_to_bare']:>7.1%} "
                  f"{item['p50_ms'] or 0:>8.1f} {item['p99_ms'] or 0:>8.1f} "
                  f"{'' if item['queries'] is None else item['queries']:>8} {item['errors']:>7}  {verdict}")
    if report.get("dashboard"):
        print("\nDashboard computation (median of repeats, ms; queries):")
        for size, figures in report["dashboard"].items():
            print(f"  {size}:")
            for k, v in figures.items():
                tickets = "" if v["tickets_in_period"] is None else f", {v['tickets_in_period']:,} tickets"
                print(f"    {k:24} {v['median_ms']:>8} ms  ({v['queries']} queries{tickets})")


def markdown(report: dict) -> str:
    """The report as Markdown tables (pasted into docs/benchmarks.md)."""
    m = report["machine"]
    lines = [
        f"Run {report['when']} on {m.get('nproc')} cores ({m.get('cpu', '?')}), {m.get('memory_gib', '?')} GiB, "
        f"PostgreSQL {m.get('postgresql', '?')}, Python {m.get('python')}; load average "
        f"{m.get('load_average_at_start')} at start, {m.get('load_average_at_end')} at end.",
        "",
    ]
    http = report.get("http")
    if http:
        s = report["settings"]
        lines += [
            f"### Endpoints at {report['tickets']:,} tickets",
            "",
            f"gunicorn {s['workers']} sync workers, DEBUG off, PostgreSQL; {s.get('tool')} of "
            f"{s['duration']:g} s per endpoint on loopback; share of the bare view round by round.",
            "",
            "| endpoint | req/s (rounds) | share of bare | p50 ms | p99 ms | SQL queries | errors | target |",
            "|---|---:|---:|---:|---:|---:|---:|---|",
        ]
        for item in http.values():
            verdict = "" if "met" not in item else f"{item['target']}: {'met' if item['met'] else '**missed**'}"
            rounds = " / ".join(f"{r:.0f}" for r in item.get("rounds", []))
            lines.append(
                f"| {item['name']} | {item['rps_ok']:.1f} ({rounds}) | {item['ratio_to_bare']:.1%} | "
                f"{item['p50_ms'] or 0:.1f} | {item['p99_ms'] or 0:.1f} | "
                f"{'' if item['queries'] is None else item['queries']} | {item['errors']} | {verdict} |"
            )
        lines.append("")
    if report.get("dashboard"):
        lines += [
            "### The dashboard by size",
            "",
            "| tickets | what | median ms | min–max ms | queries | tickets in period |",
            "|---:|---|---:|---:|---:|---:|",
        ]
        for size, figures in report["dashboard"].items():
            for k, v in figures.items():
                n = "" if v["tickets_in_period"] is None else f"{v['tickets_in_period']:,}"
                lines.append(f"| {size} | {k} | {v['median_ms']} | {v['min_ms']}–{v['max_ms']} | "
                             f"{v['queries']} | {n} |")
        lines.append("")
    return "\n".join(lines)


def main(argv=None) -> int:
    global ARGS
    parser = argparse.ArgumentParser(description="talentdesk benchmark suite")
    parser.add_argument("--tickets", type=int, default=100_000, help="size for the HTTP endpoints")
    parser.add_argument("--scaling", default="100000",
                        help="sizes for the dashboard's cost, comma-separated (e.g. 10000,100000,1000000)")
    parser.add_argument("--pg", default=os.environ.get("BENCH_PG", "postgresql://postgres@127.0.0.1:5432"),
                        help="PostgreSQL server (the databases td_bench_<size> are made there)")
    parser.add_argument("--duration", type=float, default=12.0, help="seconds of load per endpoint (max 60)")
    parser.add_argument("--concurrency", type=int, default=16, help="connections (wrk -c) or client threads")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (wrk -t)")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds over the endpoints (wrk)")
    parser.add_argument("--loadgen", action="store_true", help="the Python load generator even with wrk")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--max-requests", type=int, default=50_000, help="per endpoint")
    parser.add_argument("--repeat", type=int, default=5, help="dashboard timings per size")
    parser.add_argument("--port", type=int, default=0, help="default: a free loopback port")
    parser.add_argument("--out", default="bench-results")
    parser.add_argument("--fresh", action="store_true", help="regenerate the databases")
    parser.add_argument("--skip-http", action="store_true")
    parser.add_argument("--measure-dashboard", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    ARGS = args
    if args.measure_dashboard:
        print(json.dumps(measure_dashboard(args.repeat)))
        return 0
    sizes = sorted({int(s) for s in args.scaling.split(",") if s.strip()})
    report = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "tickets": args.tickets,
        "settings": {"workers": args.workers, "concurrency": args.concurrency, "duration": args.duration,
                     "gunicorn": "sync workers, DEBUG off, bench_settings"},
        "machine": machine(),
        "dashboard": dashboard_scaling(args.pg, sizes, args.fresh, args.repeat),
    }
    if not args.skip_http:
        url = ensure_database(args.pg, args.tickets, fresh=args.fresh and args.tickets not in sizes)
        report["http"] = http_suite(args, url)
        report["settings"]["tool"] = args.tool
    out = ROOT / args.out
    out.mkdir(exist_ok=True)
    path = out / f"bench-{label(args.tickets)}-{datetime.now(UTC):%Y%m%dT%H%M%S}.json"
    report["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    path.with_suffix(".md").write_text(markdown(report))
    print_report(report)
    print(f"\nwritten to {path.relative_to(ROOT)} and {path.with_suffix('.md').relative_to(ROOT)}")
    return 0


ARGS = None

if __name__ == "__main__":
    raise SystemExit(main())
