"""``{% load notifications %}``: the unread-notice link for the staff header, and a
ticket's outgoing messages with their delivery state (failed ones stand out)."""

from django import template

from notifications.labels import event_label
from notifications.models import OutboxMessage
from notifications.notices import unread_count

register = template.Library()


@register.inclusion_tag("notifications/_notice_count.html", takes_context=True)
def notice_link(context):
    user = getattr(context.get("request"), "user", None)
    officer = getattr(user, "officer", None) if user is not None else None
    return {"unread": unread_count(officer) if officer is not None else 0,
            "show": officer is not None}


@register.inclusion_tag("notifications/_ticket_messages.html")
def ticket_messages(ticket, limit=20):
    """The messages sent (or not) about a ticket, newest first: one query."""
    rows = list(OutboxMessage.objects.filter(ticket=ticket).order_by("-created_at", "-id")
                .only("event", "channel", "to", "status", "attempts", "last_error",
                      "created_at", "sent_at", "language")[:limit])
    return {"messages": rows}


@register.filter
def message_event(event: str) -> str:
    return event_label(event)
