"""The holiday calendar, assembled (rules.calendar) and its data (calendar_years.yaml): no database.

Expected days were read from the `holidays` package's Indonesian calendar (0.109) and a
printed calendar, never from the code under test.
"""

from datetime import date

import pytest

from rules import calendar as calendar_module
from rules.calendar import Correction, HolidayCalendar, needs_confirmation, package_days, provisional_note
from rules.catalog import CatalogError, load_catalog

FILE_DAYS = {
    date(2026, 12, 24): "Cuti bersama Natal (file)",
    date(2026, 12, 25): "Natal (file)",
}


def fake_package(year):
    """A stand-in for the package with one obvious day a year, to see which source a year came from."""
    return {date(year, 1, 1): f"Package new year {year}", date(year, 12, 24): f"Package Christmas Eve {year}"}


def make(**kwargs):
    options = {"file_days": FILE_DAYS, "file_years": {2026}, "fallback": fake_package}
    return HolidayCalendar(**{**options, **kwargs})


# --- Assembly -------------------------------------------------------------------------


def test_a_year_of_the_file_takes_the_files_days_only():
    calendar = make()
    assert dict(calendar.year(2026)) == FILE_DAYS
    assert date(2026, 1, 1) not in calendar  # the package's day of a file year is not used


def test_a_year_missing_from_the_file_takes_the_package_days():
    calendar = make()
    assert calendar[date(2027, 1, 1)] == "Package new year 2027"
    assert date(2027, 12, 24) in calendar
    assert date(2027, 12, 25) not in calendar


def test_a_correction_adds_a_day_to_a_file_year_and_to_a_package_year():
    calendar = make(corrections=[
        Correction(day=date(2026, 12, 28), name="Tambahan"),
        Correction(day=date(2027, 1, 4), name="Cuti bersama tambahan"),
    ])
    assert calendar[date(2026, 12, 28)] == "Tambahan"
    assert calendar[date(2027, 1, 4)] == "Cuti bersama tambahan"


def test_a_correction_removes_a_day_of_the_file_and_of_the_package():
    calendar = make(corrections=[
        Correction(day=date(2026, 12, 24), name="Dihapus", removed=True),
        Correction(day=date(2027, 1, 1), name="Dihapus", removed=True),
    ])
    assert date(2026, 12, 24) not in calendar and date(2026, 12, 25) in calendar
    assert date(2027, 1, 1) not in calendar and date(2027, 12, 24) in calendar


def test_a_correction_renames_a_day_it_adds_again():
    calendar = make(corrections=[Correction(day=date(2026, 12, 25), name="Hari Raya Natal (SKB)")])
    assert calendar[date(2026, 12, 25)] == "Hari Raya Natal (SKB)"


def test_file_years_are_confirmed_and_other_years_are_provisional():
    calendar = make()
    assert not calendar.is_provisional(2026)
    assert calendar.is_provisional(2027) and calendar.is_provisional(2025)


def test_a_year_an_administrator_confirmed_is_not_provisional_but_keeps_the_package_days():
    calendar = make(confirmed_years={2027})
    assert not calendar.is_provisional(2027)
    assert calendar[date(2027, 1, 1)] == "Package new year 2027"


@pytest.mark.parametrize(("first", "last", "years"), [
    pytest.param(date(2026, 12, 1), date(2026, 12, 31), (), id="within-a-confirmed-year"),
    pytest.param(date(2026, 12, 29), date(2027, 1, 8), (2027,), id="into-an-unconfirmed-year"),
    pytest.param(date(2025, 12, 29), date(2028, 1, 3), (2025, 2027, 2028), id="over-several-years"),
])
def test_the_provisional_years_of_a_range(first, last, years):
    assert make().provisional_years(first, last) == years


def test_the_calendar_iterates_over_its_known_years_in_date_order():
    calendar = make(corrections=[Correction(day=date(2027, 1, 4), name="Tambahan")])
    assert list(calendar) == [date(2026, 12, 24), date(2026, 12, 25), date(2027, 1, 1), date(2027, 1, 4),
                              date(2027, 12, 24)]
    assert len(calendar) == 5


def test_a_key_that_is_not_a_date_is_simply_missing():
    assert "2026-12-25" not in make()


# --- The package ----------------------------------------------------------------------


@pytest.mark.parametrize(("day", "name"), [
    pytest.param(date(2027, 1, 1), "Tahun Baru Masehi", id="new-year"),
    pytest.param(date(2027, 1, 5), "Isra Mikraj Nabi Muhammad", id="isra-miraj"),
    pytest.param(date(2027, 2, 5), "Cuti Bersama Tahun Baru Imlek", id="collective-leave-government-category"),
    pytest.param(date(2027, 8, 17), "Hari Kemerdekaan Republik Indonesia", id="independence"),
    pytest.param(date(2027, 12, 24), "Cuti Bersama Hari Raya Natal", id="christmas-leave"),
])
def test_the_package_knows_indonesias_days_off_of_2027_with_collective_leave(day, name):
    assert package_days(2027, "id")[day] == name


def test_the_package_names_the_days_in_english_for_english():
    assert package_days(2027, "en")[date(2027, 1, 1)] == "New Year's Day"


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_the_package_agrees_with_the_file_on_every_collective_leave_day(year):
    """The file's cuti bersama came from the package: a drift of the package shows here."""
    real = load_catalog()
    leave = sorted(day for day, holiday in real.holidays.items()
                   if holiday.kind == "collective_leave" and day.year == year)
    from_package = sorted(day for day, name in package_days(year, "id").items() if name.startswith("Cuti Bersama"))
    assert leave == from_package


def test_the_real_calendar_falls_back_to_the_package_for_2027():
    real = load_catalog()
    calendar = HolidayCalendar(file_days={day: h.name.id for day, h in real.holidays.items()},
                               file_years=real.calendar_years)
    assert calendar[date(2026, 12, 25)] == "Hari Raya Natal"  # the file's name
    assert calendar[date(2027, 1, 1)] == "Tahun Baru Masehi"  # the package's
    assert calendar.provisional_years(date(2026, 12, 29), date(2027, 1, 8)) == (2027,)


# --- The provisional note -------------------------------------------------------------


def test_the_provisional_note_says_sementara_in_indonesian_and_names_the_years():
    assert provisional_note((2027, 2028), "id").startswith("Sementara: hari libur tahun 2027, 2028 belum dikonfirmasi")
    assert provisional_note((2027,), "en").startswith("Provisional: the days off of 2027 are not yet confirmed")


# --- When administrators are asked ----------------------------------------------------

CONFIRMED = {2024, 2025, 2026}


@pytest.mark.parametrize(("today", "confirmed", "year"), [
    pytest.param(date(2026, 9, 30), CONFIRMED, None, id="before-october"),
    pytest.param(date(2026, 10, 1), CONFIRMED, 2027, id="from-1-october"),
    pytest.param(date(2026, 12, 31), CONFIRMED, 2027, id="end-of-year"),
    pytest.param(date(2026, 10, 1), CONFIRMED | {2027}, None, id="next-year-confirmed"),
    pytest.param(date(2027, 1, 4), CONFIRMED, 2027, id="current-year-unconfirmed"),
    pytest.param(date(2027, 3, 1), CONFIRMED | {2027}, None, id="current-year-confirmed-in-march"),
])
def test_needs_confirmation(today, confirmed, year):
    assert needs_confirmation(today, confirmed) == year


def test_the_confirmation_month_is_october():
    assert calendar_module.CONFIRMATION_MONTH == 10


# --- calendar_years.yaml --------------------------------------------------------------


def test_the_real_files_confirm_2024_to_2026_each_with_its_decree():
    real = load_catalog()
    assert list(real.calendar_years) == [2024, 2025, 2026]
    for entry in real.calendar_years.values():
        assert f"Hari Libur Nasional dan Cuti Bersama Tahun {entry.year}" in entry.decree
        assert entry.source
    assert 2027 not in real.calendar_years  # its decree was not read: the package's days, provisional


def test_the_content_stored_with_a_rule_set_holds_the_confirmed_years():
    content = load_catalog().content()
    assert [entry["year"] for entry in content["calendar_years"]] == [2024, 2025, 2026]


def _drop_year(year):
    def change(entries):
        return [entry for entry in entries if entry["year"] != year]
    return change


def _set(key, value, index=0):
    def change(entries):
        entries[index][key] = value
    return change


def _add_year(year):
    def change(entries):
        return entries + [{"year": year, "decree": "SKB contoh", "source": "contoh"}]
    return change


BROKEN_YEARS = [
    pytest.param(_drop_year(2025), "holidays.yaml: the days of 2025 are not confirmed", id="file-year-not-listed"),
    pytest.param(_add_year(2027), 'calendar_years.yaml: entry "2027": holidays.yaml has no day of 2027',
                 id="listed-year-without-days"),
    pytest.param(lambda entries: entries + [dict(entries[0])], 'calendar_years.yaml: entry "2024": duplicate year',
                 id="duplicate-year"),
    pytest.param(_set("year", "2024"), 'calendar_years.yaml: entry "2024": "year" must be a year from 2000',
                 id="year-as-text"),
    pytest.param(_set("year", 20244), 'calendar_years.yaml: entry "20244": "year" must be a year from 2000 to 2100',
                 id="year-out-of-range"),
    pytest.param(_set("decree", " "), 'calendar_years.yaml: entry "2024": "decree" must be a non-empty text',
                 id="empty-decree"),
    pytest.param(lambda entries: entries[0].pop("source") and None, 'calendar_years.yaml: entry "2024": missing "source"',
                 id="missing-source"),
    pytest.param(_set("confirmed", True), 'calendar_years.yaml: entry "2024": unknown key "confirmed"',
                 id="unknown-key"),
]


@pytest.mark.parametrize(("change", "message"), BROKEN_YEARS)
def test_a_broken_calendar_years_file_is_refused_naming_the_entry(edit, change, message):
    folder = edit("calendar_years.yaml", change)
    with pytest.raises(CatalogError) as error:
        load_catalog(folder)
    assert str(error.value).startswith(message), str(error.value)


def test_a_missing_calendar_years_file_is_refused_naming_it(data_dir):
    (data_dir / "calendar_years.yaml").unlink()
    with pytest.raises(CatalogError, match=r"^calendar_years[.]yaml: file not found"):
        load_catalog(data_dir)
