"""GET /api/v1/reports/response-times/: the same figures for other systems."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from core import clock
from tests.reports.conftest import NOW, at

URL = "/api/v1/reports/response-times/"


def call(user, params, token=False):
    client = APIClient()
    if token:
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    else:
        client.force_authenticate(user)
    with clock.frozen_at(at(NOW)):
        return client.get(URL, params)


def test_response_times_grouped_by_channel(supervisor, week_of_tickets):
    response = call(supervisor.user, {"from": "2026-09-14", "to": "2026-09-20", "group_by": "channel"},
                    token=True)
    assert response.status_code == 200
    data = response.json()
    assert data["period"] == {"from": "2026-09-14", "to": "2026-09-20"}
    assert data["previous_period"] == {"from": "2026-09-07", "to": "2026-09-13"}
    assert data["total"]["opened"] == 4
    assert data["total"]["first_response"]["p50_hours"] == 2.5
    assert data["total"]["first_response"]["p90_hours"] == 7.9
    assert data["total"]["first_response"]["sla_compliance_pct"] == 75.0
    assert data["previous_total"]["opened"] == 1
    groups = {g["key"]: g for g in data["groups"]}
    assert groups["online"]["first_response"]["p50_hours"] == 1.5
    assert groups["window"]["opened"] == 2


def test_response_times_without_grouping(supervisor, week_of_tickets):
    data = call(supervisor.user, {"from": "2026-09-14", "to": "2026-09-20"}).json()
    assert data["groups"] == [] and data["group_by"] is None
    assert data["centre"] == "city"


@pytest.mark.parametrize("params,field", [
    ({"group_by": "planet"}, "group_by"),
    ({"from": "soon"}, "from"),
    ({"from": "2026-09-20", "to": "2026-09-01"}, "to"),
])
def test_bad_parameters_answer_400_naming_the_field(supervisor, params, field):
    response = call(supervisor.user, params)
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize("persona", ["clerk", "officer", "outsider"])
def test_other_roles_get_403(persona, request):
    assert call(request.getfixturevalue(persona).user, {}).status_code == 403


def test_supervisor_asking_for_another_centre_gets_403(supervisor, other_centre):
    assert call(supervisor.user, {"centre": other_centre.code}).status_code == 403


def test_anonymous_gets_401_asking_for_a_token(db):
    response = APIClient().get(URL)
    assert (response.status_code, response["WWW-Authenticate"]) == (401, "Token")


def test_endpoint_is_in_the_openapi_schema(db):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/v1/reports/response-times/"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert {"from", "to", "group_by", "centre"} <= names


def test_query_count_does_not_grow_with_the_tickets(
    supervisor, clerk, officer, talent, window, week_of_tickets, refresh
):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.reports.conftest import open_at

    def count():
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            call(supervisor.user, {"from": "2026-09-14", "to": "2026-09-20", "group_by": "officer"})
        return len(queries)

    before = count()
    for day in ("15", "16"):
        open_at(f"2026-09-{day} 09:00", clerk=clerk, talent=talent, window=window)
    refresh(NOW)
    assert count() == before
