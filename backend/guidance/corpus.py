"""The labelled requests the classifier learns from.

``corpus/train/<category>.yaml`` holds the training requests of one category and
``corpus/heldout/<category>.yaml`` requests written separately for evaluation only (the
model never sees them). A file is::

    category: schooling
    zh-hans: ["我儿子明年上一年级……", …]
    zh-hant: ["想問下小朋友轉校……", …]
    en: ["my daughter needs a school place", …]

Adding a category's corpus is adding its files. A category with a workflow but no corpus
is still suggested, on its workflow keywords alone (see ``classifier``); a corpus file
whose category has no workflow is left out of training.

Tickets staff have confirmed join the training set: those resolved under their category,
and those opened after a suggestion (the person chose the category).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.conf import settings
from django.db.models import Q

from tickets.models import Ticket

SCRIPTS = ("zh-hans", "zh-hant", "en")
SPLITS = ("train", "heldout")
TICKET_LIMIT = 5000


class CorpusError(ValueError):
    """A corpus file that cannot be read; the message names the file and what is wrong."""


@dataclass(frozen=True)
class Example:
    text: str
    category: str
    script: str  # one of SCRIPTS, or "ticket"


def corpus_dir() -> Path:
    return Path(settings.GUIDANCE_CORPUS_DIR)


def corpus_files(split: str = "train", directory: Path | None = None) -> list[Path]:
    if split not in SPLITS:
        raise CorpusError(f"unknown split {split!r}; use one of {', '.join(SPLITS)}")
    return sorted(((directory or corpus_dir()) / split).glob("*.yaml"))


def load_file(path: Path) -> list[Example]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise CorpusError(f"{path}: cannot read: {error}") from error
    if not isinstance(data, dict) or data.get("category") != path.stem:
        raise CorpusError(f"{path}: must be a mapping whose 'category' is {path.stem!r}")
    unknown = set(data) - {"category", *SCRIPTS}
    if unknown:
        raise CorpusError(f"{path}: unknown keys {sorted(unknown)}; scripts are {', '.join(SCRIPTS)}")
    examples = []
    for script in SCRIPTS:
        texts = data.get(script) or []
        if not isinstance(texts, list):
            raise CorpusError(f"{path}: {script} must be a list of requests")
        for number, text in enumerate(texts, start=1):
            if not isinstance(text, str) or not text.strip():
                raise CorpusError(f"{path}: {script} item {number} is not a non-empty text")
            examples.append(Example(text=text.strip(), category=path.stem, script=script))
    return examples


def load_examples(split: str = "train", *, categories=None, directory: Path | None = None) -> list[Example]:
    """The examples of a split, for ``categories`` only when given (the workflows in force)."""
    examples = []
    for path in corpus_files(split, directory):
        if categories is not None and path.stem not in categories:
            continue
        examples.extend(load_file(path))
    return examples


def corpus_digest(directory: Path | None = None) -> str:
    """Changes when any training file changes (the beat task retrains then)."""
    digest = hashlib.sha256()
    for path in corpus_files("train", directory):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def ticket_examples(*, categories, limit: int = TICKET_LIMIT) -> tuple[list[Example], int]:
    """Confirmed tickets as examples (newest first) and the highest ticket id among them."""
    rows = list(
        Ticket.objects.filter(category__in=list(categories))
        .filter(Q(resolved_at__isnull=False) | Q(guidance_choice__isnull=False))
        .order_by("-id")
        .values_list("id", "category", "subject", "description")[:limit]
    )
    examples = [
        Example(text=f"{subject} {description}".strip(), category=category, script="ticket")
        for _id, category, subject, description in rows
        if (subject or description)
    ]
    return examples, max((row[0] for row in rows), default=0)
