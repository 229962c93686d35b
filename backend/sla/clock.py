"""The SLA clock of a ticket: due times in working time, paused while the talent owes us.

Called only from ``tickets.services`` inside their transactions; these functions set the
ticket's SLA fields and leave saving (with history) to the calling service.
"""

from __future__ import annotations

import json
from datetime import timedelta
from functools import lru_cache

from sla.calendars import WorkCalendar
from sla.worktime import OpeningHours, WorkSchedule


@lru_cache(maxsize=1)
def work_calendar() -> WorkCalendar:
    """The calendar in force: chinesecalendar, the yearly files and admin overrides."""
    return WorkCalendar(overrides=_overrides())


def _overrides() -> dict:
    try:
        from sla.models import CalendarOverride
    except ImportError:  # the overrides model is optional until the SLA part adds it
        return {}
    return dict(CalendarOverride.objects.values_list("day", "is_workday"))


def calendar_changed() -> None:
    """Forget cached calendars and schedules (an override or a yearly file changed)."""
    work_calendar.cache_clear()
    _schedule.cache_clear()


def schedule_for(centre) -> WorkSchedule:
    return _schedule(centre.time_zone, json.dumps(centre.opening_hours, sort_keys=True))


@lru_cache(maxsize=64)
def _schedule(time_zone: str, hours_json: str) -> WorkSchedule:
    return WorkSchedule(
        hours=OpeningHours.from_json(json.loads(hours_json)), tz=time_zone, calendar=work_calendar()
    )


def _refresh_due_at(ticket) -> None:
    """``due_at`` is the nearest pending due time; nothing is due while the clock is paused."""
    if ticket.sla_paused_at is not None or ticket.closed_at is not None:
        ticket.due_at = None
    elif ticket.first_response_at is None:
        ticket.due_at = ticket.first_response_due
    elif ticket.resolved_at is None:
        ticket.due_at = ticket.resolution_due
    else:
        ticket.due_at = None


def sla_start(*, ticket, now) -> None:
    """Compute first-response and resolution due times from the workflow's targets."""
    target = ticket.workflow.sla_target(ticket.priority)
    schedule = schedule_for(ticket.centre)
    first = schedule.add_hours(now, target.first_response_hours)
    resolution = schedule.add_days(now, target.resolution_days)
    ticket.first_response_due = first.at
    ticket.resolution_due = resolution.at
    ticket.sla_provisional = first.provisional or resolution.provisional
    _refresh_due_at(ticket)


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
    if ticket.first_response_at is None and ticket.first_response_due is not None:
        moved = schedule.add_hours(ticket.first_response_due, paused)
        ticket.first_response_due = moved.at
        ticket.sla_provisional = ticket.sla_provisional or moved.provisional
    if ticket.resolution_due is not None:
        moved = schedule.add_hours(ticket.resolution_due, paused)
        ticket.resolution_due = moved.at
        ticket.sla_provisional = ticket.sla_provisional or moved.provisional
