"""Who may do what, declared once: the role groups live in ``staff.permissions`` and the
ticket rules in ``tickets.permissions``; every face asks them."""

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser

from core.system import system_user
from staff.models import Role
from staff.permissions import may_set_duty, team_of
from tests.factories import UserFactory, WindowFactory
from tickets import permissions
from tickets.services import ticket_assign

pytestmark = pytest.mark.django_db

BACKEND = Path(__file__).resolve().parents[2] / "backend"
HOMES = {BACKEND / "staff" / "permissions.py", BACKEND / "tickets" / "permissions.py",
         BACKEND / "config" / "settings.py"}  # settings name roles by configuration (2FA)
ROLE_GROUP = re.compile(r"^\s*[A-Z_]*ROLES\s*=")


def test_role_groups_are_declared_only_in_the_permissions_modules():
    found = [
        f"{path.relative_to(BACKEND)}:{number}"
        for path in BACKEND.rglob("*.py")
        if "migrations" not in path.parts and path not in HOMES
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if ROLE_GROUP.match(line)
    ]
    assert found == []


class TestOpeningWindows:
    @pytest.fixture
    def general(self, centre):
        return WindowFactory(centre=centre, code="general")

    def test_window_staff_and_officers_open_at_their_own_windows(self, clerk, officer, window, general):
        assert list(permissions.opening_windows(clerk.user)) == [window]
        assert list(permissions.opening_windows(officer.user)) == [window]

    def test_a_supervisor_opens_at_any_window_of_their_centre(self, supervisor, window, general,
                                                               other_window):
        assert set(permissions.opening_windows(supervisor.user)) == {window, general}

    def test_administrators_and_the_system_open_anywhere(self, admin_officer, window, general,
                                                          other_window):
        assert set(permissions.opening_windows(admin_officer.user)) == {window, general, other_window}
        assert set(permissions.opening_windows(system_user())) == {window, general, other_window}

    def test_a_closed_window_is_nowhere(self, supervisor, window, general):
        general.is_active = False
        general.save()
        assert list(permissions.opening_windows(supervisor.user)) == [window]

    def test_people_without_a_role_open_nowhere(self, window):
        assert list(permissions.opening_windows(UserFactory())) == []
        assert list(permissions.opening_windows(AnonymousUser())) == []


class TestDuty:
    def test_officers_set_their_own_duty(self, officer):
        assert may_set_duty(officer.user, officer)

    def test_a_supervisor_sets_the_duty_of_their_centre_only(self, supervisor, officer, outsider):
        assert may_set_duty(supervisor.user, officer)
        assert not may_set_duty(supervisor.user, outsider)

    def test_a_clerk_sets_nobody_elses_duty(self, clerk, officer):
        assert not may_set_duty(clerk.user, officer)
        assert list(team_of(clerk.user)) == []

    def test_administrators_and_the_system_set_anyones(self, admin_officer, officer, outsider):
        assert may_set_duty(admin_officer.user, outsider)
        assert may_set_duty(system_user(), officer)

    def test_the_team_page_lists_routable_roles_of_the_supervisors_centre(
        self, supervisor, officer, clerk, outsider
    ):
        assert set(team_of(supervisor.user)) == {supervisor, officer}


class TestTicketRules:
    def test_claiming_is_offered_to_officers_and_supervisors_on_unassigned_open_tickets(
        self, open_ticket, clerk, officer, supervisor, admin_officer
    ):
        ticket_assign(ticket=open_ticket, officer=None, actor=supervisor.user)
        open_ticket.refresh_from_db()
        assert [permissions.may_claim(p.user, open_ticket)
                for p in (clerk, officer, supervisor, admin_officer)] == [False, True, True, False]

    def test_a_held_ticket_is_not_offered_for_claiming(self, open_ticket, officer):
        assert open_ticket.assignee == officer
        assert not permissions.may_claim(officer.user, open_ticket)

    def test_only_supervisors_administrators_and_the_system_reassign(
        self, open_ticket, clerk, officer, supervisor, admin_officer
    ):
        assert [permissions.may_assign(p, open_ticket)
                for p in (clerk.user, officer.user, supervisor.user, admin_officer.user,
                          system_user())] == [False, False, True, True, True]

    def test_casework_roles_change_the_priority(self, open_ticket, clerk, officer, supervisor):
        assert [permissions.may_set_priority(p.user, open_ticket)
                for p in (clerk, officer, supervisor)] == [False, True, True]

    def test_the_claim_look_up_finds_a_ticket_someone_else_took(self, open_ticket, second_officer):
        assert open_ticket.assignee != second_officer
        assert not permissions.visible_tickets(second_officer.user).filter(pk=open_ticket.pk).exists()
        assert permissions.claim_lookup(second_officer.user).filter(pk=open_ticket.pk).exists()


def test_roles_are_one_of_the_declared_groups():
    from staff.permissions import CASEWORK_ROLES, ROUTABLE_ROLES, STAFF_ROLES, SUPERVISING_ROLES

    assert set(Role.values) == STAFF_ROLES
    assert SUPERVISING_ROLES < CASEWORK_ROLES < STAFF_ROLES
    assert {Role.OFFICER, Role.SUPERVISOR} == ROUTABLE_ROLES
