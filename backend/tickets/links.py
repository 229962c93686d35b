"""Signed status links for the talent portal (receipt QR code, notifications).

A link carries the ticket's id and the moment its access code was issued, signed with
the site's secret and a timestamp. It expires after ``TALENTDESK_STATUS_LINK_MAX_AGE``
seconds, and issuing a new access code (``ticket_access_code_reset``) revokes every
link made before, because the issue moment no longer matches.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

from tickets.models import Ticket

_SALT = "talentdesk.portal.status-link"


def status_token(ticket) -> str:
    issued = int(ticket.access_code_issued_at.timestamp() * 1000)
    return signing.TimestampSigner(salt=_SALT).sign_object({"t": ticket.pk, "i": issued}, compress=True)


def status_path(ticket) -> str:
    return reverse("portal:link", kwargs={"token": status_token(ticket)})


def status_url(ticket) -> str:
    """The absolute link printed in the QR code and sent in notifications."""
    return settings.TALENTDESK_PUBLIC_BASE_URL.rstrip("/") + status_path(ticket)


def ticket_from_token(token: str):
    """The ticket a valid, unexpired, unrevoked token points to; None otherwise."""
    try:
        payload = signing.TimestampSigner(salt=_SALT).unsign_object(
            token, max_age=settings.TALENTDESK_STATUS_LINK_MAX_AGE
        )
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(payload, dict):
        return None
    ticket = Ticket.objects.select_related("talent").filter(pk=payload.get("t")).first()
    if ticket is None:
        return None
    if int(ticket.access_code_issued_at.timestamp() * 1000) != payload.get("i"):
        return None
    return ticket
