"""Booking online, the booking's page (cancel, move) and checking in at the kiosk."""

from datetime import datetime

import pytest
from django.test import Client

from hall.appointments import appointment_book
from hall.models import Appointment, AppointmentStatus, QueueNumber
from tests.factories import PASSWORD
from tests.hall.conftest import SHANGHAI

pytestmark = pytest.mark.django_db


def at(d, hh, mm):
    return datetime(2026, 12, d, hh, mm, tzinfo=SHANGHAI)


@pytest.fixture
def tuesday(time_machine):
    time_machine.move_to(at(1, 15, 0), tick=False)


def test_the_booking_page_offers_days_and_slots_with_places(line_a, tuesday):
    page = Client(HTTP_ACCEPT_LANGUAGE="en").get(f"/hall/book/city/?line={line_a.pk}&day=2026-12-02")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-day="2026-12-01"' in html          # still 15:30-17:30 today
    assert 'data-day="2026-12-05"' not in html      # a Saturday
    assert 'value="2026-12-02T09:00:00+08:00"' in html
    assert html.count('name="slot"') == 14


def test_booking_online_redirects_to_the_booking_page(line_a, tuesday):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = client.post(f"/hall/book/city/?line={line_a.pk}", {
        "line": line_a.pk, "slot": "2026-12-02T09:30:00+08:00", "name": "Anna Smith",
        "phone": "13800000002"})
    appointment = Appointment.objects.get()
    assert (response.status_code, response["Location"]) == (302, f"/hall/appointments/{appointment.code}/")
    assert (appointment.language, appointment.starts_at) == ("en", at(2, 9, 30))
    page = client.get(response["Location"]).content.decode()
    assert f"data-code>{appointment.code}<" in page
    assert "data-when>2026-12-02 09:30<" in page


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"slot": "tomorrow"}, "starts_at", "Choose one of the offered times."),
    ({"slot": "2026-12-02T12:00:00+08:00"}, "starts_at", "The centre is closed at this time."),
    ({"slot": "2026-12-02T09:30:00+08:00", "name": ""}, "name", "Enter your name."),
    ({"slot": "2026-12-02T09:30:00+08:00", "phone": ""}, "phone",
     "Give a mobile number or an e-mail address for the confirmation."),
])
def test_booking_refuses_bad_input_keeping_nothing(line_a, tuesday, data, field, message):
    payload = {"line": line_a.pk, "name": "Anna", "phone": "13800000002", **data}
    response = Client(HTTP_ACCEPT_LANGUAGE="en").post("/hall/book/city/", payload)
    assert response.status_code == 422
    assert f'<p data-error="{field}">{message}</p>' in response.content.decode()
    assert Appointment.objects.count() == 0


def test_cancel_and_move_from_the_booking_page(line_a, tuesday):
    appointment = appointment_book(line=line_a, starts_at=at(2, 9, 30), name="A", phone="13800000001")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = client.post(f"/hall/book/city/?move={appointment.code}", {
        "move": appointment.code, "slot": "2026-12-03T10:00:00+08:00"})
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.starts_at == at(3, 10, 0)
    client.post(f"/hall/appointments/{appointment.code}/cancel/")
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED


def test_an_unknown_booking_code_is_404(client):
    assert client.get("/hall/appointments/ZZZZZZZZ/").status_code == 404
    assert client.get("/hall/appointments/short/").status_code == 404


def test_check_in_at_the_kiosk_gives_a_priority_number(line_a, clerk, time_machine):
    time_machine.move_to(at(1, 15, 0), tick=False)
    appointment = appointment_book(line=line_a, starts_at=at(2, 10, 0), name="A", phone="13800000001")
    time_machine.move_to(at(2, 9, 45), tick=False)
    client = Client()
    client.login(username="clerk", password=PASSWORD)
    response = client.post("/hall/kiosk/city/", {"booking": appointment.code.lower(), "language": "en"})
    number = QueueNumber.objects.get()
    assert (response.status_code, response["Location"]) == (302, f"/hall/slip/{number.follow_token}/")
    assert (number.number, number.priority, number.source) == ("A001", 1, "appointment")


def test_check_in_with_a_wrong_code_says_so_in_the_kiosk_language(line_a, clerk, tuesday):
    client = Client()
    client.login(username="clerk", password=PASSWORD)
    response = client.post("/hall/kiosk/city/", {"booking": "ABCDEFGH", "language": "zh"})
    assert response.status_code == 422
    assert "本中心没有这个预约编号的预约。" in response.content.decode()
    assert QueueNumber.objects.count() == 0
