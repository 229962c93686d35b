"""Talents through the API: masked everywhere, revealed only by an audited call, created
and changed through ``talents.services``, invisible to users without a staff role."""

import pytest

from talents.models import DocumentReveal, Talent
from tests.api.conftest import new_talent, url
from tickets.models import EventKind

pytestmark = pytest.mark.django_db

VALID = {
    "latin_name": "Ada Lovelace",
    "nationality": "GB",
    "document_type": "passport",
    "document_number": "gb1234567",
    "preferred_language": "en",
    "tier": "A",
}


@pytest.mark.parametrize("persona", ["clerk", "officer", "supervisor", "admin_officer"])
def test_staff_find_talents_with_masked_documents(request, api, talent, persona):
    response = api(request.getfixturevalue(persona)).get(url("talents"), {"q": "siyuan"})
    assert response.status_code == 200
    [found] = response.json()["results"]
    assert found["id"] == talent.pk and found["masked_document"] == "E1****78"
    assert found["dedicated_officer"]["name"] == talent.dedicated_officer.display_name
    assert "E12345678" not in response.content.decode()


def test_users_without_a_staff_role_see_no_talents(api, talent, plain_user):
    client = api(plain_user)
    assert client.get(url("talents")).json()["count"] == 0
    assert client.get(url("talents", talent.pk)).status_code == 404
    assert client.post(url("talents"), VALID, format="json").status_code == 403
    assert client.patch(url("talents", talent.pk), {"phone": "1"}, format="json").status_code == 403
    assert client.post(url("talents", talent.pk, "reveal"), {"reason": "x"},
                       format="json").status_code == 403
    assert not DocumentReveal.objects.exists()


def test_talent_filters_and_their_errors(api, talent, clerk, officer):
    other = new_talent(nationality="HK", tier="leading")
    client = api(clerk)
    assert client.get(url("talents"), {"nationality": "hk"}).json()["results"][0]["id"] == other.pk
    assert client.get(url("talents"), {"tier": "leading"}).json()["count"] == 1
    assert client.get(url("talents"), {"dedicated_officer": officer.pk}).json()["count"] == 1
    assert client.get(url("talents"), {"q": "5678"}).json()["results"][0]["id"] == talent.pk
    response = client.get(url("talents"), {"tier": "Z", "dedicated_officer": "x"})
    assert response.status_code == 400 and set(response.json()) == {"tier", "dedicated_officer"}


def test_a_clerk_registers_a_talent(api, clerk, officer):
    response = api(clerk).post(url("talents"), {**VALID, "dedicated_officer": officer.pk},
                               format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    talent = Talent.objects.get(pk=body["id"])
    assert talent.document_number == "GB1234567"
    assert body["masked_document"] == "GB****67" and "document_number" not in body
    assert body["dedicated_officer"] == {"id": officer.pk, "name": officer.display_name}
    assert talent.history.get().history_user == clerk.user


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"latin_name": ""}, "latin_name"),
        ({"nationality": "GBR"}, "nationality"),
        ({"document_type": "library_card"}, "document_type"),
        ({"document_number": ""}, "document_number"),
        ({"email": "nope"}, "email"),
        ({"tier": "S"}, "tier"),
        ({"dedicated_officer": 99999}, "dedicated_officer"),
        ({"masked_document": "x"}, "masked_document"),
        ({"created_at": "2020-01-01"}, "created_at"),
        ({"hobby": "chess"}, "hobby"),
    ],
)
def test_bad_talent_fields_are_named(api, clerk, change, field):
    response = api(clerk).post(url("talents"), {**VALID, **change}, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Talent.objects.filter(latin_name="Ada Lovelace").exists()


def test_a_document_already_registered_is_named(api, clerk, talent):
    response = api(clerk).post(url("talents"), {**VALID, "document_number": "e12345678"},
                               format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["document_number"]


def test_a_talent_is_updated_partially_with_a_reason(api, clerk, talent):
    response = api(clerk).patch(url("talents", talent.pk),
                                {"phone": "13912345678", "reason": "new number"}, format="json")
    assert response.status_code == 200, response.content
    talent.refresh_from_db()
    assert talent.phone == "13912345678" and talent.native_name == "王思远"
    assert talent.history.first().history_change_reason == "new number"


def test_bad_updates_are_named_and_change_nothing(api, clerk, talent):
    client = api(clerk)
    response = client.patch(url("talents", talent.pk), {"latin_name": "", "native_name": ""},
                            format="json")
    assert response.status_code == 400 and list(response.json()) == ["latin_name"]
    response = client.patch(url("talents", talent.pk), {"id": 7}, format="json")
    assert response.status_code == 400 and list(response.json()) == ["id"]
    response = client.patch(url("talents", talent.pk), {"reason": "nothing"}, format="json")
    assert response.status_code == 400 and list(response.json()) == ["non_field_errors"]
    talent.refresh_from_db()
    assert talent.latin_name == "Wang Siyuan"


@pytest.mark.parametrize("talent_id", ["0", "abc", "99999999999999999999999", "999999"])
def test_unknown_talent_ids_are_404(api, clerk, talent_id):
    assert api(clerk).get(f"/api/v1/talents/{talent_id}/").status_code == 404


def test_revealing_the_document_number_is_recorded(api, tickets, officer, talent):
    response = api(officer).post(url("talents", talent.pk, "reveal"),
                                 {"reason": "checking the passport", "ticket": tickets["mine"].reference},
                                 format="json")
    assert response.status_code == 200
    assert response.json() == {"document_number": "E12345678"}
    assert response["Cache-Control"] == "no-store"
    reveal = DocumentReveal.objects.get()
    assert (reveal.user, reveal.reason, reveal.ticket) == (officer.user, "checking the passport",
                                                           tickets["mine"])
    assert tickets["mine"].events.filter(kind=EventKind.REVEAL, public=False).exists()


def test_a_reveal_needs_a_reason_and_a_ticket_of_that_talent_in_scope(api, tickets, officer,
                                                                       talent):
    client = api(officer)
    path = url("talents", talent.pk, "reveal")
    assert list(client.post(path, {}, format="json").json()) == ["reason"]
    response = client.post(path, {"reason": "x", "ticket": tickets["queued"].reference},
                           format="json")
    assert response.status_code == 400 and list(response.json()) == ["ticket"]
    assert not DocumentReveal.objects.exists()


def test_the_talent_list_runs_the_same_queries_for_5_or_50_rows(api, clerk, officer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(50):
        new_talent(dedicated_officer=officer)
    client = api(clerk)
    counts = []
    for size in (5, 50):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url("talents"), {"page_size": size})
        assert len(response.json()["results"]) == size
        counts.append(len(captured))
    assert counts[0] == counts[1] <= 5
