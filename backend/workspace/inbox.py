"""My work: what breaches before today's closing on top, the officer's tickets by nearest
due time, the queue of their windows with a claim button, and live counts whose tiles
filter the lists. Constant query counts whatever the number of rows."""

from __future__ import annotations

from django.db.models import Count, F, Q
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core import clock
from sla.clock import schedule_for
from sla.display import centre_zone
from staff.models import role_of
from tickets.models import Ticket
from tickets.permissions import ASSIGN_ROLES
from workspace.access import CASEWORK_ROLES, officer_of, staff_required
from workspace.display import decorate
from workspace.forms import WorkFilterForm
from workspace.reassign import bulk_assign_form

TEMPLATE = "workspace/my_work.html"
PARTIALS = {"work-counts", "work-lists"}
LIST_LIMIT = 50  # nearest due first; filters narrow the rest (and keep the page fast)


def end_of_working_day(user, now):
    """The last closing of today (in the user's centre's zone and calendar), or None on a
    day off or for a user without a centre: what "breaching today" counts up to."""
    officer = officer_of(user)
    if officer is None:
        return None
    centre = officer.centre
    today = now.astimezone(centre_zone(centre)).date()
    intervals = schedule_for(centre).opening_intervals(today)
    return intervals[-1][1] if intervals else None


def due_condition(key: str, now, end_of_day=None) -> Q:
    """The deadline situations of the tiles, one definition for the counts and the filters
    (as ``sla.display.due_state``). ``today``: the clock runs and the deadline is still
    ahead but falls before today's closing (``end_of_day``)."""
    running = Q(sla_paused_at__isnull=True)
    if key == "today":
        if end_of_day is None or end_of_day < now:
            return Q(pk__in=[])
        return running & Q(due_at__gte=now, due_at__lte=end_of_day)
    if key == "overdue":
        return running & Q(due_at__lt=now)
    if key == "due_soon":
        # The warning share of the pending target has passed.
        return running & Q(due_at__gte=now) & (
            Q(first_response_at__isnull=True, first_response_warn_at__lte=now)
            | Q(first_response_at__isnull=False, resolution_warn_at__lte=now)
        )
    if key == "waiting":
        return Q(sla_paused_at__isnull=False)
    raise ValueError(f"unknown deadline filter {key!r}")


def _filtered(queryset, form: WorkFilterForm, now=None, end_of_day=None):
    if form.is_valid():
        if form.cleaned_data.get("state"):
            queryset = queryset.filter(state=form.cleaned_data["state"])
        if form.cleaned_data.get("category"):
            queryset = queryset.filter(category=form.cleaned_data["category"])
        if form.cleaned_data.get("due"):
            queryset = queryset.filter(due_condition(form.cleaned_data["due"], now, end_of_day))
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


def counts(user, now, end_of_day=None) -> dict[str, int]:
    """Two queries: my tickets by deadline situation, and the claimable queue."""
    totals = mine(user).aggregate(
        total=Count("pk"),
        today=Count("pk", filter=due_condition("today", now, end_of_day)),
        overdue=Count("pk", filter=due_condition("overdue", now)),
        due_soon=Count("pk", filter=due_condition("due_soon", now)),
        waiting=Count("pk", filter=due_condition("waiting", now)),
    )
    totals["queue"] = queue(user).count()
    return totals


def work_context(request, data=None) -> dict:
    """Everything the lists show; ``data`` are the filters (GET, or the POST of a claim)."""
    now = clock.now()
    end_of_day = end_of_working_day(request.user, now)
    form = WorkFilterForm(data if data is not None else (request.GET or None))
    mine_filtered = _filtered(mine(request.user), form, now, end_of_day)
    can_bulk = role_of(request.user) in ASSIGN_ROLES
    return {
        "filters": form,
        "due_filter": form.cleaned_data.get("due", "") if form.is_valid() else "",
        # Nearest first, whatever old overdue tickets sit in the list below.
        "breaching": _rows(mine_filtered.filter(due_condition("today", now, end_of_day)), now),
        "mine": _rows(mine_filtered, now),
        "queue": _rows(_filtered(queue(request.user), form, now, end_of_day), now),
        "counts": counts(request.user, now, end_of_day),
        "limit": LIST_LIMIT,
        "now": now,
        # Supervisors tick tickets in the lists and reassign them at once (workspace.reassign).
        "select_form": "bulk-assign" if can_bulk else "",
    }


@staff_required(*CASEWORK_ROLES)
@require_GET
def my_work(request):
    target = request.htmx.target if request.htmx else None
    if target == "work-counts":
        now = clock.now()
        # The poll sends the filters too, so the chosen tile stays marked.
        form = WorkFilterForm(request.GET)
        context = {"counts": counts(request.user, now, end_of_working_day(request.user, now)),
                   "due_filter": form.cleaned_data.get("due", "") if form.is_valid() else ""}
    else:
        context = work_context(request)
        if context["select_form"] and target not in PARTIALS:
            context["bulk_form"] = bulk_assign_form(request.user)
    template = f"{TEMPLATE}#{target}" if target in PARTIALS else TEMPLATE
    return render(request, template, context)
