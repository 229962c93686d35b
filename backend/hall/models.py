"""The service hall: lines, queue numbers, visits and the events the board shows.

A **service line** (A: overseas-talent window, B: general matters …) belongs to a centre,
has a letter prefix, the windows that serve it and the categories it takes. A **queue
number** (``A023``) is taken per line and restarts at 1 each day in the centre's zone.
Calling a number to a window starts a **visit** (one service session at one window);
the tickets the clerk opens during it are linked to it. Every change of a number is a
**hall event** row: the board, the phone page and the measures read those.

Only ``hall.services`` changes a number's status.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.i18n import pick

PREFIX_VALIDATOR = RegexValidator(r"^[A-Z]{1,2}$", _("One or two capital letters, e.g. A."))


class ServiceLine(models.Model):
    centre = models.ForeignKey(
        "centres.ServiceCentre", on_delete=models.PROTECT, related_name="service_lines",
        verbose_name=_("centre"),
    )
    prefix = models.CharField(_("prefix"), max_length=2, validators=[PREFIX_VALIDATOR])
    name_zh = models.CharField(_("name (Chinese)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)
    windows = models.ManyToManyField(
        "centres.Window", related_name="service_lines", blank=True, verbose_name=_("windows")
    )
    categories = models.JSONField(
        _("categories"), default=list, blank=True, help_text=_("Workflow keys.")
    )
    minutes_per_person = models.PositiveSmallIntegerField(
        _("minutes per person"), default=8,
        validators=[MinValueValidator(1), MaxValueValidator(240)],
        help_text=_("The estimate's service time until the day has its own figures."),
    )
    slot_minutes = models.PositiveSmallIntegerField(
        _("appointment slot (minutes)"), default=30,
        validators=[MinValueValidator(10), MaxValueValidator(240)],
    )
    slot_capacity = models.PositiveSmallIntegerField(
        _("appointments per slot"), default=2, help_text=_("0: this line takes no appointments."),
    )
    position = models.PositiveSmallIntegerField(_("position on the kiosk"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords(m2m_fields=[windows])

    class Meta:
        verbose_name = _("service line")
        verbose_name_plural = _("service lines")
        ordering = ["centre__code", "position", "prefix"]
        constraints = [
            models.UniqueConstraint(fields=["centre", "prefix"], name="line_prefix_unique_in_centre")
        ]

    def __str__(self) -> str:
        return f"{self.prefix} {self.name}"

    @property
    def name(self) -> str:
        return pick(self.name_zh, self.name_en)


class NumberStatus(models.TextChoices):
    WAITING = "waiting", _("waiting")
    CALLED = "called", _("called")
    SKIPPED = "skipped", _("skipped")
    DONE = "done", _("done")
    NO_SHOW = "no_show", _("no-show")
    ABANDONED = "abandoned", _("abandoned")


OPEN_STATUSES = (NumberStatus.WAITING, NumberStatus.CALLED, NumberStatus.SKIPPED)


class Source(models.TextChoices):
    KIOSK = "kiosk", _("kiosk")
    CLERK = "clerk", _("clerk")
    API = "api", _("API")
    APPOINTMENT = "appointment", _("appointment")


def new_follow_token() -> str:
    return secrets.token_urlsafe(16)


class QueueNumberQuerySet(models.QuerySet):
    def waiting(self):
        return self.filter(status=NumberStatus.WAITING)

    def in_call_order(self):
        """Checked-in appointments first, then by the moment they joined the line."""
        return self.order_by("-priority", "queued_at", "id")


class QueueNumber(models.Model):
    line = models.ForeignKey(ServiceLine, on_delete=models.PROTECT, related_name="numbers",
                             verbose_name=_("line"), help_text=_("The line it waits in now."))
    issued_line = models.ForeignKey(ServiceLine, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("issued by line"))
    centre = models.ForeignKey("centres.ServiceCentre", on_delete=models.PROTECT,
                               related_name="queue_numbers", verbose_name=_("centre"))
    service_date = models.DateField(_("day"))
    sequence = models.PositiveIntegerField(_("sequence"))
    number = models.CharField(_("number"), max_length=8)
    status = models.CharField(_("status"), max_length=10, choices=NumberStatus.choices,
                              default=NumberStatus.WAITING)
    priority = models.PositiveSmallIntegerField(
        _("priority"), default=0, help_text=_("1 for checked-in appointments: called before walk-ins.")
    )
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    talent = models.ForeignKey("talents.Talent", on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="queue_numbers", verbose_name=_("talent"))
    category = models.SlugField(_("matter"), max_length=40, blank=True)
    language = models.CharField(_("language"), max_length=8, default="zh")
    follow_token = models.CharField(max_length=32, unique=True, default=new_follow_token,
                                    editable=False)
    taken_at = models.DateTimeField(_("taken"))
    queued_at = models.DateTimeField(_("in line since"))
    called_at = models.DateTimeField(_("first called"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    window = models.ForeignKey("centres.Window", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+", verbose_name=_("window"))
    skips = models.PositiveSmallIntegerField(_("times skipped"), default=0)
    returned = models.BooleanField(_("returned after a skip"), default=False)

    objects = QueueNumberQuerySet.as_manager()

    class Meta:
        verbose_name = _("queue number")
        verbose_name_plural = _("queue numbers")
        ordering = ["-taken_at"]
        constraints = [
            models.UniqueConstraint(fields=["issued_line", "service_date", "sequence"],
                                    name="queue_number_unique_per_line_day"),
        ]
        indexes = [
            models.Index(fields=["line", "status", "priority", "queued_at"], name="queue_call_order"),
            models.Index(fields=["centre", "service_date"], name="queue_centre_day"),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.service_date})"


class Visit(models.Model):
    """One service session: a number called to a window until done, skipped or transferred."""

    queue_number = models.ForeignKey(QueueNumber, on_delete=models.CASCADE, related_name="visits")
    window = models.ForeignKey("centres.Window", on_delete=models.PROTECT, related_name="+")
    officer = models.ForeignKey("staff.Officer", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="visits")
    started_at = models.DateTimeField(_("called"))
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, blank=True)
    tickets = models.ManyToManyField("tickets.Ticket", related_name="visits", blank=True)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-started_at"]
        constraints = [
            # A window serves one number at a time.
            models.UniqueConstraint(fields=["window"], condition=models.Q(ended_at__isnull=True),
                                    name="visit_one_open_per_window"),
        ]

    def __str__(self) -> str:
        return f"{self.queue_number.number} @ {self.window_id}"


class EventKind(models.TextChoices):
    TAKE = "take", _("number taken")
    CALL = "call", _("called")
    RECALL = "recall", _("called again")
    SKIP = "skip", _("skipped")
    RETURN = "return", _("back in line")
    TRANSFER = "transfer", _("transferred")
    DONE = "done", _("done")
    NO_SHOW = "no_show", _("no-show")
    ABANDON = "abandon", _("abandoned")


CALL_KINDS = (EventKind.CALL, EventKind.RECALL)


class HallEvent(models.Model):
    """Every change of a number, in order; the board and the phone page catch up from it."""

    centre = models.ForeignKey("centres.ServiceCentre", on_delete=models.CASCADE,
                               related_name="+")
    queue_number = models.ForeignKey(QueueNumber, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=10, choices=EventKind.choices)
    window = models.ForeignKey("centres.Window", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+")
    line = models.ForeignKey(ServiceLine, on_delete=models.PROTECT, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["centre", "kind", "at"], name="hall_event_centre_kind")]

    def __str__(self) -> str:
        return f"{self.queue_number_id} {self.kind}"


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", _("booked")
    CHECKED_IN = "checked_in", _("checked in")
    CANCELLED = "cancelled", _("cancelled")
    NO_SHOW = "no_show", _("no-show")


HOLDING_STATUSES = (AppointmentStatus.BOOKED, AppointmentStatus.CHECKED_IN)


def new_booking_code() -> str:
    # Eight characters without look-alikes (0/O, 1/I/L): typed at the kiosk, read on the phone.
    alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
    return "".join(secrets.choice(alphabet) for _ in range(8))


class Appointment(models.Model):
    """预约: a booked slot in a line. Checking in on the day gives a number called before
    the walk-ins of that line."""

    line = models.ForeignKey(ServiceLine, on_delete=models.PROTECT, related_name="appointments",
                             verbose_name=_("line"))
    starts_at = models.DateTimeField(_("slot"))
    name = models.CharField(_("name"), max_length=120)
    phone = models.CharField(_("mobile number"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    language = models.CharField(_("language"), max_length=8, default="zh")
    talent = models.ForeignKey("talents.Talent", on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="appointments", verbose_name=_("talent"))
    code = models.CharField(_("booking code"), max_length=8, unique=True, default=new_booking_code,
                            editable=False)
    status = models.CharField(_("status"), max_length=12, choices=AppointmentStatus.choices,
                              default=AppointmentStatus.BOOKED)
    queue_number = models.OneToOneField(QueueNumber, on_delete=models.SET_NULL, null=True,
                                        blank=True, related_name="appointment")
    created_at = models.DateTimeField(_("booked"))
    changed_at = models.DateTimeField(_("changed"), null=True, blank=True)

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["line", "starts_at", "status"], name="appointment_slot")]

    def __str__(self) -> str:
        return f"{self.code} {self.starts_at:%Y-%m-%d %H:%M}"
