"""Names as people type them (issue #10, point 11): stored NFC without invisible
characters, so search finds them however they were typed; right-to-left names are
isolated with <bdi> wherever the workspace shows them."""

import unicodedata

import pytest
from django.test import Client

from talents.models import Talent, normalise_name
from talents.services import talent_create, talent_update

pytestmark = pytest.mark.django_db

DECOMPOSED = "Mu\u0308ller"  # u + combining diaeresis
COMPOSED = "M\u00fcller"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        (DECOMPOSED, COMPOSED),
        ("Wang\u200b Siyuan", "Wang Siyuan"),
        ("\ufeff王\u200d思远\u00ad ", "王思远"),
        ("\u200fمحمد\u200e", "محمد"),
    ],
)
def test_names_are_stored_nfc_without_invisible_characters(typed, stored):
    assert normalise_name(typed) == stored


def test_registration_and_changes_store_the_normal_form(clerk):
    talent = talent_create(actor=clerk.user, latin_name=DECOMPOSED, native_name="\u200b李\u200b明",
                           nationality="DE", document_type="passport", document_number="C01X00T47")
    talent.refresh_from_db()
    assert (talent.latin_name, talent.native_name) == (COMPOSED, "李明")
    assert unicodedata.is_normalized("NFC", talent.latin_name)
    talent_update(talent=talent, actor=clerk.user, latin_name="Jos\u0065\u0301 Mu\u0308ller")
    talent.refresh_from_db()
    assert talent.latin_name == "Jos\u00e9 M\u00fcller"


def test_search_finds_a_name_however_it_is_typed(clerk):
    talent = talent_create(actor=clerk.user, latin_name=COMPOSED, nationality="DE",
                           document_type="passport", document_number="C01X00T48")
    assert list(Talent.objects.search(DECOMPOSED)) == [talent]
    assert list(Talent.objects.search("M\u00fc\u200bller")) == [talent]
    assert list(Talent.objects.search("\u200b")) == []


def login(persona) -> Client:
    client = Client()
    client.force_login(persona.user)
    return client


def test_right_to_left_names_are_isolated_in_the_workspace(clerk, officer, window):
    from tickets.services import ticket_open

    talent = talent_create(actor=clerk.user, native_name="محمد علي", latin_name="Mohammed Ali",
                           nationality="AE", document_type="passport", document_number="AE1234567")
    ticket = ticket_open(actor=clerk.user, talent=talent, category="settlement", channel="window",
                         subject="Residence", window=window).ticket
    isolated = "<bdi>محمد علي (Mohammed Ali)</bdi>"
    for page in (f"/tickets/{ticket.reference}/", f"/talents/{talent.pk}/", "/work/"):
        assert isolated in login(officer).get(page).content.decode(), page
    assert isolated in login(clerk).get(f"/tickets/{ticket.reference}/receipt/").content.decode()
