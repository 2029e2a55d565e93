"""Dates, times and numbers as Indonesian letters write them: pure, no database."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from letters import dates


@pytest.mark.parametrize(("day", "indonesian", "english"), [
    pytest.param(date(2024, 11, 27), "27 November 2024", "27 November 2024", id="pilkada-voting-day"),
    pytest.param(date(2024, 2, 14), "14 Februari 2024", "14 February 2024", id="pemilu-voting-day"),
    pytest.param(date(2022, 8, 23), "23 Agustus 2022", "23 August 2022", id="mou-signed"),
    pytest.param(date(2025, 5, 1), "1 Mei 2025", "1 May 2025", id="no-leading-zero"),
    pytest.param(datetime(2024, 12, 31, 23, 59), "31 Desember 2024", "31 December 2024", id="datetime-date-part"),
])
def test_a_date_is_written_with_the_month_in_words(day, indonesian, english):
    assert dates.format_date_id(day) == indonesian
    assert dates.format_date_en(day) == english


@pytest.mark.parametrize(("day", "indonesian", "english"), [
    (date(2024, 11, 27), "Rabu, 27 November 2024", "Wednesday, 27 November 2024"),
    (date(2024, 11, 29), "Jumat, 29 November 2024", "Friday, 29 November 2024"),
    (date(2024, 12, 1), "Minggu, 1 Desember 2024", "Sunday, 1 December 2024"),
    (date(2024, 11, 25), "Senin, 25 November 2024", "Monday, 25 November 2024"),
])
def test_a_weekday_comes_before_the_date_in_its_language(day, indonesian, english):
    assert dates.format_weekday_date(day, "id") == indonesian
    assert dates.format_weekday_date(day, "en") == english


def test_a_date_written_in_a_language_follows_the_language_code():
    assert dates.format_date(date(2024, 8, 17), "en-gb") == "17 August 2024"
    assert dates.format_date(date(2024, 8, 17), None) == "17 Agustus 2024"


@pytest.mark.parametrize(("number", "numeral"), [
    (1, "I"), (4, "IV"), (8, "VIII"), (9, "IX"), (11, "XI"), (12, "XII"), (40, "XL"), (2024, "MMXXIV"),
])
def test_roman_numerals(number, numeral):
    assert dates.roman(number) == numeral


def test_the_month_of_a_date_in_roman_numerals():
    assert dates.month_roman(date(2024, 11, 27)) == "XI"


@pytest.mark.parametrize("number", [0, -1, 4000, 1.5, True, "3"])
def test_roman_numerals_refuse_what_has_none(number):
    with pytest.raises(ValueError):
        dates.roman(number)


@pytest.mark.parametrize(("moment", "zone", "text"), [
    pytest.param(datetime(2024, 11, 28, 9, 0), "Asia/Jakarta", "09.00 WIB", id="naive-is-local"),
    pytest.param(datetime(2024, 11, 28, 2, 30, tzinfo=UTC), "Asia/Jakarta", "09.30 WIB", id="utc-to-wib"),
    pytest.param(datetime(2024, 11, 28, 2, 0, tzinfo=UTC), "Asia/Makassar", "10.00 WITA", id="utc-to-wita"),
    pytest.param(datetime(2024, 11, 28, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta")), "Asia/Jayapura", "11.00 WIT",
                 id="wib-to-wit"),
    pytest.param(datetime(2024, 11, 28, 14, 5), "Asia/Pontianak", "14.05 WIB", id="pontianak-is-wib"),
])
def test_a_time_carries_its_indonesian_zone(moment, zone, text):
    assert dates.format_time(moment, zone) == text


def test_english_writes_a_colon_in_the_time():
    assert dates.format_time(datetime(2024, 11, 28, 9, 0), "Asia/Jakarta", "en") == "09:00 WIB"


def test_a_zone_outside_indonesia_is_refused_not_guessed():
    with pytest.raises(ValueError, match="Europe/Amsterdam"):
        dates.format_time(datetime(2024, 11, 28, 9, 0), "Europe/Amsterdam")


@pytest.mark.parametrize(("number", "words"), [
    (0, "nol"), (1, "satu"), (7, "tujuh"), (10, "sepuluh"), (11, "sebelas"), (12, "dua belas"),
    (19, "sembilan belas"), (20, "dua puluh"), (21, "dua puluh satu"), (99, "sembilan puluh sembilan"),
    (100, "seratus"), (101, "seratus satu"), (111, "seratus sebelas"), (250, "dua ratus lima puluh"),
    (1000, "seribu"), (1001, "seribu satu"), (2024, "dua ribu dua puluh empat"),
    (11000, "sebelas ribu"), (100000, "seratus ribu"), (1_000_000, "satu juta"),
    (6_000_000, "enam juta"), (12_000_000, "dua belas juta"),
])
def test_terbilang_writes_a_number_in_indonesian_words(number, words):
    assert dates.terbilang(number) == words


@pytest.mark.parametrize(("number", "words"), [
    (0, "zero"), (7, "seven"), (13, "thirteen"), (21, "twenty-one"), (100, "one hundred"),
    (2024, "two thousand twenty-four"), (1_000_000, "one million"),
])
def test_english_words_for_a_number(number, words):
    assert dates.number_words_en(number) == words


def test_a_count_is_written_in_figures_and_words():
    assert dates.count_with_words(3) == "3 (tiga)"
    assert dates.count_with_words(3, "en") == "3 (three)"


@pytest.mark.parametrize("number", [-1, 1_000_000_000, 2.5, False])
def test_numbers_in_words_refuse_what_they_cannot_write(number):
    with pytest.raises(ValueError):
        dates.terbilang(number)
