"""The hall's measures on the supervisors' dashboard and in the reports API."""

from datetime import datetime, timedelta

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from hall.measures import hall_now, hall_period
from hall.services import (
    queue_call_next,
    queue_done,
    queue_number_take,
    queue_numbers_close,
    queue_skip,
)
from tests.factories import PASSWORD
from tests.hall.conftest import SHANGHAI

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 12, 2, 9, 0, tzinfo=SHANGHAI)


@pytest.fixture
def a_morning(line_a, line_b, clerk, supervisor, window, general_window, time_machine):
    """A001 waits 10 min, served 6; A002 waits 20, served 4; A003 waits 24, skipped;
    B001 waits 30, served 12; B002 still waiting at 10:00."""
    def at(minutes):
        time_machine.move_to(T0 + timedelta(minutes=minutes), tick=False)

    at(0)
    for _ in range(3):
        queue_number_take(line=line_a, source="kiosk")
    queue_number_take(line=line_b, source="kiosk")
    at(10)
    queue_call_next(window=window, actor=clerk.user)
    at(16)
    queue_done(window=window, actor=clerk.user)
    at(20)
    queue_call_next(window=window, actor=clerk.user)
    at(24)
    queue_call_next(window=window, actor=clerk.user)   # A002 done (4 min), A003 called
    queue_skip(window=window, actor=clerk.user)
    at(30)
    queue_call_next(window=general_window, actor=supervisor.user)
    queue_number_take(line=line_b, source="kiosk")
    at(42)
    queue_done(window=general_window, actor=supervisor.user)
    at(60)


def test_period_figures_per_line_window_and_hour(centre, a_morning):
    report = hall_period([centre.pk], T0, T0 + timedelta(days=1), zone="Asia/Shanghai")
    assert report.total.as_dict() == {
        "taken": 5, "called": 4, "served": 3, "no_shows": 0, "abandoned": 0,
        "wait_p50_minutes": 20.0, "wait_p90_minutes": 30.0,
        "service_p50_minutes": 6.0, "service_mean_minutes": 7.3}
    assert list(report.lines) == ["A", "B"]
    assert (report.lines["A"].served, report.lines["B"].waits) == (2, [30.0])
    assert {k: f.served for k, f in report.windows.items()} == {"general": 1, "returnee": 2}
    assert {k: f.taken for k, f in report.hours.items()} == {9: 5}


def test_now_counts_the_people_waiting_and_the_longest_wait(centre, a_morning):
    assert hall_now([centre.pk]) == {"waiting": 1, "longest_wait_minutes": 30.0}


def test_skipped_and_left_numbers_count_after_closing(centre, a_morning):
    queue_numbers_close(now=datetime(2026, 12, 2, 17, 31, tzinfo=SHANGHAI))
    figures = hall_period([centre.pk], T0, T0 + timedelta(days=1), zone="Asia/Shanghai").total
    assert (figures.no_shows, figures.abandoned) == (1, 1)


def test_the_dashboard_shows_the_hall(supervisor, a_morning):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.login(username="supervisor", password=PASSWORD)
    html = client.get("/reports/").content.decode()
    hall = html.split('id="hall"')[1].split("</section>")[0]
    assert '<span class="headline-label">Waiting now</span><span class="headline-value">1</span>' in hall
    assert '<span class="headline-value">20.0 / 30.0</span>' in hall
    assert '<tr data-hall-line="A"><th scope="row">Line A</th><td class="num">3</td><td class="num">2</td>' in hall


def test_the_reports_api_gives_the_hall_per_line(supervisor, a_morning):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=supervisor.user).key}")
    body = client.get("/api/v1/reports/hall/?from=2026-12-02&to=2026-12-02").json()
    assert (body["centre"], body["waiting_now"], body["longest_wait_now_minutes"]) == ("city", 1, 30.0)
    assert body["total"]["served"] == 3
    assert [(row["key"], row["taken"], row["wait_p50_minutes"]) for row in body["lines"]] == [
        ("A", 3, 20.0), ("B", 2, 30.0)]
    assert [row["key"] for row in body["hours"]] == ["9"]


def test_the_reports_api_refuses_clerks_and_bad_dates(clerk, line_a):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=clerk.user).key}")
    assert client.get("/api/v1/reports/hall/").status_code == 403
