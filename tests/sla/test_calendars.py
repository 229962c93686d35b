"""Working-day calendar: chinesecalendar, yearly files and administrator overrides.

Facts about chinesecalendar 1.11's 2026 data asserted below (State Council notice for 2026):
National Day is Thu 1 - Wed 7 October (seven days, not eight: Thu 8 October is a working
day) and Mid-Autumn is a separate break, Fri 25 - Sun 27 September. The six weekend
make-up days are Sun 4 Jan, Sat 14 Feb, Sat 28 Feb, Sat 9 May, Sun 20 Sep and Sat 10 Oct.
"""

import re
from datetime import date, datetime, timedelta
from pathlib import Path

import chinese_calendar
import pytest

from sla.calendars import (
    DEFAULT_DATA_DIR,
    DayStatus,
    WorkCalendar,
    load_data_dir,
    load_year_file,
)

CALENDAR = WorkCalendar()

FAKE_2027 = """\
year: 2027
source: "test fixture, not the official notice"
holidays: [2027-01-01, 2027-02-05]
workdays: [2027-02-07]
"""


def days_of(year: int) -> list[date]:
    first = date(year, 1, 1)
    return [first + timedelta(days=n) for n in range((date(year + 1, 1, 1) - first).days)]


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def test_national_day_2026_is_october_1_to_7_and_october_8_is_worked():
    october = {day: CALENDAR.is_workday(day) for day in days_of(2026) if day.month == 10}
    days_off = [day.day for day, status in october.items() if not status.workday]
    assert days_off[:8] == [1, 2, 3, 4, 5, 6, 7, 11]  # Sat 10 is a make-up day
    assert october[date(2026, 10, 8)] == DayStatus(workday=True, known=True)


def test_the_2026_make_up_days_are_the_six_published_weekend_days():
    make_up = [d for d in days_of(2026) if d.weekday() >= 5 and CALENDAR.is_workday(d).workday]
    assert make_up == [
        date(2026, 1, 4),
        date(2026, 2, 14),
        date(2026, 2, 28),
        date(2026, 5, 9),
        date(2026, 9, 20),
        date(2026, 10, 10),
    ]


def test_the_2026_weekday_holidays_are_the_published_ones():
    off = [d for d in days_of(2026) if d.weekday() < 5 and not CALENDAR.is_workday(d).workday]
    assert [d.strftime("%m-%d") for d in off] == [
        "01-01", "01-02",  # New Year
        "02-16", "02-17", "02-18", "02-19", "02-20", "02-23",  # Spring Festival
        "04-06",  # Qingming
        "05-01", "05-04", "05-05",  # Labour Day
        "06-19",  # Dragon Boat
        "09-25",  # Mid-Autumn
        "10-01", "10-02", "10-05", "10-06", "10-07",  # National Day
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2027, 1, 1), DayStatus(workday=True, known=False)),  # Friday, guessed
        (date(2027, 1, 2), DayStatus(workday=False, known=False)),  # Saturday, guessed
        (date(2003, 12, 31), DayStatus(workday=True, known=False)),  # before 2004 too
    ],
)
def test_a_year_no_source_knows_is_monday_to_friday_and_marked_unknown(day, expected):
    assert CALENDAR.is_workday(day) == expected


def test_the_shipped_data_has_no_2027_file_so_2027_is_unknown():
    assert 2027 not in load_data_dir(DEFAULT_DATA_DIR)
    assert CALENDAR.unknown_years([2028, 2026, 2027, 2027, 2003, 2004]) == [2003, 2027, 2028]
    assert CALENDAR.is_known_year(2026)


def test_overrides_win_over_chinesecalendar():
    calendar = WorkCalendar(overrides={date(2026, 9, 12): True, date(2026, 9, 14): False})
    assert calendar.is_workday(date(2026, 9, 12)) == DayStatus(workday=True, known=True)  # Sat
    assert calendar.is_workday(date(2026, 9, 14)) == DayStatus(workday=False, known=True)  # Mon
    assert calendar.is_workday(date(2026, 9, 15)) == DayStatus(workday=True, known=True)


def test_an_override_makes_its_date_known_but_not_its_year():
    calendar = WorkCalendar(overrides={date(2027, 1, 1): False})
    assert calendar.is_workday(date(2027, 1, 1)) == DayStatus(workday=False, known=True)
    assert calendar.is_workday(date(2027, 1, 4)) == DayStatus(workday=True, known=False)
    assert calendar.unknown_years([2027]) == [2027]


def test_overrides_are_copied_so_later_changes_do_not_leak_into_the_cache():
    overrides = {date(2026, 9, 12): True}
    calendar = WorkCalendar(overrides=overrides)
    overrides[date(2026, 9, 12)] = False
    assert calendar.is_workday(date(2026, 9, 12)).workday is True


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({datetime(2026, 9, 12, 9): True}, "override keys must be dates"),
        ({"2026-09-12": True}, "override keys must be dates"),
        ({date(2026, 9, 12): 1}, "override for 2026-09-12 must be True or False"),
    ],
)
def test_bad_overrides_are_refused(overrides, message):
    with pytest.raises(TypeError, match=message):
        WorkCalendar(overrides=overrides)


def test_is_workday_refuses_a_datetime():
    with pytest.raises(TypeError, match="expected a date"):
        CALENDAR.is_workday(datetime(2026, 10, 8, 9))


def test_lookups_are_cached_per_day(monkeypatch):
    calls: list[date] = []
    real = chinese_calendar.is_workday

    def counting(day: date) -> bool:
        calls.append(day)
        return real(day)

    monkeypatch.setattr(chinese_calendar, "is_workday", counting)
    calendar = WorkCalendar()
    for _ in range(3):
        calendar.is_workday(date(2026, 10, 8))
        calendar.is_workday(date(2026, 10, 9))
    assert calls == [date(2026, 10, 8), date(2026, 10, 9)]


def test_a_yearly_file_makes_its_year_known(tmp_path):
    write(tmp_path, "2027.yaml", FAKE_2027)
    calendar = WorkCalendar(data_dir=tmp_path)
    assert calendar.unknown_years([2026, 2027, 2028]) == [2028]
    assert calendar.is_workday(date(2027, 1, 1)) == DayStatus(workday=False, known=True)
    assert calendar.is_workday(date(2027, 2, 7)) == DayStatus(workday=True, known=True)  # Sun
    assert calendar.is_workday(date(2027, 1, 4)) == DayStatus(workday=True, known=True)
    assert calendar.is_workday(date(2027, 1, 9)) == DayStatus(workday=False, known=True)


def test_a_yearly_file_replaces_chinesecalendar_for_its_whole_year(tmp_path):
    write(tmp_path, "2026.yaml", 'year: 2026\nsource: "x"\nholidays: [2026-09-30]\nworkdays: []\n')
    calendar = WorkCalendar(data_dir=tmp_path)
    assert calendar.is_workday(date(2026, 9, 30)).workday is False
    # National Day is not in this file, so under it 1 October is an ordinary Thursday.
    assert calendar.is_workday(date(2026, 10, 1)).workday is True
    assert calendar.is_workday(date(2026, 10, 10)).workday is False


def test_overrides_win_over_a_yearly_file(tmp_path):
    write(tmp_path, "2027.yaml", FAKE_2027)
    calendar = WorkCalendar(data_dir=tmp_path, overrides={date(2027, 1, 1): True})
    assert calendar.is_workday(date(2027, 1, 1)) == DayStatus(workday=True, known=True)


def test_a_yearly_file_accepts_quoted_dates(tmp_path):
    path = write(
        tmp_path, "2027.yaml", 'year: 2027\nsource: "x"\nholidays: ["2027-01-01"]\nworkdays: []\n'
    )
    assert load_year_file(path).holidays == frozenset({date(2027, 1, 1)})


def test_files_that_are_not_yaml_are_ignored(tmp_path):
    write(tmp_path, "README.md", "notes")
    assert load_data_dir(tmp_path) == {}


GOOD = {"year": "2027", "source": '"x"', "holidays": "[2027-01-01]", "workdays": "[2027-02-07]"}


def yaml_with(**changes: str | None) -> str:
    fields = {**GOOD, **changes}
    return "".join(f"{key}: {value}\n" for key, value in fields.items() if value is not None)


BAD_FILES = {
    "year-mismatch": (yaml_with(year="2028"), "year is 2028 but the file name says 2027"),
    "year-as-text": (yaml_with(year='"2027"'), "year is '2027' but the file name says 2027"),
    "date-in-other-year": (
        yaml_with(holidays="[2026-12-31]"),
        "holidays: 2026-12-31 is not in 2027",
    ),
    "date-in-both-lists": (
        yaml_with(workdays="[2027-01-01]", holidays="[2027-01-01]"),
        "dates in both holidays and workdays: 2027-01-01",
    ),
    "weekend-holiday": (
        yaml_with(holidays="[2027-01-02]"),
        "holidays must be Monday-Friday.*2027-01-02",
    ),
    "weekday-workday": (
        yaml_with(workdays="[2027-01-04]"),
        "workdays must be Saturday or Sunday make-up days: 2027-01-04",
    ),
    "duplicate": (
        yaml_with(holidays="[2027-01-01, 2027-01-01]"),
        "holidays: 2027-01-01 is listed twice",
    ),
    "not-a-date": (yaml_with(holidays='["1 January"]'), "holidays: '1 January' is not a date"),
    "datetime": (yaml_with(holidays="[2027-01-01 09:00:00]"), "holidays: .* is not a date"),
    "null-list": (
        yaml_with(holidays=""),
        r"holidays must be a list of dates \(use \[\] for none\)",
    ),
    "empty-source": (yaml_with(source='""'), "source must name the official notice"),
    "missing-key": (yaml_with(workdays=None), r"missing keys \['workdays'\], unknown keys \[\]"),
    "unknown-key": (yaml_with() + "note: draft\n", r"missing keys \[\], unknown keys \['note'\]"),
    "not-a-mapping": ("- 2027-01-01\n", "must be a mapping"),
    "broken-yaml": ("year: [2027\n", "cannot be read as YAML"),
}


@pytest.mark.parametrize(("text", "message"), BAD_FILES.values(), ids=BAD_FILES.keys())
def test_a_bad_yearly_file_names_the_file_and_the_problem(tmp_path, text, message):
    path = write(tmp_path, "2027.yaml", text)
    with pytest.raises(ValueError, match=re.escape(f"calendar file {path}: ") + message):
        load_year_file(path)


def test_the_test_template_itself_is_valid(tmp_path):
    assert load_year_file(write(tmp_path, "2027.yaml", yaml_with())).year == 2027


@pytest.mark.parametrize("name", ["2027.yml", "2027-draft.yaml", "holidays.yaml"])
def test_a_yaml_file_with_another_name_is_an_error_not_ignored(tmp_path, name):
    write(tmp_path, name, yaml_with())
    with pytest.raises(ValueError, match=r"file name must be <year>\.yaml"):
        WorkCalendar(data_dir=tmp_path)


def test_a_bad_file_fails_when_the_calendar_is_built(tmp_path):
    write(tmp_path, "2027.yaml", yaml_with(year="2026"))
    with pytest.raises(ValueError, match=r"2027\.yaml: year is 2026"):
        WorkCalendar(data_dir=tmp_path)


def test_a_missing_data_directory_is_an_error(tmp_path):
    with pytest.raises(ValueError, match="does not exist"):
        WorkCalendar(data_dir=tmp_path / "nowhere")
