"""Related and possibly duplicate cases of one talent (数据比对 across records).

Two rules, stated once and used by intake (window, hotline, API) and the ticket's
``related`` list: an open ticket of the same category is a likely duplicate; a ticket of
the last ``RECENT_DAYS`` days whose subject is similar is related. Similarity is
PostgreSQL's ``pg_trgm`` where it runs, and a character-trigram Jaccard score computed
the same way in Python on SQLite (bounded to the talent's recent tickets).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db import connection

from core import clock
from tickets.models import EventKind, Ticket
from tickets.services import ticket_log

RECENT_DAYS = 180
SIMILARITY = 0.3  # pg_trgm's own default threshold
MAX_CANDIDATES = 50


@dataclass(frozen=True)
class Related:
    ticket: Ticket
    kind: str  # "open_same_category" or "similar_subject"
    similarity: float | None = None


def trigrams(text: str) -> set[str]:
    """pg_trgm's trigrams: lower-cased words padded with two spaces in front, one behind."""
    grams: set[str] = set()
    for word in "".join(ch if ch.isalnum() else " " for ch in (text or "").lower()).split():
        padded = f"  {word} "
        grams.update(padded[i:i + 3] for i in range(len(padded) - 2))
    return grams


def similarity(a: str, b: str) -> float:
    first, second = trigrams(a), trigrams(b)
    if not first or not second:
        return 0.0
    return len(first & second) / len(first | second)


def open_duplicates(*, talent_id: int, category: str, scope, exclude_pk: int | None = None) -> list[Ticket]:
    """The duplicate rule, stated once for every intake path (window, hotline, API, the
    portal's application form): this talent's tickets of this category that are still
    open (neither resolved nor closed), newest first, among ``scope``."""
    queryset = scope.filter(talent_id=talent_id, category=category, resolved_at__isnull=True,
                            closed_at__isnull=True)
    if exclude_pk is not None:
        queryset = queryset.exclude(pk=exclude_pk)
    return list(queryset.order_by("-created_at", "-id")[:MAX_CANDIDATES])


def related_tickets(*, talent_id: int, category: str, subject: str, scope, exclude_pk: int | None = None
                    ) -> list[Related]:
    """Open tickets of the same category first, then recent ones with a similar subject,
    only among ``scope`` (the tickets the asking user may see)."""
    mine = scope.filter(talent_id=talent_id)
    if exclude_pk is not None:
        mine = mine.exclude(pk=exclude_pk)
    found: dict[int, Related] = {}
    for ticket in open_duplicates(talent_id=talent_id, category=category, scope=scope, exclude_pk=exclude_pk):
        found[ticket.pk] = Related(ticket=ticket, kind="open_same_category")
    recent = mine.filter(created_at__gte=clock.now() - timedelta(days=RECENT_DAYS)).exclude(pk__in=list(found))
    if subject.strip():
        for ticket, score in _similar(recent, subject):
            found[ticket.pk] = Related(ticket=ticket, kind="similar_subject", similarity=round(score, 2))
    return list(found.values())


def _similar(queryset, subject: str) -> list[tuple[Ticket, float]]:
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import TrigramSimilarity

        rows = queryset.annotate(score=TrigramSimilarity("subject", subject)) \
            .filter(score__gte=SIMILARITY).order_by("-score", "-created_at", "-id")[:MAX_CANDIDATES]
        return [(ticket, float(ticket.score)) for ticket in rows]
    scored = [(ticket, similarity(ticket.subject, subject))
              for ticket in queryset.order_by("-created_at", "-id")[:MAX_CANDIDATES]]
    return sorted([pair for pair in scored if pair[1] >= SIMILARITY], key=lambda pair: -pair[1])


def related_to(ticket: Ticket, *, scope) -> list[Related]:
    """The related and possibly duplicate tickets of an existing ticket."""
    return related_tickets(talent_id=ticket.talent_id, category=ticket.category, subject=ticket.subject,
                           scope=scope, exclude_pk=ticket.pk)


def related_record(*, ticket: Ticket, actor):
    """After opening: an internal timeline note naming the related tickets (the person
    was told at intake and opened anyway). Nothing is written when there are none."""
    found = related_to(ticket, scope=Ticket.objects.all())
    if not found:
        return None
    return ticket_log(
        ticket=ticket, kind=EventKind.NOTE, actor=actor, public=False,
        body=", ".join(related.ticket.reference for related in found),
        data={"related": [{"reference": r.ticket.reference, "kind": r.kind} for r in found]},
    )
