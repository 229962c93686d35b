"""Setting up a centre's staff: the sign-in account and the officer profile in one step,
and changes to a profile — every change with who and why in the officer's history."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import clock
from staff.models import Officer


def _check(*, centre, windows, backup, officer=None) -> None:
    errors = {}
    if any(window.centre_id != centre.pk for window in windows):
        errors["windows"] = [_("Choose windows of this centre only.")]
    if backup is not None:
        if backup.centre_id != centre.pk:
            errors["backup"] = [_("The backup must work at the same centre.")]
        elif officer is not None and backup.pk == officer.pk:
            errors["backup"] = [_("An officer cannot be their own backup.")]
    if errors:
        raise ValidationError(errors)


def _save(officer: Officer, *, actor, reason: str, default: str) -> None:
    officer.full_clean(exclude=["user"])
    officer._history_user = actor
    officer._history_date = clock.now()
    officer._change_reason = (reason.strip() or default)[:100]
    officer.save()


@transaction.atomic
def officer_create(*, centre, actor, reason: str = "", username: str, password: str, email: str = "",
                   display_name: str, role: str, windows=(), skills=(), languages=(), capacity: int,
                   on_duty: bool = True, backup: Officer | None = None) -> Officer:
    """A new staff member of ``centre``: the Django user (password checked by the
    configured validators) and the officer profile, together or not at all. Bad input
    raises ValidationError naming the field (``username``, ``password``, ``windows``,
    ``backup``, …)."""
    user_model = get_user_model()
    username = username.strip()
    if user_model.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": [_("This user name is taken.")]})
    _check(centre=centre, windows=windows, backup=backup)
    user = user_model(username=username, email=email.strip(), first_name=display_name.strip()[:150])
    try:
        validate_password(password, user)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from None
    user.set_password(password)
    user.save()
    officer = Officer(user=user, centre=centre, display_name=display_name.strip(), role=role,
                      skills=sorted(set(skills)), languages=sorted(set(languages)), capacity=capacity,
                      on_duty=on_duty, backup=backup)
    _save(officer, actor=actor, reason=reason, default=_("staff member added"))
    officer.windows.set(windows)
    return officer


@transaction.atomic
def officer_update(*, officer: Officer, actor, reason: str = "", display_name: str, role: str, email: str = "",
                   windows=(), skills=(), languages=(), capacity: int, active: bool = True,
                   backup: Officer | None = None) -> Officer:
    """Change a staff member's profile (and whether their account may sign in). On-duty
    state is not set here: ``tickets.services.officer_set_duty`` hands tickets over."""
    officer = Officer.objects.select_for_update().select_related("user").get(pk=officer.pk)
    _check(centre=officer.centre, windows=windows, backup=backup, officer=officer)
    officer.display_name, officer.role = display_name.strip(), role
    officer.skills, officer.languages = sorted(set(skills)), sorted(set(languages))
    officer.capacity, officer.backup = capacity, backup
    _save(officer, actor=actor, reason=reason, default=_("staff member changed"))
    officer.windows.set(windows)
    user = officer.user
    if user.is_active != active or user.email != email.strip():
        user.is_active, user.email = active, email.strip()
        user.save(update_fields=["is_active", "email"])
    return officer
