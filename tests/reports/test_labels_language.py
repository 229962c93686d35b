"""Breakdown labels follow the reader's language even when the figures come from a
snapshot computed in another language (beat computes them once for everyone)."""

import pytest
from django.utils import translation

from core import clock
from reports import queries
from reports.periods import Period, Scope, today

pytestmark = pytest.mark.django_db


def test_a_snapshot_made_in_chinese_reads_in_english(open_ticket, centre):
    from reports.facts import facts_sweep

    facts_sweep()
    scope = Scope(centres=(centre,), all_centres=False)
    period = Period.ending(today())
    with translation.override("zh-hans"):
        rows = {d: queries.breakdown(scope, period, d, clock.now()) for d in ("category", "channel")}
    with translation.override("en"):
        assert [r.label for r in rows["category"]] == ["Household registration"]
        assert [r.label for r in rows["channel"]] == ["window"]
    with translation.override("zh-hans"):
        assert [r.label for r in rows["category"]] == ["落户"]
        assert [r.label for r in rows["channel"]] == ["窗口"]
