"""Who may do what with tickets, declared once.

The role groups come from ``staff.permissions``; the predicates here add the tickets:
where a person may open one, which they see, which they may claim, who may reassign or
change the priority. The services enforce them; the pages and the API ask the same
functions to decide what to show, so a button is never offered that the service refuses.
"""

from __future__ import annotations

from centres.models import Window
from staff.models import Role, role_of
from staff.permissions import (
    CASEWORK_ROLES,
    ROUTABLE_ROLES,
    STAFF_ROLES,
    SUPERVISING_ROLES,
    acting_role,
    is_system,
)
from tickets.models import Ticket

# Who may change a ticket's priority.
PRIORITY_ROLES = CASEWORK_ROLES
# Who may take an unassigned ticket from a queue.
CLAIM_ROLES = ROUTABLE_ROLES
# Who may give a ticket to someone else.
ASSIGN_ROLES = SUPERVISING_ROLES

__all__ = [
    "ASSIGN_ROLES", "CASEWORK_ROLES", "CLAIM_ROLES", "PRIORITY_ROLES", "ROUTABLE_ROLES",
    "STAFF_ROLES", "SUPERVISING_ROLES", "claim_lookup", "claimable_tickets", "may_assign",
    "may_claim", "may_open_tickets", "may_set_priority", "opening_windows", "visible_tickets",
]


def may_open_tickets(user) -> bool:
    """Every staff role opens tickets; so does the system (the online channel)."""
    return acting_role(user) in STAFF_ROLES


def opening_windows(user):
    """The active windows at which ``user`` may open a ticket — the same on the intake page
    and in the API: window staff and officers at their own windows, a supervisor at any
    window of their centre, an administrator (or the system) anywhere."""
    active = Window.objects.filter(is_active=True).select_related("centre")
    role = acting_role(user)
    if role == Role.ADMIN:
        return active
    if role == Role.SUPERVISOR:
        return active.filter(centre_id=user.officer.centre_id)
    if role in (Role.WINDOW_STAFF, Role.OFFICER):
        return active.filter(officers=user.officer)
    return active.none()


def visible_tickets(user):
    """The tickets ``user`` may see (``Ticket.objects.visible_to``: the one scope)."""
    return Ticket.objects.visible_to(user)


def claimable_tickets(user):
    """Tickets ``user`` could take (``Ticket.objects.claimable_by``)."""
    return Ticket.objects.claimable_by(user)


def claim_lookup(user):
    """Where a claim looks the ticket up: what the user sees, plus the tickets of their
    queues that someone else took meanwhile — so a stale claim gets "already taken by …"
    rather than "not found"."""
    return Ticket.objects.visible_to(user) | Ticket.objects.claimable_by(user)


def may_claim(user, ticket: Ticket) -> bool:
    """Offer "take it": an officer or supervisor, the ticket open and unassigned."""
    return role_of(user) in CLAIM_ROLES and ticket.assignee_id is None and not ticket.is_final


def may_assign(user, ticket: Ticket) -> bool:
    """Reassign: supervisors and administrators (and the system), the ticket not closed."""
    return (is_system(user) or role_of(user) in ASSIGN_ROLES) and not ticket.is_final


def may_set_priority(user, ticket: Ticket) -> bool:
    return (is_system(user) or role_of(user) in PRIORITY_ROLES) and not ticket.is_final
