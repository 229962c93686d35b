"""Staff and talents search the articles in any of the three scripts.

Chinese has no spaces between words, so full-text search would treat a sentence as one
token: every whitespace-separated term must appear (case-insensitive substring) in some
title or body, in any script. On PostgreSQL the English text is also matched with
full-text search (stemmed: "permits" finds "permit") and results are ranked by it.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Q, QuerySet

from knowledge.models import SCRIPTS

FIELDS = [f"{part}_{script}" for script in SCRIPTS for part in ("title", "body")]
MAX_TERMS = 8
MAX_LENGTH = 100


def article_search(queryset: QuerySet, text: str) -> QuerySet:
    """Articles of ``queryset`` matching every term of ``text`` (none for empty text)."""
    text = (text or "").strip()[:MAX_LENGTH]
    terms = text.split()[:MAX_TERMS]
    if not terms:
        return queryset.none()
    every_term = Q()
    for term in terms:
        any_field = Q()
        for name in FIELDS:
            any_field |= Q(**{f"{name}__icontains": term})
        every_term &= any_field
    if connection.vendor != "postgresql":
        return queryset.filter(every_term).order_by("category", "key")
    vector = SearchVector("title_en", weight="A", config="english") + SearchVector(
        "body_en", weight="B", config="english"
    )
    query = SearchQuery(text, search_type="websearch", config="english")
    return (
        queryset.annotate(document=vector, rank=SearchRank(vector, query))
        .filter(Q(document=query) | every_term)
        .order_by("-rank", "category", "key")
    )
