"""The one-time notice from the ticket page: send it (one POST, one service) and print it
bilingually for the talent at the window."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from core.errors import ActionForbidden
from prereview.notices import notice_issue
from tickets.links import status_url
from tickets.models import Ticket
from workspace.access import staff_required
from workspace.display import centre_time
from workspace.qr import qr_svg
from workspace.receipts import _bilingual
from workspace.ticket import _fresh, _get, _refusal

LABELS = {
    "title": gettext_lazy("One-time notice"),
    "intro": gettext_lazy("To continue with your request we still need the documents below. "
                          "This notice lists all of them, so that you need not come back more than once."),
    "reference": gettext_lazy("Reference"),
    "talent": gettext_lazy("Applicant"),
    "subject": gettext_lazy("Subject"),
    "sent": gettext_lazy("Date"),
    "document": gettext_lazy("Document"),
    "why": gettext_lazy("Why"),
    "upload": gettext_lazy("Upload online, or bring them to the window:"),
}


@staff_required()
@require_POST
def ticket_notice(request, reference: str):
    ticket = _get(request, reference)
    try:
        notice = notice_issue(ticket=ticket, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return _fresh(request, reference)
    except ActionForbidden as error:
        _refusal(request, error)
        return _fresh(request, reference)
    messages.success(request, _("One-time notice %(number)d sent to the talent: %(count)d item(s).")
                     % {"number": notice.number, "count": len(notice.items)})
    return _fresh(request, reference)


@staff_required()
@require_GET
def notice_print(request, reference: str, number: int):
    ticket = get_object_or_404(Ticket.objects.visible_to(request.user).select_related("talent", "centre"),
                               reference=reference)
    notice = get_object_or_404(ticket.notices, number=number)
    labels = {key: _bilingual(lambda text=text: text) for key, text in LABELS.items()}
    context = {
        "ticket": ticket,
        "notice": notice,
        "labels": labels,
        "centre_name": {"zh": ticket.centre.name_zh, "en": ticket.centre.name_en},
        "sent": centre_time(notice.created_at, ticket.centre),
        "status_url": status_url(ticket),
        "qr": qr_svg(status_url(ticket)),
    }
    return render(request, "prereview/notice_print.html", context)
