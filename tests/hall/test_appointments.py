"""Appointments: slots from the working calendar (holiday closed, make-up day open),
capacity, booking, confirmation through the outbox, check-in ahead of walk-ins, cancel,
reschedule and no-shows."""

from datetime import date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from hall.appointments import (
    appointment_book,
    appointment_cancel,
    appointment_check_in,
    appointment_reschedule,
    appointments_mark_no_shows,
    bookable_days,
    slot_starts,
    slots_on,
)
from hall.models import Appointment, AppointmentStatus
from hall.services import queue_call_next, queue_number_take
from notifications.models import OutboxMessage
from tests.hall.conftest import SHANGHAI

pytestmark = pytest.mark.django_db


def at(y, m, d, hh, mm):
    return datetime(y, m, d, hh, mm, tzinfo=SHANGHAI)


def _times(starts):
    return [s.strftime("%H:%M") for s in starts]


def test_slots_follow_the_opening_hours_on_a_working_day(line_a):
    # Wednesday 2 December 2026: 09:00-12:00 and 13:30-17:30 in 30-minute slots.
    assert _times(slot_starts(line_a, date(2026, 12, 2))) == [
        "09:00", "09:30", "10:00", "10:30", "11:00", "11:30",
        "13:30", "14:00", "14:30", "15:00", "15:30", "16:00", "16:30", "17:00"]


def test_a_statutory_holiday_has_no_slots(line_a):
    assert slot_starts(line_a, date(2026, 10, 1)) == []   # National Day, a Thursday


def test_a_make_up_working_saturday_has_slots(line_a):
    assert date(2026, 10, 10).weekday() == 5
    assert len(slot_starts(line_a, date(2026, 10, 10))) == 14   # 调休 working Saturday
    assert slot_starts(line_a, date(2026, 10, 17)) == []        # an ordinary Saturday


def test_a_slot_that_would_run_into_the_lunch_break_is_not_offered(line_a):
    line_a.slot_minutes = 50  # 11:30-12:20 and 16:50-17:40 would not fit
    assert _times(slot_starts(line_a, date(2026, 12, 2))) == [
        "09:00", "09:50", "10:40", "13:30", "14:20", "15:10", "16:00"]


def test_slots_show_the_places_left_and_only_future_times(line_a, time_machine):
    time_machine.move_to(at(2026, 12, 2, 10, 10), tick=False)
    appointment_book(line=line_a, starts_at=at(2026, 12, 2, 11, 0), name="王思远", phone="13800000001")
    slots = slots_on(line_a, date(2026, 12, 2))
    assert [(s.starts_at.strftime("%H:%M"), s.free) for s in slots][:3] == [
        ("10:30", 2), ("11:00", 1), ("11:30", 2)]


def test_bookable_days_skip_weekends_and_holidays(line_a, time_machine):
    time_machine.move_to(at(2026, 9, 30, 18, 0), tick=False)   # after closing, eve of the holidays
    days = bookable_days(line_a)
    # National Day week (1-7 October) closed; Saturday 10-10 is a make-up working day.
    assert days[:3] == [date(2026, 10, 8), date(2026, 10, 9), date(2026, 10, 10)]


def test_booking_writes_the_confirmation_to_the_outbox(line_a, time_machine):
    time_machine.move_to(at(2026, 12, 1, 15, 0), tick=False)
    appointment = appointment_book(line=line_a, starts_at=at(2026, 12, 2, 9, 30), name="Anna Smith",
                                   phone="138 0000 0002", email="anna@example.org", language="en")
    assert (appointment.status, appointment.phone, len(appointment.code)) == ("booked", "13800000002", 8)
    messages = OutboxMessage.objects.order_by("channel")
    assert [(m.channel, m.to, m.event) for m in messages] == [
        ("email", "anna@example.org", "appointment_booked"), ("sms", "13800000002", "appointment_booked")]
    assert messages[0].body == (
        f"Your appointment at City Talent Centre (A Overseas talent window): 2026-12-02 09:30. "
        f"Booking code {appointment.code}: check in at the kiosk or a window when you arrive.")


def test_the_last_place_goes_to_one_booking(line_a, time_machine):
    time_machine.move_to(at(2026, 12, 1, 15, 0), tick=False)
    slot = at(2026, 12, 2, 9, 30)
    appointment_book(line=line_a, starts_at=slot, name="A", phone="13800000001")
    appointment_book(line=line_a, starts_at=slot, name="B", phone="13800000002")
    with translation.override("en"), pytest.raises(ValidationError) as error:
        appointment_book(line=line_a, starts_at=slot, name="C", phone="13800000003")
    assert error.value.message_dict == {"starts_at": ["This time is fully booked: choose another."]}
    assert Appointment.objects.count() == 2


@pytest.mark.parametrize(("starts_at", "fields", "message"), [
    (at(2026, 12, 2, 12, 0), {}, "The centre is closed at this time."),         # lunch
    (at(2026, 12, 2, 9, 10), {}, "The centre is closed at this time."),         # not a slot start
    (at(2026, 10, 1, 9, 0), {}, "This time has passed: choose a later one."),
    (at(2026, 12, 31, 9, 0), {}, "Appointments can be booked at most 14 days ahead."),
])
def test_booking_refuses_times_not_offered(line_a, time_machine, starts_at, fields, message):
    time_machine.move_to(at(2026, 12, 1, 15, 0), tick=False)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        appointment_book(line=line_a, starts_at=starts_at, name="A", phone="13800000001")
    assert error.value.message_dict == {"starts_at": [message]}


def test_booking_refuses_bad_contact_details_naming_each_field(line_a, time_machine):
    time_machine.move_to(at(2026, 12, 1, 15, 0), tick=False)
    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        appointment_book(line=line_a, starts_at=at(2026, 12, 2, 9, 30), name=" ", phone="abc",
                         email="not-an-address")
    assert error.value.message_dict == {
        "name": ["请输入您的姓名。"], "phone": ["请输入数字组成的电话号码。"],
        "email": ["请输入有效的电子邮件地址。"]}
    assert (Appointment.objects.count(), OutboxMessage.objects.count()) == (0, 0)


def test_checked_in_appointment_is_called_before_walk_ins(line_a, clerk, window, time_machine):
    time_machine.move_to(at(2026, 12, 1, 15, 0), tick=False)
    appointment = appointment_book(line=line_a, starts_at=at(2026, 12, 2, 10, 0), name="A",
                                   phone="13800000001")
    time_machine.move_to(at(2026, 12, 2, 9, 20), tick=False)
    queue_number_take(line=line_a, source="kiosk")
    time_machine.move_to(at(2026, 12, 2, 9, 40), tick=False)
    number = appointment_check_in(appointment=appointment)
    appointment.refresh_from_db()
    assert (appointment.status, appointment.queue_number) == (AppointmentStatus.CHECKED_IN, number)
    assert queue_call_next(window=window, actor=clerk.user) == number


@pytest.mark.parametrize(("moment", "message"), [
    (at(2026, 12, 2, 8, 59), "Too early: check in from one hour before your time."),
    (at(2026, 12, 2, 10, 31), "Too late for this appointment: take a number instead."),
])
def test_check_in_only_around_the_slot(line_a, time_machine, moment, message):
    time_machine.move_to(at(2026, 12, 1, 15, 0), tick=False)
    appointment = appointment_book(line=line_a, starts_at=at(2026, 12, 2, 10, 0), name="A",
                                   phone="13800000001")
    time_machine.move_to(moment, tick=False)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        appointment_check_in(appointment=appointment)
    assert error.value.message_dict == {"code": [message]}


def test_cancel_frees_the_place_and_tells_the_booker(line_a, time_machine):
    time_machine.move_to(at(2026, 12, 1, 15, 0), tick=False)
    slot = at(2026, 12, 2, 9, 30)
    first = appointment_book(line=line_a, starts_at=slot, name="A", phone="13800000001")
    appointment_book(line=line_a, starts_at=slot, name="B", phone="13800000002")
    appointment_cancel(appointment=first)
    appointment_book(line=line_a, starts_at=slot, name="C", phone="13800000003")
    assert OutboxMessage.objects.filter(event="appointment_cancelled", to="13800000001").count() == 1
    with translation.override("en"), pytest.raises(ValidationError) as error:
        appointment_check_in(appointment=first)
    assert error.value.message_dict == {"code": ["This appointment cannot be checked in (it is cancelled)."]}


def test_reschedule_moves_to_a_free_slot_and_confirms_again(line_a, time_machine):
    time_machine.move_to(at(2026, 12, 1, 15, 0), tick=False)
    appointment = appointment_book(line=line_a, starts_at=at(2026, 12, 2, 9, 30), name="A",
                                   phone="13800000001")
    time_machine.move_to(at(2026, 12, 1, 15, 5), tick=False)
    moved = appointment_reschedule(appointment=appointment, starts_at=at(2026, 12, 3, 14, 0))
    assert moved.starts_at == at(2026, 12, 3, 14, 0)
    assert OutboxMessage.objects.filter(event="appointment_booked").count() == 2


def test_appointments_not_checked_in_become_no_shows(line_a, time_machine):
    time_machine.move_to(at(2026, 12, 1, 15, 0), tick=False)
    late = appointment_book(line=line_a, starts_at=at(2026, 12, 2, 9, 0), name="A", phone="13800000001")
    later = appointment_book(line=line_a, starts_at=at(2026, 12, 2, 11, 0), name="B", phone="13800000002")
    time_machine.move_to(at(2026, 12, 2, 9, 31), tick=False)
    assert appointments_mark_no_shows() == 1
    late.refresh_from_db()
    later.refresh_from_db()
    assert (late.status, later.status) == (AppointmentStatus.NO_SHOW, AppointmentStatus.BOOKED)
    assert appointments_mark_no_shows(now=at(2026, 12, 2, 9, 32)) == 0
