"""The sensitive-access log (issue #10, privacy gaps): supervisors see reveals, downloads
and document searches of their centre, in the staff UI and the API; others are refused."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from talents.models import AccessKind, SensitiveAccess
from talents.services import sensitive_access_record, talent_document_reveal
from tests.api.conftest import url

pytestmark = pytest.mark.django_db


def api(persona) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=persona.user)[0].key}")
    return client


@pytest.fixture
def records(open_ticket, officer, outsider, talent):
    talent_document_reveal(talent=talent, actor=officer.user, reason="check E12345678 at the window",
                           ticket=open_ticket)
    sensitive_access_record(kind=AccessKind.DOWNLOAD, actor=officer.user, talent=talent,
                            ticket=open_ticket, detail="passport.pdf")
    # Another centre's clerk found the talent by the whole number: that centre's business.
    sensitive_access_record(kind=AccessKind.DOCUMENT_SEARCH, actor=outsider.user, talent=talent,
                            detail="E1****78")
    return SensitiveAccess.objects.all()


def test_the_supervisor_sees_the_centres_reveals_and_downloads(login, supervisor, records, open_ticket):
    response = login(supervisor, HTTP_ACCEPT_LANGUAGE="en").get("/sensitive-access/")
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count('data-access="') == 2
    assert "check E1****78 at the window" in body and "E12345678" not in body
    assert "passport.pdf" in body and open_ticket.reference in body
    assert 'data-access="document_search"' not in body


def test_the_log_filters_by_kind_and_refuses_an_unknown_kind(login, supervisor, records):
    client = login(supervisor, HTTP_ACCEPT_LANGUAGE="en")
    body = client.get("/sensitive-access/", {"kind": "download"}).content.decode()
    assert body.count('data-access="download"') == 1 and 'data-access="reveal"' not in body
    response = client.get("/sensitive-access/", {"kind": "gossip"})
    assert response.status_code == 400
    assert response.context["form"].errors == {"kind": ["Choose a kind from the list."]}


@pytest.mark.parametrize("persona", ["clerk", "officer"])
def test_clerks_and_officers_may_not_read_the_log(request, login, records, persona):
    person = request.getfixturevalue(persona)
    assert login(person).get("/sensitive-access/").status_code == 403
    assert api(person).get(url("sensitive-access")).status_code == 403


def test_the_api_gives_supervisors_their_centres_log(supervisor, records, officer, open_ticket):
    response = api(supervisor).get(url("sensitive-access"))
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [r["kind"] for r in rows] == ["download", "reveal"]
    assert rows[1]["detail"] == "check E1****78 at the window"
    assert rows[1]["user"] == {"id": officer.user.pk, "name": officer.display_name}
    assert rows[1]["ticket"] == open_ticket.reference
    assert rows[1]["talent"]["masked_document"] == "E1****78"
    assert api(supervisor).get(url("sensitive-access"), {"kind": "reveal"}).json()["count"] == 1
    bad = api(supervisor).get(url("sensitive-access"), {"kind": "gossip"})
    assert bad.status_code == 400 and list(bad.json()) == ["kind"]


def test_administrators_see_every_centre(admin_officer, records):
    assert api(admin_officer).get(url("sensitive-access")).json()["count"] == 3


def test_the_page_runs_a_constant_number_of_queries(login, supervisor, records, open_ticket, officer, talent,
                                                    django_assert_num_queries):
    client = login(supervisor)
    client.get("/sensitive-access/")
    with django_assert_num_queries(5):  # user, profile, unread notices, count, page
        client.get("/sensitive-access/")
    for n in range(5):
        sensitive_access_record(kind=AccessKind.DOWNLOAD, actor=officer.user, talent=talent,
                                ticket=open_ticket, detail=f"scan-{n}.pdf")
    with django_assert_num_queries(5):
        client.get("/sensitive-access/")


def test_the_log_reads_in_chinese(login, supervisor, records):
    body = login(supervisor, HTTP_ACCEPT_LANGUAGE="zh-hans").get("/sensitive-access/").content.decode()
    assert "<h1>敏感信息访问</h1>" in body and "2 条记录" in body and "查看完整证件号码" in body
