"""Administrator calendar overrides, and the record of SLA warnings and breaches."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class CalendarOverride(models.Model):
    """One date the administrator declares worked or off, beating every published calendar
    (a typhoon closure, a locally announced extra working Saturday)."""

    day = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(
        _("working day"), help_text=_("Ticked: the centre works on this date. Unticked: it is closed.")
    )
    reason = models.CharField(_("reason"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", editable=False, verbose_name=_("created by"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("calendar override")
        verbose_name_plural = _("calendar overrides")
        ordering = ["-day"]

    def __str__(self) -> str:
        state = _("working day") if self.is_workday else _("closed")
        return f"{self.day.isoformat()} {state}"


class Target(models.TextChoices):
    FIRST_RESPONSE = "first_response", _("first response")
    RESOLUTION = "resolution", _("resolution")


class AlertKind(models.TextChoices):
    WARNING = "warning", _("warning")
    BREACH = "breach", _("breach")


class SlaAlert(models.Model):
    """A warning (a share of the target passed) or a breach, recorded once per ticket,
    target and kind: the unique constraint is what makes a repeated or concurrent scan
    send nothing twice."""

    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.CASCADE, related_name="sla_alerts",
        verbose_name=_("ticket"),
    )
    target = models.CharField(_("target"), max_length=20, choices=Target.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=AlertKind.choices)
    due_at = models.DateTimeField(_("due"))
    threshold_at = models.DateTimeField(_("threshold"))
    created_at = models.DateTimeField(_("recorded"))
    assignee = models.ForeignKey(
        "staff.Officer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("assignee at the time"),
    )

    class Meta:
        verbose_name = _("SLA alert")
        verbose_name_plural = _("SLA alerts")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["ticket", "target", "kind"], name="sla_alert_once")
        ]
        indexes = [models.Index(fields=["kind", "created_at"], name="sla_alert_kind_created")]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.target} {self.kind}"
