"""Supervisors report by origin: the breakdown sums to the totals on the dashboard, in
the reports API and in the exports; the drill-down filters by origin."""

import csv
import io

import pytest
from rest_framework.test import APIClient

from core import clock
from tests.factories import TalentFactory
from tests.reports.conftest import NOW, at, open_at, reply_at

pytestmark = pytest.mark.django_db


def _csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def _api(officer):
    client = APIClient()
    client.force_authenticate(officer.user)
    return client


@pytest.fixture
def mixed_origins(clerk, officer, window, refresh):
    """Six tickets in the week of 14 Sep 2026: two from Hong Kong, one each from Macao and
    Taiwan, two foreign; the first of each origin answered after one working hour."""
    origins = ["HK", "HK", "MO", "TW", "GB", "US"]
    for number, nationality in enumerate(origins):
        talent = TalentFactory(nationality=nationality, document_number=f"O{number}", dedicated_officer=officer)
        ticket = open_at("2026-09-14 09:00", clerk=clerk, talent=talent, window=window)
        if number in (0, 2, 3, 4):
            reply_at(ticket, "2026-09-14 10:00", actor=officer)
    refresh(NOW)


def test_origin_breakdown_sums_to_the_totals_on_the_dashboard(supervisor, mixed_origins):
    from reports import queries
    from reports.periods import Period, Scope

    scope = Scope(centres=(supervisor.centre,), all_centres=False, available=(supervisor.centre,))
    with clock.frozen_at(at(NOW)):
        figures = queries.period_figures(scope, Period(at("2026-09-14").date(), at("2026-09-20").date()),
                                         clock.now())
    rows = {row.key: row.figures for row in figures.breakdowns["origin"]}
    assert {key: f.opened for key, f in rows.items()} == {"hong_kong": 2, "macao": 1, "taiwan": 1, "foreign": 2}
    assert sum(f.opened for f in rows.values()) == figures.current.opened == 6
    assert sum(f.still_open for f in rows.values()) == figures.current.still_open
    assert {row.key: (row.labels["zh"], row.labels["en"]) for row in figures.breakdowns["origin"]} == {
        "hong_kong": ("香港", "Hong Kong"), "macao": ("澳门", "Macao"), "taiwan": ("台湾", "Taiwan"),
        "foreign": ("外籍", "foreign")}


def test_origin_breakdown_in_the_reports_api_sums_to_the_total(supervisor, mixed_origins):
    client = _api(supervisor)
    with clock.frozen_at(at(NOW)):
        data = client.get("/api/v1/reports/response-times/",
                          {"from": "2026-09-14", "to": "2026-09-20", "group_by": "origin"}).json()
    groups = {g["key"]: g["opened"] for g in data["groups"]}
    assert groups == {"hong_kong": 2, "macao": 1, "taiwan": 1, "foreign": 2}
    assert sum(groups.values()) == data["total"]["opened"] == 6


def test_origin_breakdown_exports_and_drills_down(client, supervisor, mixed_origins):
    client.force_login(supervisor.user)
    params = {"from": "2026-09-14", "to": "2026-09-20", "format": "csv"}
    with clock.frozen_at(at(NOW)):
        exported = client.get("/reports/export/origin/", params)
        drilled = client.get("/reports/export/tickets/", {**params, "figure": "opened", "origin": "hong_kong"})
        bad = client.get("/reports/tickets/", {**params, "origin": "mars"})
    assert exported.status_code == 200
    rows = _csv(exported)
    assert sorted(row[1] for row in rows[1:]) == ["1", "1", "2", "2"]
    tickets = _csv(drilled)
    assert len(tickets) == 3 and {row[-1] for row in tickets[1:]} == {"香港"}
    assert bad.status_code == 400
    assert "origin" in bad.content.decode()
