"""Fast track for key talents: a workflow's rule (data in its YAML file) gives some tiers
and key industries shorter targets and a higher priority, and the ticket shows the rule as
the reason for its targets.

Opened Monday 16 November 2026, 09:00 in Shanghai (09:00-12:00, 13:30-17:30 working hours).
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from core import clock
from flows.loader import WorkflowError, build_workflow
from tests.factories import TalentFactory
from tickets import services

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
MONDAY = datetime(2026, 11, 16, 9, 0, tzinfo=SH)
# A target of N working days ends at the close of the Nth working day from the opening.
RESOLUTION_5_DAYS = datetime(2026, 11, 20, 17, 30, tzinfo=SH)
RESOLUTION_7_DAYS = datetime(2026, 11, 24, 17, 30, tzinfo=SH)
RESOLUTION_10_DAYS = datetime(2026, 11, 27, 17, 30, tzinfo=SH)


def _open(clerk, window, talent, category="work_permit", priority="normal"):
    with clock.frozen_at(MONDAY):
        return services.ticket_open(
            actor=clerk.user, talent=talent, category=category, channel="window",
            subject="Work permit", window=window, priority=priority,
        ).ticket


def test_a_class_a_talent_gets_the_shorter_targets_and_a_higher_priority(clerk, window, officer):
    fast = _open(clerk, window, TalentFactory(tier="A", dedicated_officer=officer))
    plain = _open(clerk, window, TalentFactory(tier="B", dedicated_officer=officer))
    assert fast.fast_track == "high_end_talent" and plain.fast_track == ""
    assert fast.priority == "high" and plain.priority == "normal"
    # Rule: 2 working hours, 5 working days; class B at normal priority: 8 hours, 10 days.
    assert fast.first_response_due == datetime(2026, 11, 16, 11, 0, tzinfo=SH)
    assert plain.first_response_due == datetime(2026, 11, 17, 10, 0, tzinfo=SH)
    assert fast.resolution_due == RESOLUTION_5_DAYS
    assert plain.resolution_due == RESOLUTION_10_DAYS
    assert fast.events.get(kind="opened").data["fast_track"] == "high_end_talent"


def test_a_key_industry_matches_whatever_the_case(clerk, window, officer):
    talent = TalentFactory(tier="C", key_industry="  Biomedicine ", dedicated_officer=officer)
    ticket = _open(clerk, window, talent, category="startup")
    assert ticket.fast_track == "key_industry_startup"
    assert ticket.priority == "high"
    assert ticket.resolution_due == RESOLUTION_7_DAYS


def test_a_talent_outside_every_rule_keeps_the_workflow_targets(clerk, window, officer):
    talent = TalentFactory(tier="other", key_industry="retail", dedicated_officer=officer)
    ticket = _open(clerk, window, talent, category="startup")
    assert ticket.fast_track == "" and ticket.priority == "normal"
    assert ticket.resolution_due == datetime(2026, 12, 4, 17, 30, tzinfo=SH)  # 15 working days


def test_the_rule_never_lowers_a_priority_the_clerk_chose(clerk, window, officer):
    ticket = _open(clerk, window, TalentFactory(tier="leading", dedicated_officer=officer), priority="urgent")
    assert ticket.priority == "urgent" and ticket.fast_track == "high_end_talent"
    # urgent: 2 hours and 5 days — no longer than the rule's, so the same due times.
    assert ticket.first_response_due == datetime(2026, 11, 16, 11, 0, tzinfo=SH)
    assert ticket.resolution_due == RESOLUTION_5_DAYS


def test_a_priority_change_keeps_the_fast_track_targets(clerk, window, officer, supervisor):
    ticket = _open(clerk, window, TalentFactory(tier="A", dedicated_officer=officer))
    with clock.frozen_at(MONDAY):
        services.ticket_set_priority(ticket=ticket, priority="low", actor=supervisor.user)
    ticket.refresh_from_db()
    # low: 16 hours, 20 days — tightened to the rule's 2 hours and 5 days.
    assert ticket.first_response_due == datetime(2026, 11, 16, 11, 0, tzinfo=SH)
    assert ticket.resolution_due == RESOLUTION_5_DAYS


def test_the_ticket_page_and_the_api_give_the_rule_as_the_reason(client, clerk, window, officer):
    ticket = _open(clerk, window, TalentFactory(tier="A", dedicated_officer=officer))
    client.force_login(officer.user)
    with translation.override("zh-hans"):
        page = client.get(f"/tickets/{ticket.reference}/")
    body = page.content.decode()
    assert 'data-fast-track="high_end_talent"' in body
    assert "外国高端人才（A类）绿色通道：容缺受理，5个工作日办结" in body
    assert "（2个工作小时内首次响应，5个工作日内办结）" in body
    api = client.get(f"/api/v1/tickets/{ticket.reference}/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert api["fast_track"] == {
        "rule": "high_end_talent",
        "reason": "Green channel for high-end foreign talents (class A): documents may follow, done in 5 working days",
        "first_response_hours": 2.0, "resolution_days": 5,
    }
    plain = _open(clerk, window, TalentFactory(tier="B", dedicated_officer=officer))
    assert client.get(f"/api/v1/tickets/{plain.reference}/").json()["fast_track"] is None


def _workflow_with(rule: dict, settings):
    import yaml

    data = yaml.safe_load((settings.WORKFLOWS_DIR / "work_permit.yaml").read_text(encoding="utf-8"))
    data["fast_track"] = [rule]
    return build_workflow(data, filename="work_permit.yaml", schema_path=settings.WORKFLOWS_DIR / "schema.json")


@pytest.mark.parametrize(("rule", "message"), [
    ({"id": "x", "label": {"zh": "甲", "en": "A"}, "resolution_days": 3},
     "work_permit.yaml: fast_track[0]: a rule must name tiers or key_industries"),
    ({"id": "x", "label": {"zh": "甲", "en": "A"}, "tiers": ["A"]},
     "work_permit.yaml: fast_track[0]: a rule must set first_response_hours, resolution_days or priority"),
    ({"id": "x", "label": {"zh": "甲", "en": "A"}, "tiers": ["platinum"], "resolution_days": 3},
     "work_permit.yaml: fast_track[0].tiers[0]: 'platinum' is not one of"),
    ({"id": "x", "label": {"zh": "甲", "en": "A"}, "tiers": ["A"], "resolution_days": 0},
     "work_permit.yaml: fast_track[0].resolution_days: 0 is less than the minimum of 1"),
])
def test_a_bad_rule_names_the_file_path_and_reason(rule, message, settings):
    with pytest.raises(WorkflowError) as caught:
        _workflow_with(rule, settings)
    assert str(caught.value).startswith(message)
