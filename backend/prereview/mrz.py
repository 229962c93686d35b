"""Passports' machine-readable zone (ICAO Doc 9303, TD3: two lines of 44 characters).

``find_td3`` picks the zone out of OCR text (which adds spaces and misreads a few
characters); ``parse_td3`` splits it into fields and verifies every check digit with the
7-3-1 rule. Pure functions: no files, no database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

WEIGHTS = (7, 3, 1)
_LINE = re.compile(r"[A-Z0-9<]{10,50}")
# OCR of the filler character: « and K-runs are the usual misreadings of "<<<".
_FILLER = str.maketrans({"«": "<", "‹": "<", "〈": "<", "(": "<", "{": "<", "[": "<"})


def check_digit(text: str) -> int:
    """The ICAO 9303 check digit of ``text``: digits count as themselves, A–Z as 10–35,
    ``<`` as 0, weighted 7, 3, 1 repeating, modulo 10."""
    total = 0
    for position, char in enumerate(text):
        if char.isdigit():
            value = int(char)
        elif "A" <= char <= "Z":
            value = ord(char) - ord("A") + 10
        elif char == "<":
            value = 0
        else:
            raise ValueError(f"not an MRZ character: {char!r}")
        total += value * WEIGHTS[position % 3]
    return total % 10


@dataclass(frozen=True)
class Mrz:
    document_type: str
    issuing_state: str
    surname: str
    given_names: str
    document_number: str
    nationality: str
    birth_date: date | None
    sex: str
    expiry_date: date | None
    # Names of the fields whose check digit is wrong ("document_number", "birth_date",
    # "expiry_date", "personal_number", "composite").
    bad_check_digits: tuple[str, ...] = field(default=())

    @property
    def valid(self) -> bool:
        return not self.bad_check_digits and self.birth_date is not None and self.expiry_date is not None

    @property
    def name(self) -> str:
        return f"{self.surname} {self.given_names}".strip()


def _date(text: str, *, today: date, past: bool) -> date | None:
    """YYMMDD → a date. Birth dates are in the past (so ``85`` is 1985); expiry dates
    within the century starting 50 years before today."""
    if not text.isdigit():
        return None
    yy, month, day = int(text[:2]), int(text[2:4]), int(text[4:6])
    century = today.year // 100 * 100
    year = century + yy
    if past and year > today.year:
        year -= 100
    if not past and year < today.year - 50:
        year += 100
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _digit_ok(value: str, digit: str) -> bool:
    try:
        return digit.isdigit() and check_digit(value) == int(digit)
    except ValueError:
        return False


def parse_td3(line1: str, line2: str, *, today: date) -> Mrz | None:
    """The fields of a TD3 zone, or None when the lines are not one."""
    if len(line1) != 44 or len(line2) != 44 or line1[0] != "P":
        return None
    names = line1[5:].rstrip("<").split("<<", 1)
    surname = names[0].replace("<", " ").strip()
    given = names[1].replace("<", " ").strip() if len(names) > 1 else ""
    number, number_cd = line2[0:9], line2[9]
    birth, birth_cd = line2[13:19], line2[19]
    expiry, expiry_cd = line2[21:27], line2[27]
    personal, personal_cd = line2[28:42], line2[42]
    composite = line2[0:10] + line2[13:20] + line2[21:43]
    bad = []
    if not _digit_ok(number, number_cd):
        bad.append("document_number")
    if not _digit_ok(birth, birth_cd):
        bad.append("birth_date")
    if not _digit_ok(expiry, expiry_cd):
        bad.append("expiry_date")
    # An empty personal number may carry "<" or "0" as its check digit (9303 part 4).
    if not (personal.strip("<") == "" and personal_cd in "<0") and not _digit_ok(personal, personal_cd):
        bad.append("personal_number")
    if not _digit_ok(composite, line2[43]):
        bad.append("composite")
    return Mrz(
        document_type=line1[0:2].replace("<", ""),
        issuing_state=line1[2:5].replace("<", ""),
        surname=surname,
        given_names=given,
        document_number=number.replace("<", ""),
        nationality=line2[10:13].replace("<", ""),
        birth_date=_date(birth, today=today, past=True),
        sex=line2[20],
        expiry_date=_date(expiry, today=today, past=False),
        bad_check_digits=tuple(bad),
    )


def _candidates(text: str) -> list[str]:
    lines = []
    for raw in text.upper().translate(_FILLER).splitlines():
        compact = re.sub(r"\s+", "", raw)
        match = _LINE.search(compact)
        if match:
            lines.append(match.group(0))
    return lines


_TO_DIGIT = str.maketrans({"O": "0", "Q": "0", "D": "0", "U": "0", "I": "1", "L": "1", "Z": "2",
                           "S": "5", "G": "6", "B": "8"})
_TO_LETTER = str.maketrans({"0": "O", "1": "I", "2": "Z", "5": "S", "6": "G", "8": "B"})
# Positions of line 2 that hold only digits (dates and check digits).
_DIGITS = (9, *range(13, 20), *range(21, 28), 42, 43)


def repair(line1: str, line2: str) -> tuple[str, str]:
    """Undo OCR's usual confusions where the format leaves no doubt: digits in the name
    field become letters; letters where line 2 must hold a digit become digits."""
    line1 = line1[:5] + line1[5:].translate(_TO_LETTER)
    chars = list(line2)
    for position in _DIGITS:
        if position < len(chars):
            chars[position] = chars[position].translate(_TO_DIGIT)
    for position in (10, 11, 12):  # nationality: letters
        if position < len(chars):
            chars[position] = chars[position].translate(_TO_LETTER)
    return line1, "".join(chars)


def _fit(line: str) -> str:
    """OCR drops or adds filler at the end of a line: pad or trim to 44."""
    return (line + "<" * 44)[:44] if len(line) < 44 else line[:44] if line.endswith("<") else line


def _second_lines(line: str) -> list[str]:
    """Line 2 as read, and when OCR added or dropped one character, each one-character
    repair (the check digits then pick the right one)."""
    if len(line) == 44:
        return [line]
    if len(line) == 45:
        return [line[:i] + line[i + 1:] for i in range(45)]
    if len(line) == 43:
        return [line[:i] + "<" + line[i:] for i in range(44)]
    return [line[:44]] if len(line) > 44 else []


def find_td3(text: str, *, today: date) -> Mrz | None:
    """The TD3 zone in ``text``: a line starting ``P`` and containing ``<<`` followed by a
    line of 44 characters. Of the readings OCR allows, the one with fewest wrong check
    digits wins."""
    lines = _candidates(text)
    best: Mrz | None = None
    for index in range(len(lines) - 1):
        first = lines[index]
        if not first.startswith("P") or "<<" not in first:
            continue
        for second in _second_lines(lines[index + 1]):
            parsed = parse_td3(*repair(_fit(first), second), today=today)
            if parsed is not None and (best is None or len(parsed.bad_check_digits) < len(best.bad_check_digits)):
                best = parsed
        if best is not None:
            return best
    return None
