"""Guidance records in the admin: for looking, not for editing."""

import pytest
from django.urls import reverse

from guidance.services import guidance_choice_record, guidance_train

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_(client, admin_officer):
    client.force_login(admin_officer.user)
    return client


def test_choices_are_listed_and_read_only(admin_client_, open_ticket, clerk):
    choice = guidance_choice_record(ticket=open_ticket, suggested=["policy_consultation"], actor=clerk.user)
    listing = admin_client_.get(reverse("admin:guidance_guidancechoice_changelist"))
    assert listing.status_code == 200
    assert open_ticket.reference in listing.content.decode()
    page = admin_client_.get(reverse("admin:guidance_guidancechoice_change", args=[choice.pk]))
    assert page.status_code == 200
    assert list(page.context["adminform"].form.fields) == []
    assert admin_client_.get(reverse("admin:guidance_guidancechoice_add")).status_code == 403


def test_models_are_listed_without_their_blob(admin_client_):
    row = guidance_train(with_tickets=False)
    assert admin_client_.get(reverse("admin:guidance_guidancemodel_changelist")).status_code == 200
    page = admin_client_.get(reverse("admin:guidance_guidancemodel_change", args=[row.pk]))
    assert page.status_code == 200
    assert "blob" not in page.content.decode()
