"""``{% load sla %}``: due-time badges and lines for staff pages."""

from django import template

from sla import display

register = template.Library()


@register.inclusion_tag("sla/_badges.html")
def sla_badges(ticket, now=None):
    """Overdue / due soon / paused / provisional badges of a ticket."""
    return {"badges": display.due_badges(ticket, now)}


@register.inclusion_tag("sla/_due_times.html")
def sla_due_times(ticket):
    """First-response and resolution due times in the centre's zone, marked provisional
    where they are, and met / missed once decided."""
    return {"lines": display.due_lines(ticket), "state": display.due_state(ticket)}


@register.filter
def due_state(ticket):
    return display.due_state(ticket)
