"""Reading tickets: the scope of every role in lists, details, timelines and histories;
filters, ordering and pagination; and a constant number of queries per page."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.api.conftest import new_talent, url
from tests.clock import at
from tickets.services import ticket_open, ticket_transition

pytestmark = pytest.mark.django_db

SCOPE = {
    "clerk": {"mine", "queued"},
    "officer": {"mine", "queued"},
    "second_officer": {"queued"},
    "supervisor": {"mine", "queued"},
    "admin_officer": {"mine", "queued", "elsewhere"},
    "outsider": {"elsewhere"},
    "plain_user": set(),
}


def _subjects(response):
    assert response.status_code == 200, response.content
    return {ticket["subject"] for ticket in response.json()["results"]}


@pytest.mark.parametrize(("persona", "expected"), SCOPE.items())
def test_the_list_shows_exactly_the_personas_scope(request, api, tickets, persona, expected):
    response = api(request.getfixturevalue(persona)).get(url("tickets"))
    assert _subjects(response) == expected
    assert response.json()["count"] == len(expected)


@pytest.mark.parametrize(("persona", "expected"), SCOPE.items())
def test_detail_timeline_and_history_answer_404_outside_the_scope(
    request, api, tickets, persona, expected
):
    client = api(request.getfixturevalue(persona))
    for name, ticket in tickets.items():
        for part in ((), ("timeline",), ("history",)):
            response = client.get(url("tickets", ticket.reference, *part))
            assert response.status_code == (200 if name in expected else 404), (name, part)
            if name not in expected:
                assert response.json() == {"detail": "Not found."}


def test_without_credentials_the_api_answers_401_asking_for_a_token(api, tickets):
    response = api(None).get(url("tickets"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert set(response.json()) == {"detail"}


def test_a_wrong_token_is_401(api, tickets):
    client = api(None)
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert client.get(url("tickets")).status_code == 401


def test_a_ticket_answer_names_its_fields_as_the_contract_says(api, tickets, supervisor, officer):
    body = api(supervisor).get(url("tickets", tickets["mine"].reference)).json()
    assert body["reference"] == tickets["mine"].reference
    assert body["state"] == "new" and body["state_label"] == "New"
    assert body["category"] == "settlement" and body["channel"] == "window"
    assert body["assignee"] == {"id": officer.pk, "name": officer.display_name}
    assert body["talent"]["masked_document"] == "E1****78"
    assert "E12345678" not in str(body)
    assert {"first_response_due", "resolution_due", "next_due", "sla_provisional"} <= set(body)
    assert body["window"]["code"] == "returnee"
    assert [m["material_id"] for m in body["materials"]][:2] == ["passport", "talent_certificate"]
    # A supervisor may start the review, request documents or reject from "new".
    assert [a["action"] for a in body["allowed_actions"]] == [
        "start_review", "request_materials", "reject"
    ]


def test_allowed_actions_follow_the_role(api, tickets, clerk):
    body = api(clerk).get(url("tickets", tickets["mine"].reference)).json()
    assert body["allowed_actions"] == []


def test_answers_follow_accept_language(api, tickets, supervisor):
    zh = api(supervisor, language="zh-hans").get(url("tickets", tickets["mine"].reference)).json()
    en = api(supervisor, language="en").get(url("tickets", tickets["mine"].reference)).json()
    assert zh["state_label"] == "新建" and en["state_label"] == "New"
    assert zh["category_name"] == "落户" and en["category_name"] == "Household registration"


# --- filters -------------------------------------------------------------------------------------


def test_filter_by_state_category_channel_and_priority(api, tickets, officer, supervisor, window,
                                                       clerk):
    ticket_transition(ticket=tickets["mine"], action="start_review", actor=officer.user)
    urgent = ticket_open(actor=clerk.user, talent=new_talent(), category="transport",
                         channel="online", subject="urgent", window=window, priority="urgent").ticket
    client = api(supervisor)
    assert _subjects(client.get(url("tickets"), {"state": "reviewing"})) == {"mine"}
    assert _subjects(client.get(url("tickets"), {"category": "transport"})) == {"urgent"}
    assert _subjects(client.get(url("tickets"), {"channel": "hotline"})) == {"queued"}
    assert _subjects(client.get(url("tickets"), {"priority": "urgent"})) == {urgent.subject}


def test_filter_by_assignee_me_none_or_id(api, tickets, officer, supervisor):
    client = api(supervisor)
    assert _subjects(api(officer).get(url("tickets"), {"assignee": "me"})) == {"mine"}
    assert _subjects(client.get(url("tickets"), {"assignee": "none"})) == {"queued"}
    assert _subjects(client.get(url("tickets"), {"assignee": str(officer.pk)})) == {"mine"}
    assert _subjects(client.get(url("tickets"), {"assignee": "me"})) == set()


def test_filter_by_window_talent_and_text(api, tickets, supervisor, admin_officer, window,
                                          other_window, talent):
    assert _subjects(api(supervisor).get(url("tickets"), {"window": window.pk})) == {"mine", "queued"}
    assert _subjects(api(admin_officer).get(url("tickets"), {"window": other_window.pk})) == {
        "elsewhere"
    }
    assert _subjects(api(supervisor).get(url("tickets"), {"talent": talent.pk})) == {"mine"}
    client = api(supervisor)
    assert _subjects(client.get(url("tickets"), {"q": "queu"})) == {"queued"}
    assert _subjects(client.get(url("tickets"), {"q": "siyuan"})) == {"mine", "queued"}
    assert _subjects(client.get(url("tickets"), {"q": tickets["mine"].reference})) == {"mine"}


def test_filter_overdue_and_created_between(api, tickets, supervisor, clerk, window):
    long_ago = timezone.now() - timedelta(days=60)
    late = ticket_open(actor=clerk.user, talent=new_talent(), category="settlement",
                       channel="window", subject="late", window=window, now=long_ago).ticket
    client = api(supervisor)
    assert _subjects(client.get(url("tickets"), {"overdue": "true"})) == {late.subject}
    assert _subjects(client.get(url("tickets"), {"overdue": "false"})) == {"mine", "queued"}
    before = (long_ago + timedelta(days=1)).isoformat()
    assert _subjects(client.get(url("tickets"), {"created_before": before})) == {"late"}
    assert _subjects(client.get(url("tickets"), {"created_after": before})) == {"mine", "queued"}
    assert _subjects(client.get(url("tickets"), {"created_after": "2000-01-01"})) == {
        "mine", "queued", "late"
    }


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"category": "astrology"}, "category"),
        ({"channel": "fax"}, "channel"),
        ({"priority": "whenever"}, "priority"),
        ({"assignee": "somebody"}, "assignee"),
        ({"assignee": "99999999999999999999999"}, "assignee"),
        ({"window": "abc"}, "window"),
        ({"window": "99999999999999999999999"}, "window"),
        ({"talent": "-1"}, "talent"),
        ({"overdue": "perhaps"}, "overdue"),
        ({"created_after": "yesterday"}, "created_after"),
        ({"created_before": "9999-12-31T23:59:59-23:59"}, "created_before"),
        ({"created_after": "0001-01-01T00:00:00+14:00"}, "created_after"),
        ({"ordering": "subject"}, "ordering"),
        ({"q": "x" * 101}, "q"),
        ({"state": "s" * 41}, "state"),
    ],
)
def test_a_bad_filter_answers_400_naming_it(api, tickets, supervisor, params, field):
    response = api(supervisor).get(url("tickets"), params)
    assert response.status_code == 400, response.content
    body = response.json()
    assert list(body) == [field]
    assert all(isinstance(message, str) for message in body[field])


def test_filter_errors_follow_accept_language(api, tickets, supervisor):
    en = api(supervisor, language="en").get(url("tickets"), {"channel": "fax"}).json()
    zh = api(supervisor, language="zh-hans").get(url("tickets"), {"channel": "fax"}).json()
    assert "valid choice" in en["channel"][0]
    assert en["channel"] != zh["channel"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in zh["channel"][0])


# --- ordering and pagination ------------------------------------------------------------------------


@pytest.fixture
def tied(clerk, window):
    """Three tickets opened one minute apart on a Sunday before opening hours: their due
    times all count from Monday's opening, so they are equal."""
    opened = [
        ticket_open(
            actor=clerk.user, talent=new_talent(), category="policy_consultation",
            channel="online", subject=f"tied-{index}", window=window,
            now=at("2026-12-06 07:30") + timedelta(minutes=index),
        ).ticket
        for index in range(3)
    ]
    assert len({ticket.due_at for ticket in opened}) == 1
    return [ticket.reference for ticket in opened]


@pytest.mark.parametrize("key", ["due_at", "priority", "created_at"])
def test_equal_keys_fall_back_to_creation_then_id_and_descending_is_the_exact_reverse(
    api, tied, supervisor, key
):
    client = api(supervisor)
    params = {"category": "policy_consultation"}
    ascending = client.get(url("tickets"), {**params, "ordering": key}).json()["results"]
    descending = client.get(url("tickets"), {**params, "ordering": f"-{key}"}).json()["results"]
    assert [t["reference"] for t in ascending] == tied
    assert [t["reference"] for t in descending] == tied[::-1]


@pytest.mark.parametrize("ordering", ["due_at", "-due_at", "priority", "-priority"])
def test_one_row_pages_over_equal_keys_never_repeat_or_skip_a_ticket(
    api, tied, supervisor, ordering
):
    client = api(supervisor)
    pages = [
        client.get(url("tickets"), {"ordering": ordering, "page_size": 1, "page": page})
        .json()["results"][0]["reference"]
        for page in (1, 2, 3)
    ]
    assert sorted(pages) == tied


@pytest.fixture
def spread(clerk, window, tickets):
    """Four more tickets, one per priority, opened in the order normal, urgent, low, high."""
    opened = {}
    base = timezone.now() - timedelta(days=1)
    for index, priority in enumerate(["normal", "urgent", "low", "high"]):
        opened[priority] = ticket_open(
            actor=clerk.user, talent=new_talent(), category="policy_consultation",
            channel="online", subject=f"p-{priority}", window=window, priority=priority,
            now=base + timedelta(minutes=index),
        ).ticket
    return opened


def test_priority_orders_by_severity_not_alphabet(api, spread, supervisor):
    client = api(supervisor)
    params = {"category": "policy_consultation"}
    ascending = client.get(url("tickets"), {**params, "ordering": "priority"}).json()["results"]
    assert [t["priority"] for t in ascending] == ["low", "normal", "high", "urgent"]
    descending = client.get(url("tickets"), {**params, "ordering": "-priority"}).json()["results"]
    assert [t["priority"] for t in descending] == ["urgent", "high", "normal", "low"]


def test_due_at_ordering_sorts_by_the_next_due_time(api, spread, supervisor):
    results = api(supervisor).get(url("tickets"), {"ordering": "due_at"}).json()["results"]
    dues = [t["next_due"] for t in results if t["next_due"]]
    assert dues == sorted(dues, key=lambda value: timezone.datetime.fromisoformat(value))
    reverse = api(supervisor).get(url("tickets"), {"ordering": "-due_at"}).json()["results"]
    assert [t["reference"] for t in reverse][0] == results[-1]["reference"]


def test_created_at_ordering_and_the_default_newest_first(api, spread, supervisor):
    client = api(supervisor)
    default = [t["subject"] for t in client.get(url("tickets")).json()["results"]]
    assert default[:2] == ["queued", "mine"]
    oldest_first = client.get(url("tickets"), {"ordering": "created_at"}).json()["results"]
    assert [t["subject"] for t in oldest_first][:4] == ["p-normal", "p-urgent", "p-low", "p-high"]


def test_pages_are_capped_at_100_and_link_to_each_other(api, spread, supervisor):
    client = api(supervisor)
    first = client.get(url("tickets"), {"page_size": 4}).json()
    assert first["count"] == 6 and len(first["results"]) == 4
    assert first["previous"] is None and "page=2" in first["next"]
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 2
    seen = {t["reference"] for t in first["results"]} | {t["reference"] for t in second["results"]}
    assert len(seen) == 6
    assert client.get(url("tickets"), {"page": 9}).status_code == 404
    from api.base import Pagination

    assert Pagination.max_page_size == 100


def _queries_for(client, path, params):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, params)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("persona", ["clerk", "officer", "supervisor", "admin_officer"])
def test_the_ticket_list_runs_the_same_queries_for_5_or_50_rows(request, api, clerk, window,
                                                                  persona):
    who = request.getfixturevalue(persona)
    for index in range(50):
        ticket_open(actor=clerk.user, talent=new_talent(), category="settlement",
                    channel="window", subject=f"bulk {index}", window=window)
    client = api(who)
    small = _queries_for(client, url("tickets"), {"page_size": 5})
    large = _queries_for(client, url("tickets"), {"page_size": 50, "ordering": "priority"})
    assert small == large <= 6


def test_the_timeline_and_history_run_constant_queries(api, tickets, supervisor, officer):
    ticket = tickets["mine"]
    client = api(supervisor)
    paths = [url("tickets", ticket.reference, "timeline"), url("tickets", ticket.reference, "history")]
    before = [_queries_for(client, path, {}) for path in paths]
    for action, note in [("start_review", ""), ("request_materials", "passport please"),
                         ("materials_provided", "")]:
        ticket_transition(ticket=ticket, action=action, actor=officer.user, note=note)
    after = [_queries_for(client, path, {}) for path in paths]
    assert before == after
