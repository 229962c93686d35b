"""The hall's own pages: the kiosk (signed in as a staff account of the centre), the slip
it prints, the holder's phone page and the display board (public: numbers and windows
only, never a name), with their JSON state and event streams."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from centres.models import ServiceCentre
from hall import access, services
from hall.appointments import appointment_check_in
from hall.board import board_state, follow_path, number_state
from hall.kiosk import KioskForm
from hall.models import Appointment, QueueNumber, ServiceLine
from hall.qr import qr_svg
from hall.streams import event_stream
from hall.window_views import hall_staff

KIOSK_LANGUAGES = {"zh": "zh-hans", "en": "en"}


def _kiosk_language(request) -> str:
    asked = request.POST.get("language") or request.GET.get("lang") or ""
    return asked if asked in KIOSK_LANGUAGES else "zh"


@hall_staff
@require_http_methods(["GET", "POST"])
def kiosk(request, code: str):
    centre = get_object_or_404(ServiceCentre, code=code)
    if not access.may_see_centre(request.user, centre):
        raise Http404
    language = _kiosk_language(request)
    lines = list(ServiceLine.objects.filter(centre=centre, is_active=True))
    with translation.override(KIOSK_LANGUAGES[language]):
        checking_in = request.method == "POST" and "booking" in request.POST
        form = KioskForm(request.POST if request.method == "POST" and not checking_in else None,
                         centre=centre)
        check_in_error = ""
        if checking_in:
            number, check_in_error = _check_in(request, centre)
            if number is not None:
                return redirect("hall:slip", token=number.follow_token)
        elif request.method == "POST" and form.is_valid():
            try:
                number = services.queue_number_take(
                    line=form.cleaned_data["line"], source="kiosk",
                    talent=form.cleaned_data["talent"], language=language, actor=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect("hall:slip", token=number.follow_token)
        return render(request, "hall/kiosk.html", {
            "centre": centre, "lines": lines, "form": form, "language": language,
            "other_language": "en" if language == "zh" else "zh", "check_in_error": check_in_error,
            "booking": request.POST.get("booking", "") if checking_in else "",
        }, status=422 if form.errors or check_in_error else 200)


def _check_in(request, centre):
    """The kiosk's "I have an appointment": the booking code gives a priority number."""
    code = (request.POST.get("booking") or "").strip().upper()
    found = (Appointment.objects.filter(code=code, line__centre=centre).first()
             if re.fullmatch(r"[A-Z0-9]{8}", code) else None)
    if found is None:
        return None, _("No appointment at this centre has this booking code.")
    try:
        return appointment_check_in(appointment=found, actor=request.user), ""
    except ValidationError as error:
        return None, " ".join(error.messages)


def _number(token: str) -> QueueNumber:
    number = (QueueNumber.objects.select_related("line", "centre", "window")
              .filter(follow_token=token).first()) if len(token) <= 32 else None
    if number is None:
        raise Http404
    return number


@require_GET
def slip(request, token: str):
    number = _number(token)
    state = number_state(number)
    with translation.override(KIOSK_LANGUAGES.get(number.language, "zh-hans")):
        return render(request, "hall/slip.html", {
            "number": number, "state": state, "centre": number.centre,
            "qr": qr_svg(request.build_absolute_uri(follow_path(number))),
        })


@require_GET
def follow(request, token: str):
    number = _number(token)
    return render(request, "hall/follow.html", {"number": number, "state": number_state(number)})


@require_GET
def follow_state(request, token: str):
    return JsonResponse(number_state(_number(token)), json_dumps_params={"ensure_ascii": False})


@require_GET
def follow_events(request, token: str):
    number = _number(token)

    def read():
        fresh = QueueNumber.objects.select_related("line", "window").filter(pk=number.pk).first()
        return number_state(fresh) if fresh else None

    return event_stream(number.centre_id, read)


def _centre(code: str) -> ServiceCentre:
    return get_object_or_404(ServiceCentre, code=code[:32])


@require_GET
def board(request, code: str):
    centre = _centre(code)
    return render(request, "hall/board.html", {"centre": centre, "state": board_state(centre)})


@require_GET
def board_state_json(request, code: str):
    return JsonResponse(board_state(_centre(code)), json_dumps_params={"ensure_ascii": False})


@require_GET
def board_events(request, code: str):
    centre = _centre(code)
    return event_stream(centre.pk, lambda: board_state(centre))
