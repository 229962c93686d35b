"""An upload while the broker is down: saved at once, the review waits for the sweeper."""

import time

import pytest
from django.urls import reverse

from prereview.models import Attachment, Review, Verdict
from tests.integration.test_broker_faults import REFUSED, broker_at
from tests.portal.conftest import pdf
from tests.prereview import documents as docs
from tickets.models import MaterialStatus


@pytest.mark.django_db(transaction=True)
def test_an_upload_with_a_dead_broker_is_stored_and_its_review_waits(portal, waiting_ticket):
    item = waiting_ticket.materials.get(material_id="talent_certificate")
    url = reverse("portal:upload", args=[waiting_ticket.reference, item.pk])
    with broker_at(REFUSED):
        started = time.monotonic()
        response = portal.post(url, {"file": pdf("scan.pdf", content=docs.blank_pdf())})
        elapsed = time.monotonic() - started
    assert response.status_code == 302
    assert elapsed < 5, f"the upload took {elapsed:.1f} s with the broker down"
    assert Attachment.objects.filter(ticket=waiting_ticket).count() == 1
    assert waiting_ticket.materials.get(pk=item.pk).status == MaterialStatus.SUBMITTED
    review = Review.objects.get()
    assert (review.verdict, review.finished_at) == (Verdict.PENDING, None)
