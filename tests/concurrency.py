"""Run the same work in several threads released together (each with its own database
connection), for the races that only real concurrent connections show."""

import threading

from django.db import connection


def in_threads(count: int, work):
    """Run ``work(i)`` for i in range(count) at once; return each result or exception."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def run(index):
        try:
            barrier.wait()
            results[index] = work(index)
        except Exception as exc:  # noqa: BLE001 - collected for the assertion
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results
