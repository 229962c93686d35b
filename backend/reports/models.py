"""The reports' own tables: one measured fact per ticket, and the audit of exports.

``ReportFact`` is a narrow, indexed copy of what the dashboard aggregates, with the
working-time measures computed once (first response and resolution in working seconds
on the centre's calendar, paused time excluded). It is maintained by ``reports.facts``
after every ticket change (on commit, through a Celery task) and by a periodic sweeper
that catches anything missed; it is derived data, so it carries no history. Exports are
audit events and are history-tracked.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class ReportFact(models.Model):
    ticket = models.OneToOneField(
        "tickets.Ticket", on_delete=models.CASCADE, primary_key=True, related_name="report_fact"
    )
    centre = models.ForeignKey("centres.ServiceCentre", on_delete=models.CASCADE, related_name="+")
    window = models.ForeignKey(
        "centres.Window", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    officer = models.ForeignKey(
        "staff.Officer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    category = models.SlugField(max_length=40)
    channel = models.CharField(max_length=10)
    origin = models.CharField(max_length=10, blank=True, help_text="The talent's origin.")
    priority = models.CharField(max_length=10)
    created_at = models.DateTimeField()
    # First response: when, working seconds to it (paused time excluded), target met.
    first_response_at = models.DateTimeField(null=True, blank=True)
    first_response_seconds = models.IntegerField(null=True, blank=True)
    first_response_due = models.DateTimeField(null=True, blank=True)
    first_response_met = models.BooleanField(null=True, blank=True)
    # Resolution: resolved, or closed without resolution (e.g. rejected).
    done_at = models.DateTimeField(null=True, blank=True)
    resolution_seconds = models.IntegerField(null=True, blank=True)
    resolution_due = models.DateTimeField(null=True, blank=True)
    resolution_met = models.BooleanField(null=True, blank=True)
    paused_seconds = models.IntegerField(default=0)
    handled_online = models.BooleanField(
        default=False,
        help_text="Finished (resolved or closed) on a ticket opened online, without the talent "
                  "coming to the hall for it (no hall visit on its timeline): 网上实际办理.",
    )
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    source_updated_at = models.DateTimeField(
        help_text="The ticket's updated_at when this row was computed (the sweeper compares)."
    )
    refreshed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("report fact")
        verbose_name_plural = _("report facts")
        indexes = [
            models.Index(fields=["centre", "created_at"], name="fact_centre_created"),
            models.Index(fields=["created_at"], name="fact_created"),
            models.Index(fields=["centre", "done_at"], name="fact_centre_done"),
            models.Index(fields=["done_at"], name="fact_done"),
            models.Index(
                fields=["centre", "created_at"],
                name="fact_backlog",
                condition=models.Q(done_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"fact {self.ticket_id}"


class ExportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "XLSX"


class ExportRecord(models.Model):
    """Someone exported report data: who, when, what (kind, filters), how many rows."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("what"), max_length=40)
    format = models.CharField(_("format"), max_length=4, choices=ExportFormat.choices)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created_at = models.DateTimeField(_("exported at"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.user} {self.kind}.{self.format} at {self.created_at:%Y-%m-%d %H:%M}"
