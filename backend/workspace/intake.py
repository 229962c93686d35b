"""Intake at the window or on the hotline: find or register the talent, open the ticket,
hand out the receipt. The form keeps everything typed; a double click opens one ticket."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core import clock
from core.errors import ActionForbidden, IdempotencyConflict
from flows.registry import current_workflows
from guidance.services import guidance_choice_record
from hall.access import SESSION_WINDOW as HALL_WINDOW_KEY
from hall.access import duty_window
from hall.services import visit_link_ticket
from prereview.related import related_before_opening, related_note, related_tickets
from talents.models import Talent, normalise_document_number
from talents.services import talent_search
from tickets.models import Channel, Ticket
from tickets.permissions import opening_windows
from tickets.references import reference_from
from tickets.services import answers_on_the_spot, ticket_open, ticket_open_answered
from workspace.access import officer_of, staff_required
from workspace.display import centre_zone
from workspace.forms import (
    NEW_TALENT,
    IntakeForm,
    NewTalentForm,
    add_service_errors,
    new_client_token,
)
from workspace.receipts import remember_access_code

TEMPLATE = "workspace/intake.html"
PARTIALS = {"talent-results", "intake-materials", "intake-related", "intake-talent-tickets"}
SEARCH_LIMIT = 10
TALENT_TICKETS_LIMIT = 10
HOTLINE_KEY = "workspace_hotline"


def _search(request, text: str, selected: Talent | None) -> dict:
    """The same directory search as the API (``talents.services.talent_search``); a whole
    ticket reference (``tickets.references``) finds that ticket's talent when the ticket
    is in the user's scope (and reads as not found otherwise, as in the top-bar search)."""
    reference = reference_from(text) if text else None
    found_ticket = None
    if not text:
        results = []
    elif reference is not None:
        found_ticket = (Ticket.objects.visible_to(request.user).filter(reference=reference)
                        .select_related("talent__dedicated_officer").first())
        results = [found_ticket.talent] if found_ticket is not None else []
    else:
        found = talent_search(actor=request.user, text=text).select_related("dedicated_officer")
        results = list(found.order_by("latin_name", "native_name", "pk")[:SEARCH_LIMIT])
    if selected is not None and selected not in results:
        results.insert(0, selected)
    return {"results": results, "reference": reference, "found_ticket": found_ticket}


def _talent_tickets(request, talent_value) -> list[Ticket]:
    """The open tickets of the chosen talent that this person may see (links at intake)."""
    if not (talent_value or "").isdigit():
        return []
    return list(Ticket.objects.visible_to(request.user).open().filter(talent_id=int(talent_value))
                .select_related("talent").order_by("-created_at", "-pk")[:TALENT_TICKETS_LIMIT])


def _selected_talent(request, value: str | None) -> Talent | None:
    if value and value.isdigit():
        scope = Talent.objects.visible_to(request.user).select_related("dedicated_officer")
        return scope.filter(pk=value).first()
    return None


def _identity_required(category: str | None) -> bool:
    """The chosen category's workflow needs the talent's nationality (region) and document
    (a question does not: a caller's name and phone are enough); unknown: it does."""
    workflow = current_workflows().get(category or "")
    return workflow.identity_required if workflow is not None else True


def _default_channel(request) -> str:
    asked = request.GET.get("channel")
    if asked in (Channel.WINDOW, Channel.HOTLINE):
        return asked
    return Channel.HOTLINE if request.session.get(HOTLINE_KEY) else Channel.WINDOW


def _context(request, form, new_form, *, query="", talent_value=None, category=None):
    selected = _selected_talent(request, talent_value)
    workflow = current_workflows().get(category or "")
    officer = officer_of(request.user)
    today = timezone.localtime(clock.now(), centre_zone(officer.centre if officer else None))
    recent = (
        Ticket.objects.visible_to(request.user)
        .filter(created_by=request.user, created_at__gte=today.replace(hour=0, minute=0, second=0))
        .select_related("talent", "centre")
        .order_by("-created_at", "-pk")[:8]
        if officer is not None
        else Ticket.objects.none()
    )
    return {
        "form": form,
        "new_form": new_form,
        "query": query,
        **_search(request, query, selected),
        "talent_tickets": _talent_tickets(request, talent_value),
        "talent_value": talent_value or "",
        "new_talent_value": NEW_TALENT,
        "workflow": workflow,
        "on_the_spot": answers_on_the_spot(category or ""),
        "received": set(form["materials"].value() or []) if form.is_bound else set(),
        "on_hotline": request.session.get(HOTLINE_KEY, False),
        "recent": recent,
        "related": _related(request, talent_value, category, form["subject"].value() or ""),
        "now": clock.now(),
    }


def _related(request, talent_value, category, subject):
    """This talent's open ticket of the category or recent one with a similar subject,
    among the tickets this person may see: told before they submit."""
    if not (talent_value or "").isdigit() or category not in current_workflows():
        return []
    return related_tickets(talent_id=int(talent_value), category=category, subject=subject[:200],
                           scope=Ticket.objects.visible_to(request.user))


def _render(request, context, status=200):
    target = request.htmx.target if request.htmx else None
    template = f"{TEMPLATE}#{target}" if target in PARTIALS else TEMPLATE
    return render(request, template, context, status=status)


@staff_required()
@require_http_methods(["GET", "POST"])
def intake(request):
    windows = opening_windows(request.user)
    if request.method == "GET":
        return _intake_get(request, windows)

    form = IntakeForm(request.POST, windows=windows, user=request.user)
    new_form = NewTalentForm(request.POST, prefix="new", identity=_identity_required(request.POST.get("category")))
    query = request.POST.get("q", "").strip()
    talent_value = request.POST.get("talent")
    category = request.POST.get("category")
    use = request.POST.get("_use_talent", "")
    if use.isdigit():
        # "Use the existing record" after a duplicate document: that talent chosen, the
        # rest of the form as typed, nothing submitted yet.
        data = request.POST.copy()
        data["talent"] = use
        form = IntakeForm(data, windows=windows, user=request.user)
        context = _context(request, _unvalidated(form), NewTalentForm(prefix="new"), query=query,
                           talent_value=use, category=category)
        return _render(request, context)
    if "_refresh" in request.POST:
        # Without JavaScript: "search" / "show the checklist" re-show the page, keeping input.
        context = _context(request, _unvalidated(form), _unvalidated(new_form), query=query,
                           talent_value=talent_value, category=category)
        return _render(request, context)

    valid = form.is_valid()
    new_talent = form.is_new_talent
    valid = (new_form.is_valid() if new_talent else True) and valid
    if valid:
        done = _open_ticket(request, form, new_form if new_talent else None)
        if done is not None:
            return done
    context = _context(request, form, new_form if new_talent else NewTalentForm(prefix="new"),
                       query=query, talent_value=talent_value, category=category)
    context["existing_talent"] = getattr(new_form, "existing_talent", None) if new_talent else None
    return _render(request, context, status=422 if not request.htmx else 200)


def _unvalidated(form):
    """A bound form shown back as typed, without error messages (nothing was submitted)."""
    form._errors = {}
    form.cleaned_data = {}
    return form


def _intake_get(request, windows):
    query = request.GET.get("q", "").strip()
    talent_value = request.GET.get("talent")
    category = request.GET.get("category") or ""
    target = request.htmx.target if request.htmx else None
    if target == "talent-results":
        # Active search: only the results (a constant three queries).
        selected = _selected_talent(request, talent_value)
        return _render(request, {
            **_search(request, query, selected),
            "query": query, "talent_value": talent_value or "", "new_talent_value": NEW_TALENT,
        })
    if target == "intake-talent-tickets":
        return _render(request, {"talent_tickets": _talent_tickets(request, talent_value)})
    if target == "intake-related":
        return _render(request, {"related": _related(request, talent_value, category,
                                                     request.GET.get("subject", ""))})
    if target == "intake-materials":
        return _render(request, {
            "workflow": current_workflows().get(category), "received": set(request.GET.getlist("materials")),
            "on_the_spot": answers_on_the_spot(category),
        })
    initial = {
        "client_token": new_client_token(),
        "channel": _default_channel(request),
        "window": getattr(duty_window(request.user, windows, chosen=request.session.get(HALL_WINDOW_KEY)),
                          "pk", None),
        "priority": "normal",
    }
    if category:
        initial["category"] = category
    form = IntakeForm(initial=initial, windows=windows, user=request.user)
    context = _context(request, form, NewTalentForm(prefix="new"), query=query,
                       talent_value=talent_value, category=category)
    return _render(request, context)


def _open_ticket(request, form, new_form):
    """Open through ``ticket_open`` with the form's token as the idempotency key: a
    repeated submission (double click, browser retry) shows the first ticket's receipt;
    the same token with other content is refused and the form gets a fresh token."""
    data = form.cleaned_data
    talent = form.talent_obj if new_form is None else None
    # 即办: opened, answered and closed in one step (the answer is required there).
    on_the_spot = "_on_the_spot" in request.POST
    open_service = (partial(ticket_open_answered, answer=data["answer"]) if on_the_spot else ticket_open)
    try:
        with transaction.atomic():
            # opened although related tickets exist: noted on it, in the opening's INSERT
            note = related_note(related_before_opening(talent=talent, category=data["category"],
                                                       subject=data["subject"]))
            opened = open_service(
                actor=request.user,
                talent=talent,
                new_talent=new_form.cleaned_data if new_form is not None else None,
                category=data["category"],
                channel=data["channel"],
                subject=data["subject"],
                description=data["description"],
                priority=data["priority"],
                window=data["window"],
                materials_received=data["materials"],
                idempotency_key=data["client_token"],
                note=note,
            )
            if opened.created:
                # linked to the hall visit the clerk is serving, if any
                visit_link_ticket(actor=request.user, ticket=opened.ticket)
                # the categories suggested as the clerk typed, and the choice
                guidance_choice_record(ticket=opened.ticket, actor=request.user,
                                       suggested=request.POST.get("guidance_suggested", "").split(","))
    except ValidationError as error:
        if new_form is not None and "document_number" in getattr(error, "error_dict", {}):
            # before the errors go on the form (which drops the field's cleaned value)
            new_form.existing_talent = _registered_with(request, new_form.cleaned_data)
        _apply_errors(error, form, new_form)
        return None
    except IdempotencyConflict as error:
        form.add_error(None, str(error.message))
        form.data = form.data.copy()
        form.data["client_token"] = new_client_token()
        return None
    except ActionForbidden as error:
        messages.error(request, str(error.message))
        return None
    if opened.access_code:
        remember_access_code(request, opened.ticket, opened.access_code)
    return redirect("workspace:receipt", reference=opened.ticket.reference)


def _registered_with(request, data) -> Talent | None:
    """The talent in this person's directory already registered with the new talent's
    document: found by the directory's search (so the look-up is recorded as a search by
    document number), offered as "use the existing record"."""
    number = normalise_document_number(data.get("document_number") or "")
    if not number:
        return None
    return (talent_search(actor=request.user, text=number, presented=False)
            .filter(document_type=data.get("document_type"), document_number=number).first())


def _apply_errors(error: ValidationError, form, new_form) -> None:
    """The service names fields of the ticket or of the new talent: each goes next to its
    field; what names neither sits on the new talent's document number (a duplicate
    registration) or on top of the form."""
    if new_form is not None and hasattr(error, "error_dict"):
        talent_part = {k: v for k, v in error.error_dict.items() if k in new_form.fields or k == "__all__"}
        ticket_part = {k: v for k, v in error.error_dict.items() if k not in talent_part}
        if talent_part:
            add_service_errors(new_form, ValidationError(talent_part), non_field_to="document_number")
        if ticket_part:
            add_service_errors(form, ValidationError(ticket_part))
        return
    add_service_errors(form, error)


@staff_required()
@require_POST
def hotline(request):
    """The clerk's "I'm on the hotline" switch: new intakes default to the hotline channel."""
    on = request.POST.get("on") == "1"
    request.session[HOTLINE_KEY] = on
    messages.info(request, _("You are on the hotline: new tickets use the hotline channel.")
                  if on else _("You are at the window: new tickets use the window channel."))
    return redirect("workspace:intake")
