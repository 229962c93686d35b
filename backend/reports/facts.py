"""Measured facts per ticket: working time to first response and to resolution.

The measures are counted in the centre's working time (opening hours on the Chinese
calendar, ``sla.clock.schedule_for``) and exclude the spans the ticket spent in a state
that pauses the SLA clock (waiting on the talent), read from the ticket's timeline.
They are recomputed from scratch whenever the ticket changes, so late changes (a reopen,
a reassignment, a rating) simply produce a new row; nothing is accumulated.

* ``fact_refresh(ticket_ids=...)`` recomputes and upserts the facts of some tickets in a
  constant number of queries; the Celery task and the sweeper call it.
* ``measure(...)`` is the pure computation, shared with the benchmark data generator.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.db.models import F, Q

from core import clock
from reports.models import ReportFact
from sla.clock import schedule_for
from tickets.models import Channel, EventKind, Ticket, TimelineEvent

Span = tuple[datetime, datetime]


@dataclass(frozen=True)
class Measures:
    first_response_seconds: int | None
    resolution_seconds: int | None
    paused_seconds: int


def pause_spans(
    transitions: Iterable[tuple[datetime, str]], paused_states: frozenset[str], until: datetime
) -> list[Span]:
    """The spans spent in pausing states, from ``(moment, state entered)`` pairs in order.

    A span still open is closed at ``until``.
    """
    spans: list[Span] = []
    started: datetime | None = None
    for moment, state in transitions:
        pausing = state in paused_states
        if pausing and started is None:
            started = moment
        elif not pausing and started is not None:
            spans.append((started, moment))
            started = None
    if started is not None and until > started:
        spans.append((started, until))
    return spans


def working_seconds(schedule, start: datetime, end: datetime, paused: Sequence[Span]) -> int:
    """Working seconds in ``[start, end]`` minus the working time of the paused spans in it."""
    total = schedule.working_time_between(start, end).duration
    for s, e in paused:
        s, e = max(s, start), min(e, end)
        if e > s:
            total -= schedule.working_time_between(s, e).duration
    return max(0, round(total.total_seconds()))


def measure(
    *, schedule, created_at: datetime, first_response_at: datetime | None,
    done_at: datetime | None, paused: Sequence[Span],
) -> Measures:
    until = done_at or clock.now()
    return Measures(
        first_response_seconds=(
            working_seconds(schedule, created_at, first_response_at, paused)
            if first_response_at else None
        ),
        resolution_seconds=working_seconds(schedule, created_at, done_at, paused) if done_at else None,
        paused_seconds=sum(
            round(schedule.working_time_between(s, min(e, until)).seconds)
            for s, e in paused if min(e, until) > s
        ),
    )


def rating_model():
    """The portal's Rating (ticket one-to-one, score 1-5) when that part is installed."""
    try:
        return apps.get_model("portal", "Rating")
    except LookupError:
        return None


def _met(stored: bool | None, at: datetime | None, due: datetime | None) -> bool | None:
    if stored is not None:
        return stored
    if at is None or due is None:
        return None
    return at <= due


def fact_for(ticket: Ticket, transitions: list[tuple[datetime, str]], rating: int | None,
             visited: bool = False) -> ReportFact:
    done_at = ticket.resolved_at or ticket.closed_at
    workflow = ticket.workflow
    now = clock.now()
    paused = pause_spans(transitions, workflow.paused_states, until=done_at or now)
    measures = measure(
        schedule=schedule_for(ticket.centre), created_at=ticket.created_at,
        first_response_at=ticket.first_response_at, done_at=done_at, paused=paused,
    )
    return ReportFact(
        ticket_id=ticket.pk,
        centre_id=ticket.centre_id,
        window_id=ticket.window_id,
        officer_id=ticket.assignee_id,
        category=ticket.category,
        channel=ticket.channel,
        origin=ticket.talent.origin,
        priority=ticket.priority,
        created_at=ticket.created_at,
        first_response_at=ticket.first_response_at,
        first_response_seconds=measures.first_response_seconds,
        first_response_due=ticket.first_response_due,
        first_response_met=_met(
            ticket.first_response_met, ticket.first_response_at, ticket.first_response_due
        ),
        done_at=done_at,
        resolution_seconds=measures.resolution_seconds,
        resolution_due=ticket.resolution_due,
        resolution_met=_met(ticket.resolution_met if ticket.resolved_at else None, done_at,
                            ticket.resolution_due),
        paused_seconds=measures.paused_seconds,
        handled_online=done_at is not None and ticket.channel == Channel.ONLINE and not visited,
        rating=rating,
        source_updated_at=ticket.updated_at,
    )


FACT_FIELDS = [
    f.name for f in ReportFact._meta.concrete_fields if f.name not in ("ticket", "refreshed_at")
] + ["refreshed_at"]


def fact_refresh(*, ticket_ids: Iterable[int]) -> int:
    """Recompute the facts of these tickets (missing tickets: their facts are deleted).

    Four queries whatever the number of tickets: tickets, state changes, ratings, upsert.
    """
    ids = sorted(set(ticket_ids))
    if not ids:
        return 0
    tickets = list(Ticket.objects.filter(pk__in=ids).select_related("centre", "talent"))
    found = {t.pk for t in tickets}
    if missing := set(ids) - found:
        ReportFact.objects.filter(ticket_id__in=missing).delete()
    if not tickets:
        return 0
    transitions: dict[int, list[tuple[datetime, str]]] = defaultdict(list)
    visited: set[int] = set()
    events = (
        TimelineEvent.objects.filter(ticket_id__in=found)
        .filter(Q(kind=EventKind.TRANSITION) | Q(kind=EventKind.OPENED) | Q(kind=EventKind.VISIT))
        .order_by("ticket_id", "created_at", "id")
        .values_list("ticket_id", "created_at", "to_state", "kind")
    )
    for ticket_id, created_at, to_state, kind in events:
        if kind == EventKind.VISIT:
            visited.add(ticket_id)
        else:
            transitions[ticket_id].append((created_at, to_state))
    ratings: dict[int, int] = {}
    rating = rating_model()
    if rating is not None:
        ratings = dict(rating.objects.filter(ticket_id__in=found).values_list("ticket_id", "score"))
    rows = [fact_for(t, transitions[t.pk], ratings.get(t.pk), t.pk in visited) for t in tickets]
    now = clock.now()
    for row in rows:
        row.refreshed_at = now
    ReportFact.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["ticket"],
        update_fields=[f for f in FACT_FIELDS if f != "ticket"],
    )
    return len(rows)


def stale_ticket_ids(limit: int) -> list[int]:
    """Tickets without a fact, or changed since their fact was computed."""
    return list(
        Ticket.objects.filter(
            Q(report_fact__isnull=True) | Q(report_fact__source_updated_at__lt=F("updated_at"))
        )
        .order_by()
        .values_list("pk", flat=True)[:limit]
    )


def facts_sweep(*, batch: int = 500, limit: int = 20000) -> int:
    """Refresh stale facts in batches; returns how many were refreshed (bounded by ``limit``)."""
    done = 0
    while done < limit:
        ids = stale_ticket_ids(min(batch, limit - done))
        if not ids:
            break
        fact_refresh(ticket_ids=ids)
        done += len(ids)
        if len(ids) < batch:
            break
    return done


def facts_rebuild(*, batch: int = 1000) -> int:
    """Recompute every fact (after a calendar or opening-hours change)."""
    done, last = 0, 0
    while True:
        ids = list(
            Ticket.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:batch]
        )
        if not ids:
            return done
        done += fact_refresh(ticket_ids=ids)
        last = ids[-1]
