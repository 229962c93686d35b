from django.core.management.base import BaseCommand, CommandError

from flows.registry import current_workflows
from guidance import corpus, store
from guidance.classifier import train
from guidance.evaluation import cross_validate, evaluate


class Command(BaseCommand):
    help = ("Evaluate the guidance classifier on the held-out requests (backend/guidance/corpus/"
            "heldout), which no model is trained on: top-1, top-3, per script, the confusion "
            "matrix and the time per suggestion.")

    def add_arguments(self, parser):
        parser.add_argument("--stored", action="store_true",
                            help="evaluate the model in force (default: train afresh on the corpus)")
        parser.add_argument("--cv", type=int, default=0, metavar="K",
                            help="also K-fold cross-validation on the training corpus")
        parser.add_argument("--misses", action="store_true", help="list the requests missed at top-1")

    def handle(self, *args, stored=False, cv=0, misses=False, **options):
        workflows = current_workflows()
        heldout = corpus.load_examples("heldout", categories=set(workflows))
        if not heldout:
            raise CommandError("no held-out requests for the categories in force")
        if stored:
            model = store.classifier()
            source = "the model in force"
        else:
            examples = corpus.load_examples("train", categories=set(workflows))
            model = train(examples, workflows=workflows)
            source = f"a model trained on {len(examples)} corpus requests in {model.trained_seconds:.2f} s"
        report = evaluate(model, heldout, workflows=workflows)
        out = self.stdout.write
        out(f"guidance_eval: {source}; {report.total} held-out requests, "
            f"{len({e.category for e in heldout})} categories")
        out(f"top-1 {report.top1_rate:.1%} ({report.top1}/{report.total})   "
            f"top-3 {report.top3_rate:.1%} ({report.top3}/{report.total})")
        for script, counts in sorted(report.by_script.items()):
            out(f"  {script:8s} top-1 {counts['top1']}/{counts['total']}  top-3 {counts['top3']}/{counts['total']}")
        out(f"time per suggestion: p50 {report.percentile_ms(0.5):.1f} ms, "
            f"p95 {report.percentile_ms(0.95):.1f} ms, max {report.percentile_ms(1.0):.1f} ms")
        labels = sorted({e.category for e in heldout} | {c for _, c in report.confusion})
        width = max(len(label) for label in labels)
        out("confusion (rows: expected, columns: first suggestion)")
        out(" " * (width + 1) + " ".join(f"{i + 1:>3}" for i in range(len(labels))))
        for i, expected in enumerate(labels):
            cells = " ".join(f"{report.confusion.get((expected, got), 0) or '.':>3}" for got in labels)
            out(f"{expected:>{width}} {cells}   ({i + 1})")
        if misses:
            for example, order in report.misses:
                out(f"  miss [{example.script}] {example.category} → {', '.join(order)}: {example.text}")
        if cv:
            examples = corpus.load_examples("train", categories=set(workflows))
            top1, top3 = cross_validate(examples, workflows=workflows, folds=cv)
            out(f"{cv}-fold cross-validation on the training corpus: top-1 {top1:.1%}, top-3 {top3:.1%}")
