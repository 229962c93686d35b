"""Load one endpoint with ``wrk`` (the Debian package), loopback only.

Each endpoint's requests (method, path, body, headers; several variants, cycled through)
go to wrk as a generated Lua script; the script counts answers outside the accepted
statuses and prints one JSON line at the end (requests, seconds, p50/p99 latency, bad
answers, socket errors). ``available()`` says whether wrk is installed; ``bench.py``
falls back to the Python load generator (``loadgen``) without it.
"""

from __future__ import annotations

import ipaddress
import json
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

MAX_DURATION = 60.0


@dataclass
class WrkResult:
    requests: int
    errors: int  # answers outside the accepted statuses, plus socket errors
    seconds: float
    p50_ms: float
    p99_ms: float

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def available() -> bool:
    return shutil.which("wrk") is not None


def _lua_string(text: str) -> str:
    return "\"" + "".join(c if c.isalnum() or c in " -_./:=&?,;@%+*()[]{}<>!#$^|~'" else f"\\{ord(c):03d}"
                          for c in text) + "\""


def script(requests: list, ok: set[int]) -> str:
    """The Lua script: the request variants, cycled per thread; bad answers counted."""
    rows = []
    for request in requests:
        headers = ", ".join(f"[{_lua_string(k)}] = {_lua_string(v)}" for k, v in request.headers.items())
        body = "nil" if request.body is None else _lua_string(request.body.decode("utf-8"))
        rows.append(f"  wrk.format({_lua_string(request.method)}, {_lua_string(request.path)}, "
                    f"{{{headers}}}, {body}),")
    accepted = ", ".join(f"[{status}] = true" for status in sorted(ok))
    return "\n".join([
        "local threads = {}",
        "function setup(thread) table.insert(threads, thread) end",
        "function init(args)",
        "  bad = 0",
        "  reqs = {",
        *rows,
        "  }",
        "  n = math.random(#reqs) - 1",
        "end",
        "function request()",
        "  n = n + 1",
        "  return reqs[(n % #reqs) + 1]",
        "end",
        f"local accepted = {{{accepted}}}",
        "function response(status, headers, body)",
        "  if not accepted[status] then bad = bad + 1 end",
        "end",
        "function done(summary, latency, requests)",
        "  local b = 0",
        "  for _, t in ipairs(threads) do b = b + t:get(\"bad\") end",
        "  local e = summary.errors",
        "  io.write(string.format('WRKJSON {\"requests\": %d, \"duration_us\": %d, \"p50_us\": %d, "
        "\"p99_us\": %d, \"bad\": %d, \"socket_errors\": %d}\\n', summary.requests, summary.duration, "
        "latency:percentile(50), latency:percentile(99), b, e.connect + e.read + e.write + e.timeout))",
        "end",
    ])


def _loopback(host: str) -> bool:
    try:
        return all(ipaddress.ip_address(info[4][0]).is_loopback
                   for info in socket.getaddrinfo(host, None))
    except (OSError, ValueError):
        return False


def run(*, host: str, port: int, requests: list, ok: set[int], threads: int = 2,
        connections: int = 16, duration: float = 12.0) -> WrkResult:
    """``wrk -t<threads> -c<connections> -d<duration>s`` against ``host:port`` (loopback)."""
    if not _loopback(host):
        raise ValueError(f"refusing to load {host}: only loopback addresses")
    duration = min(float(duration), MAX_DURATION)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.lua"
        path.write_text(script(requests, ok))
        completed = subprocess.run(
            ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration:g}s", "--timeout", "10s",
             "-s", str(path), f"http://{host}:{port}"],
            capture_output=True, text=True, timeout=duration + 60, check=False,
        )
    line = next((x for x in completed.stdout.splitlines() if x.startswith("WRKJSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no summary: {completed.stdout[-500:]} {completed.stderr[-500:]}")
    data = json.loads(line[len("WRKJSON "):])
    return WrkResult(
        requests=data["requests"], errors=data["bad"] + data["socket_errors"],
        seconds=data["duration_us"] / 1e6, p50_ms=data["p50_us"] / 1000, p99_ms=data["p99_us"] / 1000,
    )
