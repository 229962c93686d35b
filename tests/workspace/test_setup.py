"""The centre administrator's configuration pages (issue 12, point 10): windows with the
categories they serve, staff created (account + profile) in one form with checkboxes,
every change through the services with history; bad input named, nothing half-made; the
Django admin for superusers only."""

import pytest
from django.contrib.auth import get_user_model

from centres.models import Window
from staff.models import Officer, Role
from tests.factories import OfficerFactory, UserFactory, WindowFactory

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "Harbour-lights-2026"


@pytest.fixture
def centre_admin(centre):
    """An administrator of the city centre who is not a superuser."""
    return OfficerFactory(user=UserFactory(username="hall_admin"), display_name="Hall Admin Han",
                          role=Role.ADMIN, centre=centre)


def _staff_data(**overrides):
    data = {"username": "newbie", "password": GOOD_PASSWORD, "email": "newbie@example.org",
            "display_name": "New Officer Niu", "role": "officer", "skills": ["settlement", "transport"],
            "languages": ["zh", "en"], "capacity": "18", "on_duty": "on", "reason": "new hire"}
    data.update(overrides)
    return data


def test_the_setup_page_lists_the_centres_windows_and_staff(login, centre_admin, window, officer, clerk, outsider):
    response = login(centre_admin).get("/setup/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    body = response.content.decode()
    assert f'data-window="{window.pk}"' in body
    assert f'data-officer="{officer.pk}"' in body and f'data-officer="{clerk.pk}"' in body
    assert f'data-officer="{outsider.pk}"' not in body
    assert 'data-nav="setup"' in body and 'data-nav="admin"' not in body


@pytest.mark.parametrize("persona", ["officer", "supervisor", "clerk"])
def test_only_administrators_configure(request, login, persona):
    assert login(request.getfixturevalue(persona)).get("/setup/").status_code == 403


def test_a_window_is_created_with_checkboxes_for_its_categories_and_history(login, centre_admin, centre):
    client = login(centre_admin)
    form = client.get("/setup/windows/new/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'type="checkbox" name="categories" value="settlement"' in form
    response = client.post("/setup/windows/new/", {
        "code": "family", "name_zh": "家属服务窗口", "name_en": "Family Window",
        "categories": ["schooling", "healthcare"], "is_active": "on", "reason": "new counter"})
    assert response.status_code == 302 and response["Location"] == "/setup/"
    window = Window.objects.get(centre=centre, code="family")
    assert window.categories == ["healthcare", "schooling"] and window.is_active
    record = window.history.latest()
    assert (record.history_user, record.history_change_reason) == (centre_admin.user, "new counter")


def test_a_taken_window_code_is_named_and_nothing_is_saved(login, centre_admin, window):
    response = login(centre_admin).post("/setup/windows/new/", {
        "code": window.code, "name_zh": "重复", "name_en": "Duplicate", "categories": ["settlement"]},
        HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422
    assert "Code: Another window of this centre already uses this code." in response.content.decode()
    assert Window.objects.filter(code=window.code).count() == 1


def test_an_unknown_category_is_named(login, centre_admin):
    response = login(centre_admin).post("/setup/windows/new/", {
        "code": "odd", "name_zh": "怪", "name_en": "Odd", "categories": ["astrology"]}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422
    assert "Categories served: Select a valid choice. astrology is not one of the available choices." in \
        response.content.decode()
    assert not Window.objects.filter(code="odd").exists()


def test_another_centres_window_is_not_found(login, centre_admin, other_window):
    assert login(centre_admin).get(f"/setup/windows/{other_window.pk}/").status_code == 404


def test_a_staff_member_is_created_in_one_form_with_account_and_profile(login, centre_admin, centre, window):
    response = login(centre_admin).post("/setup/staff/new/", _staff_data(windows=[window.pk]))
    assert response.status_code == 302
    officer = Officer.objects.select_related("user").get(user__username="newbie")
    assert officer.user.check_password(GOOD_PASSWORD) and officer.user.email == "newbie@example.org"
    assert (officer.centre, officer.role, officer.capacity) == (centre, "officer", 18)
    assert (officer.skills, officer.languages) == (["settlement", "transport"], ["en", "zh"])
    assert list(officer.windows.all()) == [window]
    record = officer.history.latest()
    assert (record.history_user, record.history_change_reason) == (centre_admin.user, "new hire")


@pytest.mark.parametrize(("overrides", "message"), [
    ({"username": "officer"}, "User name: This user name is taken."),
    ({"password": "123"}, "Initial password: This password is too short."),
    ({"capacity": "-3"}, "Capacity: Ensure this value is greater than or equal to 0."),
    ({"skills": ["astrology"]}, "Category skills: Select a valid choice. astrology is not one of the available"),
    ({"display_name": ""}, "Display name: This field is required."),
])
def test_bad_staff_input_is_named_and_nothing_is_half_made(login, centre_admin, officer, overrides, message):
    users_before = get_user_model().objects.count()
    response = login(centre_admin).post("/setup/staff/new/", _staff_data(**overrides), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422
    assert message in response.content.decode()
    assert get_user_model().objects.count() == users_before
    assert not Officer.objects.filter(display_name="New Officer Niu").exists()


def test_a_window_of_another_centre_cannot_be_given(login, centre_admin, other_window):
    response = login(centre_admin).post("/setup/staff/new/", _staff_data(windows=[other_window.pk]),
                                        HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422 and "Windows: Select a valid choice." in response.content.decode()
    assert not get_user_model().objects.filter(username="newbie").exists()


def test_a_staff_member_is_changed_and_disabled_with_history(login, centre_admin, officer, window):
    other = WindowFactory(centre=officer.centre, code="second")
    response = login(centre_admin).post(f"/setup/staff/{officer.pk}/", {
        "display_name": officer.display_name, "role": "officer", "email": "", "windows": [other.pk],
        "skills": ["healthcare"], "languages": ["zh"], "capacity": "7", "reason": "moved counters"})
    assert response.status_code == 302
    officer = Officer.objects.select_related("user").get(pk=officer.pk)
    assert (officer.capacity, officer.skills, officer.user.is_active) == (7, ["healthcare"], False)
    assert list(officer.windows.all()) == [other]
    assert officer.history.latest().history_change_reason == "moved counters"


def test_the_django_admin_is_for_superusers_only(login, centre_admin, admin_officer):
    centre_admin.user.is_staff = True
    centre_admin.user.save()
    refused = login(centre_admin).get("/admin/centres/window/")
    assert refused.status_code == 302 and refused["Location"].startswith("/admin/login/")
    assert login(centre_admin).get(refused["Location"]).status_code == 403
    assert login(admin_officer).get("/admin/centres/window/").status_code == 200
