"""A caller's record (issue #12, point 5): a policy question on the hotline needs a name and
a phone only; a request about the person's own case needs the nationality (region) and the
document. One rule (``talents.models.required_fields``, the workflow's
``identity_required``) for the services, the intake form and the API."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from centres.models import Window
from flows.registry import current_workflows
from talents.models import Talent, required_fields
from talents.services import talent_create, talent_update
from tickets.models import Ticket
from tickets.services import ticket_open

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

CALLER = {"latin_name": "Chris Wong", "phone": "+852 9123 4567"}


def test_the_rule_is_declared_once():
    assert required_fields(identity=False) == ("phone",)
    assert required_fields(identity=True) == ("nationality", "document_type", "document_number")
    assert current_workflows()["policy_consultation"].identity_required is False
    assert current_workflows()["settlement"].identity_required is True


class TestTheService:
    def test_a_caller_is_a_name_and_a_phone(self, clerk):
        talent = talent_create(actor=clerk.user, identity=False, **CALLER)
        assert (talent.document_number, talent.nationality, talent.has_identity) == ("", "", False)
        assert talent.preferred_language == "zh"

    def test_a_caller_without_a_phone_is_refused_by_name(self, clerk):
        with pytest.raises(ValidationError) as error:
            talent_create(actor=clerk.user, identity=False, latin_name="Chris Wong")
        assert list(error.value.message_dict) == ["phone"]

    def test_an_applicant_needs_nationality_and_document(self, clerk):
        with pytest.raises(ValidationError) as error:
            talent_create(actor=clerk.user, **CALLER)
        assert sorted(error.value.message_dict) == ["document_number", "document_type", "nationality"]
        assert not Talent.objects.exists()

    def test_many_callers_have_no_document_without_clashing(self, clerk):
        talent_create(actor=clerk.user, identity=False, **CALLER)
        talent_create(actor=clerk.user, identity=False, latin_name="Ann Lee", phone="13900001111")
        assert Talent.objects.filter(document_number="").count() == 2

    def test_a_record_with_a_document_keeps_it(self, clerk, talent):
        with pytest.raises(ValidationError) as error:
            talent_update(talent=talent, actor=clerk.user, document_number="")
        assert list(error.value.message_dict) == ["document_number"]

    def test_a_callers_record_is_completed_later(self, clerk):
        caller = talent_create(actor=clerk.user, identity=False, **CALLER)
        with pytest.raises(ValidationError) as error:
            talent_update(talent=caller, actor=clerk.user, nationality="HK")
        assert sorted(error.value.message_dict) == ["document_number", "document_type"]
        done = talent_update(talent=caller, actor=clerk.user, nationality="HK",
                             document_type="hk_macau_permit", document_number="H12345678")
        assert done.has_identity


class TestOpening:
    def test_a_question_opens_with_a_new_caller(self, clerk, window):
        opened = ticket_open(actor=clerk.user, new_talent=CALLER, category="policy_consultation",
                             channel="hotline", subject="Housing subsidy?", window=window)
        assert opened.ticket.talent.has_identity is False

    def test_a_case_refuses_a_new_caller_naming_the_missing_fields(self, clerk, window):
        with pytest.raises(ValidationError) as error:
            ticket_open(actor=clerk.user, new_talent=CALLER, category="settlement", channel="hotline",
                        subject="Hukou", window=window)
        assert sorted(error.value.message_dict) == ["document_number", "document_type", "nationality"]
        assert not Talent.objects.exists() and not Ticket.objects.exists()

    def test_a_case_refuses_a_callers_record_until_it_is_completed(self, clerk, window):
        caller = talent_create(actor=clerk.user, identity=False, **CALLER)
        with pytest.raises(ValidationError) as error:
            ticket_open(actor=clerk.user, talent=caller, category="settlement", channel="window",
                        subject="Hukou", window=window)
        assert list(error.value.message_dict) == ["talent"]


class TestTheIntakePage:
    def _post(self, client, category, **fields):
        data = {"client_token": "t-caller", "talent": "new", "channel": "hotline", "category": category,
                "priority": "normal", "subject": "Housing subsidy?", "description": "",
                "window": Window.objects.get(code="returnee").pk,
                "new-latin_name": "Chris Wong", "new-phone": "+852 9123 4567"}
        data.update(fields)
        return client.post("/intake/", data)

    def test_a_question_needs_only_name_and_phone(self, clerk, client):
        client.force_login(clerk.user)
        response = self._post(client, "policy_consultation")
        assert response.status_code == 302
        assert Talent.objects.get().latin_name == "Chris Wong"

    def test_a_case_names_the_missing_identity_fields(self, clerk, client):
        client.force_login(clerk.user)
        response = self._post(client, "settlement")
        assert response.status_code == 422
        errors = response.context["new_form"].errors
        assert sorted(errors) == ["document_number", "document_type", "nationality"]
        assert errors["document_number"] == ["填写证件号码。"]
        assert not Ticket.objects.exists()

    def test_a_question_without_a_phone_says_so(self, clerk, client):
        client.force_login(clerk.user)
        response = self._post(client, "policy_consultation", **{"new-phone": ""})
        assert response.status_code == 422
        assert list(response.context["new_form"].errors) == ["phone"]


class TestTheApi:
    def test_the_api_follows_the_same_rule(self, clerk, window):
        from rest_framework.test import APIClient

        client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
        client.force_authenticate(clerk.user)
        url = reverse("api:tickets")
        body = {"new_talent": CALLER, "category": "policy_consultation", "channel": "hotline",
                "subject": "Housing subsidy?", "window": window.pk}
        assert client.post(url, body, format="json").status_code == 201
        refused = client.post(url, {**body, "category": "settlement",
                                    "new_talent": {**CALLER, "phone": "13900002222"}}, format="json")
        assert refused.status_code == 400
        assert sorted(refused.json()) == ["document_number", "document_type", "nationality"]


def test_the_workflow_api_tells_which_requests_need_the_identity(clerk):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(clerk.user)
    assert client.get(reverse("api:workflow", args=["policy_consultation"])).json()["identity_required"] is False
    assert client.get(reverse("api:workflow", args=["settlement"])).json()["identity_required"] is True
