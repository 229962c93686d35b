"""A ticket's timeline as lines a person reads: who did what, public or internal."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from core.i18n import pick
from prereview.presenters import verdict_label
from tickets.models import EventKind, MaterialStatus, Priority
from workspace.display import action_label, centre_time, state_label


@dataclass
class TimelineItem:
    id: int
    kind: str
    kind_label: str
    public: bool
    who: str
    when: str
    title: str
    body: str


def _who(event, ticket) -> str:
    if event.by_talent:
        return ticket.talent.display_name
    if event.actor is None:
        return _("system")
    officer = getattr(event.actor, "officer", None)
    return officer.display_name if officer else event.actor.get_username()


def _status(value: str) -> str:
    return str(dict(MaterialStatus.choices).get(value, value))


def _title(event, ticket, material_labels: dict[str, str]) -> str:
    data = event.data or {}
    if event.kind == EventKind.OPENED:
        channel = dict(ticket._meta.get_field("channel").flatchoices).get(data.get("channel"), "")
        return _("Opened (%(channel)s), state “%(state)s”") % {
            "channel": channel, "state": state_label(ticket, event.to_state)
        }
    if event.kind == EventKind.TRANSITION:
        title = _("%(action)s: “%(old)s” → “%(new)s”") % {
            "action": action_label(ticket, event.action),
            "old": state_label(ticket, event.from_state),
            "new": state_label(ticket, event.to_state),
        }
        if data.get("requested"):
            asked = "; ".join(material_labels.get(m, m) for m in data["requested"])
            title += " — " + _("asked for: %(list)s") % {"list": asked}
        return title
    if event.kind == EventKind.ASSIGNMENT:
        if not data.get("to_name"):
            return _("Waiting in the queue")
        return _("Assigned to %(name)s") % {"name": data["to_name"]}
    if event.kind == EventKind.MATERIAL:
        label = material_labels.get(data.get("material"), data.get("material", ""))
        return _("%(material)s: %(old)s → %(new)s") % {
            "material": label, "old": _status(data.get("from", "")), "new": _status(data.get("to", ""))
        }
    if event.kind == EventKind.VISIT:
        return _("Hall visit: number %(number)s at %(window)s, waited %(minutes)s min") % {
            "number": data.get("number", ""),
            "window": pick(data.get("window_zh", ""), data.get("window_en", "")),
            "minutes": data.get("waited_minutes", 0),
        }
    if event.kind == EventKind.NOTE and data.get("related"):
        return _("Opened although related tickets exist")
    if event.kind == EventKind.PREREVIEW:
        label = material_labels.get(data.get("material"), data.get("material", ""))
        return _("%(material)s: %(verdict)s") % {"material": label, "verdict": verdict_label(data.get("verdict", ""))}
    if event.kind == EventKind.SLA and event.action == "priority":
        return _("Priority: %(old)s → %(new)s; due times recomputed") % {
            "old": _priority(data.get("from", "")), "new": _priority(data.get("to", ""))}
    return str(EventKind(event.kind).label) if event.kind in EventKind.values else event.kind


def _priority(value: str) -> str:
    return str(dict(Priority.choices).get(value, value))


def _body(event) -> str:
    """The event's text; a routing decision is worded again in the reader's language."""
    routing_data = (event.data or {}).get("routing") if event.kind == EventKind.ASSIGNMENT else None
    if routing_data:
        from tickets import routing

        describe = getattr(routing, "describe", None)
        if describe is not None:
            try:
                return describe(routing_data)
            except (KeyError, TypeError, ValueError):
                pass
    return event.body


def timeline_items(ticket, events, materials) -> list[TimelineItem]:
    labels = {m.material_id: m.label for m in materials}
    items = []
    for event in events:
        items.append(
            TimelineItem(
                id=event.pk,
                kind=event.kind,
                kind_label=str(EventKind(event.kind).label) if event.kind in EventKind.values else event.kind,
                public=event.public,
                who=_who(event, ticket),
                when=centre_time(event.created_at, ticket.centre),
                title=_title(event, ticket, labels),
                body=_body(event),
            )
        )
    return items
