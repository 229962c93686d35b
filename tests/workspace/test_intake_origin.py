"""Intake records where a new talent comes from."""

import pytest

from centres.models import Window
from talents.models import Origin, Talent

pytestmark = pytest.mark.django_db


def test_intake_registers_a_new_talent_with_the_origin_chosen(login, clerk, window):
    response = login(clerk).post("/intake/", {
        "client_token": "token-origin", "talent": "new", "channel": "window", "category": "settlement",
        "priority": "normal", "subject": "Residence permit", "window": Window.objects.get(code="returnee").pk,
        "new-native_name": "陳大文", "new-nationality": "TW", "new-document_type": "taiwan_permit",
        "new-document_number": "T7654321", "new-preferred_language": "zh", "new-origin": "taiwan",
    })
    assert response.status_code == 302
    assert Talent.objects.get(native_name="陳大文").origin == Origin.TAIWAN


def test_intake_names_an_unknown_origin(login, clerk, window):
    response = login(clerk).post("/intake/", {
        "client_token": "token-origin", "talent": "new", "channel": "window", "category": "settlement",
        "priority": "normal", "subject": "x", "window": Window.objects.get(code="returnee").pk,
        "new-latin_name": "X", "new-nationality": "GB", "new-document_type": "passport",
        "new-document_number": "P1", "new-preferred_language": "en", "new-origin": "mars",
    })
    assert response.status_code == 422
    assert list(response.context["new_form"].errors) == ["origin"]
    assert not Talent.objects.exists()
