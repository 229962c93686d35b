"""Two-factor sign-in (TOTP): required for supervisors and administrators, optional for
the others, on the workspace, the admin and the token endpoint."""



import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from tests.factories import PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.sign_in_rules]

ENROL = "/account/two-factor/"
START = "2026-12-02 09:00 +0800"


def code_for(device, *, offset=0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


def password_step(persona, client=None):
    client = client or Client(HTTP_ACCEPT_LANGUAGE="en")
    response = client.post("/login/", {"username": persona.user.username, "password": PASSWORD})
    return client, response


def enrolled(persona) -> TOTPDevice:
    return TOTPDevice.objects.create(user=persona.user, name="authenticator", confirmed=True)


def test_the_production_setting_requires_two_factors_of_supervisors_and_administrators(settings):
    assert settings.TALENTDESK_TWO_FACTOR_ROLES == ["supervisor", "admin"]


def test_a_supervisor_without_a_device_is_sent_to_enrolment_from_every_page(supervisor):
    client, response = password_step(supervisor)
    assert response["Location"] == "/"
    for url in ("/work/", "/reports/", "/team/", "/admin/"):
        answer = client.get(url)
        assert answer.status_code == 302
        assert answer["Location"].startswith(f"{ENROL}?next=")
    assert client.get(ENROL).status_code == 200


def test_an_unverified_supervisor_session_gets_403_from_the_api(supervisor):
    client, _ = password_step(supervisor)
    response = client.get("/api/v1/workflows/")
    assert response.status_code == 403
    assert response.json() == {"detail": "Your role signs in with two factors: set up an "
                                          "authenticator app in the workspace first."}


def test_an_htmx_request_of_an_unverified_supervisor_reloads_the_enrolment_page(supervisor):
    client, _ = password_step(supervisor)
    response = client.get("/work/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response["HX-Redirect"] == f"{ENROL}?next=%2Fwork%2F"


def test_the_enrolment_page_draws_the_qr_code_on_the_server_without_script(supervisor):
    client, _ = password_step(supervisor)
    page = client.get(f"{ENROL}?next=/reports/")
    body = page.content.decode()
    device = TOTPDevice.objects.get(user=supervisor.user)
    assert device.confirmed is False
    assert '<svg role="img" class="qr"' in body
    assert "<script>" not in body and "hx-on" not in body
    assert "unsafe-inline" not in page["Content-Security-Policy"]
    secret = body.split("data-secret>")[1].split("<")[0]
    import base64
    assert base64.b32decode(secret + "=" * (-len(secret) % 8)) == device.bin_key
    # reloading keeps the same secret (a code already scanned stays valid)
    assert client.get(ENROL).content.decode().count(secret) == 1
    assert TOTPDevice.objects.filter(user=supervisor.user).count() == 1


def test_a_wrong_code_does_not_confirm_the_device(supervisor):
    client, _ = password_step(supervisor)
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=supervisor.user)
    wrong = f"{(int(code_for(device)) + 1) % 1_000_000:06d}"
    response = client.post(ENROL, {"code": wrong, "next": "/reports/"})
    assert response.status_code == 400
    assert "The code is wrong or has expired. Enter the code your app shows now." in response.content.decode()
    device.refresh_from_db()
    assert device.confirmed is False
    assert client.get("/work/").status_code == 302


def test_a_code_that_is_not_six_digits_is_refused_naming_the_field(supervisor):
    client, _ = password_step(supervisor)
    client.get(ENROL)
    response = client.post(ENROL, {"code": "12ab56"})
    assert response.status_code == 400
    assert response.context["form"].errors == {"code": ["Enter the 6 digits your authenticator app shows."]}


def test_the_right_code_confirms_the_device_and_opens_the_workspace(supervisor):
    client, _ = password_step(supervisor)
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=supervisor.user)
    response = client.post(ENROL, {"code": code_for(device), "next": "/reports/"})
    assert response.status_code == 302 and response["Location"] == "/reports/"
    device.refresh_from_db()
    assert device.confirmed is True
    assert client.get("/work/").status_code == 200
    assert client.get(ENROL).context["state"] == "on"


def test_once_enrolled_the_password_alone_signs_nobody_in(supervisor):
    enrolled(supervisor)
    client, response = password_step(supervisor)
    assert response.status_code == 302 and response["Location"] == "/login/code/"
    assert SESSION_KEY not in client.session
    assert client.get("/work/")["Location"] == "/login/?next=/work/"


def test_the_code_step_completes_the_sign_in(supervisor):
    device = enrolled(supervisor)
    client, _ = password_step(supervisor)
    response = client.post("/login/code/", {"code": code_for(device)})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.session[SESSION_KEY] == str(supervisor.user.pk)
    assert client.get("/work/").status_code == 200


def test_the_code_step_keeps_the_page_asked_for(supervisor):
    device = enrolled(supervisor)
    client = Client()
    client.post("/login/", {"username": "supervisor", "password": PASSWORD, "next": "/reports/"})
    assert client.post("/login/code/", {"code": code_for(device)})["Location"] == "/reports/"


def test_a_code_cannot_be_used_twice(supervisor):
    device = enrolled(supervisor)
    with time_machine.travel(START, tick=False):
        code = code_for(device)
        client, _ = password_step(supervisor)
        assert client.post("/login/code/", {"code": code}).status_code == 302
        other, _ = password_step(supervisor)
        assert other.post("/login/code/", {"code": code}).status_code == 400


def test_wrong_codes_lock_the_account_like_wrong_passwords(supervisor):
    device = enrolled(supervisor)
    with time_machine.travel(START, tick=False):
        client, _ = password_step(supervisor)
        wrong = f"{(int(code_for(device)) + 500_000) % 1_000_000:06d}"
        for _ in range(10):
            assert client.post("/login/code/", {"code": wrong}).status_code == 400
        response = client.post("/login/code/", {"code": code_for(device)})
    assert response.status_code == 429
    assert "Too many failed sign-in attempts." in response.content.decode()
    assert SESSION_KEY not in client.session


def test_the_code_step_expires_after_five_minutes(supervisor):
    device = enrolled(supervisor)
    with time_machine.travel(START, tick=False) as traveller:
        client, _ = password_step(supervisor)
        traveller.shift(301)
        response = client.post("/login/code/", {"code": code_for(device)})
    assert response.status_code == 302 and response["Location"] == "/login/"
    assert SESSION_KEY not in client.session


def test_the_code_step_without_a_password_step_goes_back_to_sign_in(db):
    assert Client().get("/login/code/")["Location"] == "/login/"


def test_an_officer_may_work_without_two_factors(officer):
    client, _ = password_step(officer)
    assert client.get("/work/").status_code == 200
    assert client.get(ENROL).context["required"] is False


def test_an_officer_who_enrols_is_asked_for_the_code_at_the_next_sign_in(officer):
    client, _ = password_step(officer)
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=officer.user)
    assert client.post(ENROL, {"code": code_for(device)}).status_code == 302
    _, response = password_step(officer, Client())
    assert response["Location"] == "/login/code/"


def test_the_admin_needs_the_second_factor_too(admin_officer):
    device = enrolled(admin_officer)
    client = Client()
    client.post("/login/", {"username": "admin", "password": PASSWORD, "next": "/admin/"})
    assert client.get("/admin/")["Location"].startswith("/admin/login/")
    assert client.post("/login/code/", {"code": code_for(device)})["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_the_token_endpoint_refuses_a_supervisor_without_a_device(supervisor):
    response = APIClient(HTTP_ACCEPT_LANGUAGE="en").post(
        "/api/v1/auth/token/", {"username": "supervisor", "password": PASSWORD}, format="json")
    assert response.status_code == 403


def test_the_token_endpoint_asks_an_enrolled_user_for_the_code(supervisor):
    device = enrolled(supervisor)
    api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    response = api.post("/api/v1/auth/token/", {"username": "supervisor", "password": PASSWORD},
                        format="json")
    assert response.status_code == 400
    assert response.json() == {"otp": ["This account signs in with two factors: send the code "
                                       "from the authenticator app as otp."]}
    response = api.post("/api/v1/auth/token/", {"username": "supervisor", "password": PASSWORD,
                                                "otp": "12345"}, format="json")
    assert response.json() == {"otp": ["Enter the 6 digits your authenticator app shows."]}
    response = api.post("/api/v1/auth/token/", {"username": "supervisor", "password": PASSWORD,
                                                "otp": code_for(device)}, format="json")
    assert response.status_code == 200
    assert APIClient().get("/api/v1/workflows/",
                           HTTP_AUTHORIZATION=f"Token {response.json()['token']}").status_code == 200




def test_an_administrator_resets_a_lost_device_and_the_user_enrols_again(supervisor, admin_officer):
    device = enrolled(supervisor)
    admin_device = enrolled(admin_officer)
    admin = Client()
    admin.post("/login/", {"username": "admin", "password": PASSWORD})
    admin.post("/login/code/", {"code": code_for(admin_device)})
    url = f"/admin/otp_totp/totpdevice/{device.pk}/delete/"
    assert admin.post(url, {"post": "yes"}).status_code == 302
    assert not TOTPDevice.objects.filter(user=supervisor.user).exists()
    client, response = password_step(supervisor)
    assert response["Location"] == "/"
    assert client.get("/work/")["Location"] == f"{ENROL}?next=%2Fwork%2F"


def test_a_fragment_of_the_enrolment_page_answers_empty_instead_of_reloading_it(supervisor):
    """The navigation on the enrolment page fetches counts with htmx; sending the browser
    back to the enrolment page for them would reload it for ever."""
    client, _ = password_step(supervisor)
    from_enrolment = client.get("/talents/duplicates/count/", headers={
        "HX-Request": "true", "HX-Current-URL": f"http://testserver{ENROL}?next=%2F"})
    assert from_enrolment.status_code == 204 and "HX-Redirect" not in from_enrolment
    from_elsewhere = client.get("/talents/duplicates/count/", headers={
        "HX-Request": "true", "HX-Current-URL": "http://testserver/reports/"})
    assert from_elsewhere["HX-Redirect"].startswith(ENROL)
