"""Races that only real PostgreSQL connections show: windows calling next at the same
moment (``FOR UPDATE SKIP LOCKED``) and kiosks taking numbers at the same moment."""

import pytest

from hall.errors import QueueEmpty
from hall.models import QueueNumber, Visit
from hall.services import queue_call_next, queue_number_take
from tests.concurrency import in_threads
from tests.factories import WindowFactory
from tests.integration.conftest import requires_postgres

pytestmark = [requires_postgres, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def twenty_five_windows(centre, line_a):
    windows = [WindowFactory(centre=centre, code=f"w{i:02d}") for i in range(25)]
    line_a.windows.add(*windows)
    return windows


def test_twenty_windows_calling_next_at_once_get_twenty_distinct_numbers(
        line_a, supervisor, twenty_five_windows, frozen):
    for _ in range(20):
        queue_number_take(line=line_a, source="kiosk")
    windows = twenty_five_windows[:20]

    results = in_threads(20, lambda i: queue_call_next(window=windows[i], actor=supervisor.user).number)

    assert sorted(results) == [f"A{n:03d}" for n in range(1, 21)]
    assert Visit.objects.count() == 20
    assert QueueNumber.objects.filter(status="called").count() == 20


def test_more_windows_than_people_the_rest_hear_nobody_waits(line_a, supervisor,
                                                             twenty_five_windows, frozen):
    for _ in range(20):
        queue_number_take(line=line_a, source="kiosk")

    results = in_threads(
        25, lambda i: queue_call_next(window=twenty_five_windows[i], actor=supervisor.user).number)

    numbers = [r for r in results if isinstance(r, str)]
    assert sorted(numbers) == [f"A{n:03d}" for n in range(1, 21)]
    assert [type(r) for r in results if not isinstance(r, str)] == [QueueEmpty] * 5


def test_twenty_kiosks_taking_at_once_print_twenty_distinct_numbers(line_a, frozen):
    results = in_threads(20, lambda i: queue_number_take(line=line_a, source="kiosk").number)
    assert sorted(results) == [f"A{n:03d}" for n in range(1, 21)]


def test_two_bookings_of_the_last_place_at_once_make_one_appointment(line_a, time_machine):
    from datetime import datetime

    from django.core.exceptions import ValidationError

    from hall.appointments import appointment_book
    from hall.models import Appointment
    from tests.hall.conftest import SHANGHAI

    time_machine.move_to(datetime(2026, 12, 1, 15, 0, tzinfo=SHANGHAI), tick=False)
    line_a.slot_capacity = 1
    line_a.save()
    slot = datetime(2026, 12, 2, 9, 30, tzinfo=SHANGHAI)

    results = in_threads(8, lambda i: appointment_book(line=line_a, starts_at=slot, name=f"P{i}",
                                                       phone=f"1380000000{i}").code)

    assert sum(isinstance(r, str) for r in results) == 1
    assert [type(r) for r in results if not isinstance(r, str)] == [ValidationError] * 7
    assert Appointment.objects.filter(starts_at=slot).count() == 1
