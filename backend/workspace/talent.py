"""The talent page: profile, dedicated officer and every ticket of the talent this person
may see (``visible_to``), in a constant number of queries. Talents outside the person's
directory (``Talent.objects.visible_to``) answer 404."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from core import clock
from talents.models import Talent
from tickets.models import Ticket
from workspace.access import staff_required
from workspace.display import decorate

TICKET_LIMIT = 200


@staff_required()
@require_GET
def talent_detail(request, pk: int):
    scope = Talent.objects.visible_to(request.user).select_related("dedicated_officer")
    talent = get_object_or_404(scope, pk=pk)
    visible = Ticket.objects.visible_to(request.user).filter(talent=talent)
    tickets = list(visible.for_list().order_by("-created_at", "-pk")[:TICKET_LIMIT])
    now = clock.now()
    for ticket in tickets:
        decorate(ticket, now)
    return render(request, "workspace/talent.html", {
        "talent": talent,
        "tickets": tickets,
        "limit": TICKET_LIMIT,
    })
