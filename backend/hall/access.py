"""Who may do what in the hall, declared once: the pages, the API and the services ask here."""

from __future__ import annotations

from centres.models import Window
from hall.models import Visit
from staff.models import Role, role_of
from staff.permissions import STAFF_ROLES as HALL_STAFF_ROLES  # the role groups, declared once
from staff.permissions import SUPERVISING_ROLES

# Where the calling page keeps the window a person chose to call numbers at.
SESSION_WINDOW = "hall_window"


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


def duty_window(user, windows, *, chosen=None):
    """The window ``user`` works at now, among ``windows`` (those they may use): the window
    of the visit they are serving, else the one they chose on the calling page
    (``chosen``), else the first window assigned to them (in the order they were assigned:
    their own window before the shared ones added later), else the first of ``windows``.
    The intake page opens tickets there by default."""
    allowed = {window.pk: window for window in windows}
    if not allowed:
        return None
    officer = getattr(user, "officer", None)
    if officer is not None:
        serving = (Visit.objects.filter(officer=officer, ended_at__isnull=True)
                   .values_list("window_id", flat=True).first())
        if serving in allowed:
            return allowed[serving]
    if str(chosen or "").isdigit() and int(chosen) in allowed:
        return allowed[int(chosen)]
    if officer is not None:
        assigned = (officer.windows.through.objects.filter(officer_id=officer.pk)
                    .order_by("pk").values_list("window_id", flat=True))
        for window_id in assigned:
            if window_id in allowed:
                return allowed[window_id]
    return next(iter(allowed.values()))

