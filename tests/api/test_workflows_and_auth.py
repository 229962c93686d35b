"""Workflows as the API shows them, and token authentication."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from flows.registry import current_workflows
from tests.api.conftest import url
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_every_category_is_listed_with_states_actions_materials_and_sla_in_zh_and_en(
    api, plain_user
):
    body = api(plain_user).get(url("workflows")).json()
    assert [w["key"] for w in body] == sorted(current_workflows())
    settlement = next(w for w in body if w["key"] == "settlement")
    assert settlement["name"] == {"zh": "落户", "en": "Household registration"}
    assert settlement["states"][0]["id"] == "new" and settlement["states"][0]["initial"] is True
    start = next(a for a in settlement["actions"] if a["action"] == "start_review")
    assert start == {
        "action": "start_review", "label": {"zh": "开始审核", "en": "Start review"},
        "sources": ["new"], "target": "reviewing", "roles": ["officer", "supervisor"],
        "comment_required": False, "notify_talent": True, "requires_materials": False,
    }
    assert settlement["materials"][0] == {
        "id": "passport", "label": {"zh": "护照或有效身份证件", "en": "Passport or valid identity document"},
        "required": True,
    }
    assert settlement["sla"]["urgent"] == {"first_response_hours": 2.0, "resolution_days": 5}


def test_one_workflow_by_key_and_version(api, clerk):
    client = api(clerk)
    workflow = current_workflows()["transport"]
    assert client.get(url("workflows", "transport")).json()["version"] == workflow.version
    assert client.get(url("workflows", "transport"), {"version": workflow.version}).status_code == 200
    assert client.get(url("workflows", "transport"), {"version": 999}).status_code == 404
    assert client.get(url("workflows", "astrology")).status_code == 404
    assert client.get("/api/v1/workflows/Not%20A%20Key/").status_code == 404
    response = client.get(url("workflows", "transport"), {"version": "one"})
    assert response.status_code == 400 and list(response.json()) == ["version"]


def test_workflows_need_a_signed_in_user(api):
    assert api(None).get(url("workflows")).status_code == 401


def test_a_token_for_a_user_name_and_password(clerk):
    client = APIClient()
    response = client.post(url("auth", "token"), {"username": "clerk", "password": PASSWORD},
                           format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    assert Token.objects.get(key=token).user == clerk.user
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get(url("tickets")).status_code == 200
    # The same token again, until it is revoked.
    again = APIClient().post(url("auth", "token"), {"username": "clerk", "password": PASSWORD},
                             format="json")
    assert again.json()["token"] == token
    assert client.delete(url("auth", "token")).status_code == 204
    assert client.get(url("tickets")).status_code == 401


@pytest.mark.parametrize(
    ("payload", "fields"),
    [
        ({"username": "clerk", "password": "wrong"}, {"non_field_errors"}),
        ({"username": "nobody", "password": PASSWORD}, {"non_field_errors"}),
        ({}, {"username", "password"}),
        ({"username": "clerk", "password": PASSWORD, "remember": True}, {"remember"}),
        ({"username": "clerk", "password": PASSWORD, "token": "mine"}, {"token"}),
    ],
)
def test_bad_token_requests_are_named(clerk, payload, fields):
    response = APIClient().post(url("auth", "token"), payload, format="json")
    assert response.status_code == 400
    assert set(response.json()) == fields


def test_token_requests_are_rate_limited(clerk):
    client = APIClient()
    # A different name each time: one name is locked after 10 (tests/accounts).
    codes = [client.post(url("auth", "token"), {"username": f"clerk{n}", "password": "wrong"},
                         format="json").status_code for n in range(31)]
    assert codes[:30] == [400] * 30 and codes[30] == 429
    assert "detail" in client.post(url("auth", "token"), {}, format="json").json()


def test_the_browser_session_works_and_needs_the_csrf_token_to_write(clerk, talent, window):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(clerk.user)
    assert client.get(url("tickets")).status_code == 200
    response = client.post(url("tickets"), {"talent": talent.pk, "category": "settlement",
                                            "channel": "window", "subject": "x"}, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


@pytest.mark.parametrize("method", ["get", "post", "patch", "delete"])
def test_an_address_the_api_does_not_have_is_a_json_404(api, supervisor, method):
    response = getattr(api(supervisor), method)("/api/v1/nothing/here/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
    assert getattr(api(None), method)("/api/v1/nothing/").status_code == 404
