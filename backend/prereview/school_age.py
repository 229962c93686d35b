"""The school-age rule of a child's birth certificate (``review: school_age`` in the YAML).

The child's birth date is read from the certificate's text (text layer or OCR): the first
date after a birth keyword (出生日期, 出生時間, 出生, Date of birth, Born, DOB),
written as 2019-05-03, 2019年5月3日, 2019/5/3, 03.05.2019 or 3 May 2019. The age is
counted in full years on the school year's cut-off date — the next cut-off (e.g. 31
August) on or after the day of the check — so a child who turns six by then is of
primary-school age for the coming school year.
"""

from __future__ import annotations

import re
from datetime import date

from flows.definitions import SchoolAge

KEYWORD = re.compile(r"出生日期|出生時間|出生时间|出生|date\s+of\s+birth|birth\s*date|born|d\.?o\.?b\.?",
                     re.IGNORECASE)
MONTHS = {name: number for number, names in enumerate(
    [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
     ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
     ("oct", "october"), ("nov", "november"), ("dec", "december")], start=1) for name in names}
_YMD = re.compile(r"(\d{4})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})")
_DMY = re.compile(r"(\d{1,2})[./-](\d{1,2})[./-](\d{4})")
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})\s+([A-Za-z]{3,9})\.?,?\s+(\d{4})")
_MONTH_DAY_YEAR = re.compile(r"([A-Za-z]{3,9})\.?\s+(\d{1,2}),?\s+(\d{4})")
WINDOW = 40  # characters after the keyword in which the date must start


def _first_date(text: str) -> date | None:
    candidates = []
    for pattern, order in ((_YMD, "ymd"), (_DMY, "dmy"), (_DAY_MONTH_YEAR, "dMy"), (_MONTH_DAY_YEAR, "Mdy")):
        match = pattern.search(text)
        if match is None:
            continue
        a, b, c = match.groups()
        try:
            if order == "ymd":
                day = date(int(a), int(b), int(c))
            elif order == "dmy":
                day = date(int(c), int(b), int(a))
            elif order == "dMy":
                day = date(int(c), MONTHS[b.lower()], int(a))
            else:
                day = date(int(c), MONTHS[a.lower()], int(b))
        except (KeyError, ValueError):
            continue
        candidates.append((match.start(), day))
    return min(candidates)[1] if candidates else None


def birth_date_in(text: str) -> date | None:
    """The first well-formed date that starts within a few characters after a birth
    keyword; None when there is none (or only impossible dates such as 2019-02-30)."""
    for keyword in KEYWORD.finditer(text or ""):
        following = text[keyword.end():keyword.end() + WINDOW + 20]
        found = _first_date(following)
        if found is not None:
            return found
    return None


def cut_off_date(rule: SchoolAge, today: date) -> date:
    """The school year's cut-off on or after ``today`` (29 February falls back to the 28th)."""
    for year in (today.year, today.year + 1):
        try:
            candidate = date(year, rule.cut_off_month, rule.cut_off_day)
        except ValueError:
            candidate = date(year, rule.cut_off_month, 28)
        if candidate >= today:
            return candidate
    raise AssertionError("unreachable: next year's cut-off is always after today")


def age_on(birth: date, day: date) -> int:
    """Full years of a person born on ``birth`` on ``day`` (born 29 February: a year
    completes on 1 March in common years)."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def school_age_outcome(text: str, rule: SchoolAge, today: date) -> tuple[str, str, str]:
    """``(outcome, zh, en)`` of the rule for a certificate's text: ``pass`` (of school
    age), ``fail`` (too young, too old, or born in the future) or ``skipped`` (no birth
    date could be read)."""
    birth = birth_date_in(text)
    if birth is None:
        return ("skipped", "未能从出生证明中读出出生日期，无法核对学龄。",
                "The birth date could not be read from the certificate; school age was not checked.")
    cut_off = cut_off_date(rule, today)
    if birth > today:
        return ("fail", f"出生日期 {birth:%Y-%m-%d} 晚于今天，请核对。",
                f"The birth date {birth:%Y-%m-%d} is after today; please check it.")
    age = age_on(birth, cut_off)
    span_zh, span_en = f"{rule.min_age}–{rule.max_age} 周岁", f"{rule.min_age} to {rule.max_age}"
    if age < rule.min_age or age > rule.max_age:
        return ("fail",
                f"孩子出生于 {birth:%Y-%m-%d}，到 {cut_off:%Y-%m-%d}（学年截止日）为 {age} 周岁，不在学龄（{span_zh}）之内。",
                f"The child, born {birth:%Y-%m-%d}, is {age} on {cut_off:%Y-%m-%d} (the school year's "
                f"cut-off): not of school age ({span_en}).")
    return ("pass",
            f"孩子出生于 {birth:%Y-%m-%d}，到 {cut_off:%Y-%m-%d}（学年截止日）为 {age} 周岁，属于学龄。",
            f"The child, born {birth:%Y-%m-%d}, is {age} on {cut_off:%Y-%m-%d} (the school year's "
            f"cut-off): of school age.")
