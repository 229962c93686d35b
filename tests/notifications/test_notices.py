"""In-app notices: each officer sees and clears only their own; pages stay cheap."""

import pytest
from django.template import Context, Template
from django.urls import reverse

from notifications.models import Notice, NoticeKind, OutboxMessage, Status
from notifications.notices import notice_add
from tests.factories import TalentFactory
from tickets import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued_notices(clerk, window, supervisor):
    """Three tickets nobody can take (schooling): three notices for the supervisor."""
    for n in range(3):
        services.ticket_open(actor=clerk.user, talent=TalentFactory(), category="schooling",
                             channel="window", subject=f"Waiting {n}", window=window)
    assert Notice.objects.filter(recipient=supervisor).count() == 3


def test_a_supervisor_sees_the_queue_notices(client, supervisor, queued_notices,
                                             django_assert_max_num_queries):
    client.force_login(supervisor.user)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("notifications:notices"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('class="notice notice-queued unread"') == 3
    assert "<p>3 unread notices</p>" in body


def test_query_count_does_not_grow_with_notices(client, supervisor, queued_notices, clerk, window,
                                                django_assert_max_num_queries):
    for n in range(10):
        services.ticket_open(actor=clerk.user, talent=TalentFactory(), category="schooling",
                             channel="window", subject=f"More {n}", window=window)
    client.force_login(supervisor.user)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("notifications:notices")).status_code == 200


def test_marking_read_one_and_all(client, supervisor, queued_notices):
    client.force_login(supervisor.user)
    first = Notice.objects.filter(recipient=supervisor).first()
    client.post(reverse("notifications:notice_read"), {"notice": first.pk})
    first.refresh_from_db()
    assert first.is_read
    assert Notice.objects.filter(recipient=supervisor, read_at__isnull=True).count() == 2
    response = client.post(reverse("notifications:notice_read"), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and 'id="notice-list"' in response.content.decode()
    assert not Notice.objects.filter(recipient=supervisor, read_at__isnull=True).exists()


def test_nobody_reads_or_clears_someone_elses_notices(client, officer, supervisor, queued_notices):
    client.force_login(officer.user)
    theirs = Notice.objects.filter(recipient=supervisor).first()
    response = client.get(reverse("notifications:notices"))
    assert "notice-queued" not in response.content.decode()
    client.post(reverse("notifications:notice_read"), {"notice": [theirs.pk, "junk"]})
    theirs.refresh_from_db()
    assert not theirs.is_read


def test_reading_needs_sign_in_and_a_staff_profile(client, db):
    from tests.factories import UserFactory

    response = client.get(reverse("notifications:notices"))
    assert response.status_code == 302
    client.force_login(UserFactory(username="nobody"))
    assert client.get(reverse("notifications:notices")).status_code == 403
    assert client.post(reverse("notifications:notice_read")).status_code == 403


def test_mark_read_is_post_only_and_csrf_protected(supervisor, queued_notices):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(supervisor.user)
    assert client.get(reverse("notifications:notice_read")).status_code == 405
    assert client.post(reverse("notifications:notice_read")).status_code == 403


def test_unread_count_partial(client, supervisor, queued_notices):
    client.force_login(supervisor.user)
    response = client.get(reverse("notifications:notice_count"))
    assert 'id="notice-count"' in response.content.decode()
    assert ">3<" in response.content.decode()


def test_notice_text_follows_the_reader_language(supervisor, open_ticket):
    from django.utils import translation

    notice = notice_add(recipient=supervisor, kind=NoticeKind.SLA_WARNING, ticket=open_ticket,
                        data={"reference": open_ticket.reference, "target": "resolution",
                              "due_local": "2026-12-01 10:00", "share": 75})
    with translation.override("en"):
        assert notice.text == (f"{open_ticket.reference}: 75% of the resolution time has passed; "
                               "due 2026-12-01 10:00.")
    with translation.override("zh-hans"):
        assert notice.text == f"{open_ticket.reference}：办结时限已过 75%，到期时间 2026-12-01 10:00。"


def test_ticket_messages_show_the_delivery_state(open_ticket, rf, django_assert_num_queries):
    OutboxMessage.objects.filter(ticket=open_ticket, channel="sms").update(
        status=Status.FAILED, attempts=6, last_error="SmsError: refused")
    template = Template("{% load notifications %}{% ticket_messages ticket %}")
    with django_assert_num_queries(1):
        html = template.render(Context({"ticket": open_ticket}))
    assert 'class="outbox-failed"' in html and "SmsError: refused" in html
    assert 'class="outbox-pending"' in html


def test_the_assignee_hears_when_the_talent_replies_or_uploads(open_ticket, officer, talent):
    from django.utils import translation

    from tickets.models import EventKind

    services.ticket_log(ticket=open_ticket, kind=EventKind.TALENT_REPLY, public=True,
                        by_talent=True, body="Here is my answer")
    services.ticket_log(ticket=open_ticket, kind=EventKind.UPLOAD, public=True, by_talent=True,
                        data={"material": "passport"})
    notices = list(Notice.objects.filter(recipient=officer, kind=NoticeKind.TALENT_ACTED)
                   .order_by("id"))
    with translation.override("en"):
        assert [n.text for n in notices] == [
            f"{open_ticket.reference}: the talent answered.",
            f"{open_ticket.reference}: the talent uploaded a document.",
        ]
