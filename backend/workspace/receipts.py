"""The receipt handed to the talent after intake: bilingual, printable, with the access
code shown once and a QR code of the portal's status link.

The access code exists in clear only in the session, between opening the ticket and the
first time its receipt is shown; after that only a new code (``ticket_access_code_reset``)
can be shown again.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from core.errors import ActionForbidden
from sla.clock import deadline_provisional
from tickets.access import access_code_display
from tickets.links import status_url
from tickets.models import MaterialStatus, Ticket
from tickets.services import ticket_access_code_reset, ticket_access_code_send
from workspace.access import staff_required
from workspace.display import centre_time
from workspace.qr import qr_svg

SESSION_KEY = "workspace_access_codes"

LABELS = {
    "title": gettext_lazy("Receipt"),
    "centre": gettext_lazy("Service centre"),
    "reference": gettext_lazy("Reference"),
    "access_code": gettext_lazy("Access code"),
    "code_note": gettext_lazy("Keep this code: with the reference it opens your ticket online."),
    "code_gone": gettext_lazy("The access code was shown on the first receipt. If it is lost, ask for a new code."),
    "talent": gettext_lazy("Applicant"),
    "category": gettext_lazy("Category"),
    "subject": gettext_lazy("Subject"),
    "channel": gettext_lazy("Channel"),
    "opened": gettext_lazy("Opened"),
    "received": gettext_lazy("Materials received"),
    "missing": gettext_lazy("Materials still missing"),
    "none": gettext_lazy("none"),
    "officer": gettext_lazy("Your officer"),
    "queue": gettext_lazy("The next free officer of the window will take it."),
    "first_response": gettext_lazy("Expected first response by"),
    "completion": gettext_lazy("Promised completion by"),
    "provisional": gettext_lazy("provisional: the holiday calendar for that year is not published yet"),
    "clerk": gettext_lazy("Received by"),
    "address": gettext_lazy("Address"),
    "hotline": gettext_lazy("Hotline"),
    "status": gettext_lazy("Check the status online"),
    "scan": gettext_lazy("Scan the code or open the status page and enter the reference and access code."),
}
LANGS = ("zh-hans", "en")


def remember_access_code(request, ticket: Ticket, code: str) -> None:
    codes = request.session.get(SESSION_KEY, {})
    codes[str(ticket.pk)] = code
    request.session[SESSION_KEY] = codes


def _take_access_code(request, ticket: Ticket) -> str | None:
    codes = request.session.get(SESSION_KEY, {})
    code = codes.pop(str(ticket.pk), None)
    if code is not None:
        request.session[SESSION_KEY] = codes
    return code


def _bilingual(value_of) -> dict[str, str]:
    out = {}
    for lang in LANGS:
        with translation.override(lang):
            out[lang[:2]] = str(value_of())
    return out


def _labels() -> dict[str, dict[str, str]]:
    return {key: _bilingual(lambda text=text: text) for key, text in LABELS.items()}


def _clerk_name(ticket: Ticket) -> str:
    """受理人: who opened the ticket (an officer's display name; the system: nobody)."""
    officer = getattr(ticket.created_by, "officer", None) if ticket.created_by_id else None
    return officer.display_name if officer is not None else ""


@staff_required()
@require_GET
def receipt(request, reference: str):
    ticket = get_object_or_404(
        Ticket.objects.visible_to(request.user).select_related(
            "talent", "assignee", "centre", "window", "created_by__officer"),
        reference=reference,
    )
    code = _take_access_code(request, ticket)
    materials = list(ticket.materials.all())
    workflow = ticket.workflow
    context = {
        "ticket": ticket,
        "labels": _labels(),
        "access_code": access_code_display(code) if code else None,
        "category": workflow.name,
        "centre_name": {"zh": ticket.centre.name_zh, "en": ticket.centre.name_en},
        "channel": _bilingual(lambda: capfirst(ticket.get_channel_display())),
        "received": [m for m in materials if m.status == MaterialStatus.RECEIVED],
        "missing": [m for m in materials if m.required and m.status != MaterialStatus.RECEIVED],
        "opened": centre_time(ticket.created_at, ticket.centre),
        "first_response_due": centre_time(ticket.first_response_due, ticket.centre),
        "completion_due": centre_time(ticket.resolution_due, ticket.centre),
        # The mark sits next to the date that rests on an unpublished calendar, not both.
        "first_response_provisional": ticket.sla_provisional
        and deadline_provisional(ticket.centre, ticket.first_response_due),
        "completion_provisional": ticket.sla_provisional
        and deadline_provisional(ticket.centre, ticket.resolution_due),
        "clerk": _clerk_name(ticket),
        "status_url": status_url(ticket),
        "qr": qr_svg(status_url(ticket)),
    }
    return render(request, "workspace/receipt.html", context)


@staff_required()
@require_POST
def receipt_new_code(request, reference: str):
    """Issue a new access code and print it on a fresh receipt (the old code stops working)."""
    ticket = get_object_or_404(Ticket.objects.visible_to(request.user), reference=reference)
    try:
        code = ticket_access_code_reset(ticket=ticket, actor=request.user)
    except ActionForbidden as error:
        messages.error(request, str(error.message))
        return redirect("workspace:ticket", reference=reference)
    remember_access_code(request, ticket, code)
    messages.success(request, _("A new access code was issued; the previous code no longer works."))
    return redirect("workspace:receipt", reference=reference)


@staff_required()
@require_POST
def receipt_send_code(request, reference: str):
    """Send the reference and a new access code by SMS instead of printing (a caller on the
    hotline): the code goes only to the talent's phone, through the outbox."""
    ticket = get_object_or_404(Ticket.objects.visible_to(request.user).select_related("talent"),
                               reference=reference)
    try:
        ticket_access_code_send(ticket=ticket, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except ActionForbidden as error:
        messages.error(request, str(error.message))
    else:
        # a code shown on this receipt before is void now: never show it again
        _take_access_code(request, ticket)
        messages.success(request, _("The reference and a new access code were sent by SMS to %(phone)s; "
                                    "any earlier code no longer works.") % {"phone": ticket.talent.masked_phone})
    return redirect("workspace:receipt", reference=reference)

