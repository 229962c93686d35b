"""The text classifier: TF-IDF over character n-grams (Chinese needs no word segmentation)
and English word n-grams, plus one feature per category counting its workflow keywords,
under a multinomial logistic regression that gives a probability per category.

``Classifier`` is what is trained, stored (pickled) and loaded; it knows the categories of
its training set. ``rank`` also scores categories the model never saw (a workflow added
without corpus) on their keywords alone, so they can still be suggested.
"""

from __future__ import annotations

import math
import re
import time
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion
from threadpoolctl import threadpool_limits

from guidance.corpus import Example
from guidance.text import normalise

FORMAT = 1  # bump when the pickled shape changes: stored models of another format are ignored
# A keyword match for a category the model has no examples of: how much one hit is worth.
UNSEEN_KEYWORD_SCORE = 0.35
MIN_WHY_CHARS = 2
MIN_PUSH = 0.05  # a feature's push (value × relative weight) worth quoting
_LATIN_WORD = r"(?u)\b[a-z][a-z'-]+\b"
_PUNCTUATION = re.compile(r"[^\w\s'-]+")


_table_memo: tuple[Mapping, dict] | None = None


def keyword_table(workflows: Mapping) -> dict[str, tuple[str, ...]]:
    """Each category's keywords in both languages, normalised like the text (remembered for
    the last workflows mapping seen: the registry hands out the same one until a reload)."""
    global _table_memo
    memo = _table_memo
    if memo is not None and memo[0] is workflows:
        return memo[1]
    table = {}
    for key, workflow in workflows.items():
        words = {normalise(w) for words in workflow.keywords.values() for w in words}
        table[key] = tuple(sorted(w for w in words if w))
    _table_memo = (workflows, table)
    return table


@lru_cache(maxsize=256)
def _matchers(keywords: tuple[str, ...]) -> tuple[tuple[str, re.Pattern | None], ...]:
    return tuple((w, re.compile(rf"\b{re.escape(w)}\b") if w.isascii() else None) for w in keywords)


def keyword_hits(text: str, keywords: Iterable[str]) -> list[str]:
    """The keywords found in a normalised text (Latin ones as whole words)."""
    return [word for word, pattern in _matchers(tuple(keywords))
            if (pattern.search(text) if pattern is not None else word in text)]


class KeywordFeatures(TransformerMixin, BaseEstimator):
    """One column per category: log(1 + keyword hits) in the normalised text."""

    def __init__(self, table: Mapping[str, tuple[str, ...]] | None = None):
        self.table = table

    def fit(self, texts, y=None):
        self.categories_ = sorted(self.table or {})
        return self

    def transform(self, texts):
        rows = [[math.log1p(len(keyword_hits(text, self.table[c]))) for c in self.categories_]
                for text in texts]
        return sparse.csr_matrix(np.asarray(rows, dtype=np.float64).reshape(len(rows), len(self.categories_)))

    def get_feature_names_out(self, input_features=None):
        return np.asarray(self.categories_, dtype=object)


# The keyword columns are scaled down: they nudge, the n-grams decide (with full weight
# the model leans on a handful of keywords and misses requests phrased without them).
KEYWORD_WEIGHT = 0.1
C = 30.0


def build_features(table: Mapping[str, tuple[str, ...]]) -> FeatureUnion:
    return FeatureUnion(
        [
            ("char", TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True)),
            ("word", TfidfVectorizer(analyzer="word", token_pattern=_LATIN_WORD, ngram_range=(1, 2),
                                     sublinear_tf=True, stop_words="english")),
            ("kw", KeywordFeatures(table)),
        ],
        transformer_weights={"kw": KEYWORD_WEIGHT},
    )


@dataclass
class Ranked:
    category: str
    score: float
    why: list[str] = field(default_factory=list)


class Classifier:
    """A fitted feature union and logistic regression, plus the keywords it was fitted with.

    One request at a time is vectorised here directly (same numbers as the fitted
    vectorisers' ``transform``, a test holds that) because scikit-learn's per-call checks
    cost milliseconds that a suggestion as the clerk types cannot spare.
    """

    def __init__(self, *, features: FeatureUnion, model: LogisticRegression,
                 keywords: dict[str, tuple[str, ...]], examples: int, trained_seconds: float):
        self.features = features
        self.model = model
        self.keywords = keywords
        self.examples = examples
        self.trained_seconds = trained_seconds
        self.format = FORMAT
        self.names = features.get_feature_names_out()

    def __getstate__(self):
        state = dict(self.__dict__)
        for derived in ("_analyzers", "_categories", "_relative", "_weights"):  # rebuilt after loading
            state.pop(derived, None)
        return state

    @property
    def categories(self) -> list[str]:
        if "_categories" not in self.__dict__:
            self._categories = [str(c) for c in self.model.classes_]
        return self._categories

    @property
    def weights(self) -> tuple[np.ndarray, np.ndarray]:
        """One row of weights and one intercept per category. With two categories scikit-learn
        keeps a single row (the second's log-odds); halving it both ways gives the same
        probabilities under softmax."""
        if "_weights" not in self.__dict__:
            coef, intercept = self.model.coef_, self.model.intercept_
            if coef.shape[0] == 1:
                coef, intercept = np.vstack([-coef / 2, coef / 2]), np.array([-intercept[0] / 2, intercept[0] / 2])
            self._weights = (coef, intercept)
        return self._weights

    @property
    def relative(self) -> np.ndarray:
        """Each category's weights minus the mean over all categories (see ``_why``)."""
        if "_relative" not in self.__dict__:
            coef = self.weights[0]
            self._relative = coef - coef.mean(axis=0)
        return self._relative

    def _parts(self):
        if "_analyzers" not in self.__dict__:
            self._analyzers = {name: t.build_analyzer() for name, t in self.features.transformer_list
                               if isinstance(t, TfidfVectorizer)}
        return self._analyzers

    def vector(self, normalised: str) -> sparse.csr_matrix:
        """The feature row of one normalised text."""
        analyzers = self._parts()
        weights = self.features.transformer_weights or {}
        columns, values, offset = [], [], 0
        for name, transformer in self.features.transformer_list:
            weight = weights.get(name, 1.0)
            if name in analyzers:
                vocabulary = transformer.vocabulary_
                counts = Counter(analyzers[name](normalised))
                found = [(vocabulary[g], n) for g, n in counts.items() if g in vocabulary]
                if found:
                    idx = np.fromiter((i for i, _ in found), dtype=np.int64, count=len(found))
                    tf = np.fromiter((n for _, n in found), dtype=np.float64, count=len(found))
                    val = (1.0 + np.log(tf)) * transformer.idf_[idx]
                    norm = np.sqrt((val * val).sum())
                    columns.append(idx + offset)
                    values.append(weight * val / norm)
                offset += len(vocabulary)
            else:
                dense = transformer.transform([normalised]).toarray()[0]
                nonzero = np.flatnonzero(dense)
                columns.append(nonzero + offset)
                values.append(weight * dense[nonzero])
                offset += dense.shape[0]
        cols = np.concatenate(columns) if columns else np.zeros(0, dtype=np.int64)
        vals = np.concatenate(values) if values else np.zeros(0)
        order = np.argsort(cols)
        return sparse.csr_matrix((vals[order], cols[order], [0, len(cols)]), shape=(1, offset))

    def probabilities(self, row: sparse.csr_matrix) -> np.ndarray:
        """Softmax of the decision function: what ``predict_proba`` gives, without its checks."""
        coef, intercept = self.weights
        decision = np.asarray(row @ coef.T).ravel() + intercept
        decision -= decision.max()
        exp = np.exp(decision)
        return exp / exp.sum()

    def rank(self, text: str, *, categories: Mapping[str, tuple[str, ...]], explain: int = 0) -> list[Ranked]:
        """All ``categories`` (key → current keywords) best first, scores summing to 1 or less.

        ``text`` is the plain request (``text.plain``); ``explain`` > 0 fills ``why`` of that
        many best categories with the words of the text that weighed most for them.
        """
        normalised = normalise(text)
        row = self.vector(normalised)
        probabilities = self.probabilities(row)
        known = dict(zip(self.categories, probabilities, strict=True))
        # Categories without examples: their keywords alone, taking a share off the rest.
        unseen = {c: min(1.0, UNSEEN_KEYWORD_SCORE * len(keyword_hits(normalised, kws)))
                  for c, kws in categories.items() if c not in known}
        taken = min(0.9, max(unseen.values(), default=0.0))
        scores = {c: float(known[c]) * (1 - taken) for c in categories if c in known}
        scores.update({c: s * taken / max(sum(unseen.values()), 1e-9) if s else 0.0
                       for c, s in unseen.items()})
        ranked = [Ranked(c, s) for c, s in sorted(scores.items(), key=lambda item: (-item[1], item[0]))]
        for item in ranked[:explain]:
            if item.category in known:
                item.why = self._why(text, normalised, row, item.category)
            else:
                item.why = [self._original(text, normalised, w) for w in
                            keyword_hits(normalised, categories[item.category])]
        return ranked

    def _why(self, text: str, normalised: str, row, category: str, limit: int = 4) -> list[str]:
        """The stretches of the text whose n-grams pushed hardest towards ``category``.

        A feature's push is its value times how much more it weighs for this category than
        on average over all of them (softmax is unchanged by what every category shares, so
        "请问" or "please" explain nothing). Overlapping n-grams are quoted as one stretch;
        weak pushes and stretches under a quarter of the strongest one are left out.
        """
        relative = self.relative[self.categories.index(category)]
        weights = {}
        for column, value in zip(row.indices, row.data, strict=True):
            push = value * relative[column]
            name = self.names[column]
            # Single characters weigh, but quoting one explains nothing to a reader.
            if push >= MIN_PUSH and (not name.startswith("char__") or len(name[6:].strip()) >= 2):
                weights[name] = push
        spans: list[tuple[int, int, float]] = []
        for name, weight in sorted(weights.items(), key=lambda item: -item[1])[:10]:
            part, _, gram = name.partition("__")
            if part == "kw":
                for word in keyword_hits(normalised, self.keywords.get(gram, ())):
                    spans.extend((m.start(), m.end(), weight) for m in re.finditer(re.escape(word), normalised))
                continue
            gram = gram.strip()
            if not gram:
                continue
            pattern = rf"\b{re.escape(gram)}\b" if gram.isascii() else re.escape(gram)
            spans.extend((m.start(), m.end(), weight) for m in re.finditer(pattern, normalised))
        merged: list[list] = []
        for start, end, weight in sorted(spans):
            if merged and start < merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
                merged[-1][2] += weight
            else:
                merged.append([start, end, weight])
        merged.sort(key=lambda span: -span[2])
        why, seen = [], set()
        for start, end, weight in merged:
            if weight < merged[0][2] / 4:
                break
            # A stretch across punctuation ("的，要") quotes its longest clause only.
            piece = max(_PUNCTUATION.split(self._slice(text, normalised, start, end)), key=len).strip()
            if len(piece.replace(" ", "")) >= MIN_WHY_CHARS and piece.lower() not in seen:
                seen.add(piece.lower())
                why.append(piece)
            if len(why) == limit:
                break
        return why

    @staticmethod
    def _slice(text: str, normalised: str, start: int, end: int) -> str:
        # Folding to Simplified keeps one character per character almost always; then the
        # reader gets their own script back. Otherwise the folded text is shown.
        return text[start:end] if len(text) == len(normalised) else normalised[start:end]

    @staticmethod
    def _original(text: str, normalised: str, word: str) -> str:
        at = normalised.find(word)
        return text[at:at + len(word)] if at >= 0 and len(text) == len(normalised) else word


def train(examples: list[Example], *, workflows: Mapping) -> Classifier:
    """Fit a classifier on ``examples`` (of at least two categories)."""
    labels = sorted({e.category for e in examples})
    if len(labels) < 2:
        raise ValueError("training needs examples of at least two categories")
    started = time.perf_counter()
    table = keyword_table(workflows)
    features = build_features(table)
    # One thread: BLAS threads fighting over a busy host make a one-second fit take ten.
    with threadpool_limits(limits=1):
        matrix = features.fit_transform([normalise(e.text) for e in examples])
        model = LogisticRegression(C=C, max_iter=3000)
        model.fit(matrix, [e.category for e in examples])
    return Classifier(features=features, model=model, keywords=table, examples=len(examples),
                      trained_seconds=time.perf_counter() - started)
