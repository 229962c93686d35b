"""The online share (网上实际办理率): tickets opened online of all opened, and tickets
handled wholly online (finished without a hall visit) of all finished — on the dashboard
and in the reports API; the breakdowns sum to the totals."""

import pytest
from rest_framework.test import APIClient

from core import clock
from reports.models import ReportFact
from tests.reports.conftest import NOW, act_at, at, open_at
from tickets.models import EventKind
from tickets.services import ticket_log

pytestmark = pytest.mark.django_db


@pytest.fixture
def channels(clerk, officer, talent, window, refresh):
    """Week of 14 Sep 2026: three online tickets (one withdrawn with nothing else, one
    withdrawn after the talent came to the hall, one open) and three at the window (one
    withdrawn), schooling and transport."""
    made = {}
    for name, channel, category in [("online_done", "online", "schooling"), ("online_visit", "online", "schooling"),
                                    ("online_open", "online", "transport"), ("window_done", "window", "schooling"),
                                    ("window_open", "window", "transport"), ("hotline_open", "hotline", "schooling")]:
        made[name] = open_at("2026-09-14 09:00", clerk=clerk, talent=talent, window=window, channel=channel,
                             category=category)
    with clock.frozen_at(at("2026-09-15 10:00")):
        ticket_log(ticket=made["online_visit"], kind=EventKind.VISIT, actor=clerk.user, public=False,
                   data={"queue_number": "A001"})
    for name in ("online_done", "online_visit", "window_done"):
        act_at(made[name], "2026-09-16 10:00", "withdraw", actor=clerk)
    refresh(NOW)
    return made


def _figures(supervisor):
    from reports import queries
    from reports.periods import Period, Scope

    scope = Scope(centres=(supervisor.centre,), all_centres=False, available=(supervisor.centre,))
    with clock.frozen_at(at(NOW)):
        return queries.period_figures(scope, Period(at("2026-09-14").date(), at("2026-09-20").date()), clock.now())


def test_a_ticket_finished_online_without_a_visit_is_handled_online(channels):
    handled = dict(ReportFact.objects.values_list("ticket_id", "handled_online"))
    assert {name: handled[t.pk] for name, t in channels.items()} == {
        "online_done": True, "online_visit": False, "online_open": False, "window_done": False,
        "window_open": False, "hotline_open": False}


def test_the_dashboard_figures_and_their_breakdowns_sum_right(supervisor, channels):
    figures = _figures(supervisor)
    total = figures.current
    assert (total.opened, total.online, total.finished, total.handled_online) == (6, 3, 3, 1)
    assert total.online_share == pytest.approx(0.5)
    assert total.handled_online_share == pytest.approx(1 / 3)
    for dimension in ("channel", "category"):
        rows = [row.figures for row in figures.breakdowns[dimension]]
        assert sum(f.opened for f in rows) == total.opened
        assert sum(f.online for f in rows) == total.online
        assert sum(f.finished for f in rows) == total.finished
        assert sum(f.handled_online for f in rows) == total.handled_online
    by_channel = {row.key: row.figures for row in figures.breakdowns["channel"]}
    assert by_channel["online"].handled_online_share == pytest.approx(0.5)
    assert by_channel["window"].handled_online_share == 0


def test_the_dashboard_shows_both_shares(client, supervisor, channels):
    client.force_login(supervisor.user)
    with clock.frozen_at(at(NOW)):
        body = client.get("/reports/", {"from": "2026-09-14", "to": "2026-09-20"},
                          HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Share opened online" in body and "Share handled online (finished without a visit)" in body
    assert "50.0 %" in body and "33.3 %" in body


def test_the_reports_api_gives_the_counts_and_shares_that_sum_right(supervisor, channels):
    client = APIClient()
    client.force_authenticate(supervisor.user)
    with clock.frozen_at(at(NOW)):
        data = client.get("/api/v1/reports/response-times/",
                          {"from": "2026-09-14", "to": "2026-09-20", "group_by": "channel"}).json()
    total = data["total"]
    assert (total["opened"], total["online"], total["online_share_pct"], total["finished"],
            total["handled_online"], total["handled_online_pct"]) == (6, 3, 50.0, 3, 1, 33.3)
    groups = {g["key"]: g for g in data["groups"]}
    assert sum(g["handled_online"] for g in groups.values()) == total["handled_online"]
    assert sum(g["finished"] for g in groups.values()) == total["finished"]
    assert sum(g["online"] for g in groups.values()) == total["online"]
    assert groups["online"]["handled_online_pct"] == 50.0


def test_the_drill_down_lists_the_tickets_handled_online(client, supervisor, channels):
    client.force_login(supervisor.user)
    with clock.frozen_at(at(NOW)):
        body = client.get("/reports/tickets/", {"from": "2026-09-14", "to": "2026-09-20",
                                                "figure": "handled_online"}).content.decode()
    assert channels["online_done"].reference in body
    assert channels["online_visit"].reference not in body and channels["window_done"].reference not in body
