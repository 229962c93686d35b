"""What the status page shows, in plain language: read-only views of a talent's ticket.

Only public timeline events are read; the talent's document number appears masked only.
Everything is built from a constant number of queries per page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from core import clock
from portal import services
from portal.models import Rating
from prereview.models import Attachment, Review
from prereview.notices import latest_notice
from prereview.presenters import notice_lines, review_view, talent_summary
from tickets.material_requests import asked_for
from tickets.models import EventKind, MaterialStatus, Ticket, TimelineEvent

MAX_DAYS_COUNTED = 400


def centre_zone(centre) -> ZoneInfo:
    try:
        return ZoneInfo(centre.time_zone or "Asia/Shanghai")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("Asia/Shanghai")


def local(value: datetime | None, centre) -> datetime | None:
    return timezone.localtime(value, centre_zone(centre)) if value else None


def state_public_label(ticket: Ticket, state_id: str | None = None) -> str:
    try:
        return str(ticket.workflow.state(state_id or ticket.state).public_label)
    except (KeyError, LookupError):
        return state_id or ticket.state


def category_name(ticket: Ticket) -> str:
    try:
        return str(ticket.workflow.name)
    except LookupError:
        return ticket.category


# --- expected date --------------------------------------------------------------------------


@dataclass(frozen=True)
class Expected:
    due: datetime | None  # in the centre's zone
    working_days_left: int | None
    provisional: bool
    paused: bool
    overdue: bool
    done_at: datetime | None  # resolved or closed, in the centre's zone


def working_days_between(centre, start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` at the centre."""
    from sla.clock import schedule_for

    schedule = schedule_for(centre)
    zone = centre_zone(centre)
    count, day = 0, start + timedelta(days=1)
    for _step in range(MAX_DAYS_COUNTED):
        if day > end:
            break
        begin = datetime.combine(day, time.min, tzinfo=zone)
        if schedule.working_time_between(begin, begin + timedelta(days=1)).seconds > 0:
            count += 1
        day += timedelta(days=1)
    return count


def expected(ticket: Ticket, now: datetime | None = None) -> Expected:
    now = now or clock.now()
    done = ticket.resolved_at or ticket.closed_at
    due = local(ticket.resolution_due, ticket.centre)
    days = None
    if due is not None and done is None:
        days = working_days_between(ticket.centre, local(now, ticket.centre).date(), due.date())
    return Expected(
        due=due,
        working_days_left=days,
        provisional=ticket.sla_provisional,
        paused=ticket.sla_paused_at is not None,
        overdue=done is None and ticket.sla_paused_at is None and due is not None and ticket.resolution_due < now,
        done_at=local(done, ticket.centre),
    )


# --- materials ------------------------------------------------------------------------------


@dataclass
class MaterialRow:
    item: object
    label: str
    status: str
    status_label: str
    reason: str
    required: bool
    outstanding: bool
    can_upload: bool
    attachments: list = field(default_factory=list)


def _with_prereview(attachment):
    """The file with its newest pre-review in plain words (what the talent can act on)."""
    reviews = attachment.reviews.all()
    latest = reviews[0] if reviews else None
    attachment.prereview_summary = talent_summary(latest)
    view = review_view(latest)
    attachment.prereview_problems = view.problems if view else ()
    return attachment


def material_rows(ticket: Ticket) -> list[MaterialRow]:
    writable = services.talent_may_write(ticket)
    statuses = dict(MaterialStatus.choices)
    asked = {item.pk for item in asked_for(ticket.materials.all())}
    rows = []
    for item in ticket.materials.all():
        outstanding = item.pk in asked
        rows.append(
            MaterialRow(
                item=item,
                label=item.label,
                status=item.status,
                status_label=str(statuses.get(item.status, item.status)),
                reason=item.reason,
                required=item.required,
                outstanding=outstanding,
                can_upload=writable and item.status != MaterialStatus.RECEIVED,
                attachments=[_with_prereview(a) for a in item.attachments.all()],
            )
        )
    return rows


# --- public timeline ------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicEvent:
    when: datetime
    who: str
    mine: bool
    title: str
    body: str
    kind: str
    attachment_key: str = ""


def _who(event: TimelineEvent) -> str:
    if event.by_talent:
        return _("You")
    officer = getattr(event.actor, "officer", None) if event.actor_id else None
    return officer.display_name if officer else _("Service centre")


def public_timeline(ticket: Ticket, events, labels: dict[str, str]) -> list[PublicEvent]:
    """The talent's view of the timeline: public events only, newest first."""
    items = []
    for event in events:
        if not event.public:  # belt and braces: the query already filters
            continue
        data = event.data or {}
        title, body, key = "", event.body, ""
        if event.kind == EventKind.OPENED:
            title = _("Your request was received")
        elif event.kind == EventKind.TRANSITION:
            title = state_public_label(ticket, event.to_state)
        elif event.kind == EventKind.COMMENT:
            title = _("Message from your officer")
        elif event.kind == EventKind.MATERIAL:
            if event.by_talent:
                continue  # the upload event says it
            label = labels.get(data.get("material"), "")
            status = data.get("to")
            if status == MaterialStatus.RECEIVED:
                title = _("Document received: %(label)s") % {"label": label}
            elif status == MaterialStatus.REJECTED:
                title = _("Document not accepted: %(label)s") % {"label": label}
            else:
                title = _("Document needed again: %(label)s") % {"label": label}
        elif event.kind == EventKind.TALENT_REPLY:
            title = _("Your reply")
        elif event.kind == EventKind.UPLOAD:
            title = _("You uploaded “%(name)s” for %(label)s") % {
                "name": data.get("name", ""), "label": labels.get(data.get("material"), "")
            }
            key = data.get("attachment", "")
        else:
            title = str(EventKind(event.kind).label) if event.kind in EventKind.values else ""
        items.append(
            PublicEvent(
                when=local(event.created_at, ticket.centre),
                who=_who(event),
                mine=event.by_talent,
                title=title,
                body=body,
                kind=event.kind,
                attachment_key=key,
            )
        )
    items.reverse()
    return items


# --- the result -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    """办理结果: what came of an answered or finished case, shown first on its page."""

    outcome: str  # the state's public label ("Answered: …", "Not eligible")
    answer: str  # the officer's words: the note of the closing step, else their last reply
    by: str
    when: datetime | None


def _finishes(ticket: Ticket, state_id: str | None) -> bool:
    try:
        state = ticket.workflow.state(state_id)
    except (KeyError, LookupError):
        return False
    return bool(state.resolved or state.final)


def case_result(ticket: Ticket, events) -> Result | None:
    """The result of a resolved or final ticket (None while it is open): the officer's
    newest public words that answered it — the note of a step into a resolved or final
    state, or a public reply."""
    state = ticket.state_definition
    if not (state.resolved or state.final):
        return None
    answer = None
    for event in reversed(list(events)):  # newest first
        if event.by_talent or not event.public or not (event.body or "").strip():
            continue
        if event.kind == EventKind.COMMENT or (
                event.kind == EventKind.TRANSITION and _finishes(ticket, event.to_state)):
            answer = event
            break
    done = ticket.resolved_at or ticket.closed_at
    return Result(
        outcome=state_public_label(ticket),
        answer=answer.body if answer else "",
        by=_who(answer) if answer else "",
        when=local(answer.created_at if answer else done, ticket.centre),
    )


def shown_materials(ticket: Ticket, materials: list[MaterialRow]) -> list[MaterialRow]:
    """The documents list: once the case is finished, optional items nobody sent are left
    out (nothing more can be uploaded; they only looked like something still owed)."""
    if services.talent_may_write(ticket):
        return materials
    return [row for row in materials
            if row.required or row.attachments or row.status != MaterialStatus.PENDING]


# --- the page -------------------------------------------------------------------------------


def talent_tickets(talent_id: int):
    return Ticket.objects.filter(talent_id=talent_id).select_related("centre").order_by("-created_at", "-pk")


def ticket_for_page(talent_id: int, reference: str) -> Ticket | None:
    """The talent's ticket with what the page shows loaded; None if not theirs."""
    return (
        Ticket.objects.filter(talent_id=talent_id, reference=services.normalise_reference(reference))
        .select_related("talent", "centre", "window", "assignee", "rating")
        .prefetch_related(
            Prefetch(
                "materials__attachments",
                queryset=Attachment.objects.order_by("created_at", "id"),
            ),
            Prefetch("materials__attachments__reviews", queryset=Review.objects.order_by("-created_at", "-id")),
            Prefetch(
                "events",
                queryset=TimelineEvent.objects.filter(public=True)
                .select_related("actor__officer")
                .order_by("created_at", "id"),
                to_attr="public_events",
            ),
        )
        .first()
    )


@dataclass
class OtherTicket:
    """Another ticket of the talent: its reference only, unless this session was opened
    for it too (each ticket needs its own code or link)."""

    reference: str
    opened: bool


def other_tickets(ticket: Ticket, opened: set[int] = frozenset()) -> list[OtherTicket]:
    others = talent_tickets(ticket.talent_id).exclude(pk=ticket.pk).values_list("pk", "reference")[:50]
    return [OtherTicket(reference=reference, opened=pk in opened) for pk, reference in others]


def page_context(ticket: Ticket, opened: set[int] = frozenset()) -> dict:
    state = ticket.state_definition
    materials = material_rows(ticket)
    labels = {row.item.material_id: row.label for row in materials}
    outstanding = [row for row in materials if row.outstanding]
    try:
        rating = ticket.rating
    except Rating.DoesNotExist:
        rating = None
    return {
        "ticket": ticket,
        "category": category_name(ticket),
        "step": str(state.public_label),
        "talent_todo": str(state.talent_todo) if state.talent_todo else "",
        "waiting_on_me": state.pauses_sla,
        "materials": materials,
        "outstanding": outstanding,
        "optional_open": [row for row in materials if row.can_upload and not row.outstanding],
        "expected": expected(ticket),
        "officer": ticket.assignee.display_name if ticket.assignee else "",
        "window": ticket.window.name if ticket.window else "",
        "centre": ticket.centre.name,
        "timeline": public_timeline(ticket, ticket.public_events, labels),
        "result": case_result(ticket, ticket.public_events),
        "documents": shown_materials(ticket, materials),
        "others": other_tickets(ticket, opened),
        "can_write": services.talent_may_write(ticket),
        "can_hand_back": services.hand_back_available(ticket),
        "can_rate": services.talent_may_rate(ticket) and rating is None,
        "rating": rating,
        "masked_document": ticket.talent.masked_document,
        "notice": _notice(ticket, materials),
    }


def _notice(ticket: Ticket, materials: list[MaterialRow]) -> dict | None:
    """The newest one-time notice while something in it is still to do; an item is done
    once the document is received, or sent again after the notice and waiting for review."""
    notice = latest_notice(ticket)
    if notice is None:
        return None
    rows = {row.item.material_id: row for row in materials}
    items = notice_lines(notice.items)
    for item in items:
        row = rows.get(item["material"])
        item["done"] = row is None or row.status == MaterialStatus.RECEIVED or (
            row.status == MaterialStatus.SUBMITTED
            and any(a.created_at > notice.created_at for a in row.attachments))
    if all(item["done"] for item in items):
        return None
    return {"number": notice.number, "sent": local(notice.created_at, ticket.centre), "items": items}
