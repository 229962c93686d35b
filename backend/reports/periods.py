"""Report periods and scopes: who may see which centres, over which days."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from centres.models import ServiceCentre
from core import clock
from staff.models import Role, role_of
from staff.permissions import SUPERVISING_ROLES

DEFAULT_DAYS = 30
MAX_DAYS = 3660


@dataclass(frozen=True)
class Period:
    """Whole days ``start``..``end`` (both included) in the site's time zone."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def since(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def until(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))

    def previous(self) -> Period:
        return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    def as_params(self) -> dict[str, str]:
        return {"from": self.start.isoformat(), "to": self.end.isoformat()}

    @classmethod
    def ending(cls, end: date, days: int = DEFAULT_DAYS) -> Period:
        return cls(end - timedelta(days=days - 1), end)


def today() -> date:
    return timezone.localdate(clock.now())


def _date(value: str, field: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValidationError(
            {field: [_("Enter a date as YYYY-MM-DD, e.g. 2026-03-01.")]}
        ) from None


def parse_period(params) -> Period:
    """``from`` and ``to`` (YYYY-MM-DD, both optional): the last 30 days by default."""
    raw_from = (params.get("from") or "").strip()
    raw_to = (params.get("to") or "").strip()
    end = _date(raw_to, "to") if raw_to else today()
    start = _date(raw_from, "from") if raw_from else end - timedelta(days=DEFAULT_DAYS - 1)
    if start > end:
        raise ValidationError({"to": [_("The end date must not be before the start date.")]})
    if (end - start).days + 1 > MAX_DAYS:
        raise ValidationError({"from": [_("A period can span at most ten years.")]})
    if start.year < 2000 or end.year > 2100:
        raise ValidationError({"from": [_("Choose dates between 2000 and 2100.")]})
    return Period(start, end)


@dataclass(frozen=True)
class Scope:
    """The centres a report covers; ``all_centres`` for an administrator's overview.

    ``available`` lists the centres the user may choose from (one for a supervisor).
    """

    centres: tuple[ServiceCentre, ...]
    all_centres: bool
    available: tuple[ServiceCentre, ...] = ()

    @property
    def centre_ids(self) -> list[int]:
        return [c.pk for c in self.centres]

    @property
    def chosen(self) -> ServiceCentre | None:
        return None if self.all_centres else self.centres[0]

    def filter(self, queryset, field: str = "centre_id"):
        return queryset if self.all_centres else queryset.filter(**{f"{field}__in": self.centre_ids})


def can_view_reports(user) -> bool:
    return role_of(user) in SUPERVISING_ROLES


def scope_for(user, centre_param: str | None = None) -> Scope:
    """Supervisors see their centre; administrators all centres, or the one they choose.

    Anyone else gets ``PermissionDenied``; an unknown centre a ``ValidationError``.
    """
    role = role_of(user)
    if role not in SUPERVISING_ROLES:
        raise PermissionDenied(_("Reports are for supervisors and administrators."))
    raw = (centre_param or "").strip()
    if role == Role.SUPERVISOR:
        own = user.officer.centre
        if raw and raw not in (str(own.pk), own.code):
            raise PermissionDenied(_("You can only see reports of your own centre."))
        return Scope(centres=(own,), all_centres=False, available=(own,))
    centres = tuple(ServiceCentre.objects.order_by("code"))
    if not raw:
        return Scope(centres=centres, all_centres=True, available=centres)
    chosen = next((c for c in centres if raw in (str(c.pk), c.code)), None)
    if chosen is None:
        raise ValidationError({"centre": [_("Unknown centre.")]})
    return Scope(centres=(chosen,), all_centres=False, available=centres)
