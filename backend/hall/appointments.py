"""Appointments (预约): slots from the centre's working time, race-safe booking, check-in
ahead of walk-ins, cancel, reschedule and no-shows.

Slots are the line's ``slot_minutes`` steps of the centre's opening hours on working days
of the SLA calendar (``sla.clock.schedule_for``): statutory holidays are closed, make-up
working days (调休) are open, the administrator's overrides win. A slot is offered only
when the centre is open for the whole of it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Count
from django.utils import translation
from django.utils.translation import gettext as _

from core import clock
from hall.kiosk import PHONE
from hall.models import (
    HOLDING_STATUSES,
    Appointment,
    AppointmentStatus,
    ServiceLine,
)
from hall.services import queue_number_take
from notifications.models import Channel
from notifications.outbox import outbox_add
from sla.clock import schedule_for

BOOKING_DAYS = 14           # how far ahead a slot can be booked
EARLY_CHECK_IN = timedelta(minutes=60)
LATE_CHECK_IN = timedelta(minutes=30)  # later than this after the slot: a no-show


@dataclass(frozen=True)
class Slot:
    starts_at: datetime
    free: int

    @property
    def key(self) -> str:
        return self.starts_at.isoformat()


def _zone(line: ServiceLine) -> ZoneInfo:
    return ZoneInfo(line.centre.time_zone)


def slot_starts(line: ServiceLine, day: date) -> list[datetime]:
    """Every slot start of local ``day``: ``slot_minutes`` steps from each opening of the
    centre, each slot ending before that opening interval closes."""
    if line.slot_capacity == 0:
        return []
    step = timedelta(minutes=line.slot_minutes)
    zone = _zone(line)
    starts = []
    for open_at, close_at in schedule_for(line.centre).opening_intervals(day):
        moment = open_at
        while moment + step <= close_at:
            starts.append(moment.astimezone(zone))
            moment += step
    return starts


def slots_on(line: ServiceLine, day: date, *, now=None) -> list[Slot]:
    """The bookable slots of ``day`` still in the future, with the places left (one query)."""
    now = now or clock.now()
    starts = [s for s in slot_starts(line, day) if s > now]
    if not starts:
        return []
    taken = dict(
        Appointment.objects.filter(line=line, starts_at__in=starts, status__in=HOLDING_STATUSES)
        .values_list("starts_at").annotate(n=Count("id")).values_list("starts_at", "n")
    )
    return [Slot(s, max(0, line.slot_capacity - taken.get(s, 0))) for s in starts]


def bookable_days(line: ServiceLine, *, now=None) -> list[date]:
    now = now or clock.now()
    today = now.astimezone(_zone(line)).date()
    return [today + timedelta(days=i) for i in range(BOOKING_DAYS + 1)
            if any(s > now for s in slot_starts(line, today + timedelta(days=i)))]


def _check_slot(line: ServiceLine, starts_at: datetime, now) -> None:
    if starts_at.utcoffset() is None:
        raise ValidationError({"starts_at": [_("Choose one of the offered times.")]})
    local = starts_at.astimezone(_zone(line))
    if starts_at <= now:
        raise ValidationError({"starts_at": [_("This time has passed: choose a later one.")]})
    if (local.date() - now.astimezone(_zone(line)).date()).days > BOOKING_DAYS:
        raise ValidationError({"starts_at": [
            _("Appointments can be booked at most %(days)d days ahead.") % {"days": BOOKING_DAYS}]})
    if local not in slot_starts(line, local.date()):
        raise ValidationError({"starts_at": [_("The centre is closed at this time.")]})


def _hold_place(line: ServiceLine, starts_at: datetime, *, ignore: int | None = None) -> None:
    """Lock the line, then count: two bookings of the last place never both succeed."""
    ServiceLine.objects.select_for_update().get(pk=line.pk)
    holding = Appointment.objects.filter(line=line, starts_at=starts_at, status__in=HOLDING_STATUSES)
    if ignore:
        holding = holding.exclude(pk=ignore)
    if holding.count() >= line.slot_capacity:
        raise ValidationError({"starts_at": [_("This time is fully booked: choose another.")]})


def _clean_contact(name: str, phone: str, email: str) -> tuple[str, str, str]:
    errors = {}
    name, phone, email = (name or "").strip(), (phone or "").strip(), (email or "").strip()
    if not name:
        errors["name"] = [_("Enter your name.")]
    elif len(name) > 120:
        errors["name"] = [_("Ensure this field has at most %(limit)d characters.") % {"limit": 120}]
    if phone and not PHONE.match(phone):
        errors["phone"] = [_("Enter a phone number with digits only.")]
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = [_("Enter a valid e-mail address.")]
    if not phone and not email and "phone" not in errors and "email" not in errors:
        errors["phone"] = [_("Give a mobile number or an e-mail address for the confirmation.")]
    if errors:
        raise ValidationError(errors)
    return name, phone.replace(" ", "").replace("-", ""), email


def _confirm(appointment: Appointment, event: str) -> None:
    """SMS and/or e-mail through the outbox, in the booker's language, written in the
    booking's transaction (so a dead broker loses nothing)."""
    lang = "en" if appointment.language == "en" else "zh"
    line = appointment.line
    local = appointment.starts_at.astimezone(_zone(line))
    with translation.override("en" if lang == "en" else "zh-hans"):
        values = {"centre": line.centre.name, "line": f"{line.prefix} {line.name}",
                  "when": local.strftime("%Y-%m-%d %H:%M"), "code": appointment.code}
        if event == "appointment_cancelled":
            subject = _("Appointment cancelled")
            body = _("Your appointment at %(centre)s (%(line)s) on %(when)s is cancelled. "
                     "Booking code %(code)s.") % values
        else:
            subject = _("Appointment confirmed")
            body = _("Your appointment at %(centre)s (%(line)s): %(when)s. Booking code %(code)s: "
                     "check in at the kiosk or a window when you arrive.") % values
    key = f"{event}:{appointment.pk}:{appointment.changed_at or appointment.created_at:%Y%m%d%H%M%S%f}"
    if appointment.email:
        outbox_add(event=event, channel=Channel.EMAIL, to=appointment.email, subject=subject,
                   body=body, language=lang, talent=appointment.talent, dedupe_key=f"{key}:email")
    if appointment.phone:
        outbox_add(event=event, channel=Channel.SMS, to=appointment.phone, body=body,
                   language=lang, talent=appointment.talent, dedupe_key=f"{key}:sms")


@transaction.atomic
def appointment_book(*, line: ServiceLine, starts_at: datetime, name: str, phone: str = "",
                     email: str = "", language: str = "zh", talent=None, now=None) -> Appointment:
    """Book a place in a slot. Validates the slot against the calendar, locks the line and
    counts the places (so the last place goes to one booking), stores the appointment and
    writes the confirmation to the outbox."""
    now = now or clock.now()
    if not line.is_active or line.slot_capacity == 0:
        raise ValidationError({"line": [_("This line takes no appointments.")]})
    name, phone, email = _clean_contact(name, phone, email)
    _check_slot(line, starts_at, now)
    _hold_place(line, starts_at)
    appointment = Appointment.objects.create(
        line=line, starts_at=starts_at, name=name, phone=phone, email=email,
        language="en" if language == "en" else "zh", talent=talent, created_at=now,
    )
    _confirm(appointment, "appointment_booked")
    return appointment


def _locked(appointment: Appointment) -> Appointment:
    return Appointment.objects.select_for_update().select_related("line__centre").get(pk=appointment.pk)


@transaction.atomic
def appointment_reschedule(*, appointment: Appointment, starts_at: datetime, now=None) -> Appointment:
    """Move a booked appointment to another slot of its line (same checks as booking)."""
    now = now or clock.now()
    appointment = _locked(appointment)
    if appointment.status != AppointmentStatus.BOOKED:
        raise ValidationError({"starts_at": [_("Only a booked appointment can be moved.")]})
    _check_slot(appointment.line, starts_at, now)
    _hold_place(appointment.line, starts_at, ignore=appointment.pk)
    appointment.starts_at = starts_at
    appointment.changed_at = now
    appointment.save(update_fields=["starts_at", "changed_at"])
    _confirm(appointment, "appointment_booked")
    return appointment


@transaction.atomic
def appointment_cancel(*, appointment: Appointment, now=None) -> Appointment:
    now = now or clock.now()
    appointment = _locked(appointment)
    if appointment.status != AppointmentStatus.BOOKED:
        raise ValidationError({"code": [_("Only a booked appointment can be cancelled.")]})
    appointment.status = AppointmentStatus.CANCELLED
    appointment.changed_at = now
    appointment.save(update_fields=["status", "changed_at"])
    _confirm(appointment, "appointment_cancelled")
    return appointment


@transaction.atomic
def appointment_check_in(*, appointment: Appointment, actor=None, now=None):
    """On arrival (kiosk or window): a number in the appointment's line with priority, so
    it is called before the walk-ins. From an hour before the slot to half an hour after."""
    now = now or clock.now()
    appointment = _locked(appointment)
    if appointment.status != AppointmentStatus.BOOKED:
        raise ValidationError({"code": [_("This appointment cannot be checked in (it is %(status)s).")
                                        % {"status": appointment.get_status_display()}]})
    if now < appointment.starts_at - EARLY_CHECK_IN:
        raise ValidationError({"code": [_("Too early: check in from one hour before your time.")]})
    if now > appointment.starts_at + LATE_CHECK_IN:
        raise ValidationError({"code": [_("Too late for this appointment: take a number instead.")]})
    number = queue_number_take(line=appointment.line, source="appointment", talent=appointment.talent,
                               language=appointment.language, priority=1, actor=actor, now=now)
    appointment.status = AppointmentStatus.CHECKED_IN
    appointment.queue_number = number
    appointment.changed_at = now
    appointment.save(update_fields=["status", "queue_number", "changed_at"])
    return number


@transaction.atomic
def appointments_mark_no_shows(*, now=None) -> int:
    """Booked appointments not checked in half an hour after their slot become no-shows."""
    now = now or clock.now()
    late = list(Appointment.objects.select_for_update(skip_locked=True)
                .filter(status=AppointmentStatus.BOOKED, starts_at__lt=now - LATE_CHECK_IN))
    for appointment in late:
        appointment.status = AppointmentStatus.NO_SHOW
        appointment.changed_at = now
        appointment.save(update_fields=["status", "changed_at"])
    return len(late)
