"""国籍（地区）: every ISO 3166 country and region as data, Hong Kong, Macao and Taiwan named
as regions of China, the stored code stable, and the talent's language suggested by it."""

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation
from rest_framework.test import APIClient

from talents.fields import NationalityField
from talents.models import Talent, language_from
from talents.regions import REGIONS, region_choices, region_name
from talents.services import talent_create
from tests.factories import TalentFactory


def test_the_list_holds_every_iso_code_once_in_three_scripts():
    codes = [region.code for region in REGIONS]
    assert len(codes) == 249 and len(set(codes)) == 249
    assert all(len(code) == 2 and code.isalpha() and code.isupper() for code in codes)
    assert all(region.zh_hans and region.zh_hant and region.en for region in REGIONS)


@pytest.mark.parametrize(("code", "zh_hans", "zh_hant", "en"), [
    ("HK", "中国香港", "中國香港", "Hong Kong, China"),
    ("MO", "中国澳门", "中國澳門", "Macao, China"),
    ("TW", "中国台湾", "中國臺灣", "Taiwan, China"),
    ("GB", "英国", "英國", "United Kingdom"),
])
def test_hong_kong_macao_and_taiwan_are_named_as_regions_of_china(code, zh_hans, zh_hant, en):
    assert region_name(code, "zh-hans") == zh_hans
    assert region_name(code, "zh-hant") == zh_hant
    assert region_name(code.lower(), "en") == en


def test_the_picker_offers_china_and_its_regions_first_in_the_readers_language():
    with translation.override("zh-hans"):
        (first_label, first), (rest_label, rest) = region_choices()
        assert str(first_label) == "中国（含港澳台地区）" and str(rest_label) == "其他国家和地区"
    assert [code for code, _ in first] == ["CN", "HK", "MO", "TW"]
    assert first[1] == ("HK", "中国香港 · Hong Kong, China")
    assert ("GB", "英国 · United Kingdom") in rest and len(rest) == 245
    with translation.override("en"):
        assert region_choices()[1][1][0] == ("AF", "Afghanistan")


def test_the_form_field_takes_a_code_in_any_case_and_names_a_wrong_one():
    field = NationalityField()
    assert field.clean(" hk ") == "HK"
    with translation.override("en"):
        with pytest.raises(ValidationError) as caught:
            field.clean("XX")
        assert caught.value.messages == [
            "Choose a country or region from the list (ISO 3166 two-letter code, e.g. GB, HK)."]
    with translation.override("zh-hans"):
        assert str(field.label) == "国籍（地区）"


@pytest.mark.parametrize(("nationality", "language"), [
    ("HK", "zh-hant"), ("MO", "zh-hant"), ("tw", "zh-hant"), ("CN", "zh"), ("GB", "en"), ("JP", "en"),
])
def test_the_nationality_suggests_the_language(nationality, language):
    # Hong Kong, Macao and Taiwan residents read traditional Chinese (zh-Hant).
    assert language_from(nationality) == language


@pytest.mark.django_db
class TestRegistration:
    def test_a_talent_registered_without_a_language_gets_the_suggested_one(self, clerk):
        hk = talent_create(actor=clerk.user, latin_name="Chan Tai Man", nationality="HK",
                           document_type="hk_macau_permit", document_number="H1234567")
        gb = talent_create(actor=clerk.user, latin_name="Ada Lovelace", nationality="GB",
                           document_type="passport", document_number="GB1234567")
        assert (hk.preferred_language, gb.preferred_language) == ("zh-hant", "en")

    def test_a_language_given_by_staff_wins(self, clerk):
        talent = talent_create(actor=clerk.user, latin_name="Chan Tai Man", nationality="HK",
                               document_type="hk_macau_permit", document_number="H1234567",
                               preferred_language="en")
        assert talent.preferred_language == "en"

    def test_an_unknown_code_is_refused_naming_the_field(self, clerk):
        with translation.override("zh-hans"), pytest.raises(ValidationError) as caught:
            talent_create(actor=clerk.user, latin_name="X", nationality="UK",
                          document_type="passport", document_number="P1")
        assert caught.value.message_dict == {
            "nationality": ["请从列表中选择国家或地区（ISO 3166 两位代码，如 GB、HK）。"]}
        assert not Talent.objects.exists()

    def test_the_talent_names_its_nationality_in_the_readers_language(self):
        talent = TalentFactory(nationality="MO")
        with translation.override("zh-hans"):
            assert talent.nationality_name == "中国澳门"
        with translation.override("en"):
            assert talent.nationality_name == "Macao, China"

    def test_the_migration_stores_codes_as_the_picker_does(self):
        # (The column is two characters wide now, so PostgreSQL cannot hold the padded
        # spellings the migration also trims; lower case and aliases are what it can.)
        for number, nationality in enumerate(["hk", "gb", "UK", "DE", "ZZ"]):
            TalentFactory(nationality=nationality, document_number=f"M{number}")
        migration = importlib.import_module("talents.migrations.0007_nationality_codes")
        migration.to_codes(apps, None)
        assert dict(Talent.objects.values_list("document_number", "nationality")) == {
            "M0": "HK", "M1": "GB", "M2": "GB", "M3": "DE", "M4": "ZZ"}


@pytest.mark.django_db
def test_the_api_names_the_region_and_suggests_the_language(clerk):
    client = APIClient()
    client.force_authenticate(clerk.user)
    created = client.post("/api/v1/talents/", {
        "latin_name": "Lin Mei", "nationality": "tw", "document_type": "taiwan_permit",
        "document_number": "T7654321"}, format="json", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert created.status_code == 201
    body = created.json()
    assert (body["nationality"], body["nationality_name"], body["preferred_language"]) == (
        "TW", "中国台湾", "zh-hant")
    bad = client.post("/api/v1/talents/", {
        "latin_name": "X", "nationality": "XX", "document_type": "passport",
        "document_number": "P9"}, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert bad.status_code == 400
    assert bad.json() == {"nationality": [
        "Choose a country or region from the list (ISO 3166 two-letter code, e.g. GB, HK)."]}


@pytest.mark.django_db
def test_the_api_documents_the_field_as_nationality_or_region():
    schema = Client().get("/api/schema/", HTTP_ACCEPT="application/json").json()
    talent = schema["components"]["schemas"]["Talent"]["properties"]["nationality"]
    assert "国籍（地区）" in talent["description"] and "中国香港" in talent["description"]
