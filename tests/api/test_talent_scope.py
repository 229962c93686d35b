"""The talent directory through the API (issue #10, findings 1 and 5): document numbers
match only whole (or on their last four characters), every talent found by document
number is recorded, the directory is the staff member's centre, phone and e-mail are
masked in lists, and another centre's talent's contact details need a supervisor."""

import pytest

from staff.models import Role
from talents.models import AccessKind, SensitiveAccess, Talent
from tests.api.conftest import url
from tests.factories import OfficerFactory, UserFactory
from tickets.services import ticket_open

pytestmark = pytest.mark.django_db


@pytest.fixture
def offshore_clerk(other_centre, other_window):
    return OfficerFactory(user=UserFactory(username="offshore-clerk"), display_name="周琳",
                          role=Role.WINDOW_STAFF, centre=other_centre, windows=[other_window])


@pytest.fixture
def offshore_supervisor(other_centre, other_window):
    return OfficerFactory(user=UserFactory(username="offshore-sup"), display_name="孙强",
                          role=Role.SUPERVISOR, centre=other_centre, windows=[other_window])


@pytest.fixture
def served_offshore(talent, outsider, other_window):
    """The city's talent also has a ticket at the offshore service point."""
    return ticket_open(actor=outsider.user, talent=talent, category="settlement", channel="window",
                       subject="At the service point", window=other_window).ticket


def _ids(client, q):
    response = client.get(url("talents"), {"q": q})
    assert response.status_code == 200
    return [row["id"] for row in response.json()["results"]]


def test_a_growing_suffix_never_reads_another_centres_document_number_back(api, talent, offshore_clerk):
    client = api(offshore_clerk)
    for n in range(1, len("E12345678")):
        assert _ids(client, "E12345678"[-n:]) == [], n
        assert _ids(client, "E12345678"[:n]) == [], n
    assert not SensitiveAccess.objects.exists()


def test_in_scope_a_document_matches_whole_or_on_its_last_four_only(api, talent, clerk):
    client = api(clerk)
    assert _ids(client, "5678") == [talent.pk]
    assert _ids(client, "45678") == []
    assert _ids(client, "678") == []
    assert _ids(client, "E1234") == []
    assert _ids(client, " e1234 5678 ") == [talent.pk]


def test_the_whole_number_finds_another_centres_talent_and_is_recorded(api, talent, offshore_clerk,
                                                                         other_centre):
    client = api(offshore_clerk)
    assert client.get(url("talents", talent.pk)).status_code == 404
    assert _ids(client, "E12345678") == [talent.pk]
    access = SensitiveAccess.objects.get()
    assert (access.kind, access.user, access.talent, access.centre, access.detail) == (
        AccessKind.DOCUMENT_SEARCH, offshore_clerk.user, talent, other_centre, "E1****78")
    # Whoever was shown the document may now serve the walk-in.
    assert client.get(url("talents", talent.pk)).status_code == 200


def test_searches_that_find_no_document_record_nothing(api, talent, clerk):
    client = api(clerk)
    assert _ids(client, "siyuan") == [talent.pk]
    assert _ids(client, "X99999999") == []
    assert not SensitiveAccess.objects.exists()
    assert _ids(client, "5678") == [talent.pk]
    assert SensitiveAccess.objects.get().detail == "…5678"


def test_the_directory_is_the_staff_members_centre(api, talent, offshore_clerk, outsider, clerk):
    assert api(offshore_clerk).get(url("talents")).json()["count"] == 0
    assert _ids(api(outsider), "siyuan") == []
    assert _ids(api(clerk), "siyuan") == [talent.pk]


def test_a_talent_served_at_another_centre_is_in_its_directory(api, talent, offshore_clerk,
                                                               served_offshore):
    assert _ids(api(offshore_clerk), "siyuan") == [talent.pk]


def test_lists_mask_phone_and_email_and_the_talents_own_answer_has_them(api, talent, clerk):
    client = api(clerk)
    [row] = client.get(url("talents"), {"q": "siyuan"}).json()["results"]
    assert row["masked_phone"] == "*" * (len(talent.phone) - 4) + talent.phone[-4:]
    assert row["masked_email"] == talent.email[0] + "***@example.org"
    assert "phone" not in row and "email" not in row
    listing = client.get(url("talents")).content.decode()
    assert talent.phone not in listing and talent.email not in listing
    detail = client.get(url("talents", talent.pk)).json()
    assert (detail["phone"], detail["email"]) == (talent.phone, talent.email)


def test_another_centre_cannot_change_a_talent_outside_its_directory(api, talent, outsider):
    response = api(outsider).patch(url("talents", talent.pk), {"phone": "13900000000"}, format="json")
    assert response.status_code == 404
    talent.refresh_from_db()
    assert talent.phone != "13900000000"


def test_another_centres_clerk_cannot_change_contact_details(api, talent, offshore_clerk, served_offshore):
    client = api(offshore_clerk)
    for change in ({"phone": "13900000000"}, {"email": "new@example.org"}):
        response = client.patch(url("talents", talent.pk), change, format="json")
        assert response.status_code == 403
        assert response.json() == {
            "detail": "Only a supervisor may change the contact details of another centre's talent."
        }
    before = Talent.objects.get(pk=talent.pk)
    assert (before.phone, before.email) == (talent.phone, talent.email)
    response = client.patch(url("talents", talent.pk), {"employer": "Offshore Labs"}, format="json")
    assert response.status_code == 200 and response.json()["employer"] == "Offshore Labs"


def test_another_centres_supervisor_may_change_contact_details(api, talent, offshore_supervisor,
                                                               served_offshore):
    response = api(offshore_supervisor).patch(
        url("talents", talent.pk), {"phone": "13900000000", "reason": "called from the new number"},
        format="json")
    assert response.status_code == 200 and response.json()["phone"] == "13900000000"


def test_the_home_centres_clerk_changes_contact_details(api, talent, clerk):
    response = api(clerk).patch(url("talents", talent.pk), {"phone": "13900000000"}, format="json")
    assert response.status_code == 200 and response.json()["phone"] == "13900000000"


def test_an_officer_cannot_become_another_centres_talents_dedicated_officer(api, talent, outsider,
                                                                            served_offshore, officer):
    response = api(outsider).patch(url("talents", talent.pk), {"dedicated_officer": outsider.pk},
                                   format="json")
    assert response.status_code == 400
    assert response.json() == {
        "dedicated_officer": ["The dedicated officer must work at the talent's home centre."]
    }
    talent.refresh_from_db()
    assert talent.dedicated_officer == officer


def test_a_registered_talent_belongs_to_the_registering_centre(api, offshore_clerk, other_centre):
    response = api(offshore_clerk).post(url("talents"), {
        "latin_name": "Ada Lovelace", "nationality": "GB", "document_type": "passport",
        "document_number": "GB7654321"}, format="json")
    assert response.status_code == 201
    assert Talent.objects.get(pk=response.json()["id"]).centre == other_centre


def test_the_directory_runs_a_constant_number_of_queries(api, clerk, talent, django_assert_num_queries):
    from tests.api.conftest import new_talent

    client = api(clerk)
    client.get(url("talents"), {"q": "wang"})
    with django_assert_num_queries(4):  # token + user + profile, document hits, count, page
        client.get(url("talents"), {"q": "wang"})
    for _ in range(5):
        new_talent()
    with django_assert_num_queries(4):
        client.get(url("talents"), {"q": "wang"})
