"""Failed status checks are recorded (reference typed, client address, when); blocked
attempts and successful ones are not."""

import pytest
import time_machine
from django.contrib.admin.sites import site

from portal.models import FailedCheckReason, FailedStatusCheck
from tickets.services import ticket_open

pytestmark = pytest.mark.django_db
CHECK = "/status/"


@pytest.fixture
def opened(clerk, talent, window):
    return ticket_open(actor=clerk.user, talent=talent, category="settlement", channel="window",
                       subject="Household registration", window=window)


def test_a_wrong_code_is_recorded_with_reference_address_and_time(client, opened):
    with time_machine.travel("2026-12-02 10:15 +0800", tick=False):
        client.post(CHECK, {"reference": opened.ticket.reference.lower(), "code": "AAAAAAAAAA"},
                    REMOTE_ADDR="203.0.113.77")
    row = FailedStatusCheck.objects.get()
    assert (row.reason, row.reference, row.address) == (
        FailedCheckReason.WRONG_CODE, opened.ticket.reference, "203.0.113.77")
    assert row.created_at.isoformat() == "2026-12-02T02:15:00+00:00"


def test_an_unknown_reference_is_recorded_the_same_way(client, db):
    client.post(CHECK, {"reference": "TD-2026-999999", "code": "AAAAAAAAAA"})
    assert list(FailedStatusCheck.objects.values_list("reason", "reference")) == [
        ("wrong_code", "TD-2026-999999")]


def test_a_right_code_records_nothing(client, opened):
    response = client.post(CHECK, {"reference": opened.ticket.reference, "code": opened.access_code})
    assert response.status_code == 302
    assert FailedStatusCheck.objects.count() == 0


def test_an_incomplete_form_records_nothing(client, db):
    assert client.post(CHECK, {"reference": "", "code": ""}).status_code == 400
    assert FailedStatusCheck.objects.count() == 0


def test_attempts_refused_by_the_rate_limit_are_not_written(client, opened):
    for _ in range(6):
        client.post(CHECK, {"reference": opened.ticket.reference, "code": "AAAAAAAAAA"})
    assert FailedStatusCheck.objects.count() == 5  # the sixth answered 429 before any check


def test_the_admin_shows_failed_checks_read_only(rf, admin_officer):
    request = rf.get("/admin/portal/failedstatuscheck/")
    request.user = admin_officer.user
    model_admin = site._registry[FailedStatusCheck]
    assert model_admin.has_view_permission(request) is True
    assert (model_admin.has_add_permission(request), model_admin.has_change_permission(request),
            model_admin.has_delete_permission(request)) == (False, False, False)
