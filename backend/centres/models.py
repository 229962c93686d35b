from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from centres.hours import OpeningHours
from core.i18n import pick

_WEEKDAY_HOURS = [["09:00", "12:00"], ["13:30", "17:30"]]
DEFAULT_OPENING_HOURS = {
    **{day: _WEEKDAY_HOURS for day in ("mon", "tue", "wed", "thu", "fri")},
    "sat": [],
    "sun": [],
}


def validate_opening_hours(value) -> None:
    try:
        OpeningHours.from_json(value)
    except ValueError as exc:
        raise ValidationError(str(exc)) from None


def default_opening_hours() -> dict:
    return {day: [list(span) for span in spans] for day, spans in DEFAULT_OPENING_HOURS.items()}


class ServiceCentre(models.Model):
    """A site of the talent service: opening hours and time zone drive the SLA clock."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    address = models.CharField(_("address"), max_length=250, blank=True)
    hotline = models.CharField(_("hotline"), max_length=40, blank=True,
                               help_text=_("The number talents call (专线), printed on receipts."))
    time_zone = models.CharField(_("time zone"), max_length=64, default="Asia/Shanghai")
    opening_hours = models.JSONField(
        _("opening hours"),
        default=default_opening_hours,
        validators=[validate_opening_hours],
        help_text=_('Per weekday, e.g. {"mon": [["09:00", "12:00"], ["13:30", "17:30"]]}.'),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("service centre")
        verbose_name_plural = _("service centres")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return pick(self.name_zh, self.name_en)


class Window(models.Model):
    """A counter (专窗) in a centre that serves some categories."""

    centre = models.ForeignKey(
        ServiceCentre, on_delete=models.PROTECT, related_name="windows", verbose_name=_("centre")
    )
    code = models.SlugField(_("code"), max_length=32)
    name_zh = models.CharField(_("name (Chinese)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    categories = models.JSONField(
        _("categories served"), default=list, blank=True, help_text=_("Workflow keys.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("window")
        verbose_name_plural = _("windows")
        ordering = ["centre__code", "code"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "code"], name="window_code_unique_in_centre")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return pick(self.name_zh, self.name_en)

    def serves(self, category: str) -> bool:
        return category in (self.categories or [])
