"""At the window: call next, recall, skip (back once), transfer, done; tickets linked."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from hall.errors import NothingServing, NumberNotReturnable, QueueEmpty, WindowForbidden
from hall.models import EventKind, HallEvent, NumberStatus, Visit
from hall.services import (
    queue_call_next,
    queue_done,
    queue_number_return,
    queue_number_take,
    queue_recall,
    queue_skip,
    queue_transfer,
    visit_link_ticket,
)
from tests.hall.conftest import MORNING
from tickets.models import EventKind as TicketEventKind
from tickets.services import ticket_open

pytestmark = pytest.mark.django_db


def _kinds(number):
    return list(HallEvent.objects.filter(queue_number=number).values_list("kind", flat=True))


def test_call_next_calls_in_line_order_and_opens_a_visit(line_a, clerk, window, frozen):
    first = queue_number_take(line=line_a, source="kiosk")
    queue_number_take(line=line_a, source="kiosk")
    called = queue_call_next(window=window, actor=clerk.user)
    assert (called.pk, called.status, called.window, called.called_at) == (
        first.pk, NumberStatus.CALLED, window, MORNING)
    visit = Visit.objects.get()
    assert (visit.queue_number, visit.window, visit.officer, visit.ended_at) == (called, window, clerk, None)
    assert _kinds(called) == [EventKind.TAKE, EventKind.CALL]


def test_call_next_finishes_the_current_number_first(line_a, clerk, window, frozen):
    first = queue_number_take(line=line_a, source="kiosk")
    queue_number_take(line=line_a, source="kiosk")
    queue_call_next(window=window, actor=clerk.user)
    second = queue_call_next(window=window, actor=clerk.user)
    first.refresh_from_db()
    assert (first.status, second.number) == (NumberStatus.DONE, "A002")
    assert Visit.objects.filter(ended_at__isnull=True).get().queue_number == second


def test_call_next_takes_only_the_lines_the_window_serves(line_a, line_b, clerk, window, frozen):
    queue_number_take(line=line_b, source="kiosk")
    with translation.override("en"):
        with pytest.raises(QueueEmpty) as error:
            queue_call_next(window=window, actor=clerk.user)
        assert str(error.value.message) == "Nobody is waiting in the lines this window serves."


def test_call_next_on_an_empty_queue_says_so_in_chinese(line_a, clerk, window, frozen):
    with translation.override("zh-hans"):
        with pytest.raises(QueueEmpty) as error:
            queue_call_next(window=window, actor=clerk.user)
        assert str(error.value.message) == "您这个窗口服务的队列中没有人在等候。"


def test_checked_in_appointment_is_called_before_earlier_walk_ins(line_a, clerk, window,
                                                                  time_machine):
    time_machine.move_to(MORNING, tick=False)
    queue_number_take(line=line_a, source="kiosk")
    time_machine.move_to(MORNING + timedelta(minutes=3), tick=False)
    booked = queue_number_take(line=line_a, source="appointment", priority=1)
    assert queue_call_next(window=window, actor=clerk.user) == booked


def test_a_clerk_cannot_call_at_another_centres_window(line_a, outsider, window, frozen):
    queue_number_take(line=line_a, source="kiosk")
    with pytest.raises(WindowForbidden):
        queue_call_next(window=window, actor=outsider.user)
    assert Visit.objects.count() == 0


def test_recall_repeats_the_call_and_changes_nothing_else(line_a, clerk, window, frozen):
    queue_number_take(line=line_a, source="kiosk")
    called = queue_call_next(window=window, actor=clerk.user)
    again = queue_recall(window=window, actor=clerk.user)
    assert (again.pk, again.status) == (called.pk, NumberStatus.CALLED)
    assert _kinds(called) == [EventKind.TAKE, EventKind.CALL, EventKind.RECALL]


def test_recall_skip_done_and_transfer_need_a_current_number(line_a, line_b, clerk, window, frozen):
    for service in (queue_recall, queue_skip, queue_done):
        with pytest.raises(NothingServing):
            service(window=window, actor=clerk.user)
    with pytest.raises(NothingServing):
        queue_transfer(window=window, line=line_b, actor=clerk.user)


def test_a_skipped_number_returns_once_then_is_a_no_show(line_a, clerk, window, time_machine):
    time_machine.move_to(MORNING, tick=False)
    number = queue_number_take(line=line_a, source="kiosk")
    queue_number_take(line=line_a, source="kiosk")
    queue_call_next(window=window, actor=clerk.user)
    skipped = queue_skip(window=window, actor=clerk.user)
    assert (skipped.status, skipped.skips) == (NumberStatus.SKIPPED, 1)
    time_machine.move_to(MORNING + timedelta(minutes=4), tick=False)
    back = queue_number_return(number=number, actor=clerk.user)
    assert (back.status, back.queued_at) == (NumberStatus.WAITING, MORNING + timedelta(minutes=4))
    assert queue_call_next(window=window, actor=clerk.user).number == "A002"  # back of the line
    assert queue_call_next(window=window, actor=clerk.user).number == "A001"
    final = queue_skip(window=window, actor=clerk.user)
    assert (final.status, final.skips, final.finished_at) == (
        NumberStatus.NO_SHOW, 2, MORNING + timedelta(minutes=4))
    with pytest.raises(NumberNotReturnable):
        queue_number_return(number=number, actor=clerk.user)


def test_transfer_moves_the_number_to_another_line_keeping_its_place(line_a, line_b, clerk,
                                                                     window, general_window,
                                                                     supervisor, time_machine):
    time_machine.move_to(MORNING, tick=False)
    number = queue_number_take(line=line_a, source="kiosk")
    time_machine.move_to(MORNING + timedelta(minutes=1), tick=False)
    queue_number_take(line=line_b, source="kiosk")
    queue_call_next(window=window, actor=clerk.user)
    moved = queue_transfer(window=window, line=line_b, actor=clerk.user)
    assert (moved.number, moved.line, moved.status, moved.window) == ("A001", line_b,
                                                                      NumberStatus.WAITING, None)
    assert Visit.objects.get(queue_number=number).outcome == "transferred"
    # Taken before B001, so called first at the general window.
    assert queue_call_next(window=general_window, actor=supervisor.user).pk == number.pk


def test_transfer_refuses_the_same_line(line_a, clerk, window, frozen):
    queue_number_take(line=line_a, source="kiosk")
    queue_call_next(window=window, actor=clerk.user)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        queue_transfer(window=window, line=line_a, actor=clerk.user)
    assert error.value.message_dict == {"line": ["The number is already in this line."]}


def test_done_ends_the_visit_and_the_number(line_a, clerk, window, time_machine):
    time_machine.move_to(MORNING, tick=False)
    queue_number_take(line=line_a, source="kiosk")
    queue_call_next(window=window, actor=clerk.user)
    time_machine.move_to(MORNING + timedelta(minutes=12), tick=False)
    done = queue_done(window=window, actor=clerk.user)
    visit = Visit.objects.get()
    assert (done.status, done.finished_at) == (NumberStatus.DONE, MORNING + timedelta(minutes=12))
    assert (visit.ended_at, visit.outcome) == (MORNING + timedelta(minutes=12), "done")


def test_a_ticket_opened_during_the_visit_is_linked_and_on_its_timeline(line_a, clerk, window,
                                                                        talent, time_machine):
    time_machine.move_to(MORNING, tick=False)
    queue_number_take(line=line_a, source="kiosk", talent=talent)
    time_machine.move_to(MORNING + timedelta(minutes=7), tick=False)
    queue_call_next(window=window, actor=clerk.user)
    ticket = ticket_open(actor=clerk.user, talent=talent, category="settlement", channel="window",
                         subject="Household registration", window=window).ticket
    visit = visit_link_ticket(actor=clerk.user, ticket=ticket)
    assert list(visit.tickets.all()) == [ticket]
    event = ticket.events.get(kind=TicketEventKind.VISIT)
    assert (event.public, event.data["number"], event.data["waited_minutes"]) == (False, "A001", 7)


def test_no_link_when_the_clerk_serves_nobody(line_a, clerk, window, open_ticket, frozen):
    assert visit_link_ticket(actor=clerk.user, ticket=open_ticket) is None
    assert not open_ticket.events.filter(kind=TicketEventKind.VISIT).exists()
