"""The school-age rule of a child's birth certificate: the birth date read from the
certificate, the age counted on the school year's cut-off date (31 August in the
schooling workflow), pass / fail / skipped with reasons; the rule is YAML, schema-checked."""

import copy
from datetime import date

import pytest
import yaml

from flows.definitions import ReviewRules, SchoolAge
from flows.loader import WorkflowError, build_workflow
from prereview import services
from prereview.checks import Record, review_document
from prereview.models import Review
from prereview.school_age import age_on, birth_date_in, cut_off_date, school_age_outcome
from tests.prereview import documents as docs
from tests.prereview.test_services import _upload
from tickets.services import ticket_open

RULE = SchoolAge(min_age=6, max_age=15, cut_off_month=8, cut_off_day=31)
CHILD = Record(native_name="王小明", latin_name="WANG Xiaoming", document_number="")


class TestTheBirthDate:
    @pytest.mark.parametrize(("text", "expected"), [
        ("出生证明\n姓名：王小明\n出生日期：2019年5月3日\n签发日期：2019年6月1日", date(2019, 5, 3)),
        ("出生醫學證明\n出生時間：2019年05月03日", date(2019, 5, 3)),
        ("Birth certificate\nDate of birth: 2019-05-03\nIssued: 2020-01-01", date(2019, 5, 3)),
        ("CERTIFICATE OF BIRTH  Born 3 May 2019 at Hong Kong", date(2019, 5, 3)),
        ("DOB: 03.05.2019", date(2019, 5, 3)),
        ("Date of birth: May 3, 2019", date(2019, 5, 3)),
    ])
    def test_it_is_read_after_a_birth_keyword(self, text, expected):
        assert birth_date_in(text) == expected

    @pytest.mark.parametrize("text", [
        "", "Issued 2020-01-01", "出生日期：不详", "Date of birth: 2019-02-30", "Born: " + "x" * 80 + " 2019-05-03",
    ], ids=["empty", "no-keyword", "no-date", "impossible-date", "too-far"])
    def test_none_when_there_is_no_readable_birth_date(self, text):
        assert birth_date_in(text) is None


class TestTheAge:
    def test_the_cut_off_is_the_next_one_on_or_after_today(self):
        assert cut_off_date(RULE, date(2026, 3, 1)) == date(2026, 8, 31)
        assert cut_off_date(RULE, date(2026, 8, 31)) == date(2026, 8, 31)
        assert cut_off_date(RULE, date(2026, 9, 1)) == date(2027, 8, 31)

    def test_age_in_full_years(self):
        assert age_on(date(2020, 8, 31), date(2026, 8, 31)) == 6
        assert age_on(date(2020, 9, 1), date(2026, 8, 31)) == 5
        assert age_on(date(2016, 2, 29), date(2026, 2, 28)) == 9

    def test_a_child_who_turns_six_by_the_cut_off_is_of_school_age(self):
        outcome, zh, en = school_age_outcome("出生日期：2020年8月31日", RULE, date(2026, 3, 1))
        assert outcome == "pass"
        assert zh == "孩子出生于 2020-08-31，到 2026-08-31（学年截止日）为 6 周岁，属于学龄。"
        assert en == "The child, born 2020-08-31, is 6 on 2026-08-31 (the school year's cut-off): of school age."

    def test_one_day_later_is_too_young(self):
        outcome, _, en = school_age_outcome("出生日期：2020年9月1日", RULE, date(2026, 3, 1))
        assert outcome == "fail"
        assert en == ("The child, born 2020-09-01, is 5 on 2026-08-31 (the school year's cut-off): "
                      "not of school age (6 to 15).")

    def test_too_old_and_future_births_fail_and_unreadable_is_skipped(self):
        assert school_age_outcome("DOB 2008-01-01", RULE, date(2026, 3, 1))[0] == "fail"
        assert school_age_outcome("DOB 2027-01-01", RULE, date(2026, 3, 1))[0] == "fail"
        assert school_age_outcome("no date here", RULE, date(2026, 3, 1))[0] == "skipped"


class TestInTheChecks:
    def test_a_text_pdf_of_a_child_of_school_age_passes(self):
        rules = ReviewRules(school_age=RULE)
        data = docs.text_pdf(["Birth certificate", "Name: WANG Xiaoming", "Date of birth: 2019-05-03"])
        result = review_document(data, rules=rules, record=CHILD, today=date(2026, 12, 2), use_ocr=False)
        check = next(c for c in result.checks if c.key == "school_age")
        assert check.outcome == "pass"
        assert check.en == "The child, born 2019-05-03, is 8 on 2027-08-31 (the school year's cut-off): of school age."

    def test_a_blank_page_never_reaches_the_rule(self):
        result = review_document(docs.blank_pdf(), rules=ReviewRules(school_age=RULE), record=CHILD,
                                 today=date(2026, 12, 2), use_ocr=False)
        assert "school_age" not in [c.key for c in result.checks]


@pytest.mark.django_db
@pytest.mark.clock("2026-12-02 09:55")
def test_the_schooling_workflow_checks_the_birth_certificate_on_the_pinned_day(
    portal, client, clerk, talent, window, sign_in
):
    ticket = ticket_open(actor=clerk.user, talent=talent, category="schooling", channel="window",
                         subject="School place", window=window).ticket
    sign_in(client, ticket)
    data = docs.text_pdf(["Birth certificate", "Name: WANG Xiaoming", "Date of birth: 2025-03-01"])
    assert _upload(client, ticket, "birth_certificate", data).status_code == 302
    review = services.prereview_run(review_id=Review.objects.get().pk)
    school_age = next(check for check in review.checks if check["check"] == "school_age")
    assert school_age == {"check": "school_age", "outcome": "fail", "reason": {
        "zh": "孩子出生于 2025-03-01，到 2027-08-31（学年截止日）为 2 周岁，不在学龄（3–17 周岁）之内。",
        "en": "The child, born 2025-03-01, is 2 on 2027-08-31 (the school year's cut-off): "
              "not of school age (3 to 17)."}}


@pytest.fixture
def schooling(settings):
    return yaml.safe_load((settings.WORKFLOWS_DIR / "schooling.yaml").read_text())


def _build(data, settings):
    return build_workflow(data, filename="schooling.yaml", schema_path=settings.WORKFLOWS_DIR / "schema.json")


def test_the_rule_is_frozen_from_the_yaml(schooling, settings):
    review = _build(schooling, settings).material("birth_certificate").review
    assert review.school_age == SchoolAge(min_age=3, max_age=17, cut_off_month=8, cut_off_day=31)


@pytest.mark.parametrize(("rule", "problem"), [
    ({"min_age": 6, "max_age": 3, "cut_off": "08-31"},
     ("materials[1].review.school_age.min_age", "must not be greater than max_age")),
    ({"min_age": 6, "max_age": 15, "cut_off": "02-30"},
     ("materials[1].review.school_age.cut_off", "is not a day of the year (MM-DD)")),
    ({"min_age": 6, "max_age": 15, "cut_off": "31-08"},
     ("materials[1].review.school_age.cut_off", "'31-08' does not match '^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$'")),
    ({"min_age": 6, "cut_off": "08-31"},
     ("materials[1].review.school_age", "'max_age' is a required property")),
], ids=["ages-swapped", "no-such-day", "day-first", "missing-max"])
def test_a_bad_rule_names_the_path_and_reason(schooling, settings, rule, problem):
    data = copy.deepcopy(schooling)
    data["materials"][1]["review"] = {"school_age": rule}
    with pytest.raises(WorkflowError) as error:
        _build(data, settings)
    assert error.value.problems == [problem]
