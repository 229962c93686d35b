"""Where the classifier in force comes from, once per process.

The newest ``GuidanceModel`` row is loaded (unpickled) once and kept in memory. Which row
is newest is remembered in the shared cache, so a retrain on one host is picked up by every
process on its next suggestion without a query per suggestion. With no stored model (a
fresh installation) the process trains from the corpus in the repository on first use —
a few seconds, nothing downloaded — and keeps that in memory until a model is stored.
"""

from __future__ import annotations

import logging
import pickle
import threading

from django.core.cache import cache

from flows.registry import current_workflows
from guidance import corpus
from guidance.classifier import FORMAT, Classifier, train
from guidance.models import GuidanceModel

log = logging.getLogger(__name__)

CACHE_KEY = "guidance:model-id"
KEEP = 3  # stored models kept (the newest is in force; older ones for comparison)

_lock = threading.Lock()
_loaded: tuple[int, Classifier] | None = None  # (row id, or 0 for the in-memory corpus model)
_corpus: tuple[object, str, Classifier] | None = None  # (workflows, corpus digest, model)


def _current_id() -> int:
    value = cache.get(CACHE_KEY)
    if value is None:
        value = (GuidanceModel.objects.filter(format=FORMAT).values_list("id", flat=True).first()) or 0
        cache.set(CACHE_KEY, value, None)
    return value


def classifier() -> Classifier:
    """The classifier in force for this process (see the module docstring)."""
    global _loaded
    wanted = _current_id()
    loaded = _loaded
    if loaded is not None and loaded[0] == wanted:
        return loaded[1]
    with _lock:
        if _loaded is not None and _loaded[0] == wanted:
            return _loaded[1]
        model = _load(wanted) if wanted else None
        if model is None:
            wanted, model = 0, corpus_classifier()
        _loaded = (wanted, model)
        return model


def _load(row_id: int) -> Classifier | None:
    blob = GuidanceModel.objects.filter(pk=row_id).values_list("blob", flat=True).first()
    if blob is None:
        return None
    # Our own training output, written by ``save`` below; never data from outside.
    model = pickle.loads(bytes(blob))  # noqa: S301
    return model if getattr(model, "format", None) == FORMAT else None


def corpus_classifier() -> Classifier:
    """A model of the corpus alone, trained once per process (again if the files change)."""
    global _corpus
    workflows = current_workflows()
    digest = corpus.corpus_digest()
    if _corpus is not None and _corpus[0] is workflows and _corpus[1] == digest:
        return _corpus[2]
    examples = corpus.load_examples("train", categories=set(workflows))
    log.info("guidance: no stored model; training on %d corpus requests", len(examples))
    model = train(examples, workflows=workflows)
    _corpus = (workflows, digest, model)
    return model


def save(model: Classifier, *, corpus_digest: str, corpus_examples: int, ticket_examples: int,
         last_ticket_id: int) -> GuidanceModel:
    """Store a trained model as the one in force, keep the last few, tell every process."""
    row = GuidanceModel.objects.create(
        format=FORMAT, corpus_digest=corpus_digest, corpus_examples=corpus_examples,
        ticket_examples=ticket_examples, last_ticket_id=last_ticket_id,
        categories=model.categories, trained_seconds=round(model.trained_seconds, 3),
        blob=pickle.dumps(model, protocol=pickle.HIGHEST_PROTOCOL),
    )
    old = GuidanceModel.objects.values_list("id", flat=True)[KEEP:]
    GuidanceModel.objects.filter(id__in=list(old)).delete()
    cache.set(CACHE_KEY, row.pk, None)
    return row


def forget() -> None:
    """Drop this process's models (tests; after a workflow reload)."""
    global _loaded, _corpus
    with _lock:
        _loaded = _corpus = None
    cache.delete(CACHE_KEY)
