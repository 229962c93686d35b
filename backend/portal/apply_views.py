"""Online applications on the portal (``/status/apply/``), phone first:

1. ``apply_start`` — the mobile number; a one-time code is sent (the same answer whether
   or not the number is on record). ``apply_verify`` — the code: a talent with the number
   on record goes on to the request, anyone else registers (``apply_register``).
2. ``apply_request`` — the request in the talent's own words; the guidance suggestion
   (category, the words that weighed, materials, expected time) and the most relevant
   policy answers (即问即答: "this answered my question" ends there, no ticket); the talent
   confirms or picks another category; an open case of the same category is shown before
   submitting (opening anyway is allowed and recorded); ``apply_suggest`` is its htmx
   refresh as they type.
3. ``apply_done`` — the reference and access code, shown once; the session is signed in to
   the new case, whose page takes the documents (the existing upload and pre-review path).

The proven phone and who is applying live in the session (``APPLY_KEY``) for
``VERIFIED_FOR`` seconds after the code.
"""

from __future__ import annotations

import secrets
import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core import clock
from core.errors import IdempotencyConflict
from core.ratelimit import client_address
from guidance.services import guidance_suggest, reader_language
from knowledge.relevant import relevant_articles, script_of, self_answer_record
from portal import applications, phone_codes, session, status
from portal.apply_forms import CodeForm, PhoneForm, RegisterForm, RequestForm
from portal.csrf import portal_csrf_protect
from portal.forms import apply_errors
from portal.views import _render, portal_page
from talents.models import Talent, mask_phone
from tickets.access import access_code_display
from tickets.models import Channel, Ticket

APPLY_KEY = "talentdesk_apply"
DONE_KEY = "talentdesk_apply_done"
VERIFIED_FOR = 1800  # seconds after the code during which the phone counts as proven
REQUEST_PARTIAL = "portal/apply_request.html#apply-guidance"


# --- the application's state in the session ---------------------------------------------


def _state(request) -> dict:
    """The live application (proven phone and who applies), or {}."""
    data = request.session.get(APPLY_KEY)
    if not isinstance(data, dict) or not data.get("phone"):
        return {}
    try:
        fresh = time.time() - float(data["verified_at"]) <= VERIFIED_FOR
    except (KeyError, TypeError, ValueError):
        fresh = False
    if not fresh:
        request.session.pop(APPLY_KEY, None)
        return {}
    return data


def _update(request, **changes) -> dict:
    data = {**_state(request), **changes}
    request.session[APPLY_KEY] = data
    return data


def _applicant(state: dict) -> Talent | None:
    """The proven talent (phone on record) or the record a document matched."""
    pk = state.get("talent") or state.get("matched")
    return Talent.objects.select_related("centre", "dedicated_officer__centre").filter(pk=pk).first() if pk else None


def _code_context(form, phone: str) -> dict:
    return {"form": form, "masked_phone": mask_phone(phone) if phone else "",
            "code_minutes": settings.TALENTDESK_PHONE_CODE_TTL // 60}


def _too_many(request, template: str, context: dict, wait: int):
    context["retry_minutes"] = (wait + 59) // 60
    response = _render(request, template, context, status_code=429)
    response["Retry-After"] = str(wait)
    return response


# --- 1. phone and code ----------------------------------------------------------------------


@portal_page
@portal_csrf_protect
@require_http_methods(["GET", "POST"])
def apply_start(request):
    if request.method == "GET":
        return _render(request, "portal/apply_phone.html", {"form": PhoneForm()})
    form = PhoneForm(request.POST)
    if not form.is_valid():
        return _render(request, "portal/apply_phone.html", {"form": form}, status_code=400)
    phone = form.cleaned_data["phone"]
    try:
        phone_codes.phone_code_send(phone=phone, address=client_address(request), language=get_language())
    except phone_codes.TooManyCodes as limit:
        return _too_many(request, "portal/apply_phone.html", {"form": form}, limit.wait)
    return _render(request, "portal/apply_code.html", _code_context(CodeForm(initial={"phone": phone}), phone))


@portal_page
@portal_csrf_protect
@require_POST
def apply_verify(request):
    form = CodeForm(request.POST)
    if not form.is_valid():
        return _render(request, "portal/apply_code.html", _code_context(form, ""), status_code=400)
    phone = form.cleaned_data["phone"]
    context = _code_context(form, phone)
    try:
        proven = phone_codes.phone_code_verify(phone=phone, code=form.cleaned_data["code"],
                                               address=client_address(request))
    except phone_codes.TooManyCodes as limit:
        return _too_many(request, "portal/apply_code.html", context, limit.wait)
    if not proven:
        form.add_error("code", _("The code is not right, or it has expired. Check the SMS or ask for a new code."))
        return _render(request, "portal/apply_code.html", context, status_code=400)
    talent = applications.talent_for_phone(phone)
    request.session.cycle_key()
    request.session[APPLY_KEY] = {"phone": phone, "verified_at": time.time(),
                                  "talent": talent.pk if talent else None, "token": secrets.token_urlsafe(24)}
    return redirect("portal:apply_request" if talent else "portal:apply_register")


# --- 2. a new applicant -------------------------------------------------------------------


@portal_page
@portal_csrf_protect
@require_http_methods(["GET", "POST"])
def apply_register(request):
    state = _state(request)
    if not state:
        return redirect("portal:apply")
    if state.get("talent"):
        return redirect("portal:apply_request")
    if request.method == "GET":
        page = get_language() or ""
        initial = {"preferred_language": "en" if page == "en" else "zh-hant" if page == "zh-hant" else "zh"}
        return _render(request, "portal/apply_register.html", {"form": RegisterForm(initial=initial),
                                                                "masked_phone": mask_phone(state["phone"])})
    form = RegisterForm(request.POST)
    if not form.is_valid():
        return _render(request, "portal/apply_register.html", {"form": form, "masked_phone": mask_phone(state["phone"])},
                       status_code=400)
    fields = {name: form.cleaned_data[name] for name in RegisterForm.Meta.fields}
    name = fields["native_name"] or fields["latin_name"]
    match = applications.registration_match(document_type=fields["document_type"],
                                            document_number=fields["document_number"])
    if match is None:
        _update(request, new={**fields, "phone": state["phone"]}, matched=None, name=name)
    elif state["phone"] in phone_codes.phone_variants(match.phone) or match.phone in phone_codes.phone_variants(state["phone"]):
        _update(request, talent=match.pk, new=None, matched=None)
    else:
        # Registered with another phone: the record is used, never shown (see applications).
        _update(request, matched=match.pk, new=None, name=name)
    return redirect("portal:apply_request")


# --- 3. the request -------------------------------------------------------------------------


def _guidance(text: str, chosen: str) -> dict:
    """Suggestions, the other categories and the relevant answers for ``text``."""
    language = reader_language()
    ranked = guidance_suggest(text=text, language=language, limit=99)
    top = ranked[:3]
    chosen = chosen or (top[0].category if top and top[0].confident else "")
    script = script_of(language)
    articles = relevant_articles(text=text, categories=[s.category for s in top],
                                 today=timezone.localdate(clock.now()), language=language)
    return {
        "suggestions": top,
        "others": sorted(ranked[3:], key=lambda s: s.name),
        "chosen": chosen,
        "confident": bool(top) and top[0].confident,
        "suggested_keys": ",".join(s.category for s in top),
        "articles": [(a.key, a.title(script)) for a in articles],
    }


def _request_context(request, state: dict, form, **extra) -> dict:
    talent = _applicant(state) if state.get("talent") else None
    context = {"form": form, "applicant": talent.display_name if talent else state.get("name", ""),
               "masked_phone": mask_phone(state["phone"]), "suggestions": [], "articles": []}
    context.update(extra)
    return context


def _identified(state: dict) -> bool:
    return bool(state.get("talent") or state.get("new") or state.get("matched"))


@portal_page
@portal_csrf_protect
@require_http_methods(["GET", "POST"])
def apply_request(request):
    state = _state(request)
    if not state:
        return redirect("portal:apply")
    if not _identified(state):
        return redirect("portal:apply_register")
    if request.method == "GET":
        form = RequestForm(initial={"token": state["token"]})
        return _render(request, "portal/apply_request.html", _request_context(request, state, form))

    form = RequestForm(request.POST)
    if not form.is_valid():
        form.data = form.data.copy()
        form.data["token"] = state["token"]
        return _render(request, "portal/apply_request.html", _request_context(request, state, form), status_code=400)
    text = form.cleaned_data["description"]
    try:
        guidance = _guidance(text, form.cleaned_data["category"])
    except ValidationError as error:
        form.add_error("description", error.messages)
        return _render(request, "portal/apply_request.html", _request_context(request, state, form), status_code=400)
    context = _request_context(request, state, form, **guidance)

    if answered := request.POST.get("answered"):
        try:
            self_answer_record(article_key=answered, suggested_category=guidance["suggestions"][0].category
                               if guidance["suggestions"] else "", language=get_language(), channel=Channel.ONLINE)
        except ValidationError as error:
            apply_errors(form, error)
            return _render(request, "portal/apply_request.html", context, status_code=400)
        return _render(request, "portal/apply_answered.html", {"article_key": answered})
    if request.POST.get("action") != "submit":
        return _render(request, "portal/apply_request.html", context)
    return _submit(request, state, form, context)


def _submit(request, state: dict, form, context: dict):
    category = form.cleaned_data["category"]
    known = {s.category for s in context["suggestions"]} | {s.category for s in context["others"]}
    if category not in known:
        form.add_error("category", _("Choose the service your request is about."))
        return _render(request, "portal/apply_request.html", context, status_code=400)
    if (state.get("talent") and request.POST.get("anyway") != "1"
            and not applications.already_submitted(form.cleaned_data["token"])):
        duplicates = applications.open_duplicates(talent_id=state["talent"], category=category)
        if duplicates:
            context["duplicates"] = duplicates
            return _render(request, "portal/apply_request.html", context)
    talent = _applicant(state)
    try:
        submitted = applications.application_submit(
            category=category, description=form.cleaned_data["description"], token=form.cleaned_data["token"],
            suggested=(request.POST.get("suggested") or "").split(","),
            talent=talent, new_talent=None if talent else state.get("new"),
            unproven_phone=state["phone"] if state.get("matched") else "",
        )
    except IdempotencyConflict:
        form.add_error(None, _("This form was already sent with other content. Please check your cases."))
        return _render(request, "portal/apply_request.html", context, status_code=422)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            label = RegisterForm.base_fields[field].label if field in RegisterForm.base_fields else ""
            form.add_error(None, [f"{label}: {m}" if label else m for m in messages])
        return _render(request, "portal/apply_request.html", context, status_code=400)
    ticket = submitted.ticket
    if submitted.disclosed:
        session.portal_login(request, ticket)
        _update(request, talent=ticket.talent_id, new=None, matched=None, token=secrets.token_urlsafe(24))
        done = {"ticket": ticket.pk, "code": access_code_display(submitted.access_code) if submitted.access_code else ""}
    else:
        _update(request, token=secrets.token_urlsafe(24))
        done = {"ticket": None}
    request.session[DONE_KEY] = done
    return redirect("portal:apply_done")


@portal_page
@portal_csrf_protect
@require_POST
def apply_suggest(request):
    """The guidance block as the talent types (htmx): suggestions and answers."""
    state = _state(request)
    context = {"suggestions": [], "articles": [], "guidance_error": ""}
    text = (request.POST.get("description") or "").strip()
    if state and _identified(state) and len(text) >= 4:
        try:
            context.update(_guidance(text, (request.POST.get("category") or "")[:40]))
        except ValidationError as error:
            context["guidance_error"] = error.messages[0]
    return _render(request, REQUEST_PARTIAL, context)


# --- 4. done --------------------------------------------------------------------------------


@portal_page
@require_GET
def apply_done(request):
    """Reference and access code, once: a reload goes to the talent's cases."""
    done = request.session.pop(DONE_KEY, None)
    if not isinstance(done, dict):
        return redirect("portal:check")
    if not done.get("ticket"):
        return _render(request, "portal/apply_done.html", {"undisclosed": True})
    ticket = Ticket.objects.select_related("talent", "centre").prefetch_related("materials").filter(
        pk=done["ticket"]).first()
    if ticket is None or session.portal_talent_id(request) != ticket.talent_id:
        return redirect("portal:check")
    return _render(request, "portal/apply_done.html", {
        "ticket": ticket, "access_code": done.get("code", ""), "category": status.category_name(ticket),
        "materials": list(ticket.materials.all()), "portal_signed_in": True,
    })
