"""The same checks on scans and photos, read by Tesseract (skipped where it is not
installed; CI installs tesseract-ocr with chi_sim, chi_tra and eng)."""

from datetime import date

import pytest

from prereview import ocr
from tests.prereview import documents as docs
from tests.prereview.test_checks import PASSPORT, outcomes, reason, run

pytestmark = pytest.mark.skipif(
    not ocr.available(("eng", "chi_sim", "chi_tra")), reason="needs tesseract-ocr with chi_sim, chi_tra, eng"
)
LINES = ["人才认定证明", "姓名：张伟  ZHANG WEI", "证件号码：E12345678", "天津市人才服务中心"]


def test_clean_scan_with_the_talents_name_passes():
    result = run(docs.scan(LINES), ocr=True)
    assert outcomes(result)["text"] == "pass"
    assert outcomes(result)["name"] == "pass"
    assert result.text_source == "ocr"
    assert result.verdict == "pass"


def test_wrong_persons_scan_fails_the_name_check():
    result = run(docs.scan(["人才认定证明", "姓名：李娜  LI NA", "证件号码：G99887766", "天津市人才服务中心"]), ocr=True)
    assert outcomes(result)["name"] == "fail"


def test_scanned_pdf_is_read_from_its_image():
    result = run(docs.image_pdf(docs.scan(LINES, fmt="JPEG"), *docs.A4), ocr=True)
    assert outcomes(result)["name"] == "pass"


def test_photo_taken_on_its_side_is_read_upright():
    assert outcomes(run(docs.exif_rotated(LINES), ocr=True))["name"] == "pass"


def test_expired_passport_page_with_a_valid_zone():
    page = docs.passport_page(surname="Zhang", given="Wei", number="E12345678", expiry=date(2025, 6, 30))
    result = run(page, PASSPORT, ocr=True)
    assert outcomes(result)["mrz"] == "pass"
    assert outcomes(result)["record"] == "pass"
    assert reason(result, "validity") == "The document expired on 2025-06-30."


def test_passport_page_with_a_bad_check_digit():
    page = docs.passport_page(surname="Zhang", given="Wei", number="E12345678", expiry=date(2031, 6, 30),
                              break_digit="document_number")
    result = run(page, PASSPORT, ocr=True)
    assert outcomes(result)["mrz"] == "fail"
    assert "document number" in reason(result, "mrz")


def test_ocr_that_runs_out_of_time_raises_unavailable():
    image = docs.page(LINES)
    with pytest.raises(ocr.OcrUnavailable):
        ocr.read_text(image, languages=("chi_sim", "chi_tra", "eng"), seconds=0.01)
