"""Named reads of tickets: scopes per role, open/active work, list shapes."""

from __future__ import annotations

from django.db import models


class TicketQuerySet(models.QuerySet):
    def open(self):
        """Not closed (a resolved ticket stays open until it is closed)."""
        return self.filter(closed_at__isnull=True)

    def active(self):
        """Work still to do: neither resolved nor closed."""
        return self.filter(resolved_at__isnull=True, closed_at__isnull=True)

    def unassigned(self):
        return self.filter(assignee__isnull=True)

    def due_before(self, instant):
        return self.filter(due_at__lt=instant)

    def overdue(self, now):
        return self.active().filter(due_at__lt=now)

    def for_list(self):
        """The columns a list shows, in a constant number of queries."""
        return self.select_related("talent", "assignee", "window", "centre")

    def visible_to(self, user):
        """What a user may see: the one definition of scope for pages and the API.

        Window staff see their windows' tickets; officers their own and their windows'
        unassigned ones; supervisors their centre; administrators everything.
        """
        from staff.models import Role, role_of

        role = role_of(user)
        if role == Role.ADMIN:
            return self
        if role is None:
            return self.none()
        officer = user.officer
        if role == Role.SUPERVISOR:
            return self.filter(centre_id=officer.centre_id)
        windows = officer.windows.values("id")
        if role == Role.WINDOW_STAFF:
            return self.filter(window__in=windows)
        return self.filter(
            models.Q(assignee=officer) | models.Q(window__in=windows, assignee__isnull=True)
        )

    def claimable_by(self, user):
        """Tickets a user could take: their windows' (held or not, so that a stale claim
        gets a clear conflict rather than 'not found'), or the centre's for supervisors."""
        from staff.models import Role, role_of

        role = role_of(user)
        if role == Role.SUPERVISOR:
            return self.filter(centre_id=user.officer.centre_id)
        if role == Role.OFFICER:
            return self.filter(window__in=user.officer.windows.values("id"))
        return self.none()
