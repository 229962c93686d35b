"""Reassigning several tickets at once from a list (My work, an officer's duty page for a
partial hand-over): one POST, one call of ``tickets.services.tickets_assign`` — all or
nothing, a refusal names each ticket and why, the selection is kept for a second try."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core import clock
from core.errors import ActionForbidden
from tickets.models import Ticket
from tickets.permissions import ASSIGN_ROLES
from tickets.services import tickets_assign
from workspace.access import officer_of, staff_required
from workspace.display import decorate
from workspace.forms import BulkAssignForm

TEMPLATE = "workspace/reassign.html"
MAX_TICKETS = 200


def bulk_assign_form(user, *, centre=None, references=(), **kwargs) -> BulkAssignForm:
    """The form for a list's selection: the officers of the user's centre in the picker
    (an administrator without a profile: those of the selected tickets' centre)."""
    officer = officer_of(user)
    return BulkAssignForm(centre=officer.centre if officer is not None else centre,
                          references=references, **kwargs)


def _next(request) -> str:
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "/"


@staff_required(*ASSIGN_ROLES)
@require_POST
def tickets_reassign(request):
    references = request.POST.getlist("tickets")[:MAX_TICKETS]
    found = list(Ticket.objects.visible_to(request.user).filter(reference__in=references).for_list())
    centre = found[0].centre if found else None
    form = bulk_assign_form(request.user, centre=centre, references=[t.reference for t in found],
                            data=request.POST)
    unknown = sorted(set(references) - {t.reference for t in found})
    if unknown:
        form.add_error(None, _("Not found or outside your scope: %(refs)s.") % {"refs": ", ".join(unknown)})
    ticket_errors: dict[str, list[str]] = {}
    if form.is_valid():
        officer = form.cleaned_data["officer"]
        try:
            done = tickets_assign(tickets=found, officer=officer, actor=request.user,
                                  reason=form.cleaned_data["reason"],
                                  confirm_missing_skill=form.cleaned_data["confirm_missing_skill"])
        except ActionForbidden as error:
            form.add_error(None, str(error.message))
        except ValidationError as error:
            if "tickets" in error.message_dict:
                form.add_error("tickets", error.message_dict["tickets"])
            ticket_errors = {ref: msgs for ref, msgs in error.message_dict.items() if ref != "tickets"}
            form.add_error(None, ngettext(
                "Nothing was changed: %(n)s ticket could not be assigned (see below).",
                "Nothing was changed: %(n)s tickets could not be assigned (see below).",
                len(ticket_errors)) % {"n": len(ticket_errors)})
        else:
            if officer is None:
                text = ngettext("%(n)s ticket returned to the queue.", "%(n)s tickets returned to the queue.",
                                len(done)) % {"n": len(done)}
            else:
                text = ngettext("%(n)s ticket assigned to %(name)s.", "%(n)s tickets assigned to %(name)s.",
                                len(done)) % {"n": len(done), "name": officer.display_name}
            messages.success(request, text)
            return redirect(_next(request))
    now = clock.now()
    for ticket in found:
        decorate(ticket, now)
        ticket.assign_errors = ticket_errors.get(ticket.reference, [])
    return render(request, TEMPLATE, {"form": form, "tickets": found, "next": _next(request)}, status=422)
