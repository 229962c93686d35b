"""The top-bar search (``/search/?q=``) and the window clerk's "my tickets" list.

The search reads a whole ticket reference (``TD-2026-003004``, also lower case or without
the dashes: ``tickets.references``) and goes straight to the ticket when the user may see
it; a reference outside the user's scope reads exactly like one that does not exist.
Any other text is the talent directory's search (``talents.services.talent_search``:
names, phone, a document number's whole or last four characters — document hits are
written to the sensitive-access log) strictly within the user's directory, with the
tickets of the talents found that the user may see (``Ticket.objects.visible_to``).
Constant query counts whatever the number of rows.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import F, Q
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from core import clock
from hall.models import Visit
from talents.models import normalise_name
from talents.services import talent_search
from tickets.models import Ticket
from tickets.references import reference_from
from workspace.access import officer_of, staff_required
from workspace.display import decorate

RESULT_LIMIT = 20
MAX_QUERY = 100
PAGE_SIZE = 50


def clean_query(text: str) -> str:
    """What a person typed, as searched: NFC, printable characters only (a NUL would make
    PostgreSQL refuse the query), at most ``MAX_QUERY`` characters."""
    text = "".join(ch for ch in (text or "") if ch.isprintable())
    return normalise_name(text)[:MAX_QUERY]


def open_first(queryset):
    """Open tickets first, then the most recently closed; newest first within each."""
    return queryset.order_by(F("closed_at").desc(nulls_first=True), "-created_at", "-pk")


def find(user, text: str) -> dict:
    """Talents and tickets for a search text that is not a reference (three queries)."""
    talents = list(
        talent_search(actor=user, text=text, presented=False)
        .select_related("dedicated_officer").order_by("latin_name", "native_name", "pk")[:RESULT_LIMIT]
    ) if text else []
    tickets = list(open_first(
        Ticket.objects.visible_to(user).filter(talent_id__in=[t.pk for t in talents]).for_list()
    )[:RESULT_LIMIT]) if talents else []
    now = clock.now()
    for ticket in tickets:
        decorate(ticket, now)
    return {"talents": talents, "tickets": tickets}


@staff_required()
@require_GET
def search(request):
    text = clean_query(request.GET.get("q", ""))
    reference = reference_from(text)
    context = {"query": text, "reference": reference, "talents": [], "tickets": [],
               "limit": RESULT_LIMIT}
    if reference is not None:
        if Ticket.objects.visible_to(request.user).filter(reference=reference).exists():
            return redirect("workspace:ticket", reference=reference)
    else:
        context.update(find(request.user, text))
    return render(request, "workspace/search.html", context)


def my_tickets_of(user):
    """The tickets a person opened or served at a hall visit, within their scope."""
    officer = officer_of(user)
    served = (Visit.tickets.through.objects.filter(visit__officer=officer).values("ticket_id")
              if officer is not None else [])
    return Ticket.objects.visible_to(user).filter(Q(created_by=user) | Q(pk__in=served))


@staff_required()
@require_GET
def my_tickets(request):
    show = "all" if request.GET.get("show") == "all" else "open"
    tickets = my_tickets_of(request.user)
    if show == "open":
        tickets = tickets.open()
    page = Paginator(open_first(tickets.for_list()), PAGE_SIZE).get_page(request.GET.get("page"))
    now = clock.now()
    for ticket in page.object_list:
        decorate(ticket, now)
    return render(request, "workspace/my_tickets.html", {"page": page, "show": show})
