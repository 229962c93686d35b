"""Schemathesis 4 against our own /api/schema/: every operation is fuzzed (valid and
invalid inputs) as a supervisor with a token, and every answer must be no server error
and match the documented schema for its status code.

Bounded to run in well under two minutes on two cores: few examples per operation,
derandomized (the same cases on every run), no example database on disk.
"""

import hashlib

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _keep_the_test_transaction():
    """Requests go through the real WSGI handler, whose request signals close "obsolete"
    connections — on PostgreSQL, the one holding the test's transaction. Django's own test
    client disconnects them for the same reason."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def real_objects(db, tickets, talent, supervisor, window):
    """Most generated ids and references name nothing; half of the cases are pointed at
    real objects so that the happy paths are fuzzed too."""
    return {
        "reference": tickets["mine"].reference,
        "talent_id": talent.pk,
        "material_id": "passport",
        "key": "settlement",
        "window_id": window.pk,
        "token": Token.objects.get_or_create(user=supervisor.user)[0].key,
    }


def _load_schema():
    # Loaded at collection, as the served document: no database access is needed for it.
    # (``schemathesis.pytest.from_fixture`` would defer this, but breaks on pytest 9.)
    from config.wsgi import application

    return schemathesis.openapi.from_wsgi("/api/schema/", application,
                                          headers={"Accept-Language": "en"})


schema = _load_schema()


def _coin(case) -> bool:
    seed = repr(sorted((case.path_parameters or {}).items())) + repr(case.body)
    return hashlib.sha256(seed.encode()).digest()[0] % 2 == 0


@schema.exclude(path_regex=r"^/api/v1/auth/token/$").parametrize()
@settings(
    max_examples=25,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_never_errs_and_always_answers_as_documented(case, real_objects):
    if case.path_parameters and _coin(case):
        for name in case.path_parameters:
            case.path_parameters[name] = real_objects[name]
    headers = {"Authorization": f"Token {real_objects['token']}", "Accept-Language": "en"}
    response = case.call(headers=headers)
    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance],
                           headers=headers)


@schema.include(path_regex=r"^/api/v1/auth/token/$").parametrize()
@settings(max_examples=25, derandomize=True, database=None, deadline=None,
          suppress_health_check=list(HealthCheck))
def test_the_token_endpoint_never_errs(case):
    response = case.call()
    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
