"""The classifier's plumbing: its one-request fast path gives scikit-learn's numbers, it
names the words that weighed, and a category without corpus is still suggested."""

import pickle

import numpy as np
import pytest

from flows.registry import current_workflows
from guidance import corpus
from guidance.classifier import keyword_hits, keyword_table, train
from guidance.corpus import Example
from guidance.text import normalise, plain


@pytest.fixture(scope="module")
def model():
    workflows = current_workflows()
    return train(corpus.load_examples("train", categories=set(workflows)), workflows=workflows)


TEXTS = ["我儿子明年上一年级", "想把香港駕照換成內地的", "my residence permit expires next month",
         "醫保卡唔見咗 and my card", "zzz qqq"]


@pytest.mark.parametrize("text", TEXTS)
def test_the_fast_vector_equals_the_fitted_features(model, text):
    normalised = normalise(text)
    expected = model.features.transform([normalised]).toarray()
    assert np.allclose(model.vector(normalised).toarray(), expected)


@pytest.mark.parametrize("text", TEXTS)
def test_the_probabilities_equal_predict_proba(model, text):
    row = model.vector(normalise(text))
    assert np.allclose(model.probabilities(row), model.model.predict_proba(row)[0])


def test_rank_lists_every_category_once_best_first_with_scores_summing_to_one(model):
    table = keyword_table(current_workflows())
    ranked = model.rank("我儿子明年上一年级，要准备什么材料？", categories=table)
    assert sorted(r.category for r in ranked) == sorted(table)
    assert ranked[0].category == "schooling"
    assert [r.score for r in ranked] == sorted((r.score for r in ranked), reverse=True)
    assert sum(r.score for r in ranked) == pytest.approx(1.0)


def test_why_quotes_the_request_in_its_own_script(model):
    table = keyword_table(current_workflows())
    text = plain("想把香港駕照換成內地的，要考試嗎？")
    best = model.rank(text, categories=table, explain=1)[0]
    assert best.category == "transport"
    assert best.why
    assert all(piece in text for piece in best.why)
    assert any("駕照" in piece for piece in best.why)


def test_why_is_only_filled_for_the_categories_asked(model):
    ranked = model.rank("visa extension", categories=keyword_table(current_workflows()), explain=2)
    assert ranked[0].why and ranked[1].why is not None
    assert all(r.why == [] for r in ranked[2:])


def test_a_category_without_corpus_is_suggested_on_its_keywords(model):
    table = dict(keyword_table(current_workflows()))
    table["lost_property"] = (normalise("失物招领"), "lost property")
    ranked = model.rank("我昨天在大厅丢了钱包，想问失物招领在哪里", categories=table, explain=3)
    assert ranked[0].category == "lost_property"
    assert ranked[0].why == ["失物招领"]
    assert sum(r.score for r in ranked) == pytest.approx(1.0)


def test_a_category_without_corpus_and_without_its_keywords_scores_zero(model):
    table = dict(keyword_table(current_workflows()))
    table["lost_property"] = ("失物招领",)
    ranked = model.rank("my residence permit expires next month", categories=table)
    assert ranked[0].category == "entry_exit"
    assert [r.score for r in ranked if r.category == "lost_property"] == [0.0]


def test_a_category_no_longer_in_force_is_not_ranked(model):
    table = {k: v for k, v in keyword_table(current_workflows()).items() if k != "schooling"}
    ranked = model.rank("我儿子明年上一年级", categories=table)
    assert "schooling" not in [r.category for r in ranked]


def test_keyword_hits_match_latin_keywords_as_whole_words():
    assert keyword_hits("my visa expires", ["visa", "is"]) == ["visa"]
    assert keyword_hits("我的签证过期", ["签证", "visa"]) == ["签证"]


def test_training_needs_two_categories():
    with pytest.raises(ValueError, match="at least two categories"):
        train([Example("a visa", "entry_exit", "en")], workflows=current_workflows())


def test_a_trained_model_survives_pickling(model):
    again = pickle.loads(pickle.dumps(model))  # noqa: S301 (our own object)
    row = again.vector(normalise("visa"))
    assert np.allclose(again.probabilities(row), model.probabilities(model.vector(normalise("visa"))))


def test_two_categories_give_the_same_probabilities_as_predict_proba():
    examples = [e for e in corpus.load_examples("train") if e.category in ("schooling", "transport")]
    two = train(examples, workflows=current_workflows())
    for text in TEXTS:
        row = two.vector(normalise(text))
        assert np.allclose(two.probabilities(row), two.model.predict_proba(row)[0])
