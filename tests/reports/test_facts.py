"""Working-time measures per ticket: across a holiday, with paused time, after a reopen."""

from reports.facts import fact_refresh, pause_spans
from reports.models import ReportFact
from tests.reports.conftest import act_at, at, open_at, receive_all, reply_at


def test_first_response_across_national_day_counts_only_working_hours(
    clerk, officer, talent, window, refresh
):
    ticket = open_at("2026-09-30 16:00", clerk=clerk, talent=talent, window=window)
    reply_at(ticket, "2026-10-08 10:00", actor=officer)
    refresh()
    fact = ReportFact.objects.get(ticket=ticket)
    # 30 Sep 16:00-17:30 (1.5 h) + 8 Oct 09:00-10:00 (1 h); 1-7 October are holidays.
    assert fact.first_response_seconds == int(2.5 * 3600)
    assert fact.resolution_seconds is None
    assert fact.done_at is None


def test_resolution_excludes_time_waiting_on_the_talent(clerk, officer, talent, window, refresh):
    ticket = open_at("2026-09-28 09:00", clerk=clerk, talent=talent, window=window)
    act_at(ticket, "2026-09-28 10:00", "start_review", actor=officer)
    act_at(ticket, "2026-09-28 11:00", "request_materials", actor=officer, note="ID please")
    act_at(ticket, "2026-09-29 10:00", "materials_provided", actor=officer)
    receive_all(ticket, "2026-09-29 10:30", actor=officer)
    act_at(ticket, "2026-09-29 11:00", "submit_to_police", actor=officer)
    act_at(ticket, "2026-09-29 12:00", "resolve", actor=officer)
    refresh()
    fact = ReportFact.objects.get(ticket=ticket)
    assert fact.first_response_seconds == 3600
    # Mon 09:00-Tue 12:00 is 10 working hours; paused Mon 11:00-Tue 10:00 is 6 of them.
    assert fact.paused_seconds == 6 * 3600
    assert fact.resolution_seconds == 4 * 3600
    assert fact.done_at == at("2026-09-29 12:00")


def test_reopened_ticket_is_measured_to_its_final_resolution(
    clerk, officer, talent, window, refresh
):
    ticket = open_at("2026-09-28 09:00", clerk=clerk, talent=talent, window=window)
    act_at(ticket, "2026-09-28 10:00", "start_review", actor=officer)
    receive_all(ticket, "2026-09-28 10:30", actor=officer)
    act_at(ticket, "2026-09-28 11:00", "submit_to_police", actor=officer)
    act_at(ticket, "2026-09-28 12:00", "resolve", actor=officer)
    refresh("2026-09-28 15:00")
    assert ReportFact.objects.get(ticket=ticket).resolution_seconds == 3 * 3600

    act_at(ticket, "2026-09-29 09:00", "reopen", actor=officer, note="wrong district")
    refresh("2026-09-29 09:30")
    fact = ReportFact.objects.get(ticket=ticket)
    assert fact.resolution_seconds is None and fact.done_at is None

    act_at(ticket, "2026-09-29 10:00", "submit_to_police", actor=officer)
    act_at(ticket, "2026-09-30 11:00", "resolve", actor=officer)
    refresh()
    # Mon 7 h + Tue 7 h + Wed 09:00-11:00 2 h.
    assert ReportFact.objects.get(ticket=ticket).resolution_seconds == 16 * 3600


def test_rejected_ticket_counts_as_done(clerk, officer, talent, window, refresh):
    ticket = open_at("2026-09-28 09:00", clerk=clerk, talent=talent, window=window)
    act_at(ticket, "2026-09-28 13:30", "reject", actor=officer, note="not eligible")
    refresh()
    fact = ReportFact.objects.get(ticket=ticket)
    assert fact.first_response_seconds == 3 * 3600
    assert fact.resolution_seconds == 3 * 3600
    assert fact.resolution_met is True


def test_refresh_runs_a_constant_number_of_queries(
    clerk, officer, talent, window, django_assert_num_queries
):
    tickets = [
        open_at(f"2026-09-2{d} 09:00", clerk=clerk, talent=talent, window=window) for d in (1, 2, 3)
    ]
    # tickets, state changes, upsert (no ratings model yet: the portal part adds it)
    from reports.facts import rating_model

    expected = 4 if rating_model() is not None else 3
    with django_assert_num_queries(expected):
        fact_refresh(ticket_ids=[t.pk for t in tickets])
    assert ReportFact.objects.count() == 3


def test_sweeper_refreshes_a_stale_fact(open_ticket, refresh):
    refresh()
    assert ReportFact.objects.filter(ticket=open_ticket).exists()
    ReportFact.objects.filter(ticket=open_ticket).update(source_updated_at=at("2000-01-01 00:00"))
    assert refresh() == 1


def test_pause_spans_closes_an_open_pause_at_the_end():
    spans = pause_spans(
        [(at("2026-09-28 09:00"), "new"), (at("2026-09-28 10:00"), "waiting_talent")],
        frozenset({"waiting_talent"}),
        until=at("2026-09-28 11:00"),
    )
    assert spans == [(at("2026-09-28 10:00"), at("2026-09-28 11:00"))]


def test_ticket_saves_queue_one_fact_refresh_after_commit(
    clerk, talent, window, django_capture_on_commit_callbacks, monkeypatch
):
    from reports import tasks

    sent = []
    monkeypatch.setattr(tasks.task_facts_refresh, "apply_async",
                        lambda args, **options: sent.append(args[0]))
    with django_capture_on_commit_callbacks(execute=True):
        ticket = open_at("2026-09-28 09:00", clerk=clerk, talent=talent, window=window)
    assert sent == [[ticket.pk]]  # opening saves the ticket twice: one task
    assert tasks.task_facts_refresh(sent[0]) == 1
    assert ReportFact.objects.filter(ticket=ticket, category="settlement").exists()


def test_sweeper_task_fills_missing_facts(open_ticket):
    from reports.tasks import task_facts_sweep

    assert task_facts_sweep() == 1
    assert task_facts_sweep() == 0


def test_a_dead_broker_does_not_break_the_ticket_save(
    clerk, talent, window, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    from kombu.exceptions import OperationalError

    from core.broker import breaker_reset, broker_known_down
    from reports import tasks

    def refuse(args, **options):
        raise OperationalError("broker down")

    monkeypatch.setattr(tasks.task_facts_refresh, "apply_async", refuse)
    breaker_reset()
    try:
        with django_capture_on_commit_callbacks(execute=True):
            ticket = open_at("2026-09-28 09:00", clerk=clerk, talent=talent, window=window)
        assert broker_known_down()  # the next publish, of any kind, will not wait
    finally:
        breaker_reset()
    assert ticket.pk and not ReportFact.objects.filter(ticket=ticket).exists()  # the sweeper will
    assert ("could not publish report facts of 1 ticket(s) (OperationalError: broker down)"
            in caplog.text)
