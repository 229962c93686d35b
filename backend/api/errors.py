"""One error shape for the whole API, in the language of ``Accept-Language``.

Every error answer is either ``{"detail": "…"}`` (plus context keys on conflicts:
``current_state`` and ``allowed_actions`` for a refused transition, ``holder`` for a
claim conflict) or ``{"field": ["message", …], …}``. Nested fields are flattened with
dots (``new_talent.document_number``, ``materials_received.0``) so that every value of a
field error is a list of strings.

The services raise Django's ``ValidationError`` and the ``core.errors`` refusals; they
are mapped here once: ValidationError → 400, ActionForbidden → 403, InvalidTransition and
ClaimConflict → 409, IdempotencyConflict → 422; the hall's refusals (``hall.errors``):
WindowForbidden → 403, the others (nobody waiting, nothing being served) → 409.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import (
    ActionForbidden,
    ClaimConflict,
    IdempotencyConflict,
    InvalidTransition,
    StaleVersion,
    TicketError,
)
from hall.errors import HallError, WindowForbidden

NON_FIELD = "non_field_errors"


def flatten(detail, prefix: str = "") -> dict[str, list[str]]:
    """``{"a": {"b": ["x"]}, "c": ["y"]}`` → ``{"a.b": ["x"], "c": ["y"]}``."""
    flat: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            for inner, messages in flatten(value, name).items():
                flat.setdefault(inner, []).extend(messages)
    elif isinstance(detail, list | tuple):
        messages = []
        for index, item in enumerate(detail):
            if isinstance(item, dict | list | tuple):
                flat.update(flatten(item, f"{prefix}.{index}" if prefix else str(index)))
            else:
                messages.append(str(item))
        if messages:
            flat.setdefault(prefix or NON_FIELD, []).extend(messages)
    else:
        flat.setdefault(prefix or NON_FIELD, []).append(str(detail))
    return flat


def django_validation_detail(exc: DjangoValidationError) -> dict[str, list[str]]:
    """A service's ``ValidationError`` as field errors; ``__all__`` becomes non-field."""
    if hasattr(exc, "error_dict"):
        return {
            (NON_FIELD if field == "__all__" else field): [str(m) for m in messages]
            for field, messages in exc.message_dict.items()
        }
    return {NON_FIELD: [str(m) for m in exc.messages]}


def _ticket_error(exc: TicketError) -> Response:
    if isinstance(exc, InvalidTransition):
        return Response(
            {
                "detail": str(exc.message),
                "current_state": exc.current_state,
                "allowed_actions": list(exc.allowed),
            },
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, ClaimConflict):
        holder = exc.holder
        return Response(
            {"detail": str(exc.message), "holder": {"id": holder.pk, "name": holder.display_name}},
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, StaleVersion):
        return Response({"detail": str(exc.message)}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, IdempotencyConflict):
        return Response({"detail": str(exc.message)}, status=status.HTTP_422_UNPROCESSABLE_ENTITY)
    if isinstance(exc, ActionForbidden):
        return Response({"detail": str(exc.message)}, status=status.HTTP_403_FORBIDDEN)
    return Response({"detail": str(exc.message)}, status=status.HTTP_400_BAD_REQUEST)


def _hall_error(exc: HallError) -> Response:
    code = status.HTTP_403_FORBIDDEN if isinstance(exc, WindowForbidden) else status.HTTP_409_CONFLICT
    return Response({"detail": str(exc.message)}, status=code)


def exception_handler(exc, context):
    """DRF's handler, taught the services' errors, answering in the one error shape."""
    if isinstance(exc, TicketError):
        return _ticket_error(exc)
    if isinstance(exc, HallError):
        return _hall_error(exc)
    if isinstance(exc, DjangoValidationError):
        return Response(django_validation_detail(exc), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = flatten(exc.detail)
    elif isinstance(response.data, dict) and "detail" in response.data:
        response.data = {**response.data, "detail": str(response.data["detail"])}
    else:
        response.data = {"detail": str(response.data)}
    return response


# --- the error shapes, for the OpenAPI schema ---------------------------------------------------

DetailError = inline_serializer(
    "Error", {"detail": serializers.CharField(help_text="What went wrong, in the request's language.")}
)
# Field errors have one key per rejected field, so the schema is a map; a request that is
# not even JSON answers 400 with ``{"detail": …}``, which this map also describes.
FieldErrors = {
    "type": "object",
    "description": (
        "One key per rejected field (nested fields joined with dots; `non_field_errors` for "
        "the request as a whole), each a list of messages; or `detail` when the body is not JSON."
    ),
    "additionalProperties": {
        "anyOf": [{"type": "array", "items": {"type": "string"}}, {"type": "string"}]
    },
    "example": {"subject": ["This field is required."], "colour": ["Unknown field."]},
}
TransitionConflict = inline_serializer(
    "TransitionConflict",
    {
        "detail": serializers.CharField(),
        "current_state": serializers.CharField(help_text="The ticket's state now."),
        "allowed_actions": serializers.ListField(
            child=serializers.CharField(), help_text="The actions your role may take now."
        ),
    },
)
ClaimConflictError = inline_serializer(
    "ClaimConflict",
    {
        "detail": serializers.CharField(),
        "holder": inline_serializer(
            "TicketHolder", {"id": serializers.IntegerField(), "name": serializers.CharField()}
        ),
    },
)

_DESCRIPTIONS = {
    400: "Bad input: every rejected field is named, with messages in the request's language.",
    401: "No or invalid credentials (send `Authorization: Token …` or a session cookie).",
    403: "Your role may not do this.",
    404: "Not found, or outside your scope.",
    409: "Conflicts with the current state.",
    422: "The Idempotency-Key was already used with a different request body.",
    429: "Too many attempts; wait and retry.",
}


def error_responses(*codes: int, conflict=None) -> dict[int, OpenApiResponse]:
    """The documented error answers of an operation: ``error_responses(400, 403, 404)``.

    401 is always included. ``conflict`` is the 409 body (``TransitionConflict`` or
    ``ClaimConflictError``); without it a 409 is ``{"detail": …}``.
    """
    answers = {}
    for code in sorted({401, *codes}):
        if code == 400:
            body = FieldErrors
        elif code == 409 and conflict is not None:
            body = conflict
        else:
            body = DetailError
        answers[code] = OpenApiResponse(body, description=_DESCRIPTIONS.get(code, ""))
    return answers
