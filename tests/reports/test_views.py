"""The dashboard, drill-down and exports: who may see what, bad input, query counts."""

import csv
import io
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import clock
from reports.models import ExportRecord
from tests.reports.conftest import NOW, at, open_at, reply_at

PERIOD = {"from": "2026-09-14", "to": "2026-09-20"}


def get(client, user, name, params=None, **kwargs):
    client.force_login(user)
    with clock.frozen_at(at(NOW)):
        return client.get(reverse(name, kwargs=kwargs or None), params or {})


@pytest.mark.parametrize("persona", ["clerk", "officer", "outsider"])
def test_only_supervisors_and_administrators_see_reports(client, persona, request):
    user = request.getfixturevalue(persona).user
    for name in ("reports:dashboard", "reports:tickets", "reports:export-tickets"):
        assert get(client, user, name).status_code == 403
    assert get(client, user, "reports:export-breakdown", dimension="category").status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 302


def test_supervisor_sees_the_headline_figures_of_their_centre(client, supervisor, week_of_tickets):
    response = get(client, supervisor.user, "reports:dashboard", PERIOD)
    assert response.status_code == 200
    html = response.content.decode()
    headlines = {h.key: h for h in response.context["headlines"]}
    assert headlines["opened"].value == "4"
    assert headlines["opened"].previous == "1"
    assert headlines["frt_p50"].value.startswith("2.5")
    assert headlines["frt_p90"].value.startswith("7.9")
    assert headlines["frt_sla"].value.startswith("75")
    assert headlines["backlog"].value == "4"
    assert (headlines["rating"].value, response.context["board"].ratings_available) == ("—", True)
    assert '<svg class="chart" id="trend-chart"' in html and "<title id=\"trend-chart-title\">" in html
    assert 'id="breakdown-officer"' in html


def test_supervisor_cannot_choose_another_centre(client, supervisor, other_centre):
    response = get(client, supervisor.user, "reports:dashboard", {"centre": other_centre.code})
    assert response.status_code == 403


def test_administrator_sees_all_centres_and_can_choose_one(
    client, admin_officer, week_of_tickets, other_centre
):
    response = get(client, admin_officer.user, "reports:dashboard", PERIOD)
    assert response.status_code == 200
    assert response.context["scope"].all_centres
    assert response.context["board"].current.opened == 4
    response = get(client, admin_officer.user, "reports:dashboard",
                   {**PERIOD, "centre": other_centre.code})
    assert response.context["board"].current.opened == 0
    assert get(client, admin_officer.user, "reports:dashboard", {"centre": "nowhere"}).status_code == 400


@pytest.mark.parametrize("params,field", [
    ({"from": "yesterday"}, "from"),
    ({"from": "2026-09-20", "to": "2026-09-01"}, "to"),
    ({"from": "1990-01-01", "to": "2026-01-01"}, "from"),
])
def test_bad_dates_answer_400_naming_the_field(client, supervisor, params, field):
    response = get(client, supervisor.user, "reports:dashboard", params)
    assert response.status_code == 400
    assert any(e.startswith(f"{field}:") for e in response.context["errors"])


def test_dashboard_runs_a_constant_number_of_queries(
    client, supervisor, clerk, officer, talent, window, week_of_tickets, refresh
):
    client.force_login(supervisor.user)

    def count():
        cache.clear()  # the live computation, not a snapshot
        with CaptureQueriesContext(connection) as queries, clock.frozen_at(at(NOW)):
            assert client.get(reverse("reports:dashboard"), PERIOD).status_code == 200
        return len(queries)

    before = count()
    for day in ("15", "16", "17"):
        ticket = open_at(f"2026-09-{day} 09:00", clerk=clerk, talent=talent, window=window,
                         channel="hotline", category="transport")
        reply_at(ticket, f"2026-09-{day} 10:00", actor=officer)
    refresh(NOW)
    assert count() == before


def test_sorting_a_breakdown_by_a_column(client, supervisor, week_of_tickets):
    response = get(client, supervisor.user, "reports:dashboard", {**PERIOD, "sort_channel": "frt_p50"})
    table = next(t for t in response.context["tables"] if t["dimension"] == "channel")
    assert "channel=online" in table["rows"][0][0]["link"]
    header = next(h for h in table["headers"] if h["key"] == "frt_p50")
    assert header["state"] == "ascending" and "sort_channel=-frt_p50" in header["link"]


def test_htmx_sort_answers_only_the_table(client, supervisor, week_of_tickets):
    client.force_login(supervisor.user)
    with clock.frozen_at(at(NOW)):
        response = client.get(reverse("reports:dashboard"),
                              {**PERIOD, "table": "channel", "sort_channel": "-opened"},
                              HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<section class="card breakdown" id="breakdown-channel"')
    assert "headline" not in html


def test_drill_down_lists_the_tickets_behind_a_figure(client, supervisor, week_of_tickets):
    response = get(client, supervisor.user, "reports:tickets",
                   {**PERIOD, "figure": "online"})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 2
    response = get(client, supervisor.user, "reports:tickets",
                   {**PERIOD, "figure": "frt_missed"})
    assert [r["ticket"] for r in response.context["rows"]] == [week_of_tickets[3]]
    assert "E1****78" in response.content.decode()
    assert "E12345678" not in response.content.decode()


def test_drill_down_by_group_week_and_age(client, supervisor, officer, week_of_tickets):
    by_officer = get(client, supervisor.user, "reports:tickets",
                     {**PERIOD, "figure": "responded", "officer": officer.pk})
    assert by_officer.context["page"].paginator.count == 4
    by_week = get(client, supervisor.user, "reports:tickets",
                  {"figure": "opened", "week": "2026-09-07"})
    assert by_week.context["page"].paginator.count == 1
    old = get(client, supervisor.user, "reports:tickets", {"figure": "backlog", "age": "gt10"})
    assert old.context["page"].paginator.count == 4


@pytest.mark.parametrize("params,field", [
    ({"figure": "everything"}, "figure"),
    ({"window": "abc"}, "window"),
    ({"officer": "9" * 40}, "officer"),
    ({"window": "²"}, "window"),
    ({"category": "nonsense"}, "category"),
    ({"age": "ancient"}, "age"),
    ({"week": "last"}, "week"),
])
def test_drill_down_rejects_bad_filters(client, supervisor, params, field):
    response = get(client, supervisor.user, "reports:tickets", params)
    assert response.status_code == 400
    assert any(e.startswith(f"{field}:") for e in response.context["errors"])


def test_drill_down_runs_a_constant_number_of_queries(
    client, supervisor, clerk, officer, talent, window, week_of_tickets, refresh
):
    client.force_login(supervisor.user)

    def count():
        with CaptureQueriesContext(connection) as queries, clock.frozen_at(at(NOW)):
            client.get(reverse("reports:tickets"), {"figure": "backlog"})
        return len(queries)

    before = count()
    for _ in range(3):
        open_at("2026-09-16 09:00", clerk=clerk, talent=talent, window=window)
    refresh(NOW)
    assert count() == before


def _csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def test_ticket_export_masks_documents_neutralises_formulas_and_is_audited(
    client, supervisor, clerk, talent, window, refresh
):
    from tickets.services import ticket_open

    with clock.frozen_at(at("2026-09-14 09:00")):
        ticket_open(actor=clerk.user, talent=talent, category="settlement", channel="window",
                    subject="=HYPERLINK(\"http://evil\")", window=window)
    refresh(NOW)
    response = get(client, supervisor.user, "reports:export-tickets",
                   {**PERIOD, "figure": "opened", "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = _csv(response)
    header, row = rows[0], rows[1]
    assert row[header.index("Subject") if "Subject" in header else 11].startswith("'=HYPERLINK")
    assert "E1****78" in row and "E12345678" not in ",".join(row)
    record = ExportRecord.objects.get()
    assert (record.user, record.kind, record.format, record.rows) == (
        supervisor.user, "tickets-opened", "csv", 1)
    assert record.history.get().history_user == supervisor.user


def test_breakdown_export_as_xlsx_keeps_chinese_text(client, supervisor, week_of_tickets):
    from openpyxl import load_workbook

    response = get(client, supervisor.user, "reports:export-breakdown",
                   {**PERIOD, "format": "xlsx"}, dimension="category")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[1][0] == "落户" and values[1][1] == 4
    assert ExportRecord.objects.get().kind == "breakdown-category"


def test_breakdown_export_in_csv_with_bom(client, supervisor, week_of_tickets):
    response = get(client, supervisor.user, "reports:export-breakdown",
                   {**PERIOD, "format": "csv"}, dimension="channel")
    rows = _csv(response)
    assert len(rows) == 3


def test_export_rejects_unknown_format_and_group(client, supervisor):
    assert get(client, supervisor.user, "reports:export-breakdown",
               {"format": "pdf"}, dimension="category").status_code == 400
    assert get(client, supervisor.user, "reports:export-breakdown",
               {"format": "csv"}, dimension="planet").status_code == 400
    assert not ExportRecord.objects.exists()


def test_period_figures_come_from_a_fresh_snapshot_then_are_recomputed(
    client, supervisor, clerk, talent, window, week_of_tickets, refresh
):
    from reports import snapshots

    first = get(client, supervisor.user, "reports:dashboard", PERIOD).context["board"]
    open_at("2026-09-16 09:00", clerk=clerk, talent=talent, window=window)
    refresh(NOW)
    again = get(client, supervisor.user, "reports:dashboard", PERIOD).context["board"]
    assert again.current.opened == first.current.opened == 4  # snapshot, minutes old at most
    assert again.backlog == first.backlog + 1  # counted live
    later = at(NOW) + timedelta(seconds=snapshots.FRESH_SECONDS + 1)
    client.force_login(supervisor.user)
    with clock.frozen_at(later):
        board = client.get(reverse("reports:dashboard"), PERIOD).context["board"]
    assert board.current.opened == 5


def test_beat_task_warms_the_standard_periods(supervisor, week_of_tickets):
    from reports.tasks import task_dashboards_warm

    with clock.frozen_at(at(NOW)):
        # all centres and the one centre, 30 and 365 days
        assert task_dashboards_warm() == 4


@pytest.mark.parametrize("language,label,column", [
    ("zh-hans", "首次响应时长（中位数）", "受理量"),
    ("en", "First response, median", "Opened"),
])
def test_dashboard_speaks_chinese_and_english(client, supervisor, week_of_tickets, language, label, column):
    client.cookies["talentdesk_language"] = language
    html = get(client, supervisor.user, "reports:dashboard", PERIOD).content.decode()
    assert label in html and column in html


def test_chart_axes_count_in_whole_tickets():
    from reports.svg import _count_max

    assert [_count_max(n) for n in (0, 3, 5, 23, 130, 1000)] == [4, 4, 8, 24, 200, 1000]


def test_the_export_masks_document_numbers_in_the_subject_column(client, supervisor, clerk, talent,
                                                                 window, refresh):
    from tickets.services import ticket_open

    with clock.frozen_at(at("2026-09-14 09:00")):
        ticket_open(actor=clerk.user, talent=talent, category="settlement", channel="window",
                    subject="Renewal for E12345678, son 110101201001011234", window=window)
    refresh(NOW)
    response = get(client, supervisor.user, "reports:export-tickets",
                   {**PERIOD, "figure": "opened", "format": "csv"})
    header, row = _csv(response)[:2]
    assert row[11] == "Renewal for E1****78, son 11****34", header[11]
