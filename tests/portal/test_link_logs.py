"""Status-link tokens are not written to any log: the SMS console backend, Django's
logging (request errors, the development server's access log) and gunicorn's access log
write ``/status/l/[redacted]/`` instead (``core.redact``)."""

import io
import logging
import runpy
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.utils.module_loading import import_string
from gunicorn.config import Config

from config.gunicorn_logging import RedactingLogger
from core.redact import RedactStatusLinks, redact_status_links
from notifications.sms import ConsoleSmsBackend
from tickets.links import status_path, status_token, status_url

pytestmark = pytest.mark.django_db


def test_redaction_replaces_the_token_and_keeps_the_rest(open_ticket):
    text = f"Your case {open_ticket.reference}: {status_url(open_ticket)} thanks"
    assert redact_status_links(text) == (
        f"Your case {open_ticket.reference}: "
        f"{settings.TALENTDESK_PUBLIC_BASE_URL.rstrip('/')}/status/l/[redacted]/ thanks"
    )


def test_console_sms_log_has_no_token(open_ticket, caplog):
    caplog.set_level(logging.INFO, logger="talentdesk.sms")
    ConsoleSmsBackend().send("+8613800000000", f"Status: {status_url(open_ticket)}")
    assert status_token(open_ticket) not in caplog.text
    assert "Status: https://" in caplog.text and "/status/l/[redacted]/" in caplog.text


def _capture(handler: logging.Handler) -> io.StringIO:
    stream = io.StringIO()
    handler.setStream(stream)
    return stream


@pytest.mark.parametrize("logger_name", ["django.request", "django.server", "talentdesk.sms"])
def test_the_configured_log_handlers_redact_the_token(open_ticket, logger_name):
    logger = logging.getLogger(logger_name)
    handlers = logger.handlers if not logger.propagate else logging.getLogger().handlers
    redacting = [h for h in handlers if any(isinstance(f, RedactStatusLinks) for f in h.filters)]
    assert len(redacting) == 1
    old = redacting[0].stream
    stream = _capture(redacting[0])
    try:
        logger.error("Internal Server Error: %s", status_path(open_ticket), extra={"status_code": 500})
    finally:
        redacting[0].setStream(old)
    assert status_token(open_ticket) not in stream.getvalue()
    assert "Internal Server Error: /status/l/[redacted]/" in stream.getvalue()


def _access_line(tmp_path, path: str, referer: str) -> str:
    cfg = Config()
    log_file = tmp_path / "access.log"
    cfg.set("accesslog", str(log_file))
    cfg.set("access_log_format", '%(h)s "%(r)s" %(s)s %(U)s "%(f)s" %({raw_uri}e)s')
    logger = RedactingLogger(cfg)
    environ = {"REQUEST_METHOD": "GET", "RAW_URI": path, "PATH_INFO": path, "QUERY_STRING": "",
               "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "203.0.113.9", "HTTP_REFERER": referer}
    response = SimpleNamespace(status="302 Found", sent=0, headers=[("Location", "/status/t/X/")])
    request = SimpleNamespace(headers=[("REFERER", referer)])
    logger.access(response, request, environ, timedelta(milliseconds=3))
    for handler in logger.access_log.handlers:
        handler.flush()
    return log_file.read_text()


def test_gunicorn_access_log_has_no_token(open_ticket, tmp_path):
    path = status_path(open_ticket)
    line = _access_line(tmp_path, path, referer=status_url(open_ticket))
    assert status_token(open_ticket) not in line
    assert line.count("/status/l/[redacted]/") == 4
    assert '"GET /status/l/[redacted]/ HTTP/1.1" 302' in line


def test_gunicorn_started_from_backend_uses_the_redacting_logger():
    conf = runpy.run_path(str(Path(__file__).resolve().parents[2] / "backend" / "gunicorn.conf.py"))
    assert import_string(conf["logger_class"]) is RedactingLogger


def test_the_production_gunicorn_settings_use_the_redacting_logger():
    conf = runpy.run_path(
        str(Path(__file__).resolve().parents[2] / "backend" / "config" / "gunicorn.conf.py"))
    assert import_string(conf["logger_class"]) is RedactingLogger
