"""Path converters that refuse malformed values before any view or database sees them.

``<ticket_ref:reference>`` takes only what ``ticket_open`` hands out (``TD-2026-000123``:
ASCII digits only), so ``/tickets/TD%00/`` or a 10 kB reference is a plain 404 — never a
database error (PostgreSQL refuses NUL characters in a query with an exception).
"""

from django.urls import register_converter


class TicketReferenceConverter:
    regex = "TD-[0-9]{4}-[0-9]{6,9}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


def register() -> None:
    register_converter(TicketReferenceConverter, "ticket_ref")
