"""A small, bounded, loopback-only HTTP load generator (threads + http.client).

Every run is bounded in time and in requests, and refuses any host that is not on the
loopback interface: it can only ever load a server of ours on this machine.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

MAX_DURATION = 60.0
MAX_REQUESTS = 200_000


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    body: bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Result:
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]
    statuses: dict[int, int]

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def percentile(self, fraction: float) -> float | None:
        if not self.latencies_ms:
            return None
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def require_loopback(host: str) -> None:
    for info in socket.getaddrinfo(host, None):
        if not ipaddress.ip_address(info[4][0]).is_loopback:
            raise ValueError(f"refusing to load {host}: not a loopback address")


def run(
    *, host: str, port: int, make_request: Callable[[int], Request], ok: set[int],
    concurrency: int, duration: float, max_requests: int, warmup: float = 1.0,
) -> Result:
    """Send requests from ``concurrency`` threads for ``duration`` seconds (after a
    warm-up that is not counted), at most ``max_requests`` in all."""
    require_loopback(host)
    duration = min(duration, MAX_DURATION)
    max_requests = min(max_requests, MAX_REQUESTS)
    lock = threading.Lock()
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    counters = {"sent": 0, "errors": 0}
    start = time.monotonic()
    measure_from = start + warmup
    stop_at = measure_from + duration

    def worker(index: int) -> None:
        n = 0
        while True:
            now = time.monotonic()
            if now >= stop_at:
                return
            with lock:
                if counters["sent"] >= max_requests:
                    return
            request = make_request(index * 1_000_000 + n)
            n += 1
            sent_at = time.monotonic()
            t0 = time.perf_counter()
            status = 0
            try:
                conn = http.client.HTTPConnection(host, port, timeout=30)
                conn.request(request.method, request.path, body=request.body, headers=request.headers)
                response = conn.getresponse()
                response.read()
                status = response.status
                conn.close()
            except (OSError, http.client.HTTPException):
                status = -1
            elapsed = (time.perf_counter() - t0) * 1000
            if sent_at < measure_from:  # warm-up: not counted
                continue
            with lock:
                counters["sent"] += 1
                statuses[status] = statuses.get(status, 0) + 1
                if status in ok:
                    latencies.append(elapsed)
                else:
                    counters["errors"] += 1

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=duration + warmup + 60)
    seconds = min(time.monotonic(), stop_at) - measure_from
    return Result(counters["sent"], counters["errors"], max(seconds, 1e-9), latencies, statuses)
