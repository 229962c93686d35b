"""How well the classifier does on requests it never saw (``corpus/heldout``)."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field

from sklearn.model_selection import StratifiedKFold

from guidance.classifier import Classifier, keyword_table, train
from guidance.corpus import Example
from guidance.text import plain


@dataclass
class Report:
    total: int = 0
    top1: int = 0
    top3: int = 0
    by_script: dict[str, Counter] = field(default_factory=dict)
    confusion: Counter = field(default_factory=Counter)  # (expected, first suggestion) → count
    misses: list[tuple[Example, list[str]]] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)

    @property
    def top1_rate(self) -> float:
        return self.top1 / self.total if self.total else 0.0

    @property
    def top3_rate(self) -> float:
        return self.top3 / self.total if self.total else 0.0

    def percentile_ms(self, share: float) -> float:
        if not self.seconds:
            return 0.0
        ordered = sorted(self.seconds)
        return 1000 * ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def evaluate(model: Classifier, examples: list[Example], *, workflows) -> Report:
    """Rank every example as a suggestion would (reasons included, timed one by one)."""
    table = keyword_table(workflows)
    report = Report()
    for example in examples:
        started = time.perf_counter()
        ranked = model.rank(plain(example.text), categories=table, explain=3)
        report.seconds.append(time.perf_counter() - started)
        order = [r.category for r in ranked]
        report.total += 1
        hit1, hit3 = order[0] == example.category, example.category in order[:3]
        report.top1 += hit1
        report.top3 += hit3
        counts = report.by_script.setdefault(example.script, Counter())
        counts["total"] += 1
        counts["top1"] += hit1
        counts["top3"] += hit3
        report.confusion[(example.category, order[0])] += 1
        if not hit1:
            report.misses.append((example, order[:3]))
    return report


def cross_validate(examples: list[Example], *, workflows, folds: int = 5) -> tuple[float, float]:
    """Stratified K-fold on the training corpus: (top-1, top-3) over all folds."""
    labels = [e.category for e in examples]
    top1 = top3 = 0
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=13)
    for train_idx, test_idx in splitter.split(examples, labels):
        model = train([examples[i] for i in train_idx], workflows=workflows)
        report = evaluate(model, [examples[i] for i in test_idx], workflows=workflows)
        top1 += report.top1
        top3 += report.top3
    return top1 / len(examples), top3 / len(examples)
