"""gunicorn's settings for talentdesk: ``gunicorn -c config/gunicorn.conf.py config.wsgi``
(from ``backend/``). Every value can still be overridden on the command line.

Logs go to standard error, where the service manager (systemd's journal, the container
runtime) keeps them — never to a file nobody reads and never to /dev/null: gunicorn's
own error log (worker timeouts, crashes, boot failures) and, through
``capture_output``, whatever a worker prints. The application's log (Django's console
handler, including each server error's incident id and traceback) is on standard error
as well. No access log here: a reverse proxy in front keeps one.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
capture_output = True
# An access log, if an operator turns one on (--access-logfile), never holds a
# status-link token: the same redacting logger as backend/gunicorn.conf.py.
logger_class = "config.gunicorn_logging.RedactingLogger"
# The heartbeat file of each worker on a RAM disk, not on a disk that can stall.
_SHM = "/dev/shm"  # noqa: S108 - gunicorn's documented choice for worker heartbeats
worker_tmp_dir = _SHM if os.path.isdir(_SHM) else None


def child_exit(server, worker):
    """With PROMETHEUS_MULTIPROC_DIR (ops.metrics): tell prometheus-client a worker is gone.
    Its histograms stay summed (they are cumulative); live gauges would drop it."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
