"""The talent portal: status check, signed links, the status page and its three actions
(reply, upload, rate) and attachments.

Every response carries ``Cache-Control: no-store`` and ``Referrer-Policy: no-referrer``
(``portal_page``); a ticket or file of another talent is a 404 like one that does not
exist. A session (a signed cookie, no database row: ``portal.session``) opens only the
tickets it was opened for: the talent's other tickets, and a ticket whose access code was
reset since, ask for the code.
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import activate, get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.i18n import set_language

from core.errors import ActionForbidden
from portal import failures, ratelimit, services, session, status
from portal.csrf import portal_csrf_protect
from portal.forms import CheckForm, RatingForm, ReplyForm, UploadForm, WithdrawForm, apply_errors
from portal.models import FailedCheckReason
from prereview import uploads
from prereview.models import Attachment
from talents.models import AccessKind
from talents.services import sensitive_access_record
from tickets.links import ticket_from_token
from tickets.models import Ticket

LANGUAGE_FOR = {"zh": "zh-hans", "zh-hant": "zh-hant", "en": "en"}


class CodeNeeded(Exception):
    """The talent's own ticket, but this session was not opened for it (or its code was
    reset since): the status check asks for its code."""

    def __init__(self, reference: str) -> None:
        super().__init__(reference)
        self.reference = reference


def _ask_for_code(request, reference: str = "") -> HttpResponseRedirect:
    url = reverse("portal:check")
    if reference:
        url += "?reference=" + services.normalise_reference(reference)
    if request.method == "POST":
        messages.warning(request, _("Your session has ended. Please enter your access code again."))
    return HttpResponseRedirect(url)


def portal_page(view):
    """Portal headers on every answer, and a friendly 404 for anything not yours."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            response = view(request, *args, **kwargs)
        except (Http404, ActionForbidden):
            response = _render(request, "portal/not_found.html", status_code=404)
        except CodeNeeded as needed:
            response = _ask_for_code(request, needed.reference)
        session.portal_save(request, response)  # the signed cookie, when it changed
        add_never_cache_headers(response)  # includes no-store
        response["Referrer-Policy"] = "no-referrer"
        return response

    return wrapped


def _render(request, template: str, context: dict | None = None, *, status_code: int = 200):
    context = dict(context or {})
    context.setdefault("portal_signed_in", session.portal_talent_id(request) is not None)
    return render(request, template, context, status=status_code)


def talent_required(view):
    """The verified talent (``talent_id`` keyword) or a redirect to the status check."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        talent_id = session.portal_talent_id(request)
        if talent_id is None:
            return _ask_for_code(request, kwargs.get("reference") or "")
        return view(request, *args, talent_id=talent_id, **kwargs)

    return wrapped


def _sign_in(request, ticket: Ticket, *, page_language: str | None = None) -> HttpResponseRedirect:
    """Start the talent's session and go to the ticket's clean address (no token in it).

    The language stays the visitor's: the one the check page was read in
    (``page_language``), else — a first visit through a signed link — the one the talent
    chose at the window, until they switch."""
    session.portal_login(request, ticket)
    response = redirect("portal:ticket", reference=ticket.reference)
    if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
        language = page_language or LANGUAGE_FOR.get(ticket.talent.preferred_language,
                                                     settings.LANGUAGE_CODE)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax", secure=settings.SESSION_COOKIE_SECURE, httponly=False,
        )
        activate(language)
    return response


# --- status check and signed links ----------------------------------------------------------


def _check_page(request, form, *, status_code=200, retry_after=None, failed=False):
    talent_id = session.portal_talent_id(request)
    context = {
        "form": form,
        "failed": failed,
        "mine": list(status.talent_tickets(talent_id)) if talent_id else [],
        "retry_after": retry_after,
        "retry_minutes": (retry_after + 59) // 60 if retry_after else None,
    }
    opened = session.portal_opened_ids(request)
    for ticket in context["mine"]:  # the others are listed by reference only
        ticket.portal_opened = ticket.pk in opened
        if ticket.portal_opened:
            ticket.portal_category = status.category_name(ticket)
            ticket.portal_step = status.state_public_label(ticket)
    context["portal_signed_in"] = talent_id is not None
    response = _render(request, "portal/check.html", context, status_code=status_code)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


@portal_page
@portal_csrf_protect
@require_http_methods(["GET", "POST"])
def check(request):
    """Reference + access code. An unknown reference and a wrong code get the same answer;
    failures count per client address and per reference, and past the limit the answer is
    429 with ``Retry-After`` before any code is checked."""
    if request.method == "GET":
        return _check_page(request, CheckForm(initial={"reference": request.GET.get("reference", "")[:30]}))

    form = CheckForm(request.POST)
    address = ratelimit.client_address(request)
    reference = services.normalise_reference(request.POST.get("reference", ""))
    waits = [ratelimit.per_address().blocked(address)]
    if reference:
        waits.append(ratelimit.per_reference().blocked(reference))
    wait = max((w for w in waits if w), default=None)
    if wait:
        form = CheckForm(initial={"reference": reference})
        return _check_page(request, form, status_code=429, retry_after=wait)
    if not form.is_valid():
        return _check_page(request, form, status_code=400)

    ticket = services.portal_verify(reference=form.cleaned_data["reference"], code=form.cleaned_data["code"])
    if ticket is None:
        ratelimit.per_address().fail(address)
        ratelimit.per_reference().fail(form.cleaned_data["reference"])
        failures.status_check_failed(reason=FailedCheckReason.WRONG_CODE, address=address,
                                     reference=form.cleaned_data["reference"])
        # The same page whether the reference exists or not: the reference typed, no code.
        form = CheckForm(initial={"reference": form.cleaned_data["reference"]})
        return _check_page(request, form, failed=True)
    ratelimit.per_reference().reset(ticket.reference)
    return _sign_in(request, ticket, page_language=get_language())


@portal_page
@require_GET
def link(request, token: str):
    """The signed link of a receipt's QR code or a notification: opens the ticket without
    typing; an expired or revoked link asks for the access code instead."""
    ticket = ticket_from_token(token)
    if ticket is None:
        return _render(request, "portal/link_expired.html", {"form": CheckForm()})
    return _sign_in(request, ticket)


@portal_page
@portal_csrf_protect
@require_POST
def language(request):
    """The zh/en switch of every portal page (Django's ``set_language`` behind the
    portal's CSRF check, see ``portal.csrf``); the choice is kept in the language cookie."""
    return set_language(request)


@portal_page
@portal_csrf_protect
@require_POST
def logout(request):
    session.portal_logout(request)
    messages.info(request, _("You have left the status pages on this device."))
    return redirect("portal:check")


# --- the status page and its actions --------------------------------------------------------


def _ticket_or_404(request, talent_id: int, reference: str) -> Ticket:
    """The talent's ticket if this session was opened for it under its current code; 404
    for anyone else's; ``CodeNeeded`` for the talent's other tickets."""
    ticket = status.ticket_for_page(talent_id, reference)
    if ticket is None:
        raise Http404
    if not session.portal_may_open(request, ticket):
        raise CodeNeeded(ticket.reference)
    return ticket


def _render_ticket(request, ticket: Ticket, *, status_code=200, **forms):
    context = status.page_context(ticket, opened=session.portal_opened_ids(request))
    context.update(
        reply_form=forms.get("reply_form") or ReplyForm(initial={"hand_back": context["waiting_on_me"]}),
        rating_form=forms.get("rating_form") or RatingForm(),
        upload_form=UploadForm(),
        upload_error_for=forms.get("upload_error_for"),
        upload_errors=forms.get("upload_errors") or [],
        max_mb=uploads.max_bytes() // (1024 * 1024),
    )
    context["can_withdraw"] = services.withdraw_available(ticket)
    context["show_todo"] = context["can_write"] and bool(context["talent_todo"] or context["outstanding"])
    context["portal_signed_in"] = True
    return _render(request, "portal/ticket.html", context, status_code=status_code)


@portal_page
@require_GET
@talent_required
def ticket(request, reference: str, talent_id: int):
    return _render_ticket(request, _ticket_or_404(request, talent_id, reference))


def _write_allowed(request, talent_id: int) -> int | None:
    """Seconds to wait when this session wrote too much; None when it may write."""
    limit = ratelimit.per_talent_writes()
    wait = limit.blocked(str(talent_id))
    if wait is None:
        limit.fail(str(talent_id))
    return wait


def _too_many_writes(request, ticket, wait):
    messages.error(request, _("Too many messages in a short time. Please try again in %(minutes)d minutes.")
                   % {"minutes": (wait + 59) // 60})
    response = _render_ticket(request, ticket, status_code=429)
    response["Retry-After"] = str(wait)
    return response


@portal_page
@portal_csrf_protect
@require_POST
@talent_required
def reply(request, reference: str, talent_id: int):
    ticket = _ticket_or_404(request, talent_id, reference)
    form = ReplyForm(request.POST)
    if form.is_valid():
        if (wait := _write_allowed(request, talent_id)) is not None:
            return _too_many_writes(request, ticket, wait)
        try:
            services.portal_reply(ticket=ticket, talent=ticket.talent, body=form.cleaned_data["body"],
                                  hand_back=form.cleaned_data["hand_back"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Your reply was sent to your officer."))
            return redirect("portal:ticket", reference=ticket.reference)
    return _render_ticket(request, ticket, status_code=400, reply_form=form)


@portal_page
@portal_csrf_protect
@require_POST
@talent_required
def hand_back(request, reference: str, talent_id: int):
    ticket = _ticket_or_404(request, talent_id, reference)
    try:
        services.portal_hand_back(ticket=ticket, talent=ticket.talent)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return _render_ticket(request, ticket, status_code=400)
    messages.success(request, _("Thank you. Your officer will continue with your case."))
    return redirect("portal:ticket", reference=ticket.reference)


@portal_page
@csrf_exempt  # the CSRF check runs inside, after the size-limited upload handler is in place
def upload(request, reference: str, material_id: int):
    request.upload_handlers.insert(0, uploads.LimitedUploadHandler(request))
    return _upload(request, reference=reference, material_id=material_id)


@portal_csrf_protect
@require_POST
@talent_required
def _upload(request, reference: str, material_id: int, talent_id: int):
    ticket = _ticket_or_404(request, talent_id, reference)
    material = next((m for m in ticket.materials.all() if m.pk == material_id), None)
    if material is None:
        raise Http404
    form = UploadForm(request.POST, request.FILES)
    errors: list[str] = []
    if getattr(request, "upload_too_large", False):
        errors = [uploads.too_large_message()]
    elif not form.is_valid():
        errors = [message for messages_ in form.errors.values() for message in messages_]
    elif (wait := _write_allowed(request, talent_id)) is not None:
        return _too_many_writes(request, ticket, wait)
    else:
        try:
            services.portal_upload(ticket=ticket, talent=ticket.talent, material=material,
                                   upload=form.cleaned_data["file"])
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _("Thank you. We received “%(name)s”.") % {"name": material.label})
            return redirect("portal:ticket", reference=ticket.reference)
    return _render_ticket(request, ticket, status_code=400, upload_error_for=material.pk,
                          upload_errors=errors)


@portal_page
@portal_csrf_protect
@require_POST
@talent_required
def rate(request, reference: str, talent_id: int):
    ticket = _ticket_or_404(request, talent_id, reference)
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            services.portal_rate(ticket=ticket, talent=ticket.talent, score=form.cleaned_data["score"],
                                 comment=form.cleaned_data["comment"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Thank you for your rating."))
            return redirect("portal:ticket", reference=ticket.reference)
    return _render_ticket(request, ticket, status_code=400, rating_form=form)


@portal_page
@portal_csrf_protect
@require_http_methods(["GET", "POST"])
@talent_required
def withdraw(request, reference: str, talent_id: int):
    """Confirm, with a reason, and withdraw the talent's own case (``portal_withdraw``)."""
    ticket = _ticket_or_404(request, talent_id, reference)
    context = {"ticket": ticket, "category": status.category_name(ticket), "portal_signed_in": True,
               "can_withdraw": services.withdraw_available(ticket)}
    if request.method == "GET":
        return _render(request, "portal/withdraw.html", {**context, "form": WithdrawForm()})
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.portal_withdraw(ticket=ticket, talent=ticket.talent, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Your request was withdrawn."))
            return redirect("portal:ticket", reference=ticket.reference)
    return _render(request, "portal/withdraw.html", {**context, "form": form}, status_code=400)


# --- files ----------------------------------------------------------------------------------


def _downloader(request, attachment: Attachment) -> str | None:
    """Who may have the file: ``"talent"`` (its own upload), ``"staff"`` (the ticket is in
    their scope), else None."""
    talent_id = session.portal_talent_id(request)
    if talent_id is not None and session.portal_may_open(request, attachment.ticket):
        return "talent"
    user = request.user
    if user.is_authenticated and Ticket.objects.visible_to(user).filter(pk=attachment.ticket_id).exists():
        return "staff"
    return None


@portal_page
@require_GET
def attachment(request, key):
    """A talent's upload, to its talent or to staff whose scope includes the ticket; a
    staff download is written to the sensitive-access log.

    Always a download (``Content-Disposition: attachment``) with ``nosniff``, under a name
    whose extension matches the checked type."""
    item = Attachment.objects.select_related("ticket__talent").filter(key=key).first()
    who = _downloader(request, item) if item is not None else None
    if who is None:
        raise Http404
    try:
        handle = uploads.open_stored(item.stored_name)  # FileResponse closes it
    except FileNotFoundError:
        raise Http404 from None
    if who == "staff":
        sensitive_access_record(kind=AccessKind.DOWNLOAD, actor=request.user,
                                talent=item.ticket.talent, ticket=item.ticket,
                                detail=item.original_name)
    response = FileResponse(handle, as_attachment=True, filename=item.original_name,
                            content_type=item.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
