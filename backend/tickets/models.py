"""Tickets, their timeline and their materials checklist.

Only ``tickets.services`` changes a ticket's ``state`` and ``assignee`` (a test enforces
it); everything else reads these models through the named queries in ``queries.py``.
"""

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tickets.queries import TicketQuerySet

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class Channel(models.TextChoices):
    WINDOW = "window", _("window")
    HOTLINE = "hotline", _("hotline")
    ONLINE = "online", _("online")
    EMAIL = "email", _("e-mail")
    REFERRAL = "referral", _("referral")


class Priority(models.TextChoices):
    LOW = "low", _("low")
    NORMAL = "normal", _("normal")
    HIGH = "high", _("high")
    URGENT = "urgent", _("urgent")


PRIORITY_RANK = {"low": 0, "normal": 1, "high": 2, "urgent": 3}


class ReferenceSequence(models.Model):
    """The last reference number handed out in a year (``TD-2026-000123``).

    Incremented with a row lock inside the opening transaction, so two tickets opened
    at once never share a number. Not history-tracked: it is a counter, not a record.
    """

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class Ticket(models.Model):
    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    access_code_hash = models.CharField(max_length=64, editable=False)
    access_code_issued_at = models.DateTimeField(_("access code issued"), editable=False)
    talent = models.ForeignKey(
        "talents.Talent", on_delete=models.PROTECT, related_name="tickets", verbose_name=_("talent")
    )
    centre = models.ForeignKey(
        "centres.ServiceCentre",
        on_delete=models.PROTECT,
        related_name="tickets",
        verbose_name=_("centre"),
    )
    window = models.ForeignKey(
        "centres.Window",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tickets",
        verbose_name=_("window"),
    )
    category = models.SlugField(_("category"), max_length=40)
    workflow_version = models.PositiveIntegerField(_("workflow version"), editable=False)
    state = models.SlugField(_("state"), max_length=40, editable=False)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    priority = models.CharField(
        _("priority"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    fast_track = models.SlugField(
        _("fast track"), max_length=40, blank=True, editable=False,
        help_text=_("The workflow's fast-track rule that set shorter targets for this talent."),
    )
    assignee = models.ForeignKey(
        "staff.Officer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_tickets",
        verbose_name=_("assignee"),
        editable=False,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    client_token = models.CharField(max_length=64, null=True, blank=True, editable=False)
    client_digest = models.CharField(max_length=64, blank=True, editable=False)

    created_at = models.DateTimeField(_("created"), editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    first_response_at = models.DateTimeField(_("first response"), null=True, blank=True, editable=False)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True, editable=False)

    # Due times, filled by the SLA part (working time on the Chinese calendar).
    first_response_due = models.DateTimeField(_("first response due"), null=True, blank=True, editable=False)
    resolution_due = models.DateTimeField(_("resolution due"), null=True, blank=True, editable=False)
    due_at = models.DateTimeField(
        _("next due"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The nearest due time still pending; empty when nothing is due."),
    )
    sla_provisional = models.BooleanField(_("due times provisional"), default=False, editable=False)
    sla_paused_at = models.DateTimeField(_("SLA clock paused"), null=True, blank=True, editable=False)
    first_response_met = models.BooleanField(null=True, blank=True, editable=False)
    resolution_met = models.BooleanField(null=True, blank=True, editable=False)
    # When a share of each target has elapsed (the assignee is warned), and the next
    # instant the escalation scan must look at this ticket (``tickets.escalation``).
    first_response_warn_at = models.DateTimeField(
        _("first response warning"), null=True, blank=True, editable=False
    )
    resolution_warn_at = models.DateTimeField(
        _("resolution warning"), null=True, blank=True, editable=False
    )
    sla_next_check_at = models.DateTimeField(null=True, blank=True, editable=False)

    history = HistoricalRecords(
        excluded_fields=["updated_at", "access_code_hash", "client_digest", "sla_next_check_at"],
        cascade_delete_history=False,
    )

    objects = TicketQuerySet.as_manager()

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["created_by", "client_token"],
                condition=models.Q(client_token__isnull=False),
                name="ticket_client_token_unique",
            )
        ]
        indexes = [
            models.Index(fields=["state"], name="ticket_state"),
            models.Index(fields=["assignee", "due_at"], name="ticket_assignee_due"),
            # Open work is a small slice of a large table: partial indexes keep an
            # officer's inbox, the routing load count and the window queues fast at any size.
            models.Index(
                fields=["assignee", "due_at"],
                condition=models.Q(resolved_at__isnull=True, closed_at__isnull=True),
                name="ticket_active_by_assignee",
            ),
            models.Index(
                fields=["window", "created_at"],
                condition=models.Q(
                    assignee__isnull=True, resolved_at__isnull=True, closed_at__isnull=True
                ),
                name="ticket_active_queue",
            ),
            models.Index(fields=["window", "assignee", "state"], name="ticket_window_queue"),
            models.Index(fields=["centre", "state"], name="ticket_centre_state"),
            models.Index(fields=["category", "created_at"], name="ticket_category_created"),
            models.Index(fields=["created_at"], name="ticket_created"),
            models.Index(fields=["due_at"], name="ticket_due"),
            models.Index(fields=["talent", "created_at"], name="ticket_talent_created"),
            # The escalation scan: a small partial index over running clocks only.
            models.Index(
                fields=["sla_next_check_at"],
                name="ticket_sla_next_check",
                condition=models.Q(sla_next_check_at__isnull=False),
            ),
            models.Index(
                fields=["created_at"],
                name="ticket_sla_provisional",
                condition=models.Q(sla_provisional=True, closed_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def workflow(self):
        from flows.registry import get_workflow

        return get_workflow(self.category, self.workflow_version)

    @property
    def state_definition(self):
        return self.workflow.state(self.state)

    @property
    def version(self) -> str:
        """An opaque token of the ticket's last saved change (microseconds of
        ``updated_at``): a form or API call that carries the version it was shown is
        refused as stale when the ticket changed since (``core.errors.StaleVersion``)."""
        if self.updated_at is None:
            return ""
        return str((self.updated_at - _EPOCH) // timedelta(microseconds=1))

    @property
    def fast_track_rule(self):
        """The fast-track rule behind the targets (its label is the reason), or None."""
        return self.workflow.fast_track_rule(self.fast_track)

    @property
    def is_final(self) -> bool:
        return self.state in self.workflow.final_states


class EventKind(models.TextChoices):
    OPENED = "opened", _("opened")
    TRANSITION = "transition", _("state change")
    COMMENT = "comment", _("reply")
    NOTE = "note", _("internal note")
    ASSIGNMENT = "assignment", _("assignment")
    MATERIAL = "material", _("material")
    TALENT_REPLY = "talent_reply", _("talent's reply")
    UPLOAD = "upload", _("upload")
    SLA = "sla", _("deadline")
    REVEAL = "reveal", _("document number revealed")
    RATING = "rating", _("rating")
    ACCESS = "access", _("access code")
    VISIT = "visit", _("hall visit")
    PREREVIEW = "prereview", _("pre-review")
    NOTICE = "notice", _("one-time notice")


class TimelineEvent(models.Model):
    """One thing that happened to a ticket. Public events are what the talent sees."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=16, choices=EventKind.choices)
    public = models.BooleanField(_("public"), default=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    by_talent = models.BooleanField(_("by the talent"), default=False)
    action = models.SlugField(_("action"), max_length=40, blank=True)
    body = models.TextField(_("text"), blank=True)
    from_state = models.SlugField(_("from state"), max_length=40, blank=True)
    to_state = models.SlugField(_("to state"), max_length=40, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), db_index=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("timeline event")
        verbose_name_plural = _("timeline events")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["ticket", "created_at"], name="event_ticket_created")]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.kind}"


class MaterialStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    # Uploaded by the talent, pre-reviewed, waiting for the officer to receive or reject it.
    SUBMITTED = "submitted", _("submitted")
    RECEIVED = "received", _("received")
    REJECTED = "rejected", _("rejected")


class MaterialItem(models.Model):
    """One required or optional material of the ticket's workflow, with its status."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="materials")
    material_id = models.SlugField(_("material"), max_length=40)
    label_zh = models.CharField(max_length=200)
    label_en = models.CharField(max_length=200)
    required = models.BooleanField(_("required"), default=True)
    status = models.CharField(
        _("status"), max_length=10, choices=MaterialStatus.choices, default=MaterialStatus.PENDING
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    # Ticked in the latest request for materials (tickets.material_requests): what the
    # talent is asked to send now. Only the request service sets it.
    requested = models.BooleanField(_("asked for"), default=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["ticket", "material_id"], name="material_unique")
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.material_id}"

    @property
    def label(self) -> str:
        from core.i18n import pick

        return pick(self.label_zh, self.label_en)
