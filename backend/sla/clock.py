"""The SLA clock of a ticket: due times in working time, paused while the talent owes us.

Called from ``tickets.services`` (and the SLA tasks) inside their transactions; these
functions set the ticket's SLA fields and leave saving (with history) to the caller.

Per target (first response, resolution) a ticket carries its due time and the instant
at which ``WARN_SHARE`` of the target's working time has elapsed (``*_warn_at``). The
escalation scan visits a ticket at ``sla_next_check_at``, the earliest of those instants
still to act on (see ``tickets.escalation``).
"""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache
from pathlib import Path

from sla.calendars import WorkCalendar
from sla.worktime import OpeningHours, WorkSchedule, _duration

WARN_SHARE = 0.75
FIRST_RESPONSE = "first_response"
RESOLUTION = "resolution"
WARNING = "warning"
BREACH = "breach"

_VERSION_KEY = "talentdesk:sla:calendar-version"
_VERSION_TTL = 30.0  # seconds a process trusts its calendar before asking the cache again
_local = {"version": None, "checked": 0.0}


# --- the calendar in force, shared by every process --------------------------------------


def work_calendar() -> WorkCalendar:
    """The calendar in force: chinesecalendar, the yearly files and admin overrides.

    Built once per process and per calendar version; an override saved in the admin
    bumps the version in the shared cache, so every web and worker process reloads
    within ``_VERSION_TTL`` seconds.
    """
    return _calendar(_calendar_version())


@lru_cache(maxsize=2)
def _calendar(version: str) -> WorkCalendar:
    from django.conf import settings

    return WorkCalendar(overrides=_overrides(), data_dir=Path(settings.TALENTDESK_CALENDAR_DIR))


def _calendar_version() -> str:
    now = time.monotonic()
    if _local["version"] is None or now - _local["checked"] > _VERSION_TTL:
        from django.core.cache import cache

        _local["version"] = cache.get(_VERSION_KEY) or "0"
        _local["checked"] = now
    return _local["version"]


def _overrides() -> dict:
    from django.db import DatabaseError

    from sla.models import CalendarOverride

    try:
        return dict(CalendarOverride.objects.values_list("day", "is_workday"))
    except DatabaseError:  # before ``migrate``: no overrides yet
        return {}


def calendar_changed() -> None:
    """Forget cached calendars and schedules everywhere (an override or a file changed)."""
    from django.core.cache import cache

    version = secrets.token_hex(8)
    cache.set(_VERSION_KEY, version, timeout=None)
    _local.update(version=version, checked=time.monotonic())
    _calendar.cache_clear()
    _schedule.cache_clear()


def schedule_for(centre) -> WorkSchedule:
    return _schedule(_calendar_version(), centre.time_zone,
                     json.dumps(centre.opening_hours, sort_keys=True))


def deadline_provisional(centre, instant) -> bool:
    """Whether a deadline at ``instant`` rests on a Monday-to-Friday guess (its day is in a
    year no calendar knows): the one test for marking *that* date provisional."""
    if instant is None:
        return False
    return schedule_for(centre).add_hours(instant, 0).provisional


@lru_cache(maxsize=64)
def _schedule(version: str, time_zone: str, hours_json: str) -> WorkSchedule:
    return WorkSchedule(
        hours=OpeningHours.from_json(json.loads(hours_json)), tz=time_zone,
        calendar=_calendar(version),
    )


# --- checkpoints: what the escalation scan acts on ----------------------------------------


@dataclass(frozen=True)
class Checkpoint:
    target: str  # FIRST_RESPONSE | RESOLUTION
    kind: str  # WARNING | BREACH
    at: object  # datetime (UTC)


def sla_checkpoints(ticket) -> list[Checkpoint]:
    """The warning and breach instants still ahead of a running clock, earliest first."""
    if ticket.sla_paused_at is not None or ticket.closed_at is not None:
        return []
    points = []
    if ticket.first_response_at is None:
        points += [Checkpoint(FIRST_RESPONSE, WARNING, ticket.first_response_warn_at),
                   Checkpoint(FIRST_RESPONSE, BREACH, ticket.first_response_due)]
    if ticket.resolved_at is None:
        points += [Checkpoint(RESOLUTION, WARNING, ticket.resolution_warn_at),
                   Checkpoint(RESOLUTION, BREACH, ticket.resolution_due)]
    return sorted((p for p in points if p.at is not None), key=lambda p: p.at)


def pending_checkpoints(ticket, sent=frozenset()) -> list[Checkpoint]:
    """Checkpoints not yet acted on. ``sent`` holds ``(target, kind)`` pairs already
    alerted; a warning is moot once its target's breach was alerted."""
    return [
        p for p in sla_checkpoints(ticket)
        if (p.target, p.kind) not in sent
        and not (p.kind == WARNING and (p.target, BREACH) in sent)
    ]


def sla_next_check(ticket, sent=frozenset()):
    pending = pending_checkpoints(ticket, sent)
    return pending[0].at if pending else None


def _refresh_due_at(ticket, sent=frozenset()) -> None:
    """``due_at`` is the nearest pending due time; nothing is due while the clock is paused."""
    if ticket.sla_paused_at is not None or ticket.closed_at is not None:
        ticket.due_at = None
    elif ticket.first_response_at is None:
        ticket.due_at = ticket.first_response_due
    elif ticket.resolved_at is None:
        ticket.due_at = ticket.resolution_due
    else:
        ticket.due_at = None
    ticket.sla_next_check_at = sla_next_check(ticket, sent)


# --- computing due times ------------------------------------------------------------------


@dataclass(frozen=True)
class DueTimes:
    first_response_due: object
    first_response_warn_at: object
    resolution_due: object
    resolution_warn_at: object
    provisional: bool


def compute_due_times(*, schedule: WorkSchedule, start, first_response_hours, resolution_days: int,
                      paused: timedelta = timedelta(0)) -> DueTimes:
    """Due and warning instants for targets counted from ``start`` plus ``paused`` working
    time (the time the clock stood still while the talent owed something)."""
    hours = _duration(first_response_hours)
    if paused > timedelta(0):
        first = schedule.add_hours(start, hours + paused)
    else:
        first = schedule.add_hours(start, hours)
    first_warn = schedule.add_hours(start, hours * WARN_SHARE + paused)
    by_days = schedule.add_days(start, resolution_days)
    clock_start = schedule.add_hours(start, 0)
    span = schedule.working_time_between(clock_start.at, by_days.at)
    resolution = schedule.add_hours(start, span.duration + paused) if paused > timedelta(0) else by_days
    resolution_warn = schedule.add_hours(start, span.duration * WARN_SHARE + paused)
    provisional = any(d.provisional for d in (first, first_warn, by_days, span, resolution,
                                              resolution_warn))
    return DueTimes(first.at, first_warn.at, resolution.at, resolution_warn.at, provisional)


def sla_start(*, ticket, now) -> None:
    """Compute first-response and resolution due times from the workflow's targets (for
    the ticket's priority, tightened by its fast-track rule)."""
    target = ticket.workflow.sla_target(ticket.priority, ticket.fast_track)
    due = compute_due_times(
        schedule=schedule_for(ticket.centre), start=now,
        first_response_hours=target.first_response_hours, resolution_days=target.resolution_days,
    )
    ticket.first_response_due = due.first_response_due
    ticket.first_response_warn_at = due.first_response_warn_at
    ticket.resolution_due = due.resolution_due
    ticket.resolution_warn_at = due.resolution_warn_at
    ticket.sla_provisional = due.provisional
    _refresh_due_at(ticket)


def paused_working_time(ticket, schedule: WorkSchedule | None = None):
    """Working time of the ticket's completed pauses, from its timeline; and whether any
    was measured on a provisional (unknown-year) calendar. A pause still running counts
    only when it ends (``sla_on_transition``)."""
    from sla.worktime import WorkingSpan

    schedule = schedule or schedule_for(ticket.centre)
    paused_states = ticket.workflow.paused_states
    total, provisional, began = timedelta(0), False, None
    rows = ticket.events.filter(kind="transition").order_by("created_at", "id").values_list(
        "from_state", "to_state", "created_at")
    for from_state, to_state, at in rows:
        if to_state in paused_states and from_state not in paused_states:
            began = at
        elif from_state in paused_states and to_state not in paused_states and began is not None:
            span = schedule.working_time_between(began, at)
            total += span.duration
            provisional |= span.provisional
            began = None
    return WorkingSpan(total, provisional)


def sla_recompute(*, ticket) -> bool:
    """Recompute the pending due times from the opening, the workflow targets for the
    current priority and the paused working time (a priority change, or a calendar year
    that became known). A target already met or missed keeps its due time. Returns
    whether anything changed."""
    if ticket.closed_at is not None:
        return False
    before = _sla_fields(ticket)
    target = ticket.workflow.sla_target(ticket.priority, ticket.fast_track)
    schedule = schedule_for(ticket.centre)
    paused = paused_working_time(ticket, schedule)
    due = compute_due_times(
        schedule=schedule, start=ticket.created_at, paused=paused.duration,
        first_response_hours=target.first_response_hours, resolution_days=target.resolution_days,
    )
    if ticket.first_response_at is None:
        ticket.first_response_due = due.first_response_due
        ticket.first_response_warn_at = due.first_response_warn_at
    if ticket.resolved_at is None:
        ticket.resolution_due = due.resolution_due
        ticket.resolution_warn_at = due.resolution_warn_at
    pending = ticket.first_response_at is None or ticket.resolved_at is None
    ticket.sla_provisional = pending and (due.provisional or paused.provisional)
    _refresh_due_at(ticket)
    return _sla_fields(ticket) != before


def _sla_fields(ticket) -> tuple:
    return (ticket.first_response_due, ticket.first_response_warn_at, ticket.resolution_due,
            ticket.resolution_warn_at, ticket.sla_provisional, ticket.due_at,
            ticket.sla_next_check_at)


def sla_record_first_response(*, ticket, now) -> None:
    if ticket.first_response_due is not None:
        ticket.first_response_met = now <= ticket.first_response_due
    _refresh_due_at(ticket)


def sla_on_transition(*, ticket, old_state: str, new_state: str, now) -> None:
    """Pause in waiting-on-talent states; on resume move the due times by the paused
    working time; record whether the resolution target was met."""
    workflow = ticket.workflow
    paused_before = old_state in workflow.paused_states
    paused_after = new_state in workflow.paused_states
    if paused_after and not paused_before:
        ticket.sla_paused_at = now
    elif paused_before and not paused_after and ticket.sla_paused_at is not None:
        schedule = schedule_for(ticket.centre)
        paused = schedule.working_time_between(ticket.sla_paused_at, now)
        ticket.sla_paused_at = None
        ticket.sla_provisional = ticket.sla_provisional or paused.provisional
        _shift_due_times(ticket, schedule, paused.duration)
    if ticket.resolved_at is not None and new_state in workflow.resolved_states:
        if ticket.resolution_due is not None:
            ticket.resolution_met = now <= ticket.resolution_due
    elif new_state not in workflow.final_states:
        ticket.resolution_met = None
    _refresh_due_at(ticket)


def _shift_due_times(ticket, schedule: WorkSchedule, paused: timedelta) -> None:
    if paused <= timedelta(0):
        return
    fields = ["resolution_due", "resolution_warn_at"]
    if ticket.first_response_at is None:
        fields += ["first_response_due", "first_response_warn_at"]
    for name in fields:
        value = getattr(ticket, name)
        if value is not None:
            moved = schedule.add_hours(value, paused)
            setattr(ticket, name, moved.at)
            ticket.sla_provisional = ticket.sla_provisional or moved.provisional
