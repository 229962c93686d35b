"""Moved to ``core.errors`` (the domain refusals are shared by every app)."""

from core.errors import (  # noqa: F401
    ActionForbidden,
    ClaimConflict,
    IdempotencyConflict,
    InvalidTransition,
    TicketError,
)
