"""Idempotent creation under parallel requests, on real PostgreSQL connections: the same
Idempotency-Key sent at once from several threads opens one ticket, and every request
answers 201 with it (the access code in exactly one answer)."""


import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from talents.models import Talent
from tests.api.conftest import url
from tests.concurrency import in_threads
from tests.integration.conftest import requires_postgres
from tickets.models import Ticket

pytestmark = [requires_postgres, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 4


def _post_from_threads(user, payload, key):
    token = Token.objects.get_or_create(user=user)[0].key

    def post(_):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        response = client.post(url("tickets"), payload, format="json", HTTP_IDEMPOTENCY_KEY=key)
        return response.status_code, response.json()

    return in_threads(THREADS, post)


def _assert_one_ticket(results):
    assert all(isinstance(r, tuple) for r in results), results
    assert [status for status, _ in results] == [201] * THREADS, results
    assert len({body["reference"] for _, body in results}) == 1
    assert sum(1 for _, body in results if body["access_code"]) == 1
    assert Ticket.objects.count() == 1


def test_parallel_requests_with_one_key_open_one_ticket(clerk, talent, window):
    payload = {"talent": talent.pk, "category": "settlement", "channel": "hotline",
               "subject": "parallel", "window": window.pk}
    _assert_one_ticket(_post_from_threads(clerk.user, payload, "hotline-call-77"))


def test_parallel_requests_registering_a_new_talent_open_one_ticket_and_one_talent(clerk, window):
    payload = {"new_talent": {"latin_name": "Race Condition", "nationality": "DE",
                              "document_type": "passport", "document_number": "C01X00001"},
               "category": "transport", "channel": "online", "subject": "parallel",
               "window": window.pk}
    _assert_one_ticket(_post_from_threads(clerk.user, payload, "portal-form-5"))
    assert Talent.objects.filter(document_number="C01X00001").count() == 1


def test_parallel_requests_with_one_key_and_different_bodies_open_one_ticket(clerk, talent,
                                                                            window):
    token = Token.objects.get_or_create(user=clerk.user)[0].key

    def post(index):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        payload = {"talent": talent.pk, "category": "settlement", "channel": "hotline",
                   "subject": f"variant {index}", "window": window.pk}
        return client.post(url("tickets"), payload, format="json",
                           HTTP_IDEMPOTENCY_KEY="same-key").status_code

    codes = in_threads(THREADS, post)
    assert sorted(codes) == [201] + [422] * (THREADS - 1), codes
    assert Ticket.objects.count() == 1
