"""Reads of pre-review results: the newest review per material or per file, one query."""

from __future__ import annotations

from prereview.models import Review


def latest_reviews(materials) -> dict[int, Review]:
    """The newest review of each material (one query), keyed by the material's pk."""
    latest: dict[int, Review] = {}
    for review in Review.objects.filter(material__in=materials).select_related("attachment") \
            .order_by("material_id", "-created_at", "-id"):
        latest.setdefault(review.material_id, review)
    return latest


def latest_by_file_and_material(ticket) -> tuple[dict[int, Review], dict[int, Review]]:
    """The newest review of each file and of each material of a ticket (one query)."""
    by_file: dict[int, Review] = {}
    by_material: dict[int, Review] = {}
    for review in Review.objects.filter(ticket=ticket).order_by("-created_at", "-id"):
        by_file.setdefault(review.attachment_id, review)
        by_material.setdefault(review.material_id, review)
    return by_file, by_material
