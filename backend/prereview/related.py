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
from django.db.models import Case, IntegerField, Q, Value, When

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


def _open_of(category: str) -> Q:
    """Still open (neither resolved nor closed) and of ``category``: a likely duplicate."""
    return Q(category=category, resolved_at__isnull=True, closed_at__isnull=True)


def open_duplicates(*, talent_id: int, category: str, scope, exclude_pk: int | None = None) -> list[Ticket]:
    """The duplicate rule, stated once for every intake path (window, hotline, API, the
    portal's application form): this talent's tickets of this category that are still
    open (neither resolved nor closed), newest first, among ``scope``."""
    queryset = scope.filter(_open_of(category), talent_id=talent_id)
    if exclude_pk is not None:
        queryset = queryset.exclude(pk=exclude_pk)
    return list(queryset.order_by("-created_at", "-id")[:MAX_CANDIDATES])


def related_tickets(*, talent_id: int, category: str, subject: str, scope, exclude_pk: int | None = None
                    ) -> list[Related]:
    """Open tickets of the same category first (newest first), then recent ones with a
    similar subject (most similar first), only among ``scope`` (the tickets the asking
    user may see). One query: the talent's open tickets of the category and recent ones,
    the open ones first (on PostgreSQL scored and filtered by ``pg_trgm`` there)."""
    mine = scope.filter(talent_id=talent_id)
    if exclude_pk is not None:
        mine = mine.exclude(pk=exclude_pk)
    same = _open_of(category)
    recent = Q(created_at__gte=clock.now() - timedelta(days=RECENT_DAYS))
    rows = mine.annotate(same=Case(When(same, then=Value(1)), default=Value(0),
                                   output_field=IntegerField()))
    wanted = subject.strip()
    if wanted and connection.vendor == "postgresql":
        from django.contrib.postgres.search import TrigramSimilarity

        rows = rows.annotate(score=TrigramSimilarity("subject", wanted)) \
            .filter(same | (recent & Q(score__gte=SIMILARITY))) \
            .order_by("-same", "-score", "-created_at", "-id")
    else:
        rows = rows.filter(same | recent if wanted else same).order_by("-same", "-created_at", "-id")
    found: dict[int, Related] = {}
    scored: list[tuple[Ticket, float]] = []
    for ticket in rows[:2 * MAX_CANDIDATES]:
        if ticket.same:
            if len(found) < MAX_CANDIDATES:
                found[ticket.pk] = Related(ticket=ticket, kind="open_same_category")
        elif len(scored) < MAX_CANDIDATES:
            score = getattr(ticket, "score", None)
            scored.append((ticket, float(score) if score is not None else similarity(ticket.subject, wanted)))
    if connection.vendor != "postgresql":
        scored = sorted([pair for pair in scored if pair[1] >= SIMILARITY], key=lambda pair: -pair[1])
    for ticket, score in scored:
        found.setdefault(ticket.pk, Related(ticket=ticket, kind="similar_subject", similarity=round(score, 2)))
    return list(found.values())


def related_to(ticket: Ticket, *, scope) -> list[Related]:
    """The related and possibly duplicate tickets of an existing ticket."""
    return related_tickets(talent_id=ticket.talent_id, category=ticket.category, subject=ticket.subject,
                           scope=scope, exclude_pk=ticket.pk)


def related_before_opening(*, talent, category: str, subject: str) -> list[Related]:
    """Before opening a ticket for ``talent``: its related tickets (one query; none for a
    new talent). ``related_note`` turns them into the note ``ticket_open(note=…)`` writes
    in the opening's own INSERT of timeline events."""
    if talent is None or talent.pk is None:
        return []
    return related_tickets(talent_id=talent.pk, category=category, subject=subject,
                           scope=Ticket.objects.all())


def related_note(found: list[Related]) -> dict | None:
    """The internal note naming the related tickets (the person was told and opened
    anyway), or None when there are none."""
    if not found:
        return None
    return {
        "body": ", ".join(related.ticket.reference for related in found),
        "data": {"related": [{"reference": r.ticket.reference, "kind": r.kind} for r in found]},
    }


def related_record(*, ticket: Ticket, actor):
    """After opening: the same note, written on its own (paths that look the related
    tickets up after the ticket exists). Nothing is written when there are none."""
    note = related_note(related_to(ticket, scope=Ticket.objects.all()))
    if note is None:
        return None
    return ticket_log(ticket=ticket, kind=EventKind.NOTE, actor=actor, public=False, **note)
