"""Guidance: which service is this request about?

The one entry point for the portal, the window intake, the hotline and the API::

    guidance_suggest(text="我儿子明年上一年级，要准备什么材料？", language="zh-hans")
    → [Suggestion(category="schooling", score=0.93, name="子女入学",
                  why=("上一年级", "儿子"), materials=(…), expected_days=30, …), …]

and the two actions around it: ``guidance_choice_record`` (what was suggested, what the
person chose) and ``guidance_train`` (train on the corpus and the confirmed tickets, store
the model in force).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import get_language

from flows.definitions import Text, Workflow
from flows.registry import current_workflows
from guidance import corpus, store
from guidance.classifier import keyword_table, train
from guidance.models import GuidanceChoice, GuidanceModel
from guidance.text import request_text, to_hong_kong

log = logging.getLogger(__name__)

# Below this, the first suggestion is a guess: pages and the API say so.
CONFIDENT_SCORE = 0.5
MIN_SUGGESTIONS = 3


@dataclass(frozen=True)
class SuggestedMaterial:
    id: str
    label: str
    required: bool
    hint: str


@dataclass(frozen=True)
class Suggestion:
    """One category for a request, in the reader's language.

    ``score`` is the classifier's probability (0–1; the scores of all categories sum to at
    most 1); ``why`` the words of the request that weighed most for it; ``materials`` the
    workflow's list; ``expected_days`` the working days a normal request takes to resolve
    and ``first_response_hours`` the working hours to a first answer.
    """

    category: str
    score: float
    name: str
    why: tuple[str, ...]
    materials: tuple[SuggestedMaterial, ...]
    expected_days: int
    first_response_hours: float

    @property
    def confident(self) -> bool:
        return self.score >= CONFIDENT_SCORE


def reader_language(language: str | None = None) -> str:
    """'zh-hans', 'zh-hant' or 'en' for a language code (the active one by default)."""
    code = (language or get_language() or "zh-hans").lower().replace("_", "-")
    if code.startswith("en"):
        return "en"
    if code in ("zh-hant", "zh-tw", "zh-hk", "zh-mo") or code.startswith("zh-hant"):
        return "zh-hant"
    return "zh-hans"


def _say(text: Text | None, language: str) -> str:
    if text is None:
        return ""
    if language == "en":
        return text.en
    return to_hong_kong(text.zh) if language == "zh-hant" else text.zh


def _suggestion(workflow: Workflow, score: float, why: Sequence[str], language: str) -> Suggestion:
    target = workflow.sla.get("normal") or next(iter(workflow.sla.values()))
    return Suggestion(
        category=workflow.key,
        score=round(score, 3),
        name=_say(workflow.name, language),
        why=tuple(why),
        materials=tuple(
            SuggestedMaterial(id=m.id, label=_say(m.label, language), required=m.required,
                              hint=_say(m.hint, language))
            for m in workflow.materials
        ),
        expected_days=target.resolution_days,
        first_response_hours=target.first_response_hours,
    )


def guidance_suggest(*, text: str, language: str | None = None, limit: int = MIN_SUGGESTIONS) -> list[Suggestion]:
    """Rank the categories in force for a free-text request (zh-Hans, zh-Hant or English).

    Returns ``max(limit, 3)`` suggestions (fewer only when fewer categories exist), best
    first; names, materials and reasons in ``language`` ('zh-hans', 'zh-hant', 'en'; the
    active language by default). Raises ``django.core.exceptions.ValidationError`` for a
    text that cannot be read as a request: empty or blank, over ``text.MAX_CHARS``
    characters after tags are dropped, or without a single letter (emoji, symbols only).
    HTML is read as its text; mixed scripts are fine. A vague text gives low scores
    (``Suggestion.confident`` is false), not an error.

    No writes; at most two queries the first time a process meets a new stored model,
    none otherwise (the model in force is cached per process, see ``store``).
    """
    cleaned = request_text(text)
    language = reader_language(language)
    workflows = current_workflows()
    count = min(max(limit, MIN_SUGGESTIONS), len(workflows))
    ranked = store.classifier().rank(cleaned, categories=keyword_table(workflows), explain=count)
    return [_suggestion(workflows[r.category], r.score, r.why, language) for r in ranked[:count]]


def guidance_choice_record(*, ticket, suggested: Sequence[str], actor=None) -> GuidanceChoice | None:
    """Record that ``ticket`` was opened after the categories ``suggested`` (best first) were
    shown, and which one was chosen (the ticket's category). Unknown or repeated keys are
    dropped; with nothing left nothing is recorded (``None``). Once per ticket: a second
    call returns the first record. The record makes the ticket a training example."""
    keys = set(current_workflows())
    cleaned = list(dict.fromkeys(k for k in (str(s).strip() for s in suggested) if k in keys))
    if not cleaned:
        return None
    choice, _created = GuidanceChoice.objects.get_or_create(  # atomic by itself
        ticket=ticket,
        defaults={
            "suggested": cleaned,
            "suggested_category": cleaned[0],
            "chosen_category": ticket.category,
            "corrected": ticket.category != cleaned[0],
            "channel": ticket.channel,
            "created_by": actor if getattr(actor, "is_authenticated", False) else None,
        },
    )
    return choice


def guidance_train(*, with_tickets: bool = True, only_if_changed: bool = False) -> GuidanceModel | None:
    """Train on the corpus (and the confirmed tickets) and store the model in force.

    With ``only_if_changed``, nothing is trained when neither the corpus files nor the
    confirmed tickets changed since the stored model (returns ``None``). Side effects: a
    ``GuidanceModel`` row (older ones beyond the last few deleted) and the shared cache's
    pointer to it, so every process loads the new model on its next suggestion.
    """
    workflows = current_workflows()
    categories = set(workflows)
    digest = corpus.corpus_digest()
    examples = corpus.load_examples("train", categories=categories)
    tickets, last_ticket_id = (corpus.ticket_examples(categories=categories) if with_tickets else ([], 0))
    if only_if_changed:
        latest = GuidanceModel.objects.defer("blob").first()
        if (latest is not None and latest.corpus_digest == digest
                and latest.last_ticket_id == last_ticket_id and latest.ticket_examples == len(tickets)
                and sorted(latest.categories) == sorted({e.category for e in examples + tickets})):
            return None
    model = train(examples + tickets, workflows=workflows)
    row = store.save(model, corpus_digest=digest, corpus_examples=len(examples),
                     ticket_examples=len(tickets), last_ticket_id=last_ticket_id)
    log.info("guidance: trained model #%s on %d corpus + %d ticket requests in %.1f s",
             row.pk, len(examples), len(tickets), model.trained_seconds)
    return row
