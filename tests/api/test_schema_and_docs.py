"""The OpenAPI contract at /api/schema/ and Swagger UI at /api/docs/ (own static files,
no inline script or style, so the strict CSP holds)."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db

WRITES = {"post", "patch", "put", "delete"}


@pytest.fixture
def schema(db):
    response = Client().get("/api/schema/", HTTP_ACCEPT="application/json",
                            HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.json()


def test_the_schema_is_valid_openapi_3(schema):
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)


def test_every_endpoint_of_the_contract_is_documented(schema):
    expected = {
        "/api/v1/auth/token/": {"post", "delete"},
        "/api/v1/tickets/": {"get", "post"},
        "/api/v1/tickets/{reference}/": {"get"},
        "/api/v1/tickets/{reference}/timeline/": {"get"},
        "/api/v1/tickets/{reference}/history/": {"get"},
        "/api/v1/tickets/{reference}/transitions/": {"post"},
        "/api/v1/tickets/{reference}/claim/": {"post"},
        "/api/v1/tickets/{reference}/assign/": {"post"},
        "/api/v1/tickets/{reference}/comments/": {"post"},
        "/api/v1/tickets/{reference}/materials/{material_id}/": {"patch"},
        "/api/v1/talents/": {"get", "post"},
        "/api/v1/talents/{talent_id}/": {"get", "patch"},
        "/api/v1/talents/{talent_id}/reveal/": {"post"},
        "/api/v1/workflows/": {"get"},
        "/api/v1/workflows/{key}/": {"get"},
    }
    for path, methods in expected.items():
        assert set(schema["paths"][path]) - {"parameters"} == methods, path


def test_every_operation_documents_its_error_answers(schema):
    for path, operations in schema["paths"].items():
        if not path.startswith("/api/v1/") or path.startswith("/api/v1/reports/"):
            continue
        for method, operation in operations.items():
            codes = set(operation["responses"])
            if path != "/api/v1/auth/token/":
                assert "401" in codes, (method, path)
            if method in WRITES - {"delete"} and "requestBody" in operation:  # no body, no bad input
                assert "400" in codes, (method, path)
            if "{" in path:
                assert "404" in codes, (method, path)
    transition = schema["paths"]["/api/v1/tickets/{reference}/transitions/"]["post"]["responses"]
    assert {"400", "403", "404", "409"} <= set(transition)
    create = schema["paths"]["/api/v1/tickets/"]["post"]
    assert "422" in create["responses"]
    assert any(p["name"] == "Idempotency-Key" and p["in"] == "header" for p in create["parameters"])


def test_list_answers_are_paginated_and_filters_documented(schema):
    listing = schema["paths"]["/api/v1/tickets/"]["get"]
    names = {p["name"] for p in listing["parameters"]}
    assert {"state", "category", "channel", "priority", "assignee", "window", "talent", "overdue",
            "created_after", "created_before", "q", "ordering", "page", "page_size"} <= names
    ref = listing["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    paginated = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert {"count", "next", "previous", "results"} <= set(paginated["properties"])


def test_ticket_answers_carry_due_fields_and_talents_a_dedicated_officer(schema):
    components = schema["components"]["schemas"]
    ticket = components["TicketDetail"]["properties"]
    assert {"reference", "state", "category", "channel", "priority", "talent", "assignee",
            "window"} <= set(ticket)
    assert {"first_response_due", "resolution_due", "next_due"} <= set(ticket)
    assert "dedicated_officer" in components["Talent"]["properties"]
    assert "document_number" not in components["Talent"]["properties"]


def test_swagger_ui_loads_from_our_static_files_without_inline_code(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<style" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html), "inline script"
    sources = re.findall(r'<script src="([^"]+)"', html)
    styles = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    assert len(sources) == 3 and len(styles) == 2
    for url in [*sources[:2], *styles]:
        assert url.startswith("/static/"), url
        assert finders.find(url.removeprefix("/static/")), url
    assert "swagger-ui-bundle.js" in sources[0]
    script = client.get(sources[2].replace("&amp;", "&"))
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "style-src 'self'" in policy
