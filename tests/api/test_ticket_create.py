"""Opening tickets through the API: existing or new talent, every bad input named,
server-owned and unknown fields refused, Idempotency-Key replays and conflicts."""

import pytest

from talents.models import Talent
from tests.api.conftest import url
from tests.factories import TalentFactory
from tickets.models import Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def body(talent, window):
    return {
        "talent": talent.pk,
        "category": "settlement",
        "channel": "hotline",
        "subject": "Moving my hukou",
        "description": "Called the hotline",
        "window": window.pk,
        "priority": "high",
    }


NEW_TALENT = {
    "native_name": "林晓",
    "latin_name": "Lin Xiao",
    "nationality": "sg",
    "document_type": "passport",
    "document_number": "k7654321x",
    "preferred_language": "en",
    "email": "lin@example.org",
}


def test_a_clerk_opens_a_ticket_for_a_registered_talent(api, clerk, officer, body):
    response = api(clerk).post(url("tickets"), body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    ticket = Ticket.objects.get(reference=data["reference"])
    assert response["Location"] == f"/api/v1/tickets/{ticket.reference}/"
    assert data["state"] == "new" and data["priority"] == "high" and data["channel"] == "hotline"
    assert data["assignee"] == {"id": officer.pk, "name": officer.display_name}  # dedicated officer
    assert len(data["access_code"]) == 10
    assert data["status_url"].startswith("http")
    assert ticket.created_by == clerk.user
    from tickets.access import access_code_matches

    assert access_code_matches(data["access_code"], ticket.access_code_hash)


def test_the_access_code_is_only_in_the_answer_that_opened_the_ticket(api, clerk, body):
    reference = api(clerk).post(url("tickets"), body, format="json").json()["reference"]
    detail = api(clerk).get(url("tickets", reference)).json()
    assert "access_code" not in detail and "access_code_hash" not in detail


def test_a_new_talent_is_registered_with_the_ticket(api, clerk, window):
    payload = {"new_talent": NEW_TALENT, "category": "healthcare", "channel": "window",
               "subject": "Clinic registration", "window": window.pk}
    response = api(clerk).post(url("tickets"), payload, format="json")
    assert response.status_code == 201, response.content
    talent = Talent.objects.get(latin_name="Lin Xiao")
    assert talent.document_number == "K7654321X" and talent.nationality == "SG"
    assert response.json()["talent"] == {
        "id": talent.pk, "display_name": "林晓 (Lin Xiao)", "masked_document": "K7****1X"
    }
    assert "K7654321X" not in response.content.decode()


def test_a_bad_new_talent_saves_nothing_and_names_the_nested_field(api, clerk, window):
    payload = {"new_talent": {**NEW_TALENT, "native_name": "", "latin_name": "",
                              "email": "not-an-email"},
               "category": "healthcare", "channel": "window", "subject": "x", "window": window.pk}
    response = api(clerk).post(url("tickets"), payload, format="json")
    assert response.status_code == 400
    assert "new_talent.email" in response.json()
    payload["new_talent"]["email"] = ""
    response = api(clerk).post(url("tickets"), payload, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["latin_name"]  # the service's rule: a name is needed
    assert not Talent.objects.filter(document_number="K7654321X").exists()
    assert not Ticket.objects.exists()


def test_a_ticket_that_fails_after_the_new_talent_leaves_no_talent_behind(api, clerk, window,
                                                                           other_window):
    payload = {"new_talent": NEW_TALENT, "category": "healthcare", "channel": "window",
               "subject": "x", "window": other_window.pk}
    response = api(clerk).post(url("tickets"), payload, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["window"]  # the service: another centre's window
    assert not Talent.objects.filter(document_number="K7654321X").exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"talent": None}, "talent"),
        ({"talent": 999999}, "talent"),
        ({"talent": "1"}, "talent"),
        ({"talent": 1.5}, "talent"),
        ({"talent": True}, "talent"),
        ({"talent": 2**70}, "talent"),
        ({"category": "astrology"}, "category"),
        ({"category": None}, "category"),
        ({"channel": "fax"}, "channel"),
        ({"priority": "whenever"}, "priority"),
        ({"subject": ""}, "subject"),
        ({"subject": "   "}, "subject"),
        ({"subject": "x" * 201}, "subject"),
        ({"subject": "nul\x00byte"}, "subject"),
        ({"subject": ["a list"]}, "subject"),
        ({"description": "x" * 5001}, "description"),
        ({"window": 999999}, "window"),
        ({"window": "returnee"}, "window"),
        ({"materials_received": ["passport", "unicorn"]}, "materials"),
        ({"materials_received": "passport"}, "materials_received"),
        ({"materials_received": [{"id": 1}]}, "materials_received.0"),
    ],
)
def test_every_bad_field_answers_400_naming_it(api, clerk, body, change, field):
    response = api(clerk).post(url("tickets"), {**body, **change}, format="json")
    assert response.status_code == 400, response.content
    errors = response.json()
    assert field in errors, errors
    assert all(isinstance(m, str) for messages in errors.values() for m in messages)
    assert not Ticket.objects.exists()


def test_missing_fields_are_each_named(api, clerk):
    response = api(clerk).post(url("tickets"), {}, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"category", "channel", "subject", "talent"}


def test_talent_and_new_talent_together_are_refused(api, clerk, body):
    response = api(clerk).post(url("tickets"), {**body, "new_talent": NEW_TALENT}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["talent"]


@pytest.mark.parametrize(
    "field",
    ["reference", "state", "assignee", "created_at", "first_response_due", "resolution_due",
     "due_at", "access_code", "sla_provisional", "closed_at", "centre"],
)
def test_server_owned_fields_cannot_be_set(api, clerk, body, field):
    response = api(clerk).post(url("tickets"), {**body, field: "x"}, format="json")
    assert response.status_code == 400
    assert response.json() == {field: ["This field is set by the server and cannot be written."]}
    assert not Ticket.objects.exists()


def test_unknown_fields_are_named_not_ignored(api, clerk, body):
    response = api(clerk).post(url("tickets"), {**body, "colour": "red", "urgent": True},
                               format="json")
    assert response.status_code == 400
    assert response.json() == {"colour": ["Unknown field."], "urgent": ["Unknown field."]}
    nested = {**body, "talent": None}
    del nested["talent"]
    nested["new_talent"] = {**NEW_TALENT, "id": 5, "shoe_size": 42}
    errors = api(clerk).post(url("tickets"), nested, format="json").json()
    assert errors["new_talent.shoe_size"] == ["Unknown field."]
    assert errors["new_talent.id"] == ["This field is set by the server and cannot be written."]


@pytest.mark.parametrize(
    ("content", "content_type", "code"),
    [
        ("{not json", "application/json", 400),
        ("[1, 2]", "application/json", 400),
        ('"text"', "application/json", 400),
        ('{"subject": "\\ud800"}', "application/json", 400),
        ("subject=x", "application/x-www-form-urlencoded", 415),
    ],
)
def test_a_body_that_is_not_a_json_object_is_refused(api, clerk, content, content_type, code):
    response = api(clerk).post(url("tickets"), content, content_type=content_type)
    assert response.status_code == code
    body = response.json()
    assert set(body) <= {"detail", "non_field_errors"}


def test_errors_answer_in_the_language_of_accept_language(api, clerk, body):
    bad = {**body, "subject": "", "colour": "red"}
    en = api(clerk, language="en").post(url("tickets"), bad, format="json").json()
    assert en == {"colour": ["Unknown field."]}
    zh = api(clerk, language="zh-hans").post(url("tickets"), bad, format="json").json()
    assert zh == {"colour": ["未知字段。"]}
    en = api(clerk, language="en").post(url("tickets"), {**body, "subject": ""}, format="json")
    zh = api(clerk, language="zh-hans").post(url("tickets"), {**body, "subject": ""}, format="json")
    assert en.json()["subject"] == ["This field may not be blank."]
    assert zh.json()["subject"] == ["该字段不能为空。"]


def test_people_without_a_staff_role_cannot_open_tickets(api, plain_user, body):
    response = api(plain_user).post(url("tickets"), body, format="json")
    assert response.status_code == 403
    assert not Ticket.objects.exists()


def test_staff_open_tickets_only_at_windows_of_their_own_centre(api, outsider, other_centre, body):
    own_talent = TalentFactory(centre=other_centre)
    response = api(outsider).post(url("tickets"), {**body, "talent": own_talent.pk}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["window"]


def test_staff_cannot_open_tickets_for_a_talent_outside_their_directory(api, outsider, body):
    response = api(outsider).post(url("tickets"), {**body, "window": None}, format="json",
                                  HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert response.json() == {"talent": ["Unknown talent."]}
    assert not Ticket.objects.exists()


def test_without_a_window_the_ticket_opens_in_the_officers_centre(api, clerk, centre, body):
    del body["window"]
    response = api(clerk).post(url("tickets"), body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["centre"]["id"] == centre.pk


# --- Idempotency-Key -------------------------------------------------------------------------------


def test_the_same_key_and_body_return_the_same_ticket_with_the_same_status(api, clerk, body):
    client = api(clerk)
    first = client.post(url("tickets"), body, format="json", HTTP_IDEMPOTENCY_KEY="call-1")
    again = client.post(url("tickets"), dict(reversed(list(body.items()))), format="json",
                        HTTP_IDEMPOTENCY_KEY="call-1")
    assert first.status_code == again.status_code == 201
    assert first.json()["reference"] == again.json()["reference"]
    assert first.json()["access_code"] and again.json()["access_code"] is None
    assert again["Idempotent-Replayed"] == "true" and not first.has_header("Idempotent-Replayed")
    assert Ticket.objects.count() == 1


def test_the_same_key_with_a_different_body_is_refused_with_422(api, clerk, body):
    client = api(clerk)
    client.post(url("tickets"), body, format="json", HTTP_IDEMPOTENCY_KEY="call-1")
    response = client.post(url("tickets"), {**body, "subject": "Another matter"}, format="json",
                           HTTP_IDEMPOTENCY_KEY="call-1")
    assert response.status_code == 422
    assert set(response.json()) == {"detail"}
    assert Ticket.objects.count() == 1


def test_keys_belong_to_one_user(api, clerk, supervisor, body):
    first = api(clerk).post(url("tickets"), body, format="json", HTTP_IDEMPOTENCY_KEY="k")
    other = api(supervisor).post(url("tickets"), {**body, "confirm_duplicate": True}, format="json",
                                 HTTP_IDEMPOTENCY_KEY="k")
    assert first.status_code == other.status_code == 201
    assert first.json()["reference"] != other.json()["reference"]


def test_a_replayed_new_talent_request_returns_the_ticket_instead_of_a_duplicate_error(
    api, clerk, window
):
    payload = {"new_talent": NEW_TALENT, "category": "healthcare", "channel": "window",
               "subject": "Clinic", "window": window.pk}
    client = api(clerk)
    first = client.post(url("tickets"), payload, format="json", HTTP_IDEMPOTENCY_KEY="n-1")
    again = client.post(url("tickets"), payload, format="json", HTTP_IDEMPOTENCY_KEY="n-1")
    assert first.status_code == again.status_code == 201
    assert first.json()["reference"] == again.json()["reference"]
    assert Talent.objects.filter(document_number="K7654321X").count() == 1


def test_a_failed_request_does_not_use_up_its_key(api, clerk, body):
    client = api(clerk)
    bad = client.post(url("tickets"), {**body, "channel": "fax"}, format="json",
                      HTTP_IDEMPOTENCY_KEY="retry")
    assert bad.status_code == 400
    good = client.post(url("tickets"), body, format="json", HTTP_IDEMPOTENCY_KEY="retry")
    assert good.status_code == 201


@pytest.mark.parametrize("key", ["", "with space", "x" * 65, "ключ"])
def test_a_malformed_key_is_named(api, clerk, body, key):
    response = api(clerk).post(url("tickets"), body, format="json", HTTP_IDEMPOTENCY_KEY=key)
    assert response.status_code == 400
    assert list(response.json()) == ["Idempotency-Key"]


@pytest.mark.parametrize("language", ["zh-hans", "zh-CN"])
def test_the_apis_own_messages_are_translated(api, clerk, body, language):
    client = api(clerk, language=language)
    response = client.post(url("tickets"), {**body, "talent": 999999, "reference": "x"},
                           format="json")
    assert response.json() == {"reference": ["该字段由服务器设置，不能写入。"]}
    response = client.post(url("tickets"), {**body, "talent": 999999}, format="json")
    assert response.json() == {"talent": ["未知人才。"]}
    response = client.post(url("tickets"), body, format="json", HTTP_IDEMPOTENCY_KEY="a b")
    assert response.json() == {"Idempotency-Key": ["请使用 1 到 64 个可见 ASCII 字符（不含空格）。"]}


def test_absurdly_deep_json_is_a_400_not_a_crash(api, clerk):
    response = api(clerk).post(url("tickets"), "[" * 100000 + "]" * 100000,
                               content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()) == {"detail"}


def test_an_administrator_opens_tickets_at_any_centres_window(api, admin_officer, body,
                                                               other_window):
    response = api(admin_officer).post(url("tickets"), {**body, "window": other_window.pk},
                                       format="json")
    assert response.status_code == 201, response.content
    assert response.json()["centre"]["id"] == other_window.centre_id


def test_a_method_the_endpoint_does_not_have_is_405_in_the_error_shape(api, clerk, tickets):
    response = api(clerk).delete(url("tickets", tickets["mine"].reference))
    assert response.status_code == 405
    assert set(response.json()) == {"detail"}


def test_the_guidance_shown_before_opening_is_recorded_with_the_ticket(api, clerk, officer, body):
    from guidance.models import GuidanceChoice

    body = {**body, "guidance_suggested": ["transport", "settlement", "schooling"]}
    response = api(clerk).post(url("tickets"), body, format="json")
    assert response.status_code == 201, response.content
    choice = GuidanceChoice.objects.get(ticket__reference=response.json()["reference"])
    assert (choice.suggested, choice.suggested_category, choice.chosen_category, choice.corrected,
            choice.channel, choice.created_by) == (
        ["transport", "settlement", "schooling"], "transport", "settlement", True, "hotline", clerk.user)


def test_without_suggested_categories_no_guidance_choice_is_recorded(api, clerk, officer, body):
    from guidance.models import GuidanceChoice

    assert api(clerk).post(url("tickets"), body, format="json").status_code == 201
    assert not GuidanceChoice.objects.exists()


@pytest.mark.parametrize("suggested", [["no_such_category"], "settlement", [["settlement"]], ["x"] * 21])
def test_bad_suggested_categories_are_refused_naming_the_field(api, clerk, officer, body, suggested):
    response = api(clerk).post(url("tickets"), {**body, "guidance_suggested": suggested}, format="json")
    assert response.status_code == 400
    assert {key.split(".")[0] for key in response.json()} == {"guidance_suggested"}
    assert not Ticket.objects.exists()
