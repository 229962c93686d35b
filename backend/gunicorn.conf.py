"""gunicorn reads this file when started from ``backend/`` (``gunicorn config.wsgi``).

The access log goes through ``config.gunicorn_logging.RedactingLogger``: status-link
tokens are written as ``[redacted]``."""

logger_class = "config.gunicorn_logging.RedactingLogger"
