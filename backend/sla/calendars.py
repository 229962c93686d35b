"""Which dates are working days: the Chinese statutory calendar plus local corrections.

Three sources, strongest first:

1. **Administrator overrides** — a plain ``Mapping[date, bool]`` (True = working day) that
   the caller loads from wherever it keeps them. Local decisions (a typhoon closure, an
   extra Saturday) must beat any published calendar.
2. **Yearly files** ``calendar_data/<year>.yaml`` — the State Council publishes next year's
   schedule in November or December, often before a new chinesecalendar release; a file
   lets us ship it without waiting. A file is authoritative for its whole year.
3. **chinesecalendar** (1.11 knows 2004-2026 and raises ``NotImplementedError`` outside).

A date no source knows is classified Monday-Friday and reported as *not known*, so the
deadlines built on it are flagged provisional instead of being silently guessed. This
module is pure Python (no Django) so it can be tested and reused anywhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import chinese_calendar
import yaml

DEFAULT_DATA_DIR = Path(__file__).resolve().parent / "calendar_data"
_YEAR_FILE = re.compile(r"^(\d{4})\.yaml$")
_KEYS = ("year", "source", "holidays", "workdays")
_DAY_CACHE_SIZE = 8192  # ~22 years of days: one SLA sweep never evicts


class DayStatus(NamedTuple):
    """Classification of one date; ``known`` is False when it is only a Mon-Fri guess."""

    workday: bool
    known: bool


@dataclass(frozen=True)
class YearCalendar:
    """One year's official schedule, as written in ``calendar_data/<year>.yaml``.

    ``holidays`` are the Monday-Friday dates that are off; ``workdays`` are the Saturday or
    Sunday make-up days (调休) that are worked. Every other date follows Monday-Friday.
    """

    year: int
    source: str
    holidays: frozenset[date]
    workdays: frozenset[date]

    def is_workday(self, day: date) -> bool:
        if day in self.workdays:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5


def load_year_file(path: Path) -> YearCalendar:
    """Read and validate one yearly file; any problem raises ValueError naming the file.

    Entries that could not change anything (a weekend listed as a holiday, a weekday listed
    as a make-up day) are rejected too: they are always a typo for another date.
    """

    def fail(problem: str) -> ValueError:
        return ValueError(f"calendar file {path}: {problem}")

    match = _YEAR_FILE.match(path.name)
    if match is None:
        raise fail("file name must be <year>.yaml, e.g. 2027.yaml")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise fail(f"cannot be read as YAML ({exc})") from None
    if not isinstance(data, dict):
        raise fail("must be a mapping with keys " + ", ".join(_KEYS))
    missing = [key for key in _KEYS if key not in data]
    unknown = sorted(str(key) for key in data if key not in _KEYS)
    if missing or unknown:
        raise fail(f"missing keys {missing}, unknown keys {unknown}")
    year = int(match.group(1))
    if data["year"] != year or isinstance(data["year"], bool):
        raise fail(f"year is {data['year']!r} but the file name says {year}")
    if not isinstance(data["source"], str) or not data["source"].strip():
        raise fail("source must name the official notice")
    holidays = _dates(data["holidays"], "holidays", year, fail)
    workdays = _dates(data["workdays"], "workdays", year, fail)
    if both := sorted(holidays & workdays):
        raise fail(f"dates in both holidays and workdays: {_iso(both)}")
    if weekend := sorted(day for day in holidays if day.weekday() >= 5):
        raise fail(f"holidays must be Monday-Friday (weekends are off anyway): {_iso(weekend)}")
    if weekday := sorted(day for day in workdays if day.weekday() < 5):
        raise fail(f"workdays must be Saturday or Sunday make-up days: {_iso(weekday)}")
    return YearCalendar(year, data["source"].strip(), frozenset(holidays), frozenset(workdays))


def _dates(value: Any, key: str, year: int, fail: Any) -> set[date]:
    if not isinstance(value, list):
        raise fail(f"{key} must be a list of dates (use [] for none)")
    days: set[date] = set()
    for item in value:
        if isinstance(item, str):
            try:
                item = date.fromisoformat(item)
            except ValueError:
                raise fail(f"{key}: {item!r} is not a date (YYYY-MM-DD)") from None
        if not isinstance(item, date) or isinstance(item, datetime):
            raise fail(f"{key}: {item!r} is not a date (YYYY-MM-DD)")
        if item.year != year:
            raise fail(f"{key}: {item.isoformat()} is not in {year}")
        if item in days:
            raise fail(f"{key}: {item.isoformat()} is listed twice")
        days.add(item)
    return days


def _iso(days: Iterable[date]) -> str:
    return ", ".join(day.isoformat() for day in days)


def load_data_dir(data_dir: Path) -> dict[int, YearCalendar]:
    """Load every ``<year>.yaml`` in *data_dir*.

    A YAML file with any other name is an error rather than ignored, so ``2027.yml`` or
    ``2027-draft.yaml`` cannot silently leave a year unknown. Other files (README) are
    skipped.
    """
    if not data_dir.is_dir():
        raise ValueError(f"calendar data directory {data_dir} does not exist")
    years: dict[int, YearCalendar] = {}
    for path in sorted(data_dir.iterdir()):
        if path.suffix.lower() in (".yaml", ".yml"):
            calendar = load_year_file(path)
            years[calendar.year] = calendar
    return years


class WorkCalendar:
    """Classifies dates as working days; lookups are cached per date.

    The overrides are copied, and the yearly files are read and validated once, here: a bad
    file fails at construction, not in the middle of a deadline computation.
    """

    def __init__(
        self,
        *,
        overrides: Mapping[date, bool] | None = None,
        data_dir: Path = DEFAULT_DATA_DIR,
    ) -> None:
        self._overrides = _checked_overrides(overrides or {})
        self._years = load_data_dir(data_dir)
        self._status = lru_cache(maxsize=_DAY_CACHE_SIZE)(self._classify)

    def is_workday(self, day: date) -> DayStatus:
        """``(workday, known)`` for *day*; unknown years fall back to Monday-Friday."""
        if isinstance(day, datetime) or not isinstance(day, date):
            # A datetime would also be a cache key distinct from its date.
            raise TypeError(f"expected a date, got {day!r}")
        return self._status(day)

    def is_known_year(self, year: int) -> bool:
        """True if a yearly file or chinesecalendar has the official schedule for *year*.

        Overrides do not count: a handful of dates cannot stand in for a year's schedule.
        """
        return year in self._years or _chinese_calendar_knows(year)

    def unknown_years(self, years: Iterable[int]) -> list[int]:
        """The years among *years* that no source knows, sorted; for a start-up warning."""
        return sorted({year for year in years if not self.is_known_year(year)})

    def _classify(self, day: date) -> DayStatus:
        if day in self._overrides:
            return DayStatus(self._overrides[day], True)
        if (year := self._years.get(day.year)) is not None:
            return DayStatus(year.is_workday(day), True)
        try:
            return DayStatus(chinese_calendar.is_workday(day), True)
        except NotImplementedError:
            return DayStatus(day.weekday() < 5, False)


def _chinese_calendar_knows(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def _checked_overrides(overrides: Mapping[date, bool]) -> dict[date, bool]:
    checked: dict[date, bool] = {}
    for day, workday in overrides.items():
        if isinstance(day, datetime) or not isinstance(day, date):
            raise TypeError(f"override keys must be dates, got {day!r}")
        if not isinstance(workday, bool):
            raise TypeError(f"override for {day.isoformat()} must be True or False")
        checked[day] = workday
    return checked
