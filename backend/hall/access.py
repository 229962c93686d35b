"""Who may do what in the hall, declared once: the pages, the API and the services ask here."""

from __future__ import annotations

from centres.models import Window
from staff.models import Role, role_of
from staff.permissions import STAFF_ROLES as HALL_STAFF_ROLES  # the role groups, declared once
from staff.permissions import SUPERVISING_ROLES


def windows_for(user):
    """The active windows ``user`` may call numbers at: their own windows; a supervisor's
    whole centre; every window for an administrator without a centre."""
    role = role_of(user)
    active = Window.objects.filter(is_active=True).select_related("centre")
    if role not in HALL_STAFF_ROLES:
        return active.none()
    officer = getattr(user, "officer", None)
    if officer is None:
        return active if role == Role.ADMIN else active.none()
    if role in SUPERVISING_ROLES:
        return active.filter(centre_id=officer.centre_id)
    return active.filter(officers=officer)


def may_work_at(user, window) -> bool:
    return windows_for(user).filter(pk=window.pk).exists()


def may_see_centre(user, centre) -> bool:
    """Hall figures and the staff pages of a centre: its staff, and administrators."""
    role = role_of(user)
    if role not in HALL_STAFF_ROLES:
        return False
    officer = getattr(user, "officer", None)
    if officer is None:
        return role == Role.ADMIN
    return role == Role.ADMIN or officer.centre_id == centre.pk
