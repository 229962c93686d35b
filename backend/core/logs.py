"""Log lines as JSON, with the request they belong to and no personal data.

One formatter (``JsonFormatter``, in ``settings.LOGGING``) writes every record of the web
processes and the Celery workers as one JSON object per line: time (UTC), level, logger,
message, the request id and the signed-in user's id, the task's name and id inside a
task, and the traceback. Message and traceback go through ``core.redact.redact``: no
status-link token, e-mail address, phone number or document number reaches the line,
whoever logged it.

The request id comes from the ``X-Request-Id`` header (a load balancer's, when it is a
plain token of at most 64 characters) or is made here; ``RequestIdMiddleware`` echoes it
in the response. Tasks published while a request is served carry it in their message
headers and the worker logs under it (``before_task_publish`` / ``task_prerun``).
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import uuid
from datetime import UTC, datetime

from django.utils.functional import SimpleLazyObject, empty

from core.redact import redact

REQUEST_ID_HEADER = "X-Request-Id"
TASK_HEADER_REQUEST = "talentdesk_request_id"
TASK_HEADER_USER = "talentdesk_user_id"
_VALID_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
user_id_var: contextvars.ContextVar[int | None] = contextvars.ContextVar("user_id", default=None)
_request_var: contextvars.ContextVar = contextvars.ContextVar("request", default=None)
_task_var: contextvars.ContextVar[tuple[str, str] | None] = contextvars.ContextVar("task", default=None)


def current_user_id() -> int | None:
    """The user of the request being served (if Django or the API has already identified
    them: a log call never triggers a session or database look-up), or the task's."""
    request = _request_var.get()
    if request is not None:
        user = request.__dict__.get("user")
        if isinstance(user, SimpleLazyObject):
            user = None if user._wrapped is empty else user._wrapped
        if user is not None and getattr(user, "is_authenticated", False):
            return user.pk
    return user_id_var.get()


class RequestIdMiddleware:
    """First in the middleware: every line logged while serving the request carries its id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = given if _VALID_ID.match(given) else uuid.uuid4().hex
        request.request_id = request_id
        # Kept until the response is closed (``request_finished``), so Django's own line
        # for a 4xx/5xx answer, written after the middleware, carries the id too.
        request_id_var.set(request_id)
        _request_var.set(request)
        user_id_var.set(None)
        response = self.get_response(request)
        response[REQUEST_ID_HEADER] = request_id
        return response


def _request_finished(**kwargs):
    request_id_var.set(None)
    _request_var.set(None)
    user_id_var.set(None)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):
            message = str(record.msg)
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(message),
            "request_id": request_id_var.get(),
            "user_id": current_user_id(),
        }
        if (task := _task_var.get()) is not None:
            line["task"], line["task_id"] = task
        if (status := getattr(record, "status_code", None)) is not None:
            line["status"] = status
        if record.exc_info:
            line["exception"] = redact(self.formatException(record.exc_info))
        return json.dumps(line, ensure_ascii=False, default=str)


# --- Celery: the request id travels in the task's headers -------------------------------

_task_tokens: dict[str, tuple] = {}


def _before_publish(sender=None, headers=None, **kwargs):
    if headers is None:
        return
    if (request_id := request_id_var.get()) is not None:
        headers.setdefault(TASK_HEADER_REQUEST, request_id)
    if (user_id := current_user_id()) is not None:
        headers.setdefault(TASK_HEADER_USER, user_id)


def _prerun(sender=None, task_id=None, task=None, **kwargs):
    request = getattr(task, "request", None)
    # In-process (eager) tasks have no headers and keep the request's id as it is.
    request_id = getattr(request, TASK_HEADER_REQUEST, None) or request_id_var.get()
    user_id = getattr(request, TASK_HEADER_USER, None) or user_id_var.get()
    _task_tokens[task_id] = (
        request_id_var.set(request_id), user_id_var.set(user_id),
        _task_var.set((getattr(sender, "name", "?"), task_id)))


def _postrun(sender=None, task_id=None, **kwargs):
    tokens = _task_tokens.pop(task_id, None)
    if tokens is not None:
        for var, token in zip((request_id_var, user_id_var, _task_var), tokens, strict=True):
            var.reset(token)


def connect_signals() -> None:
    from celery.signals import before_task_publish, task_postrun, task_prerun
    from django.core.signals import request_finished

    request_finished.connect(_request_finished, dispatch_uid="core.logs.finished")

    before_task_publish.connect(_before_publish, dispatch_uid="core.logs.publish", weak=False)
    task_prerun.connect(_prerun, dispatch_uid="core.logs.prerun", weak=False)
    task_postrun.connect(_postrun, dispatch_uid="core.logs.postrun", weak=False)
