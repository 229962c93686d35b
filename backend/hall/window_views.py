"""The clerk's window page (叫号): call next, recall, skip, transfer, done, back in line,
and issue a number for someone at the counter. One page, one swap target
(``#window-panel``); every button is a real form that also works without JavaScript."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from hall import access, services
from hall.errors import HallError
from hall.models import NumberStatus, QueueNumber, ServiceLine

TEMPLATE = "hall/window.html"
SESSION_KEY = access.SESSION_WINDOW
WAITING_SHOWN = 10


def hall_staff(view):
    """Signed-in hall staff only (others: 403 page)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not access.windows_for(request.user).exists():
            return render(request, "hall/forbidden.html", status=403)
        return view(request, *args, **kwargs)

    return wrapped


def _window(request, value=None):
    windows = access.windows_for(request.user)
    chosen = value if value is not None else request.session.get(SESSION_KEY)
    window = windows.filter(pk=chosen).first() if str(chosen or "").isdigit() else None
    return window or windows.first()


def _intake_url(number: QueueNumber) -> str:
    query = {"talent": number.talent_id} if number.talent_id else {}
    if number.category:
        query["category"] = number.category
    return reverse("workspace:intake") + ("?" + urlencode(query) if query else "")


def _context(request, window) -> dict:
    visit = services.visit_current(window)
    lines = list(window.service_lines.filter(is_active=True))
    waiting = list(QueueNumber.objects.waiting().filter(line__in=lines).in_call_order()
                   .select_related("line")[:WAITING_SHOWN])
    skipped = list(QueueNumber.objects.filter(line__in=lines, status=NumberStatus.SKIPPED,
                                              returned=False).order_by("-queued_at")[:WAITING_SHOWN])
    number = visit.queue_number if visit else None
    return {
        "window": window,
        "windows": access.windows_for(request.user),
        "visit": visit,
        "current": number,
        "intake_url": _intake_url(number) if number else "",
        "waited": int((visit.started_at - number.taken_at).total_seconds() // 60) if visit else 0,
        "lines": lines,
        "transfer_lines": ServiceLine.objects.filter(centre=window.centre, is_active=True)
        .exclude(pk=number.line_id if number else None),
        "waiting": waiting,
        "waiting_count": QueueNumber.objects.waiting().filter(line__in=lines).count(),
        "skipped": skipped,
        "linked": list(visit.tickets.all()) if visit else [],
    }


def _render(request, window, status=200):
    template = TEMPLATE + ("#window-panel" if request.htmx else "")
    return render(request, template, _context(request, window), status=status)


@hall_staff
@require_GET
def window_page(request):
    window = _window(request, request.GET.get("window"))
    request.session[SESSION_KEY] = window.pk
    return _render(request, window)


ACTIONS = {
    "call": lambda window, actor, request: services.queue_call_next(window=window, actor=actor),
    "recall": lambda window, actor, request: services.queue_recall(window=window, actor=actor),
    "skip": lambda window, actor, request: services.queue_skip(window=window, actor=actor),
    "done": lambda window, actor, request: services.queue_done(window=window, actor=actor),
    "transfer": lambda window, actor, request: services.queue_transfer(
        window=window, actor=actor, line=_line(request, window)),
}


def _line(request, window) -> ServiceLine:
    value = request.POST.get("line", "")
    line = (ServiceLine.objects.filter(centre=window.centre, pk=value).first()
            if value.isdigit() else None)
    if line is None:
        raise ValidationError({"line": [_("Choose the line to send this number to.")]})
    return line


def _done_message(action: str, number: QueueNumber) -> str:
    return {
        "call": _("Called %(number)s."),
        "recall": _("Called %(number)s again."),
        "skip": _("%(number)s skipped.") if number.status == NumberStatus.SKIPPED
        else _("%(number)s skipped again: recorded as a no-show."),
        "done": _("%(number)s done."),
        "transfer": _("%(number)s sent to line %(line)s."),
    }[action] % {"number": number.number, "line": number.line.prefix}


@hall_staff
@require_POST
def window_act(request, action: str):
    if action not in ACTIONS:
        raise Http404
    window = _window(request, request.POST.get("window"))
    try:
        number = ACTIONS[action](window, request.user, request)
    except HallError as error:
        messages.error(request, str(error.message))
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, _done_message(action, number))
        if action == "call" and number.talent_id:
            # A known talent: straight to intake, pre-filled; the ticket opened there is
            # linked to this visit (``visit_link_ticket``).
            url = _intake_url(number)
            return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    if request.htmx:
        return _render(request, window)
    return redirect(reverse("hall:window") + f"?window={window.pk}")


@hall_staff
@require_POST
def number_return(request, pk: int):
    window = _window(request, request.POST.get("window"))
    number = QueueNumber.objects.filter(pk=pk, centre=window.centre).first()
    if number is None:
        raise Http404
    try:
        services.queue_number_return(number=number, actor=request.user)
    except HallError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("%(number)s is back in line.") % {"number": number.number})
    if request.htmx:
        return _render(request, window)
    return redirect(reverse("hall:window") + f"?window={window.pk}")


@hall_staff
@require_POST
def number_issue(request):
    """A clerk gives a number to someone at the counter (no kiosk needed)."""
    window = _window(request, request.POST.get("window"))
    value = request.POST.get("line", "")
    line = (ServiceLine.objects.filter(centre=window.centre, pk=value).first()
            if value.isdigit() else None)
    if line is None:
        messages.error(request, _("Choose a line for the new number."))
    else:
        try:
            number = services.queue_number_take(line=line, source="clerk", actor=request.user)
        except ValidationError as error:
            for text in error.messages:
                messages.error(request, text)
        else:
            return redirect("hall:slip", token=number.follow_token)
    if request.htmx:
        return _render(request, window)
    return redirect(reverse("hall:window") + f"?window={window.pk}")
