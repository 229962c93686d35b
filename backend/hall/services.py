"""Hall services: the only way to change a queue number.

Each service is atomic, locks what it changes, writes a ``HallEvent`` row and, after
commit, tells the board and the phone pages that the centre's hall changed
(``hall.live``).
"""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from core import clock
from flows.registry import current_workflows
from hall import access, live
from hall.errors import NothingServing, NumberNotReturnable, QueueEmpty, WindowForbidden
from hall.models import (
    EventKind,
    HallEvent,
    NumberStatus,
    QueueNumber,
    ServiceLine,
    Source,
    Visit,
)
from sla.clock import schedule_for
from tickets.models import EventKind as TicketEventKind
from tickets.services import ticket_log

LANGUAGES = ("zh", "en")


def local_day(centre, instant: datetime) -> date:
    """The day in the centre's zone: numbers restart when it changes."""
    return instant.astimezone(ZoneInfo(centre.time_zone)).date()


def _event(number: QueueNumber, kind: str, *, actor=None, window=None, now) -> HallEvent:
    event = HallEvent.objects.create(
        centre_id=number.centre_id, queue_number=number, kind=kind, window=window,
        line_id=number.line_id, actor=actor if getattr(actor, "is_authenticated", False) else None,
        at=now,
    )
    live.changed_after_commit(number.centre_id)
    return event


# --- taking a number ------------------------------------------------------------------------


@transaction.atomic
def queue_number_take(
    *, line: ServiceLine, source: str, talent=None, category: str = "", language: str = "zh",
    priority: int = 0, actor=None, now=None,
) -> QueueNumber:
    """Give the next number of ``line`` for today (``A001`` after midnight in the centre's
    zone). Locks the line row, so two kiosks never print the same number. Records a
    ``take`` event and tells the board."""
    now = now or clock.now()
    errors = {}
    if not line.is_active:
        errors["line"] = [_("This line is closed.")]
    if source not in Source.values:
        errors["source"] = [_("Unknown source “%(value)s”.") % {"value": source}]
    if category and category not in current_workflows():
        errors["category"] = [_("Unknown category “%(value)s”.") % {"value": category}]
    elif category and line.categories and category not in line.categories:
        errors["category"] = [_("This line does not take this matter.")]
    if language not in LANGUAGES:
        errors["language"] = [_("Choose zh or en.")]
    if errors:
        raise ValidationError(errors)
    line = ServiceLine.objects.select_for_update().select_related("centre").get(pk=line.pk)
    day = local_day(line.centre, now)
    last = (QueueNumber.objects.filter(issued_line=line, service_date=day)
            .aggregate(last=Max("sequence"))["last"] or 0)
    sequence = last + 1
    number = QueueNumber.objects.create(
        line=line, issued_line=line, centre=line.centre, service_date=day, sequence=sequence,
        number=f"{line.prefix}{sequence:03d}", source=source, talent=talent, category=category,
        language=language, priority=priority, taken_at=now, queued_at=now,
    )
    _event(number, EventKind.TAKE, actor=actor, now=now)
    return number


# --- where a number stands --------------------------------------------------------------------


def people_ahead(number: QueueNumber) -> int:
    """Waiting numbers of the same line that will be called before this one."""
    if number.status != NumberStatus.WAITING:
        return 0
    from django.db.models import Q

    before = (
        Q(priority__gt=number.priority)
        | Q(priority=number.priority, queued_at__lt=number.queued_at)
        | Q(priority=number.priority, queued_at=number.queued_at, id__lt=number.pk)
    )
    return QueueNumber.objects.waiting().filter(before, line_id=number.line_id).count()


def estimate_wait_minutes(*, ahead: int, minutes_per_person: float, windows: int) -> int:
    """Whole minutes until a number with ``ahead`` people before it is called, with
    ``windows`` windows serving its line at ``minutes_per_person`` each (rounded up; 0
    when nobody is ahead). A line without an open window counts as one window."""
    if ahead < 0 or minutes_per_person < 0:
        raise ValueError("ahead and minutes_per_person must not be negative")
    if ahead == 0:
        return 0
    return math.ceil(ahead * minutes_per_person / max(1, windows))


def line_minutes_per_person(line: ServiceLine, *, now=None, sample: int = 20) -> float:
    """Today's mean service time of the line's last ``sample`` finished visits, in minutes;
    the line's configured figure until the day has three."""
    now = now or clock.now()
    visits = list(
        Visit.objects.filter(queue_number__line=line, queue_number__service_date=local_day(line.centre, now),
                             ended_at__isnull=False, outcome=NumberStatus.DONE)
        .order_by("-ended_at").values_list("started_at", "ended_at")[:sample]
    )
    if len(visits) < 3:
        return float(line.minutes_per_person)
    return sum((end - start).total_seconds() for start, end in visits) / len(visits) / 60


def line_window_count(line: ServiceLine) -> int:
    return line.windows.filter(is_active=True).count()


def number_estimate(number: QueueNumber, *, now=None) -> tuple[int, int]:
    """``(people ahead, estimated wait in minutes)`` for a number."""
    ahead = people_ahead(number)
    minutes = estimate_wait_minutes(
        ahead=ahead, minutes_per_person=line_minutes_per_person(number.line, now=now),
        windows=line_window_count(number.line),
    )
    return ahead, minutes


# --- at the window ----------------------------------------------------------------------------


def _lock_window(window, actor):
    if not access.may_work_at(actor, window):
        raise WindowForbidden()
    # One call at a time per window: the second press waits for the first.
    from centres.models import Window

    return Window.objects.select_for_update().get(pk=window.pk)


def visit_current(window) -> Visit | None:
    return (Visit.objects.filter(window=window, ended_at__isnull=True)
            .select_related("queue_number__line", "queue_number__talent").first())


def _end_visit(visit: Visit, outcome: str, now) -> None:
    visit.ended_at = now
    visit.outcome = outcome
    visit.save(update_fields=["ended_at", "outcome"])


def _officer(actor):
    return getattr(actor, "officer", None)


def _locked_number(pk: int) -> QueueNumber:
    return QueueNumber.objects.select_for_update().select_related("line").get(pk=pk)


@transaction.atomic
def queue_call_next(*, window, actor, now=None) -> QueueNumber:
    """Call the next number of the lines ``window`` serves: checked-in appointments first,
    then in the order people joined the line. Finishes the window's current visit as done.

    The candidate row is taken with ``SELECT … FOR UPDATE SKIP LOCKED``, so windows calling
    at the same moment each get a different number and never wait on each other. Numbers
    left from an earlier day stay callable. Raises ``QueueEmpty`` when nobody waits.
    """
    now = now or clock.now()
    window = _lock_window(window, actor)
    current = visit_current(window)
    if current is not None:
        _finish(current, NumberStatus.DONE, actor=actor, now=now)
    line_ids = list(window.service_lines.filter(is_active=True).values_list("pk", flat=True))
    number = (
        QueueNumber.objects.waiting().filter(line_id__in=line_ids).in_call_order()
        .select_for_update(skip_locked=True).first()
    )
    if number is None:
        raise QueueEmpty()
    number.status = NumberStatus.CALLED
    number.window = window
    number.called_at = number.called_at or now
    number.save(update_fields=["status", "window", "called_at"])
    Visit.objects.create(queue_number=number, window=window, officer=_officer(actor), started_at=now)
    _event(number, EventKind.CALL, actor=actor, window=window, now=now)
    return number


def _serving(window, actor) -> tuple:
    window = _lock_window(window, actor)
    visit = visit_current(window)
    if visit is None:
        raise NothingServing()
    return window, visit, _locked_number(visit.queue_number_id)


def _finish(visit: Visit, status: str, *, actor, now) -> QueueNumber:
    number = _locked_number(visit.queue_number_id)
    _end_visit(visit, status, now)
    number.status = status
    number.finished_at = now
    number.save(update_fields=["status", "finished_at"])
    _event(number, EventKind.DONE, actor=actor, window=visit.window, now=now)
    return number


@transaction.atomic
def queue_recall(*, window, actor, now=None) -> QueueNumber:
    """Call the window's current number again (board and voice); nothing else changes."""
    now = now or clock.now()
    window, _visit, number = _serving(window, actor)
    _event(number, EventKind.RECALL, actor=actor, window=window, now=now)
    return number


@transaction.atomic
def queue_done(*, window, actor, now=None) -> QueueNumber:
    """The window has finished with its current number (service time ends now)."""
    now = now or clock.now()
    window = _lock_window(window, actor)
    visit = visit_current(window)
    if visit is None:
        raise NothingServing()
    return _finish(visit, NumberStatus.DONE, actor=actor, now=now)


@transaction.atomic
def queue_skip(*, window, actor, now=None) -> QueueNumber:
    """过号: the called person did not come. The first time the number may go back in line
    once (``queue_number_return``); a number skipped after returning is a no-show."""
    now = now or clock.now()
    window, visit, number = _serving(window, actor)
    _end_visit(visit, NumberStatus.SKIPPED, now)
    number.skips += 1
    if number.returned:
        number.status = NumberStatus.NO_SHOW
        number.finished_at = now
        kind = EventKind.NO_SHOW
    else:
        number.status = NumberStatus.SKIPPED
        kind = EventKind.SKIP
    number.save(update_fields=["skips", "status", "finished_at"])
    _event(number, kind, actor=actor, window=window, now=now)
    return number


@transaction.atomic
def queue_number_return(*, number: QueueNumber, actor, now=None) -> QueueNumber:
    """A skipped person came back: the number joins the end of its line again (once)."""
    now = now or clock.now()
    number = _locked_number(number.pk)
    if not access.may_see_centre(actor, number.centre):
        raise WindowForbidden()
    if number.status != NumberStatus.SKIPPED or number.returned:
        raise NumberNotReturnable()
    number.status = NumberStatus.WAITING
    number.returned = True
    number.queued_at = now
    number.save(update_fields=["status", "returned", "queued_at"])
    _event(number, EventKind.RETURN, actor=actor, now=now)
    return number


@transaction.atomic
def queue_transfer(*, window, line: ServiceLine, actor, now=None) -> QueueNumber:
    """Send the window's current number to another line of the centre. It keeps its number
    and its place by the time it was taken; the visit here ends as transferred."""
    now = now or clock.now()
    window, visit, number = _serving(window, actor)
    if line.centre_id != number.centre_id or not line.is_active:
        raise ValidationError({"line": [_("Choose an open line of this centre.")]})
    if line.pk == number.line_id:
        raise ValidationError({"line": [_("The number is already in this line.")]})
    _end_visit(visit, "transferred", now)
    number.line = line
    number.status = NumberStatus.WAITING
    number.window = None
    number.save(update_fields=["line", "status", "window"])
    _event(number, EventKind.TRANSFER, actor=actor, window=window, now=now)
    return number


# --- linking tickets --------------------------------------------------------------------------


def visit_link_ticket(*, actor, ticket) -> Visit | None:
    """Link ``ticket`` to the visit ``actor`` is serving now, if any, and record the visit on
    the ticket's timeline (internal event ``visit``: number, line, window, minutes waited)."""
    officer = _officer(actor)
    if officer is None:
        return None
    visit = (Visit.objects.filter(officer=officer, ended_at__isnull=True)
             .select_related("queue_number__line", "window").first())
    if visit is None:
        return None
    with transaction.atomic():
        return _visit_link(visit, ticket, actor)


def _visit_link(visit, ticket, actor) -> Visit:
    visit.tickets.add(ticket)
    number = visit.queue_number
    waited = int((visit.started_at - number.taken_at).total_seconds() // 60)
    ticket_log(
        ticket=ticket, kind=TicketEventKind.VISIT, actor=actor, public=False,
        data={"number": number.number, "day": number.service_date.isoformat(),
              "line": number.line.prefix, "window_zh": visit.window.name_zh,
              "window_en": visit.window.name_en, "waited_minutes": waited},
    )
    return visit


# --- the end of the day -------------------------------------------------------------------------


def hall_closing_after(centre, instant) -> datetime | None:
    """When the hall closes after ``instant``: the end of the last opening interval of that
    day if it is still ahead, else that of the next working day (within two weeks)."""
    schedule = schedule_for(centre)
    day = local_day(centre, instant)
    for offset in range(15):
        intervals = schedule.opening_intervals(day + timedelta(days=offset))
        if intervals and intervals[-1][1] > instant:
            return intervals[-1][1]
    return None


@transaction.atomic
def queue_numbers_close(*, now=None) -> int:
    """Numbers still waiting when the hall has closed after they joined the line are
    abandoned; skipped numbers that never came back are no-shows. Until that closing they
    stay callable, across midnight too. Idempotent (beat, every ten minutes)."""
    now = now or clock.now()
    closed = 0
    candidates = (QueueNumber.objects.select_for_update(skip_locked=True)
                  .filter(status__in=(NumberStatus.WAITING, NumberStatus.SKIPPED), queued_at__lt=now)
                  .select_related("centre"))
    for number in candidates:
        closing = hall_closing_after(number.centre, number.queued_at)
        if closing is None or closing > now:
            continue
        waiting = number.status == NumberStatus.WAITING
        number.status = NumberStatus.ABANDONED if waiting else NumberStatus.NO_SHOW
        number.finished_at = closing
        number.save(update_fields=["status", "finished_at"])
        _event(number, EventKind.ABANDON if waiting else EventKind.NO_SHOW, now=closing)
        closed += 1
    return closed
