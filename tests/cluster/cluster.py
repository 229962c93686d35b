"""A small talentdesk cluster in Linux network namespaces on this machine (root needed).

    python tests/cluster/cluster.py up [--seconds 60]   # build, print the addresses, tear down
    python tests/cluster/cluster.py test                # build, the fault test, tear down

Namespaces ``td-lb`` (nginx, 10.77.0.10, the deploy/ site with TLS), ``td-app1``
(10.77.0.11: gunicorn, Celery worker and the one beat) and ``td-app2`` (10.77.0.12: gunicorn,
Celery worker) hang on a bridge ``tdbr0`` (10.77.0.1). The machine's PostgreSQL and the
machine's Redis listen on loopback only, so two socat forwarders on 10.77.0.1 pass the veth
links through to them: database ``td_cluster``, Redis port 6379 dbs 12 (broker) and 13
(cache); ``CLUSTER_REDIS_PORT`` / ``CLUSTER_REDIS_DBS`` choose others. Uploads and the SMS file are one directory for both hosts (as a shared mount is
in production). Everything is torn down at the end, also after an error or Ctrl-C.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import psycopg
import requests
import urllib3

urllib3.disable_warnings()

ROOT = Path(__file__).resolve().parents[2]
PY = str(ROOT / ".venv" / "bin" / "python")
BRIDGE, GATEWAY = "tdbr0", "10.77.0.1"
HOSTS = {"td-lb": "10.77.0.10", "td-app1": "10.77.0.11", "td-app2": "10.77.0.12"}
LB = f"https://{HOSTS['td-lb']}"
DB = "td_cluster"
# The machine's Redis (6379) by default; a second server elsewhere through the environment.
REDIS_PORT = int(os.environ.get("CLUSTER_REDIS_PORT", "6379"))
BROKER_DB, CACHE_DB = (int(n) for n in os.environ.get("CLUSTER_REDIS_DBS", "12,13").split(","))


def sh(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(args, check=check, capture_output=True, text=True)


class Cluster:
    def __init__(self) -> None:
        self.work = Path(tempfile.mkdtemp(prefix="td-cluster-"))
        self.secret = secrets.token_urlsafe(64)
        self.metrics_token = secrets.token_urlsafe(32)
        self.processes: dict[str, list[subprocess.Popen]] = {}
        self.forwarders: list[subprocess.Popen] = []

    # --- network ----------------------------------------------------------------------

    def network_up(self) -> None:
        self.network_down()
        sh("ip", "link", "add", BRIDGE, "type", "bridge")
        sh("ip", "addr", "add", f"{GATEWAY}/24", "dev", BRIDGE)
        sh("ip", "link", "set", BRIDGE, "up")
        for n, (ns, address) in enumerate(HOSTS.items()):
            sh("ip", "netns", "add", ns)
            outside, inside = f"tdv{n}", f"tdv{n}p"
            sh("ip", "link", "add", outside, "type", "veth", "peer", "name", inside)
            sh("ip", "link", "set", outside, "master", BRIDGE)
            sh("ip", "link", "set", outside, "up")
            sh("ip", "link", "set", inside, "netns", ns)
            sh("ip", "netns", "exec", ns, "ip", "addr", "add", f"{address}/24", "dev", inside)
            sh("ip", "netns", "exec", ns, "ip", "link", "set", inside, "up")
            sh("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up")
            sh("ip", "netns", "exec", ns, "ip", "route", "add", "default", "via", GATEWAY)
        for port in (5432, REDIS_PORT):
            self.forwarders.append(subprocess.Popen(
                ["socat", f"TCP-LISTEN:{port},bind={GATEWAY},fork,reuseaddr",
                 f"TCP:127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))

    def network_down(self) -> None:
        for ns in HOSTS:
            for pid in sh("ip", "netns", "pids", ns, check=False).stdout.split():
                with contextlib.suppress(ProcessLookupError):
                    os.kill(int(pid), signal.SIGKILL)
            sh("ip", "netns", "del", ns, check=False)
        for n in range(len(HOSTS)):  # a veth outlives its namespace until it is gone
            sh("ip", "link", "del", f"tdv{n}", check=False)
        sh("ip", "link", "del", BRIDGE, check=False)

    # --- database and settings ----------------------------------------------------------

    def env(self, host: str) -> dict:
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("DJANGO_", "PYTEST", "DATABASE_", "CELERY_", "REDIS_"))}
        env.update({
            "DEBUG": "false", "SECRET_KEY": self.secret,
            "ALLOWED_HOSTS": ",".join(HOSTS.values()),
            "CSRF_TRUSTED_ORIGINS": LB,
            "PUBLIC_BASE_URL": LB,
            "DATABASE_URL": f"postgresql://postgres@{GATEWAY}:5432/{DB}",
            "CELERY_BROKER_URL": f"redis://{GATEWAY}:{REDIS_PORT}/{BROKER_DB}",
            "REDIS_URL": f"redis://{GATEWAY}:{REDIS_PORT}/{CACHE_DB}",
            "TRUSTED_PROXIES": "1",
            "UPLOAD_ROOT": str(self.work / "uploads"),
            "STATIC_ROOT": str(self.work / "static"),
            "TALENTDESK_VAR_DIR": str(self.work / "var"),
            "SMS_BACKEND": "notifications.sms.FileSmsBackend",
            "SMS_FILE_PATH": str(self.work / "sms.jsonl"),
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(self.work / "mail"),
            "METRICS_TOKEN": self.metrics_token,
            "PROMETHEUS_MULTIPROC_DIR": str(self.work / f"metrics-{host}"),
            "GUNICORN_BIND": f"{HOSTS.get(host, '127.0.0.1')}:8000",
            "WEB_CONCURRENCY": "2",
            # A killed worker's messages are re-queued by the sweeper within seconds.
            "OUTBOX_LEASE_SECONDS": "10", "OUTBOX_SWEEP_GRACE_SECONDS": "5",
            "PYTHONPATH": str(ROOT / "backend"),
        })
        return env

    def manage(self, *args: str) -> str:
        env = self.env("setup")
        env["DATABASE_URL"] = f"postgresql://postgres@127.0.0.1:5432/{DB}"
        env["CELERY_BROKER_URL"] = f"redis://127.0.0.1:{REDIS_PORT}/{BROKER_DB}"
        env["REDIS_URL"] = f"redis://127.0.0.1:{REDIS_PORT}/{CACHE_DB}"
        result = subprocess.run([PY, "manage.py", *args], cwd=ROOT / "backend", env=env,
                                capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
        return result.stdout

    def database_up(self) -> None:
        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as c:
            c.execute(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
            c.execute(f"CREATE DATABASE {DB}")
        sh("redis-cli", "-p", str(REDIS_PORT), "-n", str(BROKER_DB), "flushdb")
        sh("redis-cli", "-p", str(REDIS_PORT), "-n", str(CACHE_DB), "flushdb")
        self.manage("migrate", "--noinput", "-v0")
        self.manage("collectstatic", "--noinput", "-v0")
        self.manage("seed_demo", "--force", "--tickets", "0", "--talents", "5")
        token = self.manage("shell", "-c",
                            "from rest_framework.authtoken.models import Token;"
                            "from django.contrib.auth import get_user_model;"
                            "u=get_user_model().objects.get(username='clerk');"
                            "print(Token.objects.get_or_create(user=u)[0].key)")
        self.token = token.strip().splitlines()[-1]

    # --- processes ----------------------------------------------------------------------

    def _spawn(self, ns: str, name: str, argv: list[str], env: dict) -> subprocess.Popen:
        log = (self.work / f"{ns}-{name}.log").open("a")
        return subprocess.Popen(["ip", "netns", "exec", ns, *argv], cwd=ROOT / "backend", env=env,
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def app_up(self, ns: str, *, beat: bool) -> None:
        env = self.env(ns)
        Path(env["PROMETHEUS_MULTIPROC_DIR"]).mkdir(parents=True, exist_ok=True)
        processes = [
            self._spawn(ns, "web", [PY, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py"),
                                    "config.wsgi"], env),
            self._spawn(ns, "worker", [PY, "-m", "celery", "-A", "config", "worker", "--concurrency=1",
                                       "--without-mingle", "--without-gossip", "-l", "info",
                                       "-n", f"worker@{ns}"], env),
        ]
        if beat:
            processes.append(self._spawn(ns, "beat", [PY, "-m", "celery", "-A", "config", "beat",
                                                      "-l", "info", "--schedule",
                                                      str(self.work / "beat-schedule")], env))
        self.processes[ns] = processes

    def app_kill(self, ns: str) -> None:
        """The host dies: every process in its namespace gets SIGKILL."""
        for pid in sh("ip", "netns", "pids", ns, check=False).stdout.split():
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(pid), signal.SIGKILL)
        for process in self.processes.pop(ns, []):
            process.wait()

    def lb_up(self) -> None:
        site = (ROOT / "deploy" / "nginx" / "talentdesk.conf").read_text()
        site = re.sub(r"upstream talentdesk_app \{.*?\n\}", "upstream talentdesk_app {\n" + "".join(
            f"    server {HOSTS[ns]}:8000 max_fails=1 fail_timeout=5s;\n" for ns in ("td-app1", "td-app2"))
            + "    keepalive 16;\n}", site, flags=re.S)
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                        "-subj", f"/CN={HOSTS['td-lb']}", "-keyout", str(self.work / "k.pem"),
                        "-out", str(self.work / "c.pem")], check=True, capture_output=True)
        site = (site.replace("/etc/ssl/talentdesk/fullchain.pem", str(self.work / "c.pem"))
                .replace("/etc/ssl/talentdesk/privkey.pem", str(self.work / "k.pem"))
                .replace("/var/log/nginx/", f"{self.work}/")
                .replace("/srv/talentdesk/static/", f"{self.work}/static/")
                .replace("server_name talentdesk.example.gov.cn;", "server_name _;")
                # which host answered, for the test
                .replace("        proxy_pass http://talentdesk_app;\n",
                         "        proxy_pass http://talentdesk_app;\n"
                         "        add_header X-Upstream $upstream_addr always;\n"))
        (self.work / "site.conf").write_text(site)
        (self.work / "nginx.conf").write_text(
            f"pid {self.work}/nginx.pid;\nerror_log {self.work}/nginx-error.log;\nworker_processes 1;\n"
            f"events {{}}\nhttp {{\n include /etc/nginx/mime.types;\n"
            f" client_body_temp_path {self.work}/nginx-body;\n proxy_temp_path {self.work}/nginx-proxy;\n"
            f" include {self.work}/site.conf;\n}}\n")
        self.processes["td-lb"] = [self._spawn(
            "td-lb", "nginx", ["nginx", "-c", str(self.work / "nginx.conf"), "-g", "daemon off;"],
            {"PATH": os.environ.get("PATH", "/usr/sbin:/usr/bin:/sbin:/bin")})]

    def wait_ready(self, address: str, timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                r = requests.get(f"http://{address}:8000/readyz", timeout=5,
                                 headers={"X-Forwarded-Proto": "https"})
                if r.status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(1)
        raise RuntimeError(f"{address} did not become ready; logs in {self.work}")

    def up(self) -> None:
        self.network_up()
        self.database_up()
        self.app_up("td-app1", beat=True)
        self.app_up("td-app2", beat=False)
        self.lb_up()
        for ns in ("td-app1", "td-app2"):
            self.wait_ready(HOSTS[ns])

    def down(self) -> None:
        for ns in list(self.processes):
            self.app_kill(ns)
        for forwarder in self.forwarders:
            forwarder.kill()
            forwarder.wait()
        self.network_down()

    def beats(self) -> int:
        count = 0
        for ns in HOSTS:
            for pid in sh("ip", "netns", "pids", ns, check=False).stdout.split():
                try:
                    cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
                except FileNotFoundError:
                    continue
                if b"celery" in b" ".join(cmdline) and b"beat" in cmdline:
                    count += 1
        return count


# --- the fault test ---------------------------------------------------------------------


def _create(cluster: Cluster, key: str, stats: Counter, prefix: str = "cluster") -> dict | None:
    """POST one ticket through the LB; retry the same Idempotency-Key until answered."""
    body = {"category": "policy_consultation", "channel": "hotline", "subject": f"{prefix} {key}",
            "new_talent": {"latin_name": f"Cluster {key[:8]}", "nationality": "sg",
                           "document_type": "passport", "document_number": f"C{int(key[:6], 16):08d}",
                           "preferred_language": "en", "email": f"{key[:8]}@example.org",
                           "phone": "+6591234567"}}
    for _attempt in range(30):
        stats["create_sent"] += 1
        try:
            r = requests.post(f"{LB}/api/v1/tickets/", json=body, verify=False, timeout=30,
                              headers={"Authorization": f"Token {cluster.token}", "Idempotency-Key": key})
        except requests.RequestException:
            stats["create_lost"] += 1
            time.sleep(0.5)
            continue
        if r.status_code in (502, 503, 504):
            stats["create_lost"] += 1
            time.sleep(0.5)
            continue
        stats[f"create_{r.status_code}"] += 1
        if r.status_code in (200, 201):
            return r.json()
        raise AssertionError(f"create answered {r.status_code}: {r.text[:300]}")
    return None


def _status(cluster: Cluster, reference: str, stats: Counter) -> None:
    stats["status_sent"] += 1
    try:
        r = requests.get(f"{LB}/api/v1/tickets/{reference}/", verify=False, timeout=30,
                         headers={"Authorization": f"Token {cluster.token}"})
    except requests.RequestException:
        stats["status_lost"] += 1
        return
    stats["status_lost" if r.status_code >= 500 else f"status_{r.status_code}"] += 1


def fault_test(cluster: Cluster, *, seconds: float = 36.0, threads: int = 3) -> dict:
    stats: Counter = Counter()
    created: dict[str, dict] = {}
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client():
        while time.monotonic() < stop:
            key = uuid.uuid4().hex
            answer = _create(cluster, key, stats)
            if answer is not None:
                with lock:
                    created[key] = answer
                _status(cluster, answer["reference"], stats)

    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        futures = [pool.submit(client) for _ in range(threads)]
        time.sleep(seconds / 3)
        killed_at = time.monotonic()
        cluster.app_kill("td-app2")
        print(f"killed td-app2 at {killed_at - (stop - seconds):.1f}s", flush=True)
        time.sleep(seconds / 6)
        cluster.app_up("td-app2", beat=False)
        cluster.wait_ready(HOSTS["td-app2"])
        print(f"td-app2 ready again after {time.monotonic() - killed_at:.1f}s", flush=True)
        for future in futures:
            future.result()
    results = {"stats": dict(stats), "tickets_answered": len(created)}

    # Every answered create exists exactly once (one ticket per Idempotency-Key).
    with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{DB}") as db:
        rows = db.execute("SELECT subject, count(*) FROM tickets_ticket WHERE subject LIKE 'cluster %' "
                          "GROUP BY subject").fetchall()
    by_subject = dict(rows)
    assert all(by_subject.get(f"cluster {key}") == 1 for key in created), "a create is missing or doubled"
    assert set(by_subject) == {f"cluster {key}" for key in created}, "a ticket nobody was answered for"
    results["tickets_in_database"] = len(by_subject)

    # Every notification delivered exactly once: outbox drained, one SMS line per key, one
    # e-mail per Message-ID across both workers.
    deadline = time.monotonic() + 180
    while True:
        with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{DB}") as db:
            status = dict(db.execute(
                "SELECT o.status, count(*) FROM notifications_outboxmessage o JOIN tickets_ticket t "
                "ON t.id = o.ticket_id WHERE t.subject LIKE 'cluster %' GROUP BY o.status").fetchall())
            sent_ids = [r[0] for r in db.execute(
                "SELECT o.id FROM notifications_outboxmessage o JOIN tickets_ticket t ON t.id = o.ticket_id "
                "WHERE t.subject LIKE 'cluster %' AND o.status = 'sent'").fetchall()]
        if set(status) <= {"sent"} or time.monotonic() > deadline:
            break
        time.sleep(3)
    results["outbox"] = status
    assert set(status) == {"sent"}, f"outbox not drained: {status}"
    sms = [json.loads(line) for line in (cluster.work / "sms.jsonl").read_text().splitlines() if line]
    sms_keys = Counter(line["key"] for line in sms)
    assert all(n == 1 for n in sms_keys.values()), "an SMS was sent twice"
    mail_ids = Counter(re.findall(r"Message-ID: <(talentdesk-outbox-\d+)-", "".join(
        p.read_text(errors="replace") for p in (cluster.work / "mail").glob("*.log"))))
    assert all(n == 1 for n in mail_ids.values()), "an e-mail was sent twice"
    sent_keys = {int(k.split("-")[2]) for k in list(sms_keys) + list(mail_ids)}
    assert set(sent_ids) <= sent_keys, "an outbox row marked sent was never handed to a provider"
    results["sms_sent"], results["emails_sent"] = len(sms_keys), len(mail_ids)
    return results


def cross_host_checks(cluster: Cluster) -> dict:
    results = {}
    # A portal session opened through the LB holds on whichever host answers.
    key = uuid.uuid4().hex
    ticket = _create(cluster, key, Counter(), prefix="cross-host")
    portal = requests.Session()
    opened = portal.get(ticket["status_url"], verify=False, timeout=30)
    assert opened.status_code == 200, opened.status_code
    upstreams = set()
    for _ in range(6):
        page = portal.get(opened.url, verify=False, timeout=30, allow_redirects=False)
        assert page.status_code == 200, (page.status_code, page.headers.get("Location"))
        upstreams.add(page.headers["X-Upstream"])
    assert len(upstreams) == 2, upstreams
    results["session_hosts"] = sorted(upstreams)

    # An upload through app1 is read through app2 (the portal session's cookies, sent by hand
    # to the hosts directly: they are Secure cookies and the hosts speak plain HTTP).
    direct = {"X-Forwarded-Proto": "https", "X-Forwarded-For": GATEWAY}
    pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    up = requests.post(f"http://{HOSTS['td-app1']}:8000/api/v1/tickets/{ticket['reference']}/materials/"
                       "question/attachments/", files={"file": ("scan.pdf", pdf, "application/pdf")},
                       headers={"Authorization": f"Token {cluster.token}", **direct}, timeout=30)
    if up.status_code == 404:  # the consultation workflow may name its material differently
        materials = requests.get(f"http://{HOSTS['td-app1']}:8000/api/v1/tickets/{ticket['reference']}/",
                                 headers={"Authorization": f"Token {cluster.token}", **direct},
                                 timeout=30).json()["materials"]
        up = requests.post(f"http://{HOSTS['td-app1']}:8000/api/v1/tickets/{ticket['reference']}/materials/"
                           f"{materials[0]['material_id']}/attachments/",
                           files={"file": ("scan.pdf", pdf, "application/pdf")},
                           headers={"Authorization": f"Token {cluster.token}", **direct}, timeout=30)
    assert up.status_code == 201, (up.status_code, up.text[:300])
    key_uuid = up.json()["key"]
    cookie = "; ".join(f"{c.name}={c.value}" for c in portal.cookies)
    down = requests.get(f"http://{HOSTS['td-app2']}:8000/status/files/{key_uuid}/",
                        headers={"Cookie": cookie, **direct}, timeout=30, allow_redirects=False)
    assert down.status_code == 200 and down.content == pdf, (down.status_code, down.text[:300])
    results["upload_written_on"], results["upload_read_on"] = "td-app1", "td-app2"

    # The portal's per-reference limit counts on both hosts together: five wrong codes, then
    # the form answers 429 whichever host gets the request.
    checker = requests.Session()
    form = checker.get(f"{LB}/status/", verify=False, timeout=30)
    statuses, hosts = [], set()
    for _ in range(7):  # one request each: round robin alternates the hosts
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
        form = checker.post(f"{LB}/status/", verify=False, timeout=30,
                            data={"csrfmiddlewaretoken": token, "reference": ticket["reference"],
                                  "code": "AAAAAAAAAA"}, headers={"Referer": f"{LB}/status/"})
        statuses.append(form.status_code)
        hosts.add(form.headers.get("X-Upstream"))
    assert statuses[:4] == [200] * 4 and statuses[-1] == 429, statuses
    assert len(hosts) == 2, hosts
    results["rate_limit_statuses"] = statuses
    results["beats_running"] = cluster.beats()
    assert results["beats_running"] == 1
    return results


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["up", "test"])
    parser.add_argument("--seconds", type=float, default=60.0, help="up: how long to keep it running")
    args = parser.parse_args()
    if os.geteuid() != 0 or not shutil.which("socat") or not shutil.which("nginx"):
        print("needs root, socat and nginx", file=sys.stderr)
        return 2
    cluster = Cluster()
    started = time.monotonic()
    try:
        cluster.up()
        print(f"cluster up in {time.monotonic() - started:.0f}s: load balancer {LB}/ "
              f"(self-signed TLS), app hosts http://{HOSTS['td-app1']}:8000 (with beat) and "
              f"http://{HOSTS['td-app2']}:8000; database {DB}, Redis :{REDIS_PORT} dbs {BROKER_DB}/{CACHE_DB}; "
              f"logs in {cluster.work}", flush=True)
        if args.command == "up":
            time.sleep(args.seconds)
            return 0
        results = cross_host_checks(cluster)
        results.update(fault_test(cluster))
        print(json.dumps(results, indent=1, sort_keys=True))
        print(f"cluster test passed in {time.monotonic() - started:.0f}s")
        return 0
    finally:
        cluster.down()
        print("cluster torn down", flush=True)


if __name__ == "__main__":
    sys.exit(main())
