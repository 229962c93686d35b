"""Booking an appointment online (public) and the booking's own page (cancel, move);
checking in is on the kiosk (``hall.views.kiosk``). Thin: the rules are in
``hall.appointments``. The booking code (8 of 31 characters) is the only key to a booking."""

from __future__ import annotations

import contextlib
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from centres.models import ServiceCentre
from hall import appointments
from hall.models import Appointment, AppointmentStatus, ServiceLine

BOOK_TEMPLATE = "hall/book.html"


def _day(value: str, days: list[date]) -> date | None:
    try:
        chosen = date.fromisoformat(value)
    except (TypeError, ValueError):
        return days[0] if days else None
    return chosen if chosen in days else (days[0] if days else None)


def _appointment(code: str) -> Appointment:
    found = (Appointment.objects.select_related("line__centre").filter(code=code.upper()).first()
             if len(code) == 8 else None)
    if found is None:
        raise Http404
    return found


def _errors(error: ValidationError) -> dict[str, list[str]]:
    return error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}


@require_http_methods(["GET", "POST"])
def book(request, code: str):
    centre = get_object_or_404(ServiceCentre, code=code)
    lines = list(ServiceLine.objects.filter(centre=centre, is_active=True, slot_capacity__gt=0))
    data = request.POST if request.method == "POST" else request.GET
    moving = _appointment(data["move"]) if data.get("move") else None
    line_value = str(moving.line_id) if moving else data.get("line", "")
    line = next((x for x in lines if str(x.pk) == line_value), lines[0] if lines else None)
    days = appointments.bookable_days(line) if line else []
    day = _day(data.get("day", ""), days)
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        try:
            starts_at = datetime.fromisoformat(request.POST.get("slot", ""))
        except ValueError:
            errors = {"starts_at": [_("Choose one of the offered times.")]}
        else:
            try:
                if moving is not None:
                    done = appointments.appointment_reschedule(appointment=moving, starts_at=starts_at)
                else:
                    done = appointments.appointment_book(
                        line=line, starts_at=starts_at, name=request.POST.get("name", ""),
                        phone=request.POST.get("phone", ""), email=request.POST.get("email", ""),
                        language="en" if (get_language() or "").startswith("en") else "zh")
            except ValidationError as error:
                errors = _errors(error)
            else:
                return redirect("hall:appointment", code=done.code)
    return render(request, BOOK_TEMPLATE, {
        "centre": centre, "lines": lines, "line": line, "days": days, "day": day,
        "slots": appointments.slots_on(line, day) if line and day else [],
        "moving": moving, "errors": errors, "data": data,
    }, status=422 if errors else 200)


@require_http_methods(["GET"])
def appointment(request, code: str):
    found = _appointment(code)
    return render(request, "hall/appointment.html", {
        "appointment": found, "can_change": found.status == AppointmentStatus.BOOKED})


@require_POST
def appointment_cancel(request, code: str):
    found = _appointment(code)
    # Already cancelled or used: nothing to do, the page shows its status.
    with contextlib.suppress(ValidationError):
        appointments.appointment_cancel(appointment=found)
    return redirect("hall:appointment", code=found.code)
