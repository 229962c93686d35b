from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Role(models.TextChoices):
    WINDOW_STAFF = "window_staff", _("window staff")
    OFFICER = "officer", _("officer")
    SUPERVISOR = "supervisor", _("supervisor")
    ADMIN = "admin", _("administrator")


class OfficerQuerySet(models.QuerySet):
    def on_duty(self):
        return self.filter(on_duty=True, user__is_active=True)

    def in_centre(self, centre):
        return self.filter(centre=centre)


class Officer(models.Model):
    """The staff profile of a Django user: role, centre, windows, skills and capacity."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="officer"
    )
    display_name = models.CharField(_("display name"), max_length=80)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.OFFICER)
    centre = models.ForeignKey(
        "centres.ServiceCentre",
        on_delete=models.PROTECT,
        related_name="officers",
        verbose_name=_("centre"),
    )
    windows = models.ManyToManyField(
        "centres.Window", related_name="officers", blank=True, verbose_name=_("windows")
    )
    skills = models.JSONField(
        _("category skills"), default=list, blank=True, help_text=_("Workflow keys.")
    )
    languages = models.JSONField(
        _("languages"), default=list, blank=True, help_text=_('Language codes, e.g. ["zh", "en"].')
    )
    capacity = models.PositiveSmallIntegerField(
        _("capacity"), default=25, help_text=_("Open tickets this officer can hold at once.")
    )
    on_duty = models.BooleanField(_("on duty"), default=True)
    backup = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="backs_up",
        verbose_name=_("backup officer"),
    )
    last_assigned_at = models.DateTimeField(_("last assigned"), null=True, blank=True)
    history = HistoricalRecords(m2m_fields=[windows])

    objects = OfficerQuerySet.as_manager()

    class Meta:
        verbose_name = _("officer")
        verbose_name_plural = _("officers")
        ordering = ["display_name"]
        indexes = [models.Index(fields=["centre", "on_duty"], name="officer_centre_duty")]

    def __str__(self) -> str:
        return self.display_name

    @property
    def is_supervisor(self) -> bool:
        return self.role in (Role.SUPERVISOR, Role.ADMIN)

    def has_skill(self, category: str) -> bool:
        return category in (self.skills or [])

    def speaks(self, language: str) -> bool:
        return language in (self.languages or [])


def role_of(user) -> str | None:
    """The talentdesk role of a user: superusers are administrators; others need a profile."""
    if user is None or not user.is_authenticated:
        return None
    officer = getattr(user, "officer", None)
    if officer is not None:
        return officer.role
    if user.is_superuser:
        return Role.ADMIN
    return None
