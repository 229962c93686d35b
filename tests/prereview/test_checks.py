"""The checks on generated documents. Everything here runs without OCR: images are
judged by Pillow, PDFs by their text layer (a passport's zone can be in it too)."""

import time
from datetime import date

import pytest

from flows.definitions import ReviewRules
from prereview.checks import Record, edge_strength, review_document
from prereview.documents import inspect_document
from tests.prereview import documents as docs

TODAY = date(2026, 12, 2)
ZHANG = Record(native_name="张伟", latin_name="ZHANG Wei", document_number="E12345678")
NAME = ReviewRules(must_show=("name",))
PASSPORT = ReviewRules(must_show=("name",), mrz=True, valid_for_months=6,
                       fields=("document_number", "expiry_date", "name"))


def run(data, rules=NAME, record=ZHANG, ocr=False):
    return review_document(data, rules=rules, record=record, today=TODAY, use_ocr=ocr)


def outcomes(result) -> dict[str, str]:
    return {check.key: check.outcome for check in result.checks}


def reason(result, key, lang="en") -> str:
    check = next(c for c in result.checks if c.key == key)
    return check.en if lang == "en" else check.zh


def passport_pdf(expiry, number="E12345678", break_digit="", surname="Zhang", given="Wei"):
    line1, line2 = docs.td3(surname=surname, given=given, number=number, nationality="GBR",
                            birth=date(1985, 3, 14), sex="M", expiry=expiry, break_digit=break_digit)
    return docs.text_pdf(["PASSPORT", f"Surname {surname.upper()}", f"Given names {given.upper()}",
                          f"Passport No. {number}", line1, line2])


class TestCleanDocuments:
    def test_text_pdf_with_the_talents_name_passes_every_check(self):
        result = run(docs.text_pdf(["Certificate", "This certifies that ZHANG Wei", "E12345678"]))
        assert outcomes(result) == {"readable": "pass", "kind": "pass", "pages": "pass",
                                    "text": "pass", "name": "pass"}
        assert result.verdict == "pass"
        assert result.text_source == "text_layer"

    def test_name_in_chinese_alone_is_enough(self):
        record = Record(native_name="张伟", latin_name="", document_number="E1")
        assert name_found("申请人 张 伟 同志", record)

    def test_document_number_is_compared_ignoring_spaces_and_ocr_confusions(self):
        rules = ReviewRules(must_show=("document_number",))
        result = run(docs.text_pdf(["Passport number: E 1234 5678", "Holder: ZHANG WEI"]), rules)
        assert outcomes(result)["document_number"] == "pass"


def name_found(text, record):
    from prereview.checks import name_shown

    return name_shown(text, record)


class TestWrongPerson:
    def test_another_persons_document_fails_the_name_check(self):
        result = run(docs.text_pdf(["Certificate", "This certifies that LI Na", "G99887766"]))
        assert outcomes(result)["name"] == "fail"
        assert result.verdict == "fail"
        assert reason(result, "name") == "The document does not show the applicant's name: it may be someone else's."
        assert reason(result, "name", "zh") == "文件上找不到申请人姓名，可能是他人的材料。"

    def test_a_short_name_part_must_be_a_whole_word(self):
        record = Record(latin_name="LI Na", document_number="G1")
        assert not name_found("CLINICAL NATIONAL REPORT", record)
        assert name_found("Patient: LI NA, born 1990", record)


class TestImages:
    def test_clean_scan_is_readable_sharp_and_large_enough(self):
        result = run(docs.scan(["人才认定证明", "姓名：张伟  ZHANG WEI"]))
        got = outcomes(result)
        assert (got["readable"], got["resolution"], got["blank"], got["sharpness"]) == ("pass",) * 4
        assert reason(result, "readable") == "The image opens: 1240×1754 pixels."

    def test_without_ocr_the_text_checks_say_they_did_not_run(self):
        result = run(docs.scan(["姓名：张伟  ZHANG WEI"]))
        assert outcomes(result)["text"] == "skipped"
        assert outcomes(result)["name"] == "skipped"
        assert reason(result, "text") == "Text recognition (OCR) is not available here; the text was not read."
        assert result.verdict == "warn"  # never blocks: the officer looks

    def test_blank_page_fails_and_stops_there(self):
        result = run(docs.blank_page())
        assert outcomes(result) == {"readable": "pass", "kind": "pass", "pages": "pass",
                                    "resolution": "pass", "blank": "fail"}
        assert reason(result, "blank") == "The page has almost nothing on it: it looks blank."

    def test_tiny_image_fails_resolution_with_its_size(self):
        result = run(docs.tiny_image())
        assert outcomes(result)["resolution"] == "fail"
        assert reason(result, "resolution") == (
            "The image is too small (140 px on its shorter side; at least 600 px are needed): "
            "please scan or photograph it again.")

    def test_the_rule_sets_the_minimum_size(self):
        result = run(docs.tiny_image(), ReviewRules(min_short_side=100))
        assert outcomes(result)["resolution"] == "pass"

    def test_blurred_scan_warns(self):
        result = run(docs.blurred(["人才认定证明", "姓名：张伟  ZHANG WEI"]))
        assert outcomes(result)["sharpness"] == "warn"
        assert result.verdict == "warn"

    @pytest.mark.parametrize("lines", [["ZHANG WEI 张伟"], ["人才认定证明", "姓名：张伟", "证件号码：E12345678"]],
                             ids=["one-line", "three-lines"])
    def test_sharpness_does_not_depend_on_how_full_the_page_is(self, lines):
        assert edge_strength(inspect_document(docs.scan(lines)).image) == 128
        assert edge_strength(inspect_document(docs.blurred(lines)).image) < 10

    def test_exif_rotation_is_applied_before_measuring(self):
        result = run(docs.exif_rotated(["人才认定证明", "姓名：张伟"]))
        assert reason(result, "readable") == (
            "The image opens: 1240×1754 pixels (turned upright from its EXIF orientation).")
        inspection = inspect_document(docs.exif_rotated(["姓名：张伟"]))
        assert inspection.rotated
        assert inspection.image.size == (1240, 1754)  # upright, as the page was written

    def test_kind_outside_the_rule_fails(self):
        result = run(docs.scan(["ZHANG WEI"], fmt="JPEG"), ReviewRules(kinds=("pdf",)))
        assert outcomes(result)["kind"] == "fail"
        assert reason(result, "kind") == "This document must be PDF; this is a JPEG."


class TestBadFiles:
    @pytest.mark.parametrize("data,expected", [
        (b"", "The file is empty (0 bytes)."),
        (b"GIF89a....", "The file is not a PDF, JPEG or PNG."),
        (docs.corrupt_pdf(), "The file is damaged and cannot be opened."),
        (b"\x89PNG\r\n\x1a\nbroken", "The file is damaged and cannot be opened."),
        (docs.pdf_bomb(5000), "The PDF has too many pages (over 50); it was not read."),
        (docs.encrypted_pdf(["ZHANG Wei"]), "The PDF is password-protected; please upload it without a password."),
        (docs.huge_png_header(), "The image is too large (over 40 megapixels); it was not read."),
    ], ids=["zero-bytes", "gif", "corrupt-pdf", "corrupt-png", "pdf-bomb", "password", "30000x30000"])
    def test_a_clear_result_quickly(self, data, expected):
        started = time.monotonic()
        result = run(data)
        assert time.monotonic() - started < 5
        assert [(c.key, c.outcome, c.en) for c in result.checks] == [("readable", "fail", expected)]
        assert result.verdict == "fail"

    def test_blank_pdf_page_fails(self):
        result = run(docs.blank_pdf())
        assert outcomes(result)["blank"] == "fail"

    def test_page_count_rule(self):
        assert reason(run(docs.pdf_bomb(25)), "pages") == "At most 20 page(s) are expected; this has 25."
        result = run(docs.pdf_bomb(3), ReviewRules(min_pages=4, max_pages=6))
        assert reason(result, "pages") == "At least 4 page(s) are needed; this has 3."


class TestPassport:
    def test_valid_passport_passes_mrz_record_and_validity_and_captures_fields(self):
        result = run(passport_pdf(date(2031, 6, 30)), PASSPORT)
        got = outcomes(result)
        assert (got["mrz"], got["record"], got["name"], got["validity"]) == ("pass",) * 4
        assert result.fields == {"document_number": "E1****78", "expiry_date": "2031-06-30",
                                 "name": "ZHANG WEI"}
        assert result.verdict == "pass"

    def test_expired_passport_with_a_valid_zone_fails_validity(self):
        result = run(passport_pdf(date(2025, 6, 30)), PASSPORT)
        assert outcomes(result)["mrz"] == "pass"
        assert outcomes(result)["validity"] == "fail"
        assert reason(result, "validity") == "The document expired on 2025-06-30."
        assert reason(result, "validity", "zh") == "证件已于 2025-06-30 过期。"

    def test_passport_valid_for_less_than_six_months_fails(self):
        result = run(passport_pdf(date(2027, 3, 1)), PASSPORT)
        assert reason(result, "validity") == "The document is valid until 2027-03-01: less than 6 months."

    def test_bad_check_digit_fails_and_names_the_field(self):
        result = run(passport_pdf(date(2031, 6, 30), break_digit="document_number"), PASSPORT)
        assert outcomes(result)["mrz"] == "fail"
        assert reason(result, "mrz") == (
            "Check digits of the machine-readable zone do not match: document number. "
            "The document may be altered or misread.")
        assert "record" not in outcomes(result)  # a zone that fails its digits is not compared

    def test_another_persons_passport_fails_the_comparison_with_the_record(self):
        result = run(passport_pdf(date(2031, 6, 30), number="K98765432", surname="Li", given="Na"), PASSPORT)
        assert outcomes(result)["mrz"] == "pass"
        assert outcomes(result)["record"] == "fail"
        assert reason(result, "record") == (
            "The document number in the machine-readable zone differs from the one on record.")

    def test_no_zone_warns_and_validity_cannot_be_checked(self):
        result = run(docs.text_pdf(["PASSPORT", "ZHANG WEI", "E12345678"]), PASSPORT)
        assert outcomes(result)["mrz"] == "warn"
        assert outcomes(result)["validity"] == "skipped"
        assert result.verdict == "warn"
        assert result.fields == {}
