"""My work: the officer's tickets by nearest due time, the queue of their windows with a
claim button, and live counts. Constant query counts whatever the number of rows."""

from __future__ import annotations

from django.db.models import Count, F, Q
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core import clock
from tickets.models import Ticket
from workspace.access import CASEWORK_ROLES, officer_of, staff_required
from workspace.display import decorate
from workspace.forms import WorkFilterForm

TEMPLATE = "workspace/my_work.html"
PARTIALS = {"work-counts", "work-lists"}
LIST_LIMIT = 50  # nearest due first; filters narrow the rest (and keep the page fast)


def _filtered(queryset, form: WorkFilterForm):
    if form.is_valid():
        if form.cleaned_data.get("state"):
            queryset = queryset.filter(state=form.cleaned_data["state"])
        if form.cleaned_data.get("category"):
            queryset = queryset.filter(category=form.cleaned_data["category"])
    return queryset


def mine(user):
    officer = officer_of(user)
    if officer is None:
        return Ticket.objects.none()
    return Ticket.objects.visible_to(user).active().filter(assignee=officer)


def queue(user):
    """Unassigned active tickets this user could claim (their windows; a supervisor's centre)."""
    return Ticket.objects.claimable_by(user).active().unassigned()


def _rows(queryset, now):
    rows = list(
        queryset.for_list().order_by(F("due_at").asc(nulls_last=True), "created_at", "pk")[:LIST_LIMIT]
    )
    for ticket in rows:
        decorate(ticket, now)
    return rows


def counts(user, now) -> dict[str, int]:
    """Two queries: my tickets by deadline situation, and the claimable queue."""
    totals = mine(user).aggregate(
        total=Count("pk"),
        overdue=Count("pk", filter=Q(due_at__lt=now, sla_paused_at__isnull=True)),
        # As ``sla.display.due_state``: the warning share of the pending target has passed.
        due_soon=Count("pk", filter=Q(due_at__gte=now, sla_paused_at__isnull=True) & (
            Q(first_response_at__isnull=True, first_response_warn_at__lte=now)
            | Q(first_response_at__isnull=False, resolution_warn_at__lte=now)
        )),
        waiting=Count("pk", filter=Q(sla_paused_at__isnull=False)),
    )
    totals["queue"] = queue(user).count()
    return totals


def work_context(request, data=None) -> dict:
    """Everything the lists show; ``data`` are the filters (GET, or the POST of a claim)."""
    now = clock.now()
    form = WorkFilterForm(data if data is not None else (request.GET or None))
    return {
        "filters": form,
        "mine": _rows(_filtered(mine(request.user), form), now),
        "queue": _rows(_filtered(queue(request.user), form), now),
        "counts": counts(request.user, now),
        "limit": LIST_LIMIT,
        "now": now,
    }


@staff_required(*CASEWORK_ROLES)
@require_GET
def my_work(request):
    target = request.htmx.target if request.htmx else None
    if target == "work-counts":
        context = {"counts": counts(request.user, clock.now())}
    else:
        context = work_context(request)
    template = f"{TEMPLATE}#{target}" if target in PARTIALS else TEMPLATE
    return render(request, template, context)
