"""The API shows each material's latest pre-review (advice), in both languages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from prereview import services
from prereview.models import Review
from tests.prereview import documents as docs
from tests.prereview.test_services import _upload

pytestmark = pytest.mark.django_db


def _api(persona):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    token, _ = Token.objects.get_or_create(user=persona.user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def test_each_material_carries_its_latest_prereview(portal, waiting_ticket, officer):
    _upload(portal, waiting_ticket, "talent_certificate", docs.blank_pdf())
    _upload(portal, waiting_ticket, "talent_certificate",
            docs.text_pdf(["Talent recognition certificate", "Holder: WANG Siyuan"]))
    for review in Review.objects.order_by("id"):
        services.prereview_run(review_id=review.pk)
    newest = Review.objects.order_by("-id").first()
    body = _api(officer).get(reverse("api:ticket", args=[waiting_ticket.reference])).json()
    materials = {m["material_id"]: m for m in body["materials"]}
    assert materials["talent_certificate"]["status"] == "submitted"
    prereview = materials["talent_certificate"]["prereview"]
    assert prereview["status"] == "pass"
    assert prereview["attachment"] == str(newest.attachment.key)
    assert [c["check"] for c in prereview["checks"]] == ["readable", "kind", "pages", "text", "name"]
    assert prereview["checks"][-1] == {"check": "name", "outcome": "pass", "reason": {
        "zh": "文件上有申请人姓名。", "en": "The document shows the applicant's name."}}
    assert prereview["fields"] == {}
    assert materials["passport"]["prereview"] is None


def test_the_detail_costs_the_same_queries_with_more_reviews(portal, waiting_ticket, officer,
                                                             django_assert_num_queries):
    client = _api(officer)
    url = reverse("api:ticket", args=[waiting_ticket.reference])
    _upload(portal, waiting_ticket, "talent_certificate", docs.blank_pdf())
    with CaptureQueriesContext(connection) as one:
        response = client.get(url)
    assert response.status_code == 200
    queries = len(one)  # read now: the next request empties the log
    assert queries == 4  # token + user + officer, ticket, materials, their pre-reviews with files
    for _ in range(2):
        _upload(portal, waiting_ticket, "marriage_certificate", docs.blank_pdf())
    with django_assert_num_queries(queries):
        client.get(url)
