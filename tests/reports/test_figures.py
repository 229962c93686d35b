"""Every dashboard figure against hand-computed answers (working hours, Shanghai time)."""

import pytest

from core import clock
from reports import queries
from reports.periods import Period, scope_for
from tests.reports.conftest import NOW, at, open_at


def test_headline_percentiles_in_working_hours(supervisor, week_of_tickets):
    scope = scope_for(supervisor.user)
    period = Period(at("2026-09-14 00:00").date(), at("2026-09-20 00:00").date())
    current, before = queries.headline(scope, period, at(NOW))
    assert current.opened == 4
    assert current.online_share == 0.5
    assert current.frt_n == 4
    assert current.frt_p50 == pytest.approx(2.5 * 3600)
    # percentile_cont: position 0.9 × 3 = 2.7 between 3 h and 10 h → 3 + 0.7 × 7 = 7.9 h
    assert current.frt_p90 == pytest.approx(7.9 * 3600)
    assert current.res_n == 1
    assert current.res_p50 == pytest.approx(7.5 * 3600)
    assert current.still_open == 3
    assert before.opened == 1
    assert before.frt_p50 == pytest.approx(0.5 * 3600)
    assert before.frt_p90 == pytest.approx(0.5 * 3600)


def test_first_response_compliance_counts_targets_from_the_workflow(supervisor, week_of_tickets):
    # settlement, normal priority: first response within 8 working hours → 3 of 4 met.
    scope = scope_for(supervisor.user)
    period = Period(at("2026-09-14 00:00").date(), at("2026-09-20 00:00").date())
    current, _ = queries.headline(scope, period, at(NOW))
    assert (current.frt_met, current.frt_judged) == (3, 4)
    assert current.frt_compliance == 0.75


def test_breakdown_by_channel_splits_the_percentiles(supervisor, week_of_tickets):
    scope = scope_for(supervisor.user)
    period = Period(at("2026-09-14 00:00").date(), at("2026-09-20 00:00").date())
    rows = {r.key: r for r in queries.breakdown(scope, period, "channel", at(NOW))}
    assert rows["online"].figures.opened == 2
    assert rows["online"].figures.frt_p50 == pytest.approx(1.5 * 3600)
    assert rows["window"].figures.frt_p50 == pytest.approx(6.5 * 3600)
    assert rows["window"].figures.frt_p90 == pytest.approx((3 + 0.9 * 7) * 3600)


def test_breakdown_by_officer_and_window_names_them(supervisor, officer, window, week_of_tickets):
    scope = scope_for(supervisor.user)
    period = Period(at("2026-09-14 00:00").date(), at("2026-09-20 00:00").date())
    officers = queries.breakdown(scope, period, "officer", at(NOW))
    assert [(r.key, r.label, r.figures.opened) for r in officers] == [
        (officer.pk, officer.display_name, 4)
    ]
    windows = queries.breakdown(scope, period, "window", at(NOW))
    assert [(r.label, r.figures.opened) for r in windows] == [(window.name, 4)]
    categories = queries.breakdown(scope, period, "category", at(NOW))
    assert [r.key for r in categories] == ["settlement"]


def test_weekly_trend_puts_each_ticket_in_its_monday_week(supervisor, week_of_tickets):
    scope = scope_for(supervisor.user)
    period = Period(at("2026-09-14 00:00").date(), at("2026-09-20 00:00").date())
    span, weeks = queries.trend(scope, period, at(NOW))
    assert len(weeks) == queries.TREND_MIN_WEEKS
    assert span.end == at("2026-09-20 00:00").date()
    by_start = {w.start.isoformat(): w.figures for w in weeks}
    assert by_start["2026-09-14"].opened == 4
    assert by_start["2026-09-14"].frt_p50 == pytest.approx(2.5 * 3600)
    assert by_start["2026-09-07"].opened == 1
    assert by_start["2026-08-31"].opened == 0


def test_an_empty_period_gives_no_figures_and_no_errors(supervisor, week_of_tickets):
    scope = scope_for(supervisor.user)
    period = Period(at("2025-01-01 00:00").date(), at("2025-01-31 00:00").date())
    with clock.frozen_at(at(NOW)):
        board = queries.dashboard(scope, period)
    assert board.current.opened == 0
    assert board.current.frt_p50 is None and board.current.online_share is None
    assert board.current.frt_compliance is None
    assert all(rows == [] for rows in board.breakdowns.values())


def test_backlog_by_age_in_working_days(clerk, supervisor, talent, window, refresh):
    # At Fri 30 Oct 2026 12:00, a working day being 7 h of opening hours.
    open_at("2026-10-30 09:00", clerk=clerk, talent=talent, window=window)  # 3 h
    open_at("2026-10-28 09:00", clerk=clerk, talent=talent, window=window)  # 17 h: 2.4 days
    open_at("2026-10-26 09:00", clerk=clerk, talent=talent, window=window)  # 31 h: 4.4 days
    open_at("2026-09-10 09:00", clerk=clerk, talent=talent, window=window)
    refresh("2026-10-30 12:00")
    scope = scope_for(supervisor.user)
    buckets = {b.key: b.count for b in queries.ages(scope, at("2026-10-30 12:00"))}
    assert buckets == {"lt1": 1, "1to3": 1, "3to10": 1, "gt10": 1}


def test_age_threshold_of_one_working_day_skips_the_weekend(centre):
    # Monday 10:00 minus one working day (7 h) is the previous Friday 10:00.
    limits = queries.age_thresholds(centre, at("2026-09-14 10:00"))
    assert abs((limits[1] - at("2026-09-11 10:00")).total_seconds()) <= 1


def test_percentile_matches_percentile_cont():
    assert queries.percentile([], 0.5) is None
    assert queries.percentile([5], 0.9) == 5
    assert queries.percentile([1, 2, 3, 10], 0.5) == 2.5
    assert queries.percentile([10, 3, 2, 1], 0.9) == pytest.approx(7.9)


def test_sort_rows_puts_missing_values_last(supervisor, week_of_tickets):
    scope = scope_for(supervisor.user)
    period = Period(at("2026-09-14 00:00").date(), at("2026-09-20 00:00").date())
    rows = queries.breakdown(scope, period, "channel", at(NOW))
    assert [r.key for r in queries.sort_rows(rows, "frt_p50")] == ["online", "window"]
    assert [r.key for r in queries.sort_rows(rows, "-frt_p50")] == ["window", "online"]
    assert [r.key for r in queries.sort_rows(rows, "-res_p50")] == ["online", "window"]


def test_average_satisfaction_comes_from_the_portal_ratings(supervisor, week_of_tickets):
    from reports import tasks
    from reports.facts import rating_model

    rating = rating_model()
    if rating is None:
        pytest.skip("the portal's ratings are not installed")
    from django.db import connection

    rating.objects.create(ticket=week_of_tickets[0], score=5, created_at=at(NOW))
    rating.objects.create(ticket=week_of_tickets[1], score=2, created_at=at(NOW))
    queued = set().union(*(
        callback.ids for _, callback, _ in connection.run_on_commit
        if isinstance(callback, tasks._SendRefresh)
    ))
    assert {t.pk for t in week_of_tickets[:2]} <= queued  # ratings queue their tickets' facts
    tasks.task_facts_refresh([t.pk for t in week_of_tickets[:2]])
    period = Period(at("2026-09-14 00:00").date(), at("2026-09-20 00:00").date())
    current, _ = queries.headline(scope_for(supervisor.user), period, at(NOW))
    assert (current.rating_avg, current.rating_n) == (3.5, 2)
