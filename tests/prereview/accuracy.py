"""How the checks fare on the generated documents, with OCR (prints a table).

    .venv/bin/python tests/prereview/accuracy.py

Each document has the outcome a person would give its key check; the script prints what
pre-review answered, the time it took, and the share it got right.
"""

from __future__ import annotations

import os
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "backend"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from flows.definitions import ReviewRules  # noqa: E402
from prereview import ocr  # noqa: E402
from prereview.checks import Record, review_document  # noqa: E402
from tests.prereview import documents as docs  # noqa: E402

TODAY = date(2026, 12, 2)
ZHANG = Record(native_name="张伟", latin_name="ZHANG Wei", document_number="E12345678")
NAME = ReviewRules(must_show=("name",))
PASSPORT = ReviewRules(must_show=("name",), mrz=True, valid_for_months=6)
LINES = ["人才认定证明", "姓名：张伟  ZHANG WEI", "证件号码：E12345678", "天津市人才服务中心"]
OTHER = ["人才认定证明", "姓名：李娜  LI NA", "证件号码：G99887766", "天津市人才服务中心"]


def passport(**kw):
    base = {"surname": "Zhang", "given": "Wei", "number": "E12345678", "expiry": date(2031, 6, 30)}
    return docs.passport_page(**{**base, **kw})


# (name, document, rules, check, expected outcome)
CASES = [
    ("clean scan with the name (PNG)", docs.scan(LINES), NAME, "name", "pass"),
    ("clean scan with the name (JPEG)", docs.scan(LINES, fmt="JPEG"), NAME, "name", "pass"),
    ("clean scan, photo on its side (EXIF 6)", docs.exif_rotated(LINES), NAME, "name", "pass"),
    ("scanned PDF (image only)", docs.image_pdf(docs.scan(LINES, fmt="JPEG"), *docs.A4), NAME, "name", "pass"),
    ("text PDF with the name", docs.text_pdf(["Talent recognition certificate", "Holder: ZHANG Wei"]), NAME, "name", "pass"),
    ("wrong person's scan", docs.scan(OTHER), NAME, "name", "fail"),
    ("wrong person's text PDF", docs.text_pdf(["Talent recognition certificate", "Holder: LI Na"]), NAME, "name", "fail"),
    ("blank page", docs.blank_page(), NAME, "blank", "fail"),
    ("blank PDF", docs.blank_pdf(), NAME, "blank", "fail"),
    ("tiny image", docs.tiny_image(), NAME, "resolution", "fail"),
    ("blurred scan", docs.blurred(LINES), NAME, "sharpness", "warn"),
    ("valid passport page", passport(), PASSPORT, "mrz", "pass"),
    ("valid passport: validity", passport(), PASSPORT, "validity", "pass"),
    ("expired passport, valid MRZ: MRZ", passport(expiry=date(2025, 6, 30)), PASSPORT, "mrz", "pass"),
    ("expired passport, valid MRZ: validity", passport(expiry=date(2025, 6, 30)), PASSPORT, "validity", "fail"),
    ("bad MRZ check digit (number)", passport(break_digit="document_number"), PASSPORT, "mrz", "fail"),
    ("bad MRZ check digit (expiry)", passport(break_digit="expiry_date"), PASSPORT, "mrz", "fail"),
    ("another person's passport", passport(surname="Li", given="Na", number="K98765432"), PASSPORT, "record", "fail"),
    ("corrupt PDF", docs.corrupt_pdf(), NAME, "readable", "fail"),
    ("PDF bomb (5,000 pages)", docs.pdf_bomb(), NAME, "readable", "fail"),
    ("password-protected PDF", docs.encrypted_pdf(["ZHANG Wei"]), NAME, "readable", "fail"),
    ("30,000 × 30,000 PNG header", docs.huge_png_header(), NAME, "readable", "fail"),
    ("zero-byte file", b"", NAME, "readable", "fail"),
]


def main() -> None:
    print(f"OCR languages installed: {sorted(ocr.installed_languages()) or 'none'}")
    right = 0
    for name, data, rules, check, expected in CASES:
        started = time.monotonic()
        result = review_document(data, rules=rules, record=ZHANG, today=TODAY)
        seconds = time.monotonic() - started
        got = {c.key: c.outcome for c in result.checks}.get(check, "absent")
        ok = got == expected
        right += ok
        print(f"{'ok ' if ok else 'MISS'} {name:42} {check:11} expected {expected:5} got {got:8} "
              f"verdict {result.verdict:5} {seconds:5.1f} s")
    print(f"{right}/{len(CASES)} right ({right / len(CASES):.0%})")


if __name__ == "__main__":
    main()
