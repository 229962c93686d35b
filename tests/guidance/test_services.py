"""guidance_suggest, guidance_choice_record and guidance_train: the service the portal,
the intake pages and the API share."""

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import override

from flows.registry import current_workflows
from guidance import store
from guidance.models import GuidanceChoice, GuidanceModel
from guidance.services import (
    guidance_choice_record,
    guidance_suggest,
    guidance_train,
    reader_language,
)
from guidance.tasks import task_guidance_retrain
from tickets.models import Ticket

pytestmark = pytest.mark.django_db


def test_suggest_ranks_a_simplified_chinese_request_with_name_reasons_and_materials():
    suggestions = guidance_suggest(text="我儿子明年上一年级，要准备什么材料？", language="zh-hans")
    best = suggestions[0]
    assert best.category == "schooling"
    assert best.confident
    assert 0.5 <= best.score <= 1.0
    assert best.name == "子女入学"
    assert best.why and all(piece in "我儿子明年上一年级，要准备什么材料？" for piece in best.why)
    assert [m.id for m in best.materials] == [
        "child_passport", "birth_certificate", "talent_certificate", "employment_proof",
        "residence_proof", "vaccination_record", "school_records", "household_register",
    ]
    assert best.materials[0].label == "子女护照或身份证件"
    assert best.materials[0].required is True
    assert best.expected_days == 30
    assert best.first_response_hours == 8


def test_suggest_reads_traditional_chinese_and_answers_in_hong_kong_script():
    best = guidance_suggest(text="想把香港駕照換成內地的", language="zh-hant")[0]
    assert best.category == "transport"
    assert best.name == "交通"
    assert best.materials[0].label == "護照或有效身份證件"


def test_suggest_answers_in_english_for_an_english_request():
    best = guidance_suggest(text="my residence permit expires next month", language="en")[0]
    assert best.category == "entry_exit"
    assert best.name == "Entry–exit and residence"
    assert best.why == ("residence permit",)


def test_suggest_follows_the_active_language_by_default():
    with override("en"):
        best = guidance_suggest(text="医保卡丢了要补办")[0]
    assert best.category == "healthcare"
    assert best.name == "Healthcare"


def test_suggest_returns_at_least_three_best_first():
    suggestions = guidance_suggest(text="visa", limit=1)
    assert len(suggestions) == 3
    assert [s.score for s in suggestions] == sorted((s.score for s in suggestions), reverse=True)
    assert len({s.category for s in suggestions}) == 3


def test_suggest_returns_more_when_asked():
    assert len(guidance_suggest(text="visa", limit=5)) == 5


def test_a_vague_request_gets_low_confidence_suggestions_not_an_error():
    suggestions = guidance_suggest(text="你好，请问一下", language="zh-hans")
    assert len(suggestions) == 3
    assert not suggestions[0].confident


def test_mixed_scripts_are_classified():
    assert guidance_suggest(text="我的 residence permit 下個月到期")[0].category == "entry_exit"


def test_html_is_classified_on_its_text():
    assert guidance_suggest(text="<p>我想把<b>户口</b>迁到天津</p>")[0].category == "settlement"


@pytest.mark.parametrize(("text", "code"), [
    ("", "blank"), ("   ", "blank"), ("签证" * 10_000, "max_length"), ("😀🙏", "no_words"),
    ("<br><br>", "blank"), (None, "invalid"),
])
def test_suggest_refuses_unreadable_text(text, code):
    with pytest.raises(ValidationError) as raised:
        guidance_suggest(text=text)
    assert raised.value.code == code


@pytest.mark.parametrize(("code", "expected"), [
    ("zh-hans", "zh-hans"), ("zh-Hant", "zh-hant"), ("zh-hk", "zh-hant"), ("zh_TW", "zh-hant"),
    ("en-gb", "en"), ("zh-cn", "zh-hans"), ("fr", "zh-hans"),
])
def test_reader_language(code, expected):
    assert reader_language(code) == expected


@pytest.mark.django_db
def test_suggest_runs_no_query_once_the_model_is_known(django_assert_num_queries):
    guidance_suggest(text="visa")
    with django_assert_num_queries(0):
        guidance_suggest(text="我想办人才服务证")


@pytest.mark.django_db
def test_train_stores_the_model_in_force_and_every_process_loads_it(open_ticket, clerk):
    guidance_choice_record(ticket=open_ticket, suggested=["settlement"], actor=clerk.user)
    row = guidance_train()
    assert row.corpus_examples >= 7 * 60
    assert row.ticket_examples == 1
    assert row.last_ticket_id == open_ticket.pk
    assert sorted(row.categories) == sorted(current_workflows())
    assert len(row.categories) == 14
    assert cache.get(store.CACHE_KEY) == row.pk
    assert guidance_suggest(text="我想把户口迁到天津")[0].category == "settlement"
    assert store._loaded[0] == row.pk


@pytest.mark.django_db
def test_train_if_changed_trains_nothing_twice(open_ticket):
    first = guidance_train(only_if_changed=True)
    assert first is not None
    assert guidance_train(only_if_changed=True) is None
    Ticket.objects.filter(pk=open_ticket.pk).update(resolved_at=timezone.now())
    second = guidance_train(only_if_changed=True)
    assert second.ticket_examples == 1
    assert GuidanceModel.objects.count() == 2


@pytest.mark.django_db
def test_train_keeps_the_last_three_models():
    rows = [guidance_train(with_tickets=False) for _ in range(4)]
    assert list(GuidanceModel.objects.values_list("id", flat=True)) == [r.pk for r in reversed(rows[1:])]


@pytest.mark.django_db
def test_the_beat_task_retrains_only_when_something_changed():
    assert task_guidance_retrain() == GuidanceModel.objects.get().pk
    assert task_guidance_retrain() is None


@pytest.mark.django_db
def test_without_a_stored_model_the_corpus_model_is_used():
    store.forget()
    assert guidance_suggest(text="交通卡丢了")[0].category == "transport"
    assert store._loaded[0] == 0


@pytest.mark.django_db
def test_choice_record_keeps_the_suggestions_and_marks_a_correction(open_ticket, clerk):
    choice = guidance_choice_record(ticket=open_ticket, suggested=["policy_consultation", "settlement"],
                                    actor=clerk.user)
    assert choice.suggested == ["policy_consultation", "settlement"]
    assert choice.suggested_category == "policy_consultation"
    assert choice.chosen_category == "settlement"
    assert choice.corrected is True
    assert choice.channel == "window"
    assert choice.created_by == clerk.user


@pytest.mark.django_db
def test_choice_record_of_the_first_suggestion_is_no_correction(open_ticket, clerk):
    choice = guidance_choice_record(ticket=open_ticket, suggested=["settlement", "transport"], actor=clerk.user)
    assert choice.corrected is False


@pytest.mark.django_db
def test_choice_record_drops_unknown_and_repeated_keys(open_ticket, clerk):
    choice = guidance_choice_record(ticket=open_ticket, suggested=["nope", " transport", "transport", ""],
                                    actor=clerk.user)
    assert choice.suggested == ["transport"]


@pytest.mark.django_db
def test_choice_record_with_nothing_known_records_nothing(open_ticket, clerk):
    assert guidance_choice_record(ticket=open_ticket, suggested=["nope", ""], actor=clerk.user) is None
    assert GuidanceChoice.objects.count() == 0


@pytest.mark.django_db
def test_choice_record_is_once_per_ticket(open_ticket, clerk):
    first = guidance_choice_record(ticket=open_ticket, suggested=["transport"], actor=clerk.user)
    again = guidance_choice_record(ticket=open_ticket, suggested=["healthcare"], actor=clerk.user)
    assert again.pk == first.pk
    assert again.suggested == ["transport"]
