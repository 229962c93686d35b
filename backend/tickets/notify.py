"""What each event of a ticket tells whom. Called inside the services' transactions.

Talents get e-mail and/or SMS in their preferred language (zh or en) from the templates
in ``frontend/templates/notifications/talent/``; staff get in-app notices (rendered in
the reader's language) and, for queue and deadline alerts, an e-mail. Every message row
has a ``dedupe_key``: a service or scan that runs twice writes nothing twice.
"""

from __future__ import annotations

from django.conf import settings
from django.template import Context, Engine
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from core.i18n import pick
from core.masking import mask_documents
from notifications.models import Channel, NoticeKind
from notifications.notices import notice_add, notice_text
from notifications.outbox import outbox_add, outbox_add_many
from notifications.recipients import supervisors_to_alert as supervisors_of
from staff.models import Officer, Role
from tickets.access import access_code_display
from tickets.material_requests import asked_for

TALENT_EVENTS = ("ticket_opened", "material_requested", "reply", "resolved", "status_changed",
                 "access_code")


# --- the talent ---------------------------------------------------------------------------


def talent_language(talent) -> str:
    """The language of a talent's messages: 'zh', 'zh-hant' or 'en' (the template suffix)."""
    return talent.preferred_language if talent.preferred_language in ("en", "zh-hant") else "zh"


_lang = talent_language


def _django_lang(lang: str) -> str:
    return {"en": "en", "zh-hant": "zh-hant"}.get(lang, "zh-hans")


def talent_context(ticket, lang: str, **extra) -> dict:
    from tickets.links import status_url

    workflow = ticket.workflow
    try:
        state = workflow.state(ticket.state).public_label.get(lang)
    except KeyError:
        state = ticket.state
    return {
        "ticket": ticket,
        "reference": ticket.reference,
        "subject": mask_documents(ticket.subject, [ticket.talent.document_number]),
        "talent_name": ticket.talent.display_name,
        "category": workflow.name.get(lang),
        "state": state,
        "centre": pick(ticket.centre.name_zh, ticket.centre.name_en, lang),
        "status_url": status_url(ticket),
        **extra,
    }


def render_talent_message(event: str, lang: str, context: dict) -> dict[str, str]:
    """Subject, e-mail body and SMS text of a talent message in ``lang`` (zh, zh-hant or en)."""
    name = f"notifications/talent/{event}.{lang}.txt"
    with translation.override(_django_lang(lang)):
        return {part: render_text(f"{name}#{part}", context) for part in ("subject", "body", "sms")}


def render_text(template_name: str, context: dict) -> str:
    """Render a plain-text template (or one of its partials) without HTML escaping."""
    engine = Engine.get_default()
    return engine.get_template(template_name).render(Context(context, autoescape=False)).strip()


def _to_talent(ticket, event: str, *, key: str, fresh_keys: bool = False, **extra) -> list:
    talent = ticket.talent
    lang = _lang(talent)
    if extra.get("note"):
        extra["note"] = mask_documents(extra["note"], [talent.document_number])
    text = render_talent_message(event, lang, talent_context(ticket, lang, **extra))
    messages = []
    if talent.email:
        messages.append(dict(event=event, channel=Channel.EMAIL, to=talent.email,
                             subject=text["subject"], body=text["body"], language=lang,
                             ticket=ticket, talent=talent, dedupe_key=f"{key}:email"))
    if talent.phone and (event != "reply" or not talent.email):
        # Replies can be long: SMS only when there is no e-mail address to carry them.
        messages.append(dict(event=event, channel=Channel.SMS, to=talent.phone,
                             body=text["sms"], language=lang, ticket=ticket, talent=talent,
                             dedupe_key=f"{key}:sms"))
    return outbox_add_many(messages, fresh_keys=fresh_keys)


def notify_ticket_opened(*, ticket, access_code: str | None = None) -> list:
    """Tell the talent the request was received (reference, what happens next, link).
    With ``access_code`` (an online application: no printed receipt) the code too."""
    code = access_code_display(access_code) if access_code else ""
    # The keys name a ticket created in this transaction: no row can hold them yet.
    return _to_talent(ticket, "ticket_opened", key=f"opened:{ticket.pk}", fresh_keys=True,
                      access_code=code)


def notify_access_code(*, ticket, access_code: str) -> list:
    """The reference and a new access code, by SMS only, to the talent's phone (a caller
    handed no receipt). One message per code issued (the dedupe key is the issue time)."""
    talent = ticket.talent
    if not talent.phone:
        return []
    lang = _lang(talent)
    text = render_talent_message("access_code", lang, talent_context(ticket, lang, access_code=access_code))
    row = outbox_add(event="access_code", channel=Channel.SMS, to=talent.phone, body=text["sms"],
                     language=lang, ticket=ticket, talent=talent,
                     dedupe_key=f"code:{ticket.pk}:{ticket.access_code_issued_at.isoformat()}:sms")
    return [row] if row is not None else []


def notify_supervisors_of_opening(*, ticket) -> list:
    """A new ticket of a category the supervisors watch (``notify_supervisors_on_open`` in
    its workflow, e.g. complaints): an in-app notice for each active supervisor of the
    ticket's centre, once per ticket and supervisor."""
    if not ticket.workflow.notify_supervisors_on_open:
        return []
    name = ticket.workflow.name  # both languages: the notice is read in the reader's
    data = {"reference": ticket.reference, "category": ticket.category,
            "category_label": {"zh": name.zh, "en": name.en}}
    supervisors = Officer.objects.filter(centre=ticket.centre_id, role=Role.SUPERVISOR, user__is_active=True)
    notices = [notice_add(recipient=supervisor, kind=NoticeKind.OPENED_FOR_SUPERVISORS, ticket=ticket,
                          data=data, dedupe_key=f"opened:{ticket.pk}:{supervisor.pk}")
               for supervisor in supervisors.order_by("pk")]
    return [notice for notice in notices if notice is not None]


def notify_ticket_transition(*, ticket, event, transition, by_talent: bool = False) -> list:
    """After a workflow action: tell the talent when the workflow says so (material
    requested, resolved, other status changes); tell the assignee when the talent acted."""
    if by_talent:
        _talent_acted(ticket, event)
        return []
    if not transition.notify_talent:
        return []
    target = ticket.workflow.state(transition.target)
    if target.pauses_sla:
        name = "material_requested"
    elif target.resolved:
        name = "resolved"
    else:
        name = "status_changed"
    lang = _lang(ticket.talent)
    missing = [pick(m.label_zh, m.label_en, lang) for m in asked_for(ticket.materials.all())]
    todo = target.talent_todo.get(lang) if target.talent_todo else ""
    return _to_talent(ticket, name, key=f"event:{event.pk}", note=event.body, missing=missing,
                      todo=todo)


def notify_ticket_reply(*, ticket, event) -> list:
    """A public reply of the officer to the talent."""
    return _to_talent(ticket, "reply", key=f"event:{event.pk}", note=event.body)


def notify_talent_acted(*, ticket, event) -> None:
    """The talent replied or uploaded (portal): the assignee gets an in-app notice."""
    _talent_acted(ticket, event)


def _talent_acted(ticket, event) -> None:
    if ticket.assignee_id is not None:
        notice_add(recipient=ticket.assignee, kind=NoticeKind.TALENT_ACTED, ticket=ticket,
                   data={"reference": ticket.reference, "event": event.pk,
                         "event_kind": event.kind},
                   dedupe_key=f"talent:{event.pk}")


# --- staff --------------------------------------------------------------------------------


def staff_ticket_url(ticket) -> str:
    try:
        path = reverse("workspace:ticket", kwargs={"reference": ticket.reference})
    except NoReverseMatch:
        path = f"/tickets/{ticket.reference}/"
    return settings.TALENTDESK_PUBLIC_BASE_URL.rstrip("/") + path


def _staff_message(officer, notice, *, event: str, key: str) -> None:
    """An e-mail copy of a notice, in the staff default language (Chinese)."""
    if not officer.user.email:
        return
    with translation.override(settings.LANGUAGE_CODE):
        text = notice_text(notice)
        centre = officer.centre.name  # the product's name is the centre's, as the talent's messages
        body = render_text("notifications/staff/notice_email.txt",
                           {"text": text, "url": staff_ticket_url(notice.ticket)
                            if notice.ticket_id else "", "officer": officer, "centre": centre})
    outbox_add(event=event, channel=Channel.EMAIL, to=officer.user.email,
               subject=f"[{centre}] {text}"[:250], body=body.strip(), language="zh",
               ticket=notice.ticket, officer=officer, dedupe_key=f"{key}:email")


def notify_routing(*, ticket, decision, event=None, handed_over: bool = False) -> None:
    """A waiting ticket: the supervisors are told. A hand-over: the new holder is told."""
    data = {"reference": ticket.reference, "routing": decision.data}
    key = f"route:{event.pk}" if event is not None else None
    if decision.officer is None:
        for supervisor in supervisors_of(ticket.centre):
            notice = notice_add(recipient=supervisor, kind=NoticeKind.QUEUED, ticket=ticket,
                                data=data, dedupe_key=f"{key}:{supervisor.pk}" if key else None)
            if notice is not None:
                _staff_message(supervisor, notice, event="queued",
                               key=f"{key or 'route'}:{supervisor.pk}:{notice.pk}")
    elif handed_over:
        notice_add(recipient=decision.officer, kind=NoticeKind.HANDED_OVER, ticket=ticket,
                   data=data, dedupe_key=f"{key}:{decision.officer.pk}" if key else None)


def notify_sla_alert(*, ticket, alert, due_local: str) -> list:
    """A warning goes to the assignee (the supervisors when nobody holds the ticket); a
    breach goes to the supervisors. In-app notice plus e-mail, once per alert."""
    from sla.clock import WARN_SHARE
    from sla.models import AlertKind

    data = {"reference": ticket.reference, "target": alert.target, "due_local": due_local,
            "share": int(WARN_SHARE * 100),
            "assignee_name": ticket.assignee.display_name if ticket.assignee_id else ""}
    if alert.kind == AlertKind.WARNING:
        kind = NoticeKind.SLA_WARNING
        people = [ticket.assignee] if ticket.assignee_id else supervisors_of(ticket.centre)
    else:
        kind = NoticeKind.SLA_BREACH
        people = supervisors_of(ticket.centre)
    notices = []
    for person in people:
        key = f"sla:{alert.pk}:{person.pk}"
        notice = notice_add(recipient=person, kind=kind, ticket=ticket, data=data, dedupe_key=key)
        if notice is not None:
            notices.append(notice)
            _staff_message(person, notice, event=kind, key=key)
    return notices
