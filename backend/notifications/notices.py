"""In-app notices for staff: written with the event, read in the workspace."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from core import clock
from core.i18n import pick
from notifications.models import Notice, NoticeKind

# What makes two notices "the same" besides recipient, kind and ticket.
_SAME_WHEN_EQUAL = ("target", "event_kind", "username")


def unread_duplicate(*, recipient, kind: str, ticket=None, data: dict | None = None) -> bool:
    """The recipient has not yet read a notice saying the same thing (same kind, same
    ticket, same target / talent action / account): a second one would only repeat it."""
    same = Notice.objects.filter(recipient=recipient, kind=kind, read_at__isnull=True)
    same = same.filter(ticket=ticket) if ticket is not None else same.filter(ticket__isnull=True)
    for name in _SAME_WHEN_EQUAL:
        if name in (data or {}):
            same = same.filter(**{f"data__{name}": data[name]})
    return same.exists()


def notice_add(*, recipient, kind: str, ticket=None, data: dict | None = None,
               dedupe_key: str | None = None) -> Notice | None:
    """Leave a notice for one officer (in the caller's transaction). Nothing (None) when
    ``dedupe_key`` was used before, or when an unread notice already says the same thing
    (``unread_duplicate``): the list shows each matter once."""
    if kind not in NoticeKind.values:
        raise ValueError(f"unknown notice kind {kind!r}")
    if dedupe_key and Notice.objects.filter(dedupe_key=dedupe_key).exists():
        return None
    if unread_duplicate(recipient=recipient, kind=kind, ticket=ticket, data=data):
        return None
    return Notice.objects.create(recipient=recipient, kind=kind, ticket=ticket,
                                 data=data or {}, created_at=clock.now(), dedupe_key=dedupe_key)


def notices_for(officer, *, unread_only: bool = False):
    """An officer's notices, newest first, with their tickets (constant queries)."""
    notices = Notice.objects.filter(recipient=officer).select_related("ticket")
    return notices.filter(read_at__isnull=True) if unread_only else notices


def unread_count(officer) -> int:
    return Notice.objects.filter(recipient=officer, read_at__isnull=True).count()


@transaction.atomic
def notice_mark_read(*, officer, notice_ids=None) -> int:
    """Mark the officer's notices read (all unread ones when ``notice_ids`` is None)."""
    notices = Notice.objects.filter(recipient=officer, read_at__isnull=True)
    if notice_ids is not None:
        notices = notices.filter(pk__in=list(notice_ids))
    return notices.update(read_at=clock.now())


def notice_text(notice: Notice) -> str:
    """The notice in the reader's language (rendered from its kind and data)."""
    d = notice.data or {}
    reference = d.get("reference") or (notice.ticket.reference if notice.ticket_id else "")
    target = _target_label(d.get("target", ""))
    if notice.kind == NoticeKind.SLA_WARNING:
        return _("%(reference)s: %(share)s%% of the %(target)s time has passed; due %(due)s.") % {
            "reference": reference, "share": d.get("share", 75), "target": target,
            "due": d.get("due_local", "")}
    if notice.kind == NoticeKind.SLA_BREACH:
        holder = d.get("assignee_name") or _("nobody")
        return _("%(reference)s: the %(target)s deadline %(due)s was missed (held by %(holder)s).") % {
            "reference": reference, "target": target, "due": d.get("due_local", ""), "holder": holder}
    if notice.kind == NoticeKind.QUEUED:
        return _("%(reference)s waits unassigned: %(reason)s") % {
            "reference": reference, "reason": _routing_reason(d)}
    if notice.kind == NoticeKind.HANDED_OVER:
        return _("%(reference)s was handed over to you: %(reason)s") % {
            "reference": reference, "reason": _routing_reason(d)}
    if notice.kind == NoticeKind.OPENED_FOR_SUPERVISORS:
        return _("%(reference)s: a new %(category)s ticket was opened.") % {
            "reference": reference, "category": pick(**d.get("category_label", {"zh": "", "en": ""}))}
    if notice.kind == NoticeKind.DUPLICATE_TALENT:
        names = d.get("names") or ["", ""]
        return _("Possible duplicate talent records: %(first)s and %(second)s.") % {
            "first": names[0], "second": names[1]}
    if notice.kind == NoticeKind.TALENT_ACTED:
        if d.get("event_kind") == "upload":
            return _("%(reference)s: the talent uploaded a document.") % {"reference": reference}
        if d.get("event_kind") == "rating":
            return _("%(reference)s: the talent rated the service.") % {"reference": reference}
        return _("%(reference)s: the talent answered.") % {"reference": reference}
    if notice.kind == NoticeKind.LOW_RATING:
        return _("%(reference)s: the talent rated the service %(score)s of 5; please follow up.") % {
            "reference": reference, "score": d.get("score", "?")}
    if notice.kind == NoticeKind.SIGNIN_LOCKED:
        return _("Sign-in to %(name)s (%(username)s) is locked for %(minutes)s minutes after "
                 "%(failures)s wrong passwords or codes from %(address)s. If it was not them, "
                 "someone is guessing: tell them and check the account.") % {
            "name": d.get("display_name") or d.get("username", ""), "username": d.get("username", ""),
            "minutes": d.get("minutes", ""), "failures": d.get("failures", ""),
            "address": d.get("address", "")}
    if notice.kind == NoticeKind.DELIVERY_FAILED:
        return _("%(reference)s: the %(channel)s to %(to)s could not be delivered (%(error)s).") % {
            "reference": reference or "—", "channel": _channel_label(d.get("channel", "")),
            "to": d.get("to", ""),
            "error": d.get("error", "")}
    return reference


def _channel_label(channel: str) -> str:
    from notifications.models import Channel

    return str(Channel(channel).label) if channel in Channel.values else channel


def _target_label(target: str) -> str:
    return {"first_response": _("first response"), "resolution": _("resolution")}.get(target, target)


def _routing_reason(data: dict) -> str:
    from staff.routing_reasons import describe

    routing = data.get("routing")
    return describe(routing) if isinstance(routing, dict) else ""
