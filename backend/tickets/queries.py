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

    def queue_order(self):
        """The order of an unassigned queue: leading talents and high priorities jump it.

        Annotates ``queue_rank`` (0 urgent; 1 high priority or a leading talent; 2 normal;
        3 low) and orders by it, then by the nearest due time, then first come first served.
        """
        return self.annotate(
            queue_rank=models.Case(
                models.When(priority="urgent", then=models.Value(0)),
                models.When(priority="high", then=models.Value(1)),
                models.When(talent__tier="leading", then=models.Value(1)),
                models.When(priority="low", then=models.Value(3)),
                default=models.Value(2),
                output_field=models.IntegerField(),
            )
        ).order_by("queue_rank", models.F("due_at").asc(nulls_last=True), "created_at", "pk")

    def sla_scan_due(self, now):
        """Tickets the escalation scan must look at now (partial index on running clocks)."""
        return self.filter(sla_next_check_at__lte=now)

    def for_list(self):
        """The columns a list shows, in a constant number of queries."""
        return self.select_related("talent", "assignee", "window", "centre")

    def visible_to(self, user):
        """What a user may see: the one definition of scope for pages and the API.

        Window staff see their windows' tickets; officers their own and their windows'
        unassigned ones; supervisors their centre; administrators everything. Everyone
        sees the tickets they opened themselves (wherever routing sent them).
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
        opened = models.Q(created_by=user)
        if role == Role.WINDOW_STAFF:
            return self.filter(models.Q(window__in=windows) | opened)
        return self.filter(
            models.Q(assignee=officer) | models.Q(window__in=windows, assignee__isnull=True) | opened
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
