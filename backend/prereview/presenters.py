"""How a pre-review reads: for the officer (each check with its reason) and for the
talent (plain words, only what they can act on). Stored reasons carry both languages;
the reader's language picks one."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from core.i18n import pick
from prereview.models import Review, Verdict

FIELD_LABELS = {
    "document_number": _lazy("document number"),
    "name": _lazy("name"),
    "nationality": _lazy("nationality (region)"),
    "birth_date": _lazy("date of birth"),
    "expiry_date": _lazy("valid until"),
    "issuing_state": _lazy("issuing state"),
}
OUTCOME_ICON = {"pass": "✓", "warn": "!", "fail": "✗", "skipped": "–"}


@dataclass(frozen=True)
class CheckLine:
    check: str
    outcome: str
    icon: str
    reason: str


@dataclass(frozen=True)
class ReviewView:
    verdict: str
    label: str
    lines: tuple[CheckLine, ...]  # every check, for staff
    problems: tuple[CheckLine, ...]  # fail and warn only: what the talent can fix
    fields: tuple[tuple[str, str], ...]  # (label, value) captured from the document
    finished: bool


def verdict_label(verdict: str) -> str:
    return {
        Verdict.PENDING: _("Pre-review running"),
        Verdict.PASS: _("Pre-review: no problem found"),
        Verdict.WARN: _("Pre-review: check by hand"),
        Verdict.FAIL: _("Pre-review: problems found"),
    }.get(verdict, verdict)


def review_view(review: Review | None) -> ReviewView | None:
    if review is None:
        return None
    lines = tuple(
        CheckLine(check=c.get("check", ""), outcome=c.get("outcome", ""),
                  icon=OUTCOME_ICON.get(c.get("outcome", ""), "?"),
                  reason=pick(c.get("reason", {}).get("zh", ""), c.get("reason", {}).get("en", "")))
        for c in review.checks
    )
    return ReviewView(
        verdict=review.verdict,
        label=verdict_label(review.verdict),
        lines=lines,
        problems=tuple(line for line in lines if line.outcome in ("fail", "warn")),
        fields=tuple((str(FIELD_LABELS.get(key, key)), value or "—") for key, value in review.fields.items()),
        finished=review.finished_at is not None,
    )


def talent_summary(review: Review | None) -> str:
    """One sentence for the talent's status page."""
    if review is None:
        return ""
    if review.verdict == Verdict.PENDING:
        return _("We are checking this file automatically.")
    if review.verdict == Verdict.PASS:
        return _("The automatic check found no problem. Your officer will confirm it.")
    if any(c.get("outcome") in ("fail", "warn") for c in review.checks):
        return _("The automatic check found a problem with this file:")
    return _("Your officer will check this file by hand.")


def as_api(review: Review | None) -> dict | None:
    """The API's ``prereview`` of a material: both languages, as stored."""
    if review is None:
        return None
    return {
        "status": review.verdict,
        "checks": review.checks,
        "fields": review.fields,
        "attachment": str(review.attachment.key) if review.attachment_id else None,
        "created_at": review.created_at,
        "finished_at": review.finished_at,
    }


def notice_lines(items: list[dict]) -> list[dict]:
    """A notice's items in the reader's language: material id, label, reasons."""
    return [
        {"material": item["material"], "label": pick(item["label"]["zh"], item["label"]["en"]),
         "reasons": [pick(reason["zh"], reason["en"]) for reason in item["reasons"]]}
        for item in items
    ]
