"""The labelled corpus: enough requests per category in every script, a held-out set kept
apart from training, and files that say clearly what is wrong with them."""

from pathlib import Path

import pytest

from flows.registry import current_workflows
from guidance import corpus
from guidance.text import normalise


def test_every_workflow_has_sixty_training_requests_in_the_three_scripts():
    examples = corpus.load_examples("train")
    for key in current_workflows():
        mine = [e for e in examples if e.category == key]
        assert len(mine) >= 60, key
        for script in corpus.SCRIPTS:
            assert len([e for e in mine if e.script == script]) >= 20, (key, script)


def test_every_workflow_has_fifteen_held_out_requests_across_the_scripts():
    examples = corpus.load_examples("heldout")
    for key in current_workflows():
        mine = [e for e in examples if e.category == key]
        assert len(mine) >= 15, key
        assert {e.script for e in mine} == set(corpus.SCRIPTS), key


def test_no_held_out_request_is_in_the_training_corpus():
    train = {normalise(e.text) for e in corpus.load_examples("train")}
    heldout = {normalise(e.text) for e in corpus.load_examples("heldout")}
    assert train & heldout == set()


def test_no_training_request_is_labelled_twice():
    seen = {}
    for example in corpus.load_examples("train"):
        key = normalise(example.text)
        assert seen.setdefault(key, example.category) == example.category, example.text


def _write(tmp_path: Path, name: str, text: str) -> Path:
    (tmp_path / "train").mkdir(exist_ok=True)
    path = tmp_path / "train" / name
    path.write_text(text, encoding="utf-8")
    return path


def test_load_examples_reads_only_the_categories_asked_for(tmp_path):
    _write(tmp_path, "alpha.yaml", "category: alpha\nen: [one, two]\nzh-hans: [三]\n")
    _write(tmp_path, "beta.yaml", "category: beta\nzh-hant: [四]\n")
    examples = corpus.load_examples("train", categories={"alpha"}, directory=tmp_path)
    assert [(e.text, e.category, e.script) for e in examples] == [
        ("三", "alpha", "zh-hans"), ("one", "alpha", "en"), ("two", "alpha", "en"),
    ]


@pytest.mark.parametrize(("content", "reason"), [
    ("category: beta\nen: [x]\n", "must be a mapping whose 'category' is 'alpha'"),
    ("- just a list\n", "must be a mapping whose 'category' is 'alpha'"),
    ("category: alpha\nfr: [bonjour]\n", "unknown keys ['fr']; scripts are zh-hans, zh-hant, en"),
    ("category: alpha\nen: one request\n", "en must be a list of requests"),
    ("category: alpha\nen: [ok, '  ']\n", "en item 2 is not a non-empty text"),
    ("category: alpha\nen: [ok, 3]\n", "en item 2 is not a non-empty text"),
    ("category: [unclosed\n", "cannot read"),
])
def test_a_bad_corpus_file_names_the_file_and_the_problem(tmp_path, content, reason):
    path = _write(tmp_path, "alpha.yaml", content)
    with pytest.raises(corpus.CorpusError) as raised:
        corpus.load_examples("train", directory=tmp_path)
    assert str(raised.value).startswith(f"{path}: ")
    assert reason in str(raised.value)


def test_an_unknown_split_is_refused():
    with pytest.raises(corpus.CorpusError, match="unknown split 'test'"):
        corpus.load_examples("test")


def test_the_corpus_digest_changes_with_a_training_file(tmp_path):
    _write(tmp_path, "alpha.yaml", "category: alpha\nen: [one]\n")
    before = corpus.corpus_digest(tmp_path)
    _write(tmp_path, "alpha.yaml", "category: alpha\nen: [one, two]\n")
    assert corpus.corpus_digest(tmp_path) != before
