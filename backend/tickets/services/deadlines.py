"""Deadlines maintenance: recompute due times when the calendar they were computed on changes.

Deadlines in a year no calendar source knows are computed Monday-Friday and flagged
provisional. When that year becomes known (a new yearly file or chinesecalendar release
is deployed), or an administrator overrides a date, the affected open tickets are
recomputed: ``sla_recompute_ticket`` for one, ``sla_recompute_provisional`` and
``sla_recompute_around`` for the batches the tasks run.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, time, timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from core import clock
from sla.clock import schedule_for, sla_recompute, work_calendar
from tickets.models import EventKind, Ticket
from tickets.services.workflow import ticket_log

log = logging.getLogger("talentdesk.sla")


@transaction.atomic
def sla_recompute_ticket(*, ticket_id: int, reason: str = "") -> bool:
    """Recompute one open ticket's pending due times; record an internal SLA event and a
    history row when they moved. Returns whether anything changed."""
    from core.system import system_user
    ticket = (Ticket.objects.select_for_update(of=("self",)).select_related("centre", "talent")
              .filter(pk=ticket_id, closed_at__isnull=True).first())
    if ticket is None:
        return False
    before = (ticket.first_response_due, ticket.resolution_due, ticket.sla_provisional)
    if not sla_recompute(ticket=ticket):
        return False
    actor = system_user()
    reason = reason or _("due times recomputed: calendar updated")
    ticket._history_user = actor
    ticket._history_date = clock.now()
    ticket._change_reason = reason[:100]
    ticket.save()
    ticket_log(
        ticket=ticket, kind=EventKind.SLA, actor=actor, public=False, body=reason,
        data={"recomputed": True,
              "before": [v.isoformat() if isinstance(v, datetime) else v for v in before],
              "first_response_due": _iso(ticket.first_response_due),
              "resolution_due": _iso(ticket.resolution_due),
              "provisional": ticket.sla_provisional},
    )
    return True


def _iso(value):
    return value.isoformat() if value is not None else None


def _years_of(ticket) -> set[int]:
    """Calendar years the ticket's pending deadlines were computed over (a margin of a year
    for pauses)."""
    ends = [d for d in (ticket.first_response_due, ticket.resolution_due) if d is not None]
    last = max(ends) if ends else ticket.created_at
    return set(range(ticket.created_at.year, last.year + 1))


def sla_recompute_provisional(*, limit: int = 10000) -> int:
    """Recompute open provisional tickets whose years are all known now; return how many
    changed. Tickets still touching an unknown year are left alone (cheaply)."""
    calendar = work_calendar()
    changed = 0
    rows = (Ticket.objects.open().filter(sla_provisional=True).order_by("created_at", "pk")
            .only("pk", "created_at", "first_response_due", "resolution_due")[:limit])
    for ticket in rows.iterator(chunk_size=500):
        if calendar.unknown_years(_years_of(ticket)):
            continue
        changed += sla_recompute_ticket(
            ticket_id=ticket.pk, reason=_("due times recomputed: the calendar year is now known"))
    return changed


def sla_recompute_around(*, day: date, limit: int = 10000) -> int:
    """Recompute open tickets whose clock runs over ``day`` (an override was saved or
    removed for it); return how many changed."""
    from django.db.models import Q
    start = datetime.combine(day, time.min, tzinfo=UTC) - timedelta(days=1)
    end = start + timedelta(days=3)
    rows = (
        Ticket.objects.open().filter(created_at__lt=end)
        .filter(Q(resolution_due__gte=start) | Q(first_response_due__gte=start))
        .order_by("created_at", "pk").values_list("pk", flat=True)[:limit]
    )
    reason = _("due times recomputed: calendar override for %(day)s") % {"day": day.isoformat()}
    return sum(sla_recompute_ticket(ticket_id=pk, reason=reason) for pk in rows)


def unknown_deadline_years(now=None) -> list[int]:
    """Years no calendar source knows that open tickets' deadlines (or this year) fall in."""
    from django.db.models import Max
    now = now or clock.now()
    latest = Ticket.objects.open().aggregate(
        last=Max("resolution_due"), first=Max("first_response_due"))
    years = {now.year}
    for value in latest.values():
        if value is not None:
            years.update(range(now.year, value.year + 1))
    return work_calendar().unknown_years(years)


def schedule_provisional(centre, instant) -> bool:
    """Whether a deadline at ``instant`` at ``centre`` rests on a Monday-Friday guess."""
    return schedule_for(centre).add_hours(instant, 0).provisional
