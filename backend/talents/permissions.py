"""Who may see and change which talent: declared once, asked by the services, the API and
the workspace alike (the role groups come from ``staff.permissions``). The directory itself is ``Talent.objects.visible_to`` (a queryset,
so lists and look-ups filter in the database)."""

from __future__ import annotations

from staff.models import role_of
from staff.permissions import (  # noqa: F401 - the role rules, declared once in staff.permissions
    STAFF_ROLES,
    SUPERVISING_ROLES,
    is_staff_member,
)
from staff.permissions import home_centre_id as centre_of
from talents.models import Talent

CONTACT_FIELDS = frozenset({"phone", "email"})


def may_see_talent(user, talent: Talent) -> bool:
    return Talent.objects.visible_to(user).filter(pk=talent.pk).exists()


def is_home_centre_of(user, talent: Talent) -> bool:
    """The talent is registered at this user's centre (a talent without a home centre
    belongs to none: only administrators and supervisors change its contact details)."""
    return talent.centre_id is not None and talent.centre_id == centre_of(user)


def may_change_contact(user, talent: Talent) -> bool:
    """Phone and e-mail carry the status links: another centre's talent's contact details
    are changed only by a supervisor (or an administrator)."""
    return role_of(user) in SUPERVISING_ROLES or is_home_centre_of(user, talent)


def may_be_dedicated_officer(officer, talent: Talent) -> bool:
    """A dedicated officer works at the talent's home centre; routing must never hand a
    centre's ticket to another centre's officer."""
    return officer is None or talent.centre_id is None or officer.centre_id == talent.centre_id
