"""Reports fixtures: tickets walked through the real services at hand-picked moments of
September-October 2026 (Asia/Shanghai; the centre opens 09:00-12:00 and 13:30-17:30;
1-7 October is the National Day holiday), and a helper that brings the facts up to date."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from core import clock
from reports.facts import facts_sweep
from tickets import services
from tickets.models import MaterialStatus

SH = ZoneInfo("Asia/Shanghai")


def at(text: str) -> datetime:
    """``at("2026-09-28 09:00")`` in Shanghai time."""
    return datetime.fromisoformat(text).replace(tzinfo=SH)


def open_at(moment, *, clerk, talent, window, channel="window", category="settlement"):
    with clock.frozen_at(at(moment)):
        return services.ticket_open(
            actor=clerk.user, talent=talent, category=category, channel=channel,
            subject="Household registration", window=window,
        ).ticket


def reply_at(ticket, moment, *, actor):
    with clock.frozen_at(at(moment)):
        services.ticket_comment(ticket=ticket, actor=actor.user, body="On it.", public=True)


def act_at(ticket, moment, action, *, actor, note="done"):
    with clock.frozen_at(at(moment)):
        services.ticket_transition(ticket=ticket, action=action, actor=actor.user, note=note)


def receive_all(ticket, moment, *, actor):
    with clock.frozen_at(at(moment)):
        for item in ticket.materials.filter(required=True):
            services.material_update(material=item, actor=actor.user, status=MaterialStatus.RECEIVED)


@pytest.fixture
def refresh():
    """Bring every fact up to date (on-commit callbacks do not run inside test transactions)."""

    def run(now: str = "2026-10-31 12:00"):
        with clock.frozen_at(at(now)):
            return facts_sweep()

    return run


NOW = "2026-10-31 12:00"


@pytest.fixture
def week_of_tickets(clerk, officer, talent, window, refresh):
    """Four tickets opened Mon 14 Sep 2026 09:00 answered after 1, 2, 3 and 10 working
    hours (two online), one resolved; one ticket the week before answered after 0.5 h."""
    answers = ["2026-09-14 10:00", "2026-09-14 11:00", "2026-09-14 12:00", "2026-09-15 12:00"]
    tickets = []
    for i, answer in enumerate(answers):
        ticket = open_at("2026-09-14 09:00", clerk=clerk, talent=talent, window=window,
                         channel="online" if i < 2 else "window")
        reply_at(ticket, answer, actor=officer)
        tickets.append(ticket)
    first = tickets[0]
    act_at(first, "2026-09-14 13:30", "start_review", actor=officer)
    receive_all(first, "2026-09-14 14:00", actor=officer)
    act_at(first, "2026-09-14 14:30", "submit_to_police", actor=officer)
    act_at(first, "2026-09-15 09:30", "resolve", actor=officer)  # 7.5 working hours
    before = open_at("2026-09-08 09:00", clerk=clerk, talent=talent, window=window)
    reply_at(before, "2026-09-08 09:30", actor=officer)
    refresh(NOW)
    return tickets
