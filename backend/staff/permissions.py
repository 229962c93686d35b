"""Who is who: the role groups and the predicates about people, declared once.

Every rule about what a role may do starts here (``tickets.permissions`` adds the rules
about tickets). Services, pages, the API and the portal ask these names; none keeps its
own list of roles.
"""

from __future__ import annotations

from django.conf import settings

from staff.models import Officer, Role, role_of

# Everyone who works in the centre.
STAFF_ROLES = frozenset({Role.WINDOW_STAFF, Role.OFFICER, Role.SUPERVISOR, Role.ADMIN})
# Who works cases (transitions beyond intake, priority, the inbox).
CASEWORK_ROLES = frozenset({Role.OFFICER, Role.SUPERVISOR, Role.ADMIN})
# Who watches and steers a centre (reassigning, the team, reports, follow-ups).
SUPERVISING_ROLES = frozenset({Role.SUPERVISOR, Role.ADMIN})
# Who can hold tickets, and so goes on and off duty and takes work from a queue.
ROUTABLE_ROLES = frozenset({Role.OFFICER, Role.SUPERVISOR})
# Who configures a centre's windows and staff on the staff side (the Django admin is for
# superusers only).
CONFIG_ROLES = frozenset({Role.ADMIN})
# The roles a centre's administrator may give on the configuration pages.
ASSIGNABLE_ROLES = (Role.WINDOW_STAFF, Role.OFFICER, Role.SUPERVISOR, Role.ADMIN)


def is_system(user) -> bool:
    """The user talentdesk itself acts as (tasks, commands, the online channel)."""
    return getattr(user, "username", None) == settings.TALENTDESK_SYSTEM_USERNAME


def acting_role(user) -> str | None:
    """The role a user acts with: the system acts as an administrator."""
    return Role.ADMIN if is_system(user) else role_of(user)


def is_staff_member(user) -> bool:
    return role_of(user) in STAFF_ROLES


def is_supervising(user) -> bool:
    return role_of(user) in SUPERVISING_ROLES


def home_centre_id(user) -> int | None:
    """The centre a staff member belongs to (None: an administrator without a profile)."""
    officer = getattr(user, "officer", None)
    return officer.centre_id if officer is not None else None


def team_of(user):
    """The officers whose duty ``user`` may change for them (the team page): a
    supervisor's centre, every centre for an administrator or the system; routable roles
    only (window staff are never routed tickets, so they have no duty to hand over)."""
    officers = Officer.objects.filter(role__in=ROUTABLE_ROLES)
    role = acting_role(user)
    if role == Role.ADMIN:
        return officers
    if role == Role.SUPERVISOR:
        return officers.filter(centre_id=user.officer.centre_id)
    return officers.none()


def centre_staff(user):
    """Everyone on the team page: the active staff of a supervisor's centre (every centre
    for an administrator or the system), all roles — window staff and administrators
    included, though only ``team_of`` has a duty to change."""
    people = Officer.objects.filter(user__is_active=True)
    role = acting_role(user)
    if role == Role.ADMIN:
        return people
    if role == Role.SUPERVISOR:
        return people.filter(centre_id=user.officer.centre_id)
    return people.none()


def configured_centre_id(user) -> int | None:
    """The centre whose windows and staff ``user`` configures: an administrator's own
    centre (an administrator without a staff profile has none: the Django admin is theirs)."""
    if role_of(user) in CONFIG_ROLES:
        return home_centre_id(user)
    return None


def may_set_duty(actor, officer: Officer) -> bool:
    """The officer themself, or someone whose team (``team_of``) they are in."""
    if actor is None:
        return False
    return actor.pk == officer.user_id or team_of(actor).filter(pk=officer.pk).exists()
