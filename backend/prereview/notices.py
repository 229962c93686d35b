"""The one-time notice (一次性告知): one message listing everything still needed and why.

``notice_items`` states the rule once — a required document not yet provided, one the
officer rejected (with the officer's reason), one whose newest upload pre-review failed
(with the failing checks' reasons). ``notice_issue`` freezes that list into a ``Notice``,
puts it on the public timeline and sends it by e-mail and SMS in the talent's language
through the outbox. Nothing open, or exactly what the last notice said: refused, so the
talent is never told the same thing twice.

It is sent on demand by staff (``notice_issue``) and automatically by the system once
pre-review of a batch of uploads completes with a failure (``notice_after_prereview``).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core import clock
from core.errors import ActionForbidden
from core.i18n import TRADITIONAL, to_traditional
from core.system import system_user
from notifications.models import Channel
from notifications.outbox import outbox_add
from prereview.models import Notice, Review, Verdict
from prereview.queries import latest_reviews
from staff.models import role_of
from staff.permissions import STAFF_ROLES
from tickets.models import EventKind, MaterialStatus, Ticket
from tickets.notify import render_talent_message, talent_context, talent_language
from tickets.services import ticket_log

EVENT = "one_time_notice"


def notice_items(ticket: Ticket, *, materials=None, reviews=None) -> list[dict]:
    """What is still needed from the talent now, each with its reasons in zh and en.
    ``materials`` and ``reviews`` (newest per material) when the caller has them loaded."""
    materials = list(ticket.materials.all()) if materials is None else materials
    reviews = latest_reviews(materials) if reviews is None else reviews
    items = []
    for material in materials:
        reasons: list[dict] = []
        if material.status == MaterialStatus.REJECTED:
            reasons.append({"zh": f"未被受理：{material.reason}", "en": f"Not accepted: {material.reason}"})
        elif material.status == MaterialStatus.PENDING and material.required:
            reasons.append({"zh": "尚未提交。", "en": "Not provided yet."})
        elif material.status == MaterialStatus.SUBMITTED:
            review = reviews.get(material.pk)
            if review is not None and review.verdict == Verdict.FAIL:
                reasons += [check["reason"] for check in review.checks if check.get("outcome") == "fail"]
        if reasons:
            items.append({"material": material.material_id,
                          "label": {"zh": material.label_zh, "en": material.label_en},
                          "status": material.status, "reasons": reasons})
    return items


def _comparable(items: list[dict]) -> list:
    return [(item["material"], [r["en"] for r in item["reasons"]]) for item in items]


def notice_text(items: list[dict], lang: str) -> str:
    """The list as plain text in one language (timeline, e-mail)."""
    lines = []
    key = "en" if lang == "en" else "zh"  # stored in zh and en; zh-hant reads the zh converted
    for number, item in enumerate(items, start=1):
        reasons = (" ".join if lang == "en" else "".join)(r[key] for r in item["reasons"])
        separator = ": " if lang == "en" else "："
        lines.append(f"{number}. {item['label'][key]}{separator}{reasons}")
    text = "\n".join(lines)
    return to_traditional(text) if lang == TRADITIONAL else text


@transaction.atomic
def notice_issue(*, ticket: Ticket, actor) -> Notice:
    """Send the talent one notice of everything still needed. Locks the ticket; refuses
    when nothing is open or nothing changed since the last notice; records the notice,
    a public timeline event and the e-mail and SMS (outbox, after commit)."""
    if role_of(actor) not in STAFF_ROLES:
        raise ActionForbidden()
    ticket = Ticket.objects.visible_to(actor).select_for_update().filter(pk=ticket.pk).first()
    if ticket is None:
        raise ActionForbidden(_("This ticket is not in your scope."))
    if ticket.is_final:
        raise ValidationError({"notice": [_("The ticket is closed.")]})
    items = notice_items(ticket)
    if not items:
        raise ValidationError({"notice": [_("Nothing is missing: every required document is in.")]})
    last = latest_notice(ticket)
    if last is not None and _comparable(last.items) == _comparable(items):
        raise ValidationError({"notice": [
            _("The talent was already told exactly this in notice %(number)d.") % {"number": last.number}]})
    return _record(ticket, items, last, actor=actor)


def notice_after_prereview(*, ticket: Ticket) -> Notice | None:
    """The automatic notice, called by ``prereview.services`` in the transaction that records
    a finished review, with the ticket locked. When no upload of the ticket waits for its
    pre-review any more (the batch is complete) and a submitted document failed it, the
    talent gets one notice of everything still open (failed, rejected and never sent),
    from the system. One notice per batch, not one per file; a redelivered task finds its
    review finished and never gets here, and a notice identical to the last is not sent."""
    if ticket.is_final or Review.objects.filter(ticket=ticket, finished_at__isnull=True).exists():
        return None
    items = notice_items(ticket)
    if not any(item["status"] == MaterialStatus.SUBMITTED for item in items):
        return None  # nothing failed pre-review: the officer decides when to tell the rest
    last = latest_notice(ticket)
    if last is not None and _comparable(last.items) == _comparable(items):
        return None
    return _record(ticket, items, last, actor=system_user())


def _record(ticket: Ticket, items: list[dict], last: Notice | None, *, actor) -> Notice:
    now = clock.now()
    notice = Notice.objects.create(ticket=ticket, number=(last.number + 1) if last else 1, items=items,
                                   created_by=actor, created_at=now)
    lang = talent_language(ticket.talent)
    ticket_log(ticket=ticket, kind=EventKind.NOTICE, actor=actor, public=True,
               body=notice_text(items, lang),
               data={"notice": notice.number, "materials": [item["material"] for item in items]})
    _send(ticket, notice, lang)
    return notice


def _send(ticket: Ticket, notice: Notice, lang: str) -> None:
    talent = ticket.talent
    context = talent_context(ticket, lang, items=notice.items, number=notice.number,
                             listing=notice_text(notice.items, lang))
    text = render_talent_message(EVENT, lang, context)
    key = f"notice:{ticket.pk}:{notice.number}"
    if talent.email:
        outbox_add(event=EVENT, channel=Channel.EMAIL, to=talent.email, subject=text["subject"],
                   body=text["body"], language=lang, ticket=ticket, talent=talent,
                   dedupe_key=f"{key}:email")
    if talent.phone:
        outbox_add(event=EVENT, channel=Channel.SMS, to=talent.phone, body=text["sms"], language=lang,
                   ticket=ticket, talent=talent, dedupe_key=f"{key}:sms")


def latest_notice(ticket: Ticket) -> Notice | None:
    return ticket.notices.order_by("-number").first()
