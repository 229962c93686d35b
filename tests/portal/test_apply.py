"""Online applications on the portal: prove the phone with a one-time code, register or be
recognised, describe the request, get the guidance and the policy answers, confirm the
category, be warned about an open case of the same kind, submit once."""

import re

import pytest
from django.urls import reverse

from guidance.models import GuidanceChoice
from knowledge.models import SelfAnswer
from notifications.models import OutboxMessage
from portal.apply_views import APPLY_KEY
from talents.models import Talent
from tests.knowledge.factories import article
from tickets.models import EventKind, Ticket, TimelineEvent
from tickets.services import ticket_open

pytestmark = [pytest.mark.django_db, pytest.mark.clock]

START = reverse("portal:apply")
VERIFY = reverse("portal:apply_verify")
REGISTER = reverse("portal:apply_register")
REQUEST = reverse("portal:apply_request")
SUGGEST = reverse("portal:apply_suggest")
DONE = reverse("portal:apply_done")
WORK_PERMIT = "My work permit expires next month. How do I extend my work permit?"
HK_APPLICANT = {
    "native_name": "陳大文", "latin_name": "CHAN Tai Man", "nationality": "HK",
    "document_type": "hk_macau_permit", "document_number": "H12345678", "email": "chan@example.hk",
    "preferred_language": "en",
}


@pytest.fixture(autouse=True)
def _a_centre(centre, officer):
    return centre


def last_code(phone):
    to = re.sub(r"[\s-]", "", phone)
    message = OutboxMessage.objects.filter(event="phone_code", to=to).order_by("-id").first()
    return re.search(r"\b(\d{6})\b", message.body).group(1)


def prove(client, phone):
    assert client.post(START, {"phone": phone}).status_code == 200
    return client.post(VERIFY, {"phone": phone, "code": last_code(phone)})


def token(client):
    return client.session[APPLY_KEY]["token"]


def submit(client, text=WORK_PERMIT, category="work_permit", **extra):
    data = {"description": text, "category": category, "token": token(client), "action": "submit",
            "suggested": "work_permit,talent_recognition,policy_consultation", **extra}
    return client.post(REQUEST, data)


def test_the_portal_home_links_to_the_application(client):
    body = client.get(reverse("portal:check")).content.decode()
    assert f'id="apply-link" href="{START}"' in body


def test_a_known_talent_proves_the_phone_and_goes_straight_to_the_request(client, talent):
    response = prove(client, talent.phone)
    assert response.status_code == 302 and response["Location"] == REQUEST
    page = client.get(REQUEST).content.decode()
    assert "Wang Siyuan" in page


def test_known_and_unknown_phones_get_the_same_answer(client, talent):
    known = client.post(START, {"phone": talent.phone})
    unknown = client.post(START, {"phone": "13999990000"})
    assert known.status_code == unknown.status_code == 200
    strip = lambda r: re.sub(r"\*+\d{4}|[A-Za-z0-9]{64}|nonce=\"[^\"]+\"|value=\"\d+\"", "", r.content.decode())  # noqa: E731
    assert strip(known) == strip(unknown)
    assert OutboxMessage.objects.filter(event="phone_code").count() == 2


def test_a_wrong_code_proves_nothing(client, talent):
    client.post(START, {"phone": talent.phone})
    response = client.post(VERIFY, {"phone": talent.phone, "code": "12345"})
    assert response.status_code == 400
    assert "The code is not right, or it has expired." in response.content.decode()
    assert APPLY_KEY not in client.session
    assert client.get(REQUEST)["Location"] == START


def test_a_bad_phone_is_named(client):
    response = client.post(START, {"phone": "call me"})
    assert response.status_code == 400
    assert "Enter a mobile number of 6 to 15 digits" in response.content.decode()


def test_too_many_codes_answer_429_with_retry_after(client, settings):
    settings.TALENTDESK_PORTAL_LIMITS = {**settings.TALENTDESK_PORTAL_LIMITS, "code-phone": (1, 3600, 3600)}
    client.post(START, {"phone": "+85291234567"})
    response = client.post(START, {"phone": "+85291234567"})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 3500
    assert "Too many codes were asked for. Please try again in 60 minutes." in response.content.decode()


def test_a_known_talent_submits_once_and_sees_the_reference_and_code_once(client, talent):
    prove(client, talent.phone)
    response = submit(client)
    assert response.status_code == 302 and response["Location"] == DONE
    ticket = Ticket.objects.get(channel="online")
    assert ticket.talent == talent and ticket.category == "work_permit"
    assert ticket.subject == "My work permit expires next month. How do I extend my work permit?"
    assert ticket.created_by.username == "talentdesk-system" or not ticket.created_by.is_active
    done = client.get(DONE).content.decode()
    assert ticket.reference in done
    code = re.search(r'id="done-code">([A-Z0-9-]+)<', done).group(1)
    assert len(code) == 11
    sms = OutboxMessage.objects.get(event="ticket_opened", channel="sms")
    assert code in sms.body and ticket.reference in sms.body
    assert client.get(DONE)["Location"] == reverse("portal:check")  # shown once
    assert client.get(reverse("portal:ticket", args=[ticket.reference])).status_code == 200
    choice = GuidanceChoice.objects.get(ticket=ticket)
    assert choice.suggested_category == "work_permit" and choice.corrected is False and choice.channel == "online"


def test_a_double_submit_opens_one_ticket(client, talent):
    prove(client, talent.phone)
    same = token(client)
    submit(client)
    client.get(DONE)
    data = {"description": WORK_PERMIT, "category": "work_permit", "token": same, "action": "submit"}
    response = client.post(REQUEST, data)
    assert response.status_code == 302
    assert Ticket.objects.filter(channel="online").count() == 1
    page = client.get(DONE).content.decode()
    assert "This request had already been received" in page


def test_a_new_hong_kong_applicant_registers_and_applies(client):
    response = prove(client, "+852 9123 4567")
    assert response["Location"] == REGISTER
    response = client.post(REGISTER, HK_APPLICANT)
    assert response.status_code == 302 and response["Location"] == REQUEST
    assert not Talent.objects.filter(document_number="H12345678").exists()  # not before submitting
    submit(client, text="想把香港駕照換成內地的，要帶什麼？", category="transport")
    ticket = Ticket.objects.get(channel="online")
    new = ticket.talent
    assert (new.native_name, new.phone, new.origin, new.nationality) == ("陳大文", "+85291234567", "hong_kong", "HK")
    assert ticket.reference in client.get(DONE).content.decode()


def test_registration_refuses_bad_input_naming_the_fields(client):
    prove(client, "+85291234567")
    bad = {**HK_APPLICANT, "native_name": "", "latin_name": "", "nationality": "H1",
           "document_type": "", "email": "not-an-address"}
    response = client.post(REGISTER, bad)
    body = response.content.decode()
    assert response.status_code == 400
    assert "Give your name in Latin letters, your own script or both." in body
    assert "Choose a country or region from the list" in body
    assert "Enter a valid email address." in body
    assert "This field is required." in body


def test_a_registered_document_with_another_phone_is_matched_and_never_shown(client, talent):
    prove(client, "+85291234567")
    response = client.post(REGISTER, {**HK_APPLICANT, "document_type": talent.document_type,
                                      "document_number": talent.document_number.lower()})
    assert response["Location"] == REQUEST
    page = client.get(REQUEST).content.decode()
    assert "Wang" not in page and "王思远" not in page
    submit(client)
    assert Talent.objects.count() == 1
    ticket = Ticket.objects.get(channel="online")
    assert ticket.talent == talent
    done = client.get(DONE).content.decode()
    assert ticket.reference not in done and "Wang" not in done
    assert "sent to the phone number and e-mail address we hold" in done
    assert client.get(reverse("portal:ticket", args=[ticket.reference])).status_code == 302
    note = TimelineEvent.objects.get(ticket=ticket, kind=EventKind.NOTE, public=False)
    assert "*******4567" in note.body
    sms = OutboxMessage.objects.get(event="ticket_opened", channel="sms")
    assert sms.to == talent.phone


@pytest.mark.parametrize(("text", "message"), [
    ("", "This field is required."),
    ("   ", "This field is required."),
    ("hi", "Please say a little more about what you need."),
    ("😀😀😀😀😀", ""),
    ("x" * 5001, "Ensure this value has at most 5000 characters"),
])
def test_a_request_that_cannot_be_read_is_refused_with_a_message(client, talent, text, message):
    prove(client, talent.phone)
    response = submit(client, text=text)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Ticket.objects.filter(channel="online").exists()


@pytest.mark.parametrize("category", ["", "nonsense", "<script>"])
def test_a_request_without_a_known_category_asks_for_one(client, talent, category):
    prove(client, talent.phone)
    response = submit(client, category=category)
    assert response.status_code == 400
    assert "Choose the service your request is about." in response.content.decode()
    assert not Ticket.objects.filter(channel="online").exists()


def test_suggesting_shows_category_reasons_materials_and_time(client, talent):
    prove(client, talent.phone)
    response = client.post(REQUEST, {"description": WORK_PERMIT, "token": token(client), "action": "suggest"})
    body = response.content.decode()
    assert response.status_code == 200
    assert body.index('data-category="work_permit"') < body.index('class="apply-suggestion"', body.index("work_permit") + 1)
    assert 'value="work_permit" checked' in body
    assert "Because you wrote" in body and "What to bring · usually" in body
    assert "Another service" in body
    assert not Ticket.objects.exists()


def test_the_htmx_refresh_returns_the_guidance_block_with_the_answers(client, talent, supervisor):
    article(supervisor.user)
    prove(client, talent.phone)
    response = client.post(SUGGEST, {"description": WORK_PERMIT}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="apply-guidance"')
    assert 'data-article="work-permit-extension"' in body
    assert "How to extend a foreigner&#x27;s work permit" in body


def test_the_htmx_refresh_tells_nothing_without_a_proven_phone(client):
    body = client.post(SUGGEST, {"description": WORK_PERMIT}).content.decode()
    assert "apply-suggestion" not in body


def test_an_article_that_answered_the_question_is_recorded_and_no_ticket_opened(client, talent, supervisor):
    article(supervisor.user)
    prove(client, talent.phone)
    response = client.post(REQUEST, {"description": WORK_PERMIT, "token": token(client),
                                     "answered": "work-permit-extension"})
    assert response.status_code == 200
    assert 'id="apply-answered"' in response.content.decode()
    answer = SelfAnswer.objects.get()
    assert (answer.article.key, answer.suggested_category, answer.channel, answer.script) == (
        "work-permit-extension", "work_permit", "online", "en")
    assert not Ticket.objects.exists()


def test_an_unknown_article_is_refused(client, talent):
    prove(client, talent.phone)
    response = client.post(REQUEST, {"description": WORK_PERMIT, "token": token(client), "answered": "nope"})
    assert response.status_code == 400
    assert "This answer is not available." in response.content.decode()


def test_an_open_case_of_the_same_category_is_shown_before_submitting(client, talent, clerk, window):
    earlier = ticket_open(actor=clerk.user, talent=talent, category="work_permit", channel="window",
                          subject="Work permit", window=window).ticket
    prove(client, talent.phone)
    response = submit(client)
    body = response.content.decode()
    assert response.status_code == 200 and 'id="apply-duplicates"' in body
    assert earlier.reference in body
    assert Ticket.objects.count() == 1
    response = submit(client, anyway="1")
    assert response.status_code == 302
    opened = Ticket.objects.get(channel="online")
    note = TimelineEvent.objects.get(ticket=opened, kind=EventKind.NOTE)
    assert note.data["related"] == [{"reference": earlier.reference, "kind": "open_same_category"}]


def test_the_request_page_needs_a_proven_phone(client):
    assert client.get(REQUEST)["Location"] == START
    assert client.get(REGISTER)["Location"] == START
    assert client.post(REQUEST, {"description": WORK_PERMIT})["Location"] == START
