"""The talent's optional birth date (personal data: in full on the record, the year alone in
lists) and the duplicate rule it enables: the same name, birth date and nationality."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from prereview.merge import duplicate_pairs
from talents.models import Talent
from talents.services import talent_update
from tests.factories import TalentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def _api(persona):
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    token, _ = Token.objects.get_or_create(user=persona.user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def _pair(officer, **second):
    first = TalentFactory(native_name="李华", latin_name="LI Hua", nationality="SG", document_type="passport",
                          document_number="K1111111", birth_date=date(1988, 4, 2), dedicated_officer=officer)
    fields = {"native_name": "", "latin_name": "li hua", "nationality": "SG", "document_type": "passport",
              "document_number": "K2222222", "birth_date": date(1988, 4, 2), "dedicated_officer": officer}
    fields.update(second)
    return first, TalentFactory(**fields)


class TestTheRule:
    def test_same_name_birth_date_and_nationality_is_flagged(self, supervisor, officer):
        first, second = _pair(officer)
        pairs = duplicate_pairs(user=supervisor.user)
        assert [(p.first, p.second, p.rule) for p in pairs] == [(first, second, "name_birth_nationality")]
        assert str(pairs[0].rule_label) == "the same name, birth date and nationality"

    @pytest.mark.parametrize("difference", [
        {"birth_date": date(1988, 4, 3)}, {"nationality": "MY"}, {"latin_name": "LI Hui"}, {"birth_date": None},
    ], ids=["other-day", "other-nationality", "other-name", "no-birth-date"])
    def test_any_difference_is_not_flagged(self, supervisor, officer, difference):
        _pair(officer, **difference)
        assert duplicate_pairs(user=supervisor.user) == []

    def test_the_native_script_name_matches_too(self, supervisor, officer):
        _pair(officer, native_name="李 华", latin_name="Lee Wah")
        assert [p.rule for p in duplicate_pairs(user=supervisor.user)] == ["name_birth_nationality"]

    def test_a_pair_found_by_both_rules_is_listed_once(self, supervisor, officer):
        _pair(officer, document_type="permanent_residence", document_number="K1111111")
        assert [p.rule for p in duplicate_pairs(user=supervisor.user)] == ["document_number"]

    def test_another_centres_records_are_not_shown(self, outsider, officer):
        _pair(officer)
        assert duplicate_pairs(user=outsider.user) == []

    def test_the_page_names_the_rule_and_shows_only_the_birth_year(self, client, supervisor, officer):
        first, second = _pair(officer)
        client.force_login(supervisor.user)
        html = client.get("/talents/duplicates/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert f'data-pair="{first.pk}-{second.pk}" data-rule="name_birth_nationality"' in html
        assert "Found by the same name, birth date and nationality." in html
        assert "1988-**-**" in html and "1988-04-02" not in html


class TestTheBirthDate:
    def test_it_is_validated_by_the_service(self, officer, talent):
        for value in (date(1899, 12, 31), date(2999, 1, 1)):
            with pytest.raises(ValidationError) as error:
                talent_update(talent=talent, actor=officer.user, birth_date=value)
            assert error.value.message_dict == {"birth_date": ["Give a birth date between 1900-01-01 and today."]}
        talent_update(talent=talent, actor=officer.user, birth_date=date(1990, 1, 2))
        talent.refresh_from_db()
        assert talent.birth_date == date(1990, 1, 2)
        assert talent.history.first().birth_date == date(1990, 1, 2)

    def test_the_api_shows_it_in_full_on_the_record_and_the_year_in_the_list(self, officer, talent):
        talent_update(talent=talent, actor=officer.user, birth_date=date(1990, 1, 2))
        client = _api(officer)
        detail = client.get(reverse("api:talent", args=[talent.pk])).json()
        assert detail["birth_date"] == "1990-01-02"
        row = next(r for r in client.get(reverse("api:talents")).json()["results"] if r["id"] == talent.pk)
        assert row["masked_birth_date"] == "1990-**-**" and "birth_date" not in row

    def test_the_api_takes_it_and_names_a_bad_one(self, officer, talent):
        client = _api(officer)
        url = reverse("api:talent", args=[talent.pk])
        assert client.patch(url, {"birth_date": "1990-02-30"}, format="json").json() == {
            "birth_date": ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."]}
        assert client.patch(url, {"birth_date": "2999-01-01"}, format="json").json() == {
            "birth_date": ["Give a birth date between 1900-01-01 and today."]}
        response = client.patch(url, {"birth_date": "1990-01-02"}, format="json")
        assert response.status_code == 200 and response.json()["birth_date"] == "1990-01-02"
        assert Talent.objects.get(pk=talent.pk).birth_date == date(1990, 1, 2)

    def test_intake_registers_it_with_a_new_talent(self, client, clerk, window):
        client.force_login(clerk.user)
        response = client.post("/intake/", {
            "client_token": "t-birth", "talent": "new", "channel": "window", "category": "transport",
            "priority": "normal", "subject": "Parking permit", "description": "", "window": window.pk,
            "new-native_name": "", "new-latin_name": "Ana Lima", "new-nationality": "BR",
            "new-document_type": "passport", "new-document_number": "FA1234567", "new-birth_date": "1991-07-08"})
        assert response.status_code == 302, response.content.decode()[:2000]
        assert Talent.objects.get(latin_name="Ana Lima").birth_date == date(1991, 7, 8)
