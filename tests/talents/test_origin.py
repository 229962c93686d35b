"""Where a talent comes from (Hong Kong, Macao, Taiwan, foreign, returning Chinese,
domestic): recorded on the talent, given through the services and the API, and
backfilled from the nationality for talents registered before."""

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from talents.models import Origin, Talent, origin_from
from talents.services import talent_create, talent_update
from tests.factories import TalentFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("nationality", "origin"), [
    ("HK", "hong_kong"), ("mo", "macao"), ("TW", "taiwan"), ("CN", "returnee"),
    ("GB", "foreign"), ("", "foreign"),
])
def test_the_nationality_suggests_the_origin(nationality, origin):
    assert origin_from(nationality) == origin


def test_registering_without_an_origin_takes_it_from_the_nationality(clerk):
    talent = talent_create(actor=clerk.user, latin_name="Chan Tai Man", nationality="hk",
                           document_type="hk_macau_permit", document_number="H1234567")
    assert talent.origin == Origin.HONG_KONG


def test_an_origin_given_by_staff_wins_over_the_nationality(clerk):
    talent = talent_create(actor=clerk.user, native_name="李明", nationality="CN",
                           document_type="resident_id", document_number="120101199001011234",
                           origin="domestic")
    assert talent.origin == Origin.DOMESTIC
    talent_update(talent=talent, actor=clerk.user, origin="returnee", reason="studied in Germany")
    talent.refresh_from_db()
    assert talent.origin == Origin.RETURNEE
    assert talent.history.first().history_change_reason == "studied in Germany"


def test_an_unknown_origin_is_refused_naming_the_field(clerk):
    with pytest.raises(ValidationError) as caught:
        talent_create(actor=clerk.user, latin_name="X", nationality="GB", document_type="passport",
                      document_number="P1", origin="mars")
    assert list(caught.value.message_dict) == ["origin"]
    assert not Talent.objects.exists()


def test_the_migration_backfills_every_talent_from_its_nationality():
    for number, nationality in enumerate(["HK", "MO", "TW", "CN", "DE"]):
        TalentFactory(nationality=nationality, origin="", document_number=f"M{number}")
    TalentFactory(nationality="CN", origin="domestic", document_number="KEEP")  # already set
    migration = importlib.import_module("talents.migrations.0005_talent_origin")
    migration.backfill_origin(apps, None)
    assert dict(Talent.objects.values_list("document_number", "origin")) == {
        "M0": "hong_kong", "M1": "macao", "M2": "taiwan", "M3": "returnee", "M4": "foreign",
        "KEEP": "domestic",
    }


def _api(officer):
    client = APIClient()
    client.force_authenticate(officer.user)
    return client


def test_the_api_gives_and_filters_by_origin(clerk):
    client = _api(clerk)
    created = client.post("/api/v1/talents/", {
        "latin_name": "Ho Ka Yan", "nationality": "MO", "document_type": "hk_macau_permit",
        "document_number": "M7654321"}, format="json")
    assert created.status_code == 201
    assert created.json()["origin"] == "macao"
    TalentFactory(nationality="DE")
    found = client.get("/api/v1/talents/", {"origin": "macao"}).json()
    assert [t["latin_name"] for t in found["results"]] == ["Ho Ka Yan"]
    bad = client.post("/api/v1/talents/", {
        "latin_name": "Y", "nationality": "GB", "document_type": "passport",
        "document_number": "P9", "origin": "mars"}, format="json")
    assert bad.status_code == 400 and list(bad.json()) == ["origin"]
