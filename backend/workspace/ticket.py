"""The ticket page: talent panel, workflow actions, comments, materials (with the talent's
uploads), priority, reassignment, messages to the talent, timeline and history. Every POST calls one service; refusals (someone else was faster,
the state moved on, the role may not) come back as a message with the fresh state."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from core.errors import ActionForbidden, ClaimConflict, InvalidTransition, StaleVersion, TicketError
from knowledge.services import knowledge_reply, knowledge_source
from prereview.models import Attachment
from prereview.notices import latest_notice, notice_items
from prereview.presenters import notice_lines, review_view
from prereview.queries import latest_by_file_and_material
from tickets import permissions
from tickets.access import access_code_display
from tickets.material_requests import REQUEST_ACTION, asked_for
from tickets.models import MaterialStatus, Ticket
from tickets.services import (
    material_update,
    ticket_access_code_reset,
    ticket_assign,
    ticket_claim,
    ticket_comment,
    ticket_document_reveal,
    ticket_set_priority,
    ticket_transition,
)
from workspace import inbox
from workspace.access import staff_required
from workspace.display import action_label, category_label, deadline_badges, state_label
from workspace.forms import (
    ActionForm,
    AssignForm,
    CommentForm,
    MaterialForm,
    PriorityForm,
    RevealForm,
    add_service_errors,
)
from workspace.history import ticket_history
from workspace.receipts import remember_access_code
from workspace.timeline import timeline_items

TEMPLATE = "workspace/ticket.html"
PARTIALS = {"ticket-main", "ticket-tabs", "talent-document", "ticket-access-code", "ticket-comment"}
TABS = ("timeline", "history")


def _scope(request):
    return Ticket.objects.visible_to(request.user).select_related(
        "talent__dedicated_officer", "assignee", "centre", "window"
    )


def _get(request, reference: str) -> Ticket:
    return get_object_or_404(_scope(request), reference=reference)


def ticket_context(request, ticket: Ticket, **extra) -> dict:
    role = request.role
    workflow = ticket.workflow
    tab = extra.pop("tab", None) or request.GET.get("tab")
    tab = tab if tab in TABS else "timeline"
    materials = list(ticket.materials.all())
    material_errors = extra.pop("material_errors", {})
    material_reasons = extra.pop("material_reasons", {})
    upload_errors = extra.pop("upload_errors", {})
    # The talent's uploads, one query, each shown next to its material.
    uploads: dict[int, list] = {}
    for attachment in Attachment.objects.filter(ticket=ticket).only(
        "key", "material_id", "original_name", "content_type", "size", "by_talent", "created_at"
    ).order_by("created_at", "id"):
        uploads.setdefault(attachment.material_id, []).append(attachment)
    # Pre-review advice next to each file, and what a one-time notice would list now.
    by_file, by_material = latest_by_file_and_material(ticket)
    for files in uploads.values():
        for attachment in files:
            attachment.prereview = review_view(by_file.get(attachment.pk))
    notice_preview = notice_lines(notice_items(ticket, materials=materials, reviews=by_material))
    for item in materials:  # a refused reject keeps what was typed, next to its row
        item.form_error = material_errors.get(item.pk)
        item.upload_error = upload_errors.get(item.pk)
        item.typed_reason = material_reasons.get(item.pk, "")
        item.uploads = uploads.get(item.pk, [])
    events = ticket.events.select_related("actor__officer").order_by("created_at", "id")
    can_assign = permissions.may_assign(request.user, ticket)
    can_prioritise = permissions.may_set_priority(request.user, ticket)
    context = {
        "ticket": ticket,
        "role": role,
        "workflow": workflow,
        "state_label": state_label(ticket),
        "public_label": str(ticket.state_definition.public_label),
        "category": category_label(ticket),
        "badges": deadline_badges(ticket),
        "knowledge_uses": list(ticket.knowledge_uses.select_related("article", "template")),
        "fast_track": ticket.fast_track_rule,
        "targets": workflow.sla_target(ticket.priority, ticket.fast_track),
        "actions": [
            {"action": t.action, "label": str(t.label), "style": t.style,
             "comment_required": t.comment_required, "requires_materials": t.requires_materials}
            for t in workflow.actions_for(ticket.state, role)
        ],
        "action_form": ActionForm(),
        "comment_form": CommentForm(),
        "reveal_form": RevealForm(),
        "materials": materials,
        "notice_preview": notice_preview,
        "last_notice": latest_notice(ticket),
        "required_missing": [m for m in materials if m.required and m.status != MaterialStatus.RECEIVED],
        # The request for materials names its items: those not received can be ticked; the
        # ones asked for now (tickets.material_requests) come ticked.
        "request_action": REQUEST_ACTION,
        "requestable": [m for m in materials if m.status != MaterialStatus.RECEIVED],
        "asked_now": {m.material_id for m in asked_for(materials) if m.requested},
        "can_claim": permissions.may_claim(request.user, ticket),
        "can_assign": can_assign,
        "assign_form": AssignForm(centre=ticket.centre, ticket=ticket,
                                  initial={"officer": ticket.assignee_id, "version": ticket.version})
        if can_assign else None,
        "can_prioritise": can_prioritise,
        "priority_form": PriorityForm(initial={"priority": ticket.priority, "version": ticket.version})
        if can_prioritise else None,
        "tab": tab,
        "timeline": timeline_items(ticket, events, materials) if tab == "timeline" else [],
        "history": ticket_history(ticket) if tab == "history" else [],
        "revealed": None,
        "new_code": None,
    }
    context.update(extra)
    return context


@staff_required()
@require_GET
def ticket_detail(request, reference: str):
    ticket = _get(request, reference)
    target = request.htmx.target if request.htmx else None
    template = f"{TEMPLATE}#{target}" if target in PARTIALS else TEMPLATE
    return render(request, template, ticket_context(request, ticket))


def _fresh(request, reference: str, *, errors: bool = False, **extra):
    """Answer a POST with the ticket as it is now: the main panel for htmx, else the page
    (re-shown with the input and its errors, or by redirect when all went well)."""
    ticket = _scope(request).filter(reference=reference).first()
    if ticket is None:
        # The ticket left this person's scope meanwhile (e.g. someone else took it).
        url = reverse("workspace:home")
        return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    if request.htmx:
        return render(request, f"{TEMPLATE}#ticket-main", ticket_context(request, ticket, **extra))
    if errors or extra:
        status = 422 if errors else 200
        return render(request, TEMPLATE, ticket_context(request, ticket, **extra), status=status)
    return redirect("workspace:ticket", reference=reference)


def _stale(request, reference: str, error: StaleVersion):
    """A form filled in on an older version: nothing was written; the person gets the
    ticket as it is now (fresh forms, current values) and a warning — 409 for a plain
    form post; htmx swaps only 2xx answers, so it gets the fresh panel with 200."""
    messages.warning(request, str(error.message))
    ticket = _scope(request).filter(reference=reference).first()
    if ticket is None:
        return _fresh(request, reference)
    if request.htmx:
        return render(request, f"{TEMPLATE}#ticket-main", ticket_context(request, ticket))
    return render(request, TEMPLATE, ticket_context(request, ticket), status=409)


def _refusal(request, error: Exception, ticket: Ticket | None = None) -> None:
    if isinstance(error, InvalidTransition):
        state = state_label(ticket, error.current_state) if ticket else error.current_state
        messages.warning(
            request,
            _("The ticket changed meanwhile: it is now “%(state)s”. Here is its current state.")
            % {"state": state},
        )
    elif isinstance(error, ClaimConflict):
        messages.warning(request, str(error.message))
    elif isinstance(error, TicketError):
        messages.error(request, str(error.message))


@staff_required()
@require_POST
def ticket_act(request, reference: str):
    ticket = _get(request, reference)
    form = ActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an action."))
        return _fresh(request, reference)
    action = form.cleaned_data["action"]
    requested = form.cleaned_data["requested"] if action == REQUEST_ACTION else None
    try:
        ticket_transition(ticket=ticket, action=action, actor=request.user, note=form.cleaned_data["note"],
                          requested=requested)
    except InvalidTransition as error:
        _refusal(request, error, ticket)
        return _fresh(request, reference)
    except ActionForbidden as error:
        _refusal(request, error)
        return _fresh(request, reference)
    except ValidationError as error:
        bound = ActionForm(request.POST)
        bound.is_valid()
        if hasattr(error, "error_dict"):
            for name, msgs in error.message_dict.items():
                bound.add_error("note" if name == "note" else None, msgs)
        else:
            bound.add_error(None, error.messages)
        return _fresh(request, reference, errors=True, action_form=bound)
    messages.success(request, _("Done: %(action)s.") % {"action": action_label(ticket, action)})
    return _fresh(request, reference)


@staff_required()
@require_POST
def ticket_claim_view(request, reference: str):
    ticket = permissions.claim_lookup(request.user).filter(reference=reference).first()
    if ticket is None:
        raise Http404
    try:
        ticket_claim(ticket=ticket, actor=request.user)
        messages.success(request, _("You now hold %(reference)s.") % {"reference": reference})
    except (ClaimConflict, ActionForbidden) as error:
        _refusal(request, error)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    if request.htmx and request.htmx.target == "work-lists":
        return render(request, f"{inbox.TEMPLATE}#work-lists", inbox.work_context(request, request.POST))
    if request.POST.get("next") == "work":
        return redirect("workspace:my_work")
    return _fresh(request, reference)


@staff_required()
@require_POST
def ticket_comment_view(request, reference: str):
    ticket = _get(request, reference)
    form = CommentForm(request.POST)
    if form.is_valid():
        public = form.cleaned_data["visibility"] == "public"
        try:
            source = knowledge_source(form.cleaned_data["article"], form.cleaned_data["template"])
            if public and source:
                knowledge_reply(ticket=ticket, actor=request.user, body=form.cleaned_data["body"], **source)
            else:
                ticket_comment(ticket=ticket, actor=request.user, body=form.cleaned_data["body"], public=public)
        except ValidationError as error:
            add_service_errors(form, error, non_field_to="body")
        except ActionForbidden as error:
            _refusal(request, error)
            return _fresh(request, reference)
        else:
            messages.success(request, _("Reply sent to the talent.") if form.cleaned_data["visibility"] == "public"
                             else _("Internal note added."))
            return _fresh(request, reference)
    return _fresh(request, reference, errors=True, comment_form=form)


@staff_required()
@require_POST
def ticket_material(request, reference: str, material_id: int):
    ticket = _get(request, reference)
    material = get_object_or_404(ticket.materials, pk=material_id)
    form = MaterialForm(request.POST)
    error_text = None
    if form.is_valid():
        try:
            material_update(material=material, actor=request.user, status=form.cleaned_data["status"],
                            reason=form.cleaned_data["reason"])
        except ValidationError as error:
            error_text = " ".join(error.messages)
        except ActionForbidden as error:
            _refusal(request, error)
            return _fresh(request, reference)
        else:
            messages.success(request, _("%(material)s: %(status)s.") % {
                "material": material.label, "status": dict(MaterialStatus.choices)[form.cleaned_data["status"]]
            })
            return _fresh(request, reference)
    else:
        error_text = _("Choose received, rejected or pending.")
    return _fresh(request, reference, errors=True, material_errors={material.pk: error_text},
                  material_reasons={material.pk: request.POST.get("reason", "")})


@staff_required()
@require_POST
def ticket_assign_view(request, reference: str):
    ticket = _get(request, reference)
    form = AssignForm(request.POST, centre=ticket.centre, ticket=ticket)
    if form.is_valid():
        try:
            ticket_assign(ticket=ticket, officer=form.cleaned_data["officer"], actor=request.user,
                          reason=form.cleaned_data["reason"], expected_version=form.cleaned_data["version"],
                          confirm_missing_skill=form.cleaned_data["confirm_missing_skill"])
        except StaleVersion as error:
            return _stale(request, reference, error)
        except ValidationError as error:
            add_service_errors(form, error, non_field_to="officer")
        except ActionForbidden as error:
            _refusal(request, error)
            return _fresh(request, reference)
        else:
            officer = form.cleaned_data["officer"]
            messages.success(request, _("Assigned to %(name)s.") % {"name": officer.display_name}
                             if officer else _("Returned to the queue."))
            return _fresh(request, reference)
    return _fresh(request, reference, errors=True, assign_form=form)


@staff_required()
@require_POST
def ticket_reveal(request, reference: str):
    """Show the full document number once, recording who saw it and why (a reason is
    required: an empty one is refused with the form's message, nothing recorded)."""
    ticket = _get(request, reference)
    form = RevealForm(request.POST)
    target = "talent-document" if request.htmx else None
    template = f"{TEMPLATE}#{target}" if target else TEMPLATE
    if not form.is_valid():
        return render(request, template, ticket_context(request, ticket, reveal_form=form),
                      status=200 if request.htmx else 422)
    try:
        number = ticket_document_reveal(ticket=ticket, actor=request.user,
                                        reason=form.cleaned_data["reason"])
    except ActionForbidden as error:
        _refusal(request, error)
        return _fresh(request, reference)
    except ValidationError as error:
        add_service_errors(form, error, non_field_to="reason")
        return render(request, template, ticket_context(request, ticket, reveal_form=form),
                      status=200 if request.htmx else 422)
    return render(request, template, ticket_context(request, ticket, revealed=number))


@staff_required()
@require_POST
def ticket_code_reset(request, reference: str):
    """A new access code, shown once; the old code and status links stop working."""
    ticket = _get(request, reference)
    try:
        code = ticket_access_code_reset(ticket=ticket, actor=request.user)
    except ActionForbidden as error:
        _refusal(request, error)
        return _fresh(request, reference)
    if request.htmx:
        ticket.refresh_from_db()
        return render(request, f"{TEMPLATE}#ticket-access-code",
                      ticket_context(request, ticket, new_code=access_code_display(code)))
    remember_access_code(request, ticket, code)
    messages.success(request, _("A new access code was issued; the previous code no longer works."))
    return redirect("workspace:receipt", reference=reference)


@staff_required()
@require_POST
def ticket_priority(request, reference: str):
    """A new priority; the service recomputes the due times, which the fresh panel shows."""
    ticket = _get(request, reference)
    form = PriorityForm(request.POST)
    if form.is_valid():
        old = capfirst(ticket.get_priority_display())
        try:
            ticket = ticket_set_priority(ticket=ticket, priority=form.cleaned_data["priority"],
                                         actor=request.user, reason=form.cleaned_data["reason"],
                                         expected_version=form.cleaned_data["version"])
        except StaleVersion as error:
            return _stale(request, reference, error)
        except ValidationError as error:
            add_service_errors(form, error, non_field_to="priority")
        except ActionForbidden as error:
            _refusal(request, error)
            return _fresh(request, reference)
        else:
            messages.success(request, _("Priority: %(old)s → %(new)s; the due times were recomputed.") % {
                "old": old, "new": capfirst(ticket.get_priority_display())})
            return _fresh(request, reference)
    return _fresh(request, reference, errors=True, priority_form=form)
