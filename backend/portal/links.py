"""Moved to ``tickets.links`` (status links belong with the access codes)."""

from tickets.links import status_path, status_token, status_url, ticket_from_token  # noqa: F401
