"""Notices (issue 12, point 8): inside the workspace's layout and navigation, each matter
once while unread, and "mark all read" that also clears the header's count."""

import pytest
from django.test import Client
from django.urls import reverse

from notifications.models import Notice, NoticeKind
from notifications.notices import notice_add, notice_mark_read
from tests.factories import TalentFactory
from tickets import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def login():
    def make(persona):
        client = Client()
        client.force_login(persona.user)
        return client

    return make


@pytest.fixture
def waiting(clerk, window, supervisor):
    """A ticket nobody can take (schooling): the supervisor is told it waits."""
    ticket = services.ticket_open(actor=clerk.user, talent=TalentFactory(), category="schooling",
                                  channel="window", subject="Waiting", window=window).ticket
    assert Notice.objects.filter(recipient=supervisor, ticket=ticket).count() == 1
    return ticket


def test_the_notices_page_has_the_workspace_layout_and_navigation(login, supervisor, waiting):
    body = login(supervisor).get("/notices/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'class="topbar ws-topbar' in body
    assert 'data-nav="team"' in body and 'data-nav="reports"' in body
    assert 'id="notice-count"' in body  # the header's count, as on every workspace page


def test_the_same_notice_comes_again_once_the_first_is_read(supervisor, waiting):
    data = {"reference": waiting.reference, "routing": {}}
    assert notice_add(recipient=supervisor, kind=NoticeKind.QUEUED, ticket=waiting, data=data) is None
    notice_mark_read(officer=supervisor)
    assert notice_add(recipient=supervisor, kind=NoticeKind.QUEUED, ticket=waiting, data=data) is not None


def test_different_targets_of_one_ticket_are_different_notices(supervisor, waiting):
    for target in ("first_response", "resolution"):
        assert notice_add(recipient=supervisor, kind=NoticeKind.SLA_BREACH, ticket=waiting,
                          data={"reference": waiting.reference, "target": target}) is not None


def test_mark_all_read_clears_the_list_and_the_header_count(login, supervisor, waiting, clerk, window):
    services.ticket_open(actor=clerk.user, talent=TalentFactory(), category="schooling",
                         channel="window", subject="Waiting too", window=window)
    client = login(supervisor)
    page = client.get("/notices/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "data-mark-all-read" in page and "<p>2 unread notices</p>" in page
    response = client.post(reverse("notifications:notice_read"), HTTP_HX_REQUEST="true",
                           HTTP_HX_TARGET="notice-list", HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()
    assert "<p>0 unread notices</p>" in body
    assert '<a id="notice-count" class="notice-count" hx-swap-oob="true"' in body
    assert not Notice.objects.filter(recipient=supervisor, read_at__isnull=True).exists()
