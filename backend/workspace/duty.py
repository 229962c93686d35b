"""Going off duty (handing the open tickets over by the routing rules) and back on duty,
and the team page where supervisors see their centre's officers.

The rules live in ``tickets.services``: ``officer_hand_over_preview`` says where each open
ticket would go (nothing changes), ``officer_set_duty`` applies the change and routes the
tickets again; it also decides who may change whose duty (ActionForbidden otherwise).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from centres.models import Window
from core import clock
from core.errors import ActionForbidden
from staff.models import Officer
from staff.permissions import centre_staff, team_of
from talents.models import Language
from tickets import routing
from tickets.permissions import ASSIGN_ROLES
from tickets.services import officer_hand_over_preview, officer_set_duty
from workspace.access import ROUTABLE_ROLES, SUPERVISING_ROLES, officer_of, staff_required
from workspace.display import category_label, decorate
from workspace.forms import DutyForm
from workspace.reassign import bulk_assign_form

TEMPLATE = "workspace/duty.html"
TEAM_TEMPLATE = "workspace/team.html"
PARTIALS = {"duty-panel"}


# --- who is on the team -------------------------------------------------------------------


def team_rows(user):
    """The centre's active staff with open load, windows and backup: three queries
    whatever its size."""
    return list(
        centre_staff(user)
        .select_related("user", "centre", "backup")
        .prefetch_related(Prefetch("windows", queryset=Window.objects.order_by("code")))
        # Open load as routing counts it (a correlated count on the open-work index).
        .annotate(load=Coalesce(Subquery(routing.open_load_subquery()), 0))
        .order_by("centre__code", "-on_duty", "display_name", "pk")
    )


@staff_required(*SUPERVISING_ROLES)
@require_http_methods(["GET"])
def team(request):
    rows = team_rows(request.user)
    for officer in rows:
        officer.skill_labels = [category_label(skill) for skill in officer.skills or []]
        officer.language_labels = [str(Language(code).label) if code in Language.values else code
                                   for code in officer.languages or []]
        # Only those routing gives tickets to have a duty and a capacity that counts.
        officer.routable = officer.role in ROUTABLE_ROLES
        officer.full = officer.routable and officer.load >= officer.capacity
    routable = [o for o in rows if o.routable]
    return render(request, TEAM_TEMPLATE, {
        "officers": rows,
        "routable": len(routable),
        "on_duty": sum(1 for o in routable if o.on_duty),
        "centres": len({o.centre_id for o in rows}),
    })


# --- one officer's duty -------------------------------------------------------------------


def duty_context(request, officer: Officer, **extra) -> dict:
    """The officer's state and, while they hold open tickets, where each would go."""
    preview = officer_hand_over_preview(officer=officer)
    now = clock.now()
    for item in preview:
        decorate(item.ticket, now)
    is_self = officer.user_id == request.user.pk
    form = extra.pop("form", None) or DutyForm(initial={"hand_over": True})
    context = {
        "officer": officer,
        "is_self": is_self,
        "preview": preview,
        "queued": sum(1 for item in preview if item.decision.queued),
        "form": form,
        "result": None,
        "action_url": request.path,
        "can_team": request.role in SUPERVISING_ROLES,
        # Partial hand-over: tick some of the tickets and choose who takes them.
        "bulk_form": bulk_assign_form(request.user) if preview and request.role in ASSIGN_ROLES else None,
    }
    context.update(extra)
    return context


def _render(request, officer: Officer, *, status: int = 200, **extra):
    target = request.htmx.target if request.htmx else None
    template = f"{TEMPLATE}#{target}" if target in PARTIALS else TEMPLATE
    return render(request, template, duty_context(request, officer, **extra), status=status)


def _summary(officer: Officer, change, is_self: bool) -> str:
    if change.on_duty:
        return _("You are on duty again: new tickets can be routed to you.") if is_self else \
            _("%(name)s is on duty again.") % {"name": officer.display_name}
    text = _("You are off duty: no new tickets are routed to you.") if is_self else \
        _("%(name)s is off duty.") % {"name": officer.display_name}
    moved = change.handed_over
    if moved:
        queued = sum(1 for item in moved if item.ticket.assignee_id is None)
        if queued:
            text += " " + ngettext("%(n)s ticket handed over, %(queued)s of them back to the queue.",
                                   "%(n)s tickets handed over, %(queued)s of them back to the queue.",
                                   len(moved)) % {"n": len(moved), "queued": queued}
        else:
            text += " " + ngettext("%(n)s ticket handed over.", "%(n)s tickets handed over.", len(moved)) % {
                "n": len(moved)}
    return text


def _apply(request, officer: Officer):
    form = DutyForm(request.POST)
    if not form.is_valid():
        return _render(request, officer, status=200 if request.htmx else 422, form=form)
    data = form.cleaned_data
    on_duty = data["duty"] == "on"
    try:
        change = officer_set_duty(officer=officer, on_duty=on_duty, actor=request.user,
                                  hand_over=not on_duty and data["hand_over"], reason=data["reason"])
    except ActionForbidden as error:
        messages.error(request, str(error.message))
        return _render(request, officer) if request.htmx else redirect(request.path)
    except ValidationError as error:
        form.add_error(None, error.messages)
        return _render(request, officer, status=200 if request.htmx else 422, form=form)
    is_self = officer.user_id == request.user.pk
    messages.success(request, _summary(change.officer, change, is_self))
    if request.htmx:
        return _render(request, change.officer, result=change.handed_over, oob_chip=is_self)
    return redirect(request.path)


@staff_required(*ROUTABLE_ROLES)
@require_http_methods(["GET", "POST"])
def my_duty(request):
    """The signed-in officer's own duty: off duty with hand-over, or back on duty."""
    officer = officer_of(request.user)
    if officer is None:  # pragma: no cover - a routable role always has a profile
        raise Http404
    if request.method == "POST":
        return _apply(request, officer)
    return _render(request, officer)


@staff_required(*SUPERVISING_ROLES)
@require_http_methods(["GET", "POST"])
def team_duty(request, pk: int):
    """A supervisor (their centre) or an administrator sets an officer's duty."""
    officer = get_object_or_404(team_of(request.user).select_related("user", "centre"), pk=pk)
    if request.method == "POST":
        return _apply(request, officer)
    return _render(request, officer)
