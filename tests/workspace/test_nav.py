"""The header: links by role (reports, follow-ups, team), the in-app notices with their
unread count, and the duty state of officers who are routed tickets."""

import re

import pytest

from notifications.models import NoticeKind
from notifications.notices import notice_add

pytestmark = pytest.mark.django_db


def _nav(client, path="/intake/"):
    body = client.get(path, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    return body.split("</header>")[0]


def _links(header):
    return re.findall(r'data-nav="([a-z_]+)"', header)


@pytest.mark.parametrize(("persona", "links"), [
    ("clerk", ["intake", "hall", "my_tickets", "knowledge"]),
    ("officer", ["intake", "hall", "work", "knowledge"]),
    ("supervisor", ["intake", "hall", "work", "knowledge", "team", "reports", "follow_ups", "duplicates"]),
    ("admin_officer", ["intake", "hall", "work", "knowledge", "team", "reports", "follow_ups", "duplicates", "setup",
                       "admin"]),
])
def test_each_role_sees_its_links(request, login, persona, links):
    assert _links(_nav(login(request.getfixturevalue(persona)))) == links


def test_supervisors_link_straight_to_reports_follow_ups_and_the_team(login, supervisor):
    header = _nav(login(supervisor))
    assert 'href="/reports/"' in header
    assert 'href="/follow-ups/"' in header
    assert 'href="/team/"' in header


def test_the_current_page_is_marked(login, supervisor):
    header = _nav(login(supervisor), "/team/")
    assert 'href="/team/" aria-current="page"' in header


@pytest.mark.parametrize("persona", ["clerk", "officer", "supervisor", "admin_officer"])
def test_every_staff_member_has_the_notices_link(request, login, persona):
    header = _nav(login(request.getfixturevalue(persona)))
    assert 'id="notice-count"' in header and 'href="/notices/"' in header


def test_the_notices_link_counts_the_unread_ones(login, officer, open_ticket):
    # Three different matters (one unread notice per matter: repeats are not added).
    for kind in (NoticeKind.HANDED_OVER, NoticeKind.QUEUED, NoticeKind.LOW_RATING):
        notice_add(recipient=officer, kind=kind, ticket=open_ticket, data={"reference": open_ticket.reference})
    header = _nav(login(officer))
    assert re.search(r'id="notice-count"[^>]*>Notices <span class="badge warn">3</span>', header)


def test_the_count_refreshes_itself(login, officer):
    header = _nav(login(officer))
    assert 'hx-get="/notices/count/" hx-trigger="every 60s"' in header


@pytest.mark.parametrize(("persona", "shown"), [
    ("clerk", False), ("officer", True), ("supervisor", True), ("admin_officer", False),
])
def test_the_duty_state_shows_for_those_who_are_routed_tickets(request, login, persona, shown):
    header = _nav(login(request.getfixturevalue(persona)))
    assert ('id="duty-chip"' in header) is shown


def test_the_duty_chip_says_off_duty_and_links_to_the_duty_page(login, officer):
    officer.on_duty = False
    officer.save()
    header = _nav(login(officer))
    chip = re.search(r'<a id="duty-chip"[^>]*>[^<]*</a>', header).group(0)
    assert 'href="/duty/"' in chip and 'data-on-duty="false"' in chip and "Off duty" in chip


def test_the_header_is_translated(login, supervisor):
    body = login(supervisor).get("/intake/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    header = body.split("</header>")[0]
    for text in ("团队", "统计报表", "回访", "在岗"):
        assert text in header, text
