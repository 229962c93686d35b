"""guidance_eval and guidance_train: the figures they print, on a small corpus and on the
real held-out set (which must meet the targets)."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from flows.registry import current_workflows
from guidance import corpus, store
from guidance.evaluation import evaluate
from guidance.models import GuidanceModel

SMALL = {
    "schooling": (["my son needs a primary school place", "kindergarten for my daughter",
                   "school transfer for my child", "我儿子明年上小学"],
                  ["which school can my child attend", "孩子上幼儿园"]),
    "transport": (["convert my driving licence", "metro card discount", "car plate lottery",
                   "驾照换证"],
                  ["driving licence exchange", "地铁交通卡"]),
}


@pytest.fixture
def small_corpus(tmp_path: Path, settings):
    for split, index in (("train", 0), ("heldout", 1)):
        (tmp_path / split).mkdir()
        for key, texts in SMALL.items():
            english = [t for t in texts[index] if t.isascii()]
            chinese = [t for t in texts[index] if not t.isascii()]
            lines = [f"category: {key}", "en:", *[f"  - {t}" for t in english],
                     "zh-hans:", *[f"  - {t}" for t in chinese]]
            (tmp_path / split / f"{key}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    settings.GUIDANCE_CORPUS_DIR = tmp_path
    yield tmp_path
    store.forget()


def test_guidance_eval_prints_top1_top3_per_script_and_the_confusion(small_corpus):
    out = StringIO()
    call_command("guidance_eval", "--misses", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("guidance_eval: a model trained on 8 corpus requests in ")
    assert lines[0].endswith("; 4 held-out requests, 2 categories")
    assert lines[1] == "top-1 100.0% (4/4)   top-3 100.0% (4/4)"
    assert lines[2] == "  en       top-1 2/2  top-3 2/2"
    assert lines[3] == "  zh-hans  top-1 2/2  top-3 2/2"
    assert lines[4].startswith("time per suggestion: p50 ")
    assert lines[5] == "confusion (rows: expected, columns: first suggestion)"
    assert lines[6:] == [
        "            1   2",
        "schooling   2   .   (1)",
        "transport   .   2   (2)",
    ]


def test_guidance_eval_cross_validates_when_asked(small_corpus):
    out = StringIO()
    call_command("guidance_eval", "--cv", "2", stdout=out)
    assert out.getvalue().splitlines()[-1].startswith("2-fold cross-validation on the training corpus: top-1 ")


@pytest.mark.django_db
def test_guidance_train_prints_what_it_stored_and_skips_when_nothing_changed(small_corpus):
    out = StringIO()
    call_command("guidance_train", "--corpus-only", stdout=out)
    row = GuidanceModel.objects.get()
    assert out.getvalue() == (f"guidance: model #{row.pk} trained on 8 corpus and 0 ticket requests, "
                              f"2 categories, in {row.trained_seconds:.2f} s\n")
    out = StringIO()
    call_command("guidance_train", "--if-changed", stdout=out)
    assert out.getvalue() == "guidance: nothing changed since the stored model; not retrained\n"


def test_the_real_held_out_set_meets_the_targets():
    workflows = current_workflows()
    model = store.corpus_classifier()
    report = evaluate(model, corpus.load_examples("heldout", categories=set(workflows)), workflows=workflows)
    assert report.total >= 15 * len(workflows)
    assert report.top1_rate >= 0.90
    assert report.top3_rate >= 0.98
