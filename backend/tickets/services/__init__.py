"""Lifecycle services: the only way to change a ticket.

Each service is atomic, locks the ticket row, checks the actor's role and scope, writes
a timeline event and a history row that carries the acting user and a reason, and
defers side effects until after commit. Forms, the API, the admin and tasks all call
these functions; nothing else assigns ``Ticket.state`` or ``Ticket.assignee``.

- ``opening``: ``ticket_open`` (reference, access code, checklist, first routing)
- ``on_the_spot``: ``ticket_open_answered`` (即办: open, answer and close in one step),
  ``ticket_access_code_send`` (the reference and a new code by SMS)
- ``assignment``: ``ticket_assign``, ``tickets_assign`` (several, all or nothing),
  ``ticket_claim``, ``ticket_route`` (``Ticket.assignee``)
- ``workflow``: ``ticket_transition`` (``Ticket.state``), replies and notes, events,
  priority, access codes
- ``materials``: the checklist
- ``duty``: officers going on and off duty, with the hand-over of their open tickets
- ``deadlines``: due times recomputed when the calendar they rest on changes
"""

from tickets.services._base import MAX_BODY, MAX_SUBJECT
from tickets.services.assignment import (
    missing_skill_message,
    ticket_assign,
    ticket_claim,
    ticket_route,
    tickets_assign,
)
from tickets.services.deadlines import (
    sla_recompute_around,
    sla_recompute_provisional,
    sla_recompute_ticket,
    unknown_deadline_years,
)
from tickets.services.duty import (
    DutyChange,
    HandOver,
    officer_hand_over_preview,
    officer_open_tickets,
    officer_set_duty,
)
from tickets.services.materials import material_update
from tickets.services.on_the_spot import (
    answers_on_the_spot,
    ticket_access_code_send,
    ticket_open_answered,
)
from tickets.services.opening import OpenedTicket, ticket_open
from tickets.services.workflow import (
    ticket_access_code_reset,
    ticket_comment,
    ticket_document_reveal,
    ticket_log,
    ticket_set_priority,
    ticket_transition,
)

__all__ = [
    "MAX_BODY",
    "MAX_SUBJECT",
    "DutyChange",
    "HandOver",
    "OpenedTicket",
    "answers_on_the_spot",
    "material_update",
    "missing_skill_message",
    "officer_hand_over_preview",
    "officer_open_tickets",
    "officer_set_duty",
    "sla_recompute_around",
    "sla_recompute_provisional",
    "sla_recompute_ticket",
    "ticket_access_code_reset",
    "ticket_access_code_send",
    "ticket_assign",
    "ticket_claim",
    "ticket_comment",
    "ticket_document_reveal",
    "ticket_log",
    "ticket_open",
    "ticket_open_answered",
    "ticket_route",
    "ticket_set_priority",
    "ticket_transition",
    "tickets_assign",
    "unknown_deadline_years",
]
