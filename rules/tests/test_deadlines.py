"""The deadline engine: pure counting, the real rules on the real calendar, the selectors.

Every expected date was worked out by hand from a printed calendar, never by the engine.
No database: the catalog is read from the files.
"""

from datetime import date, datetime
from types import SimpleNamespace

import pytest
from django.utils import translation

from rules import catalog
from rules.deadlines import (
    CALENDAR,
    PAUSED,
    SATURDAY,
    SUNDAY,
    WORKING,
    DeadlineResult,
    add_days,
    add_days_with_pauses,
    compute,
    format_day,
)
from rules.selectors import (
    DeadlineRuleNotFound,
    deadline_compute,
    deadline_rule,
    deadline_rule_list,
    holiday_calendar,
)

# A hand-written calendar (the days of holidays.yaml that these tests cross), so that the
# engine's tests do not move when an administrator edits the data.
HOLIDAYS = {
    date(2024, 2, 8): "Isra Mikraj",
    date(2024, 2, 9): "Cuti bersama Imlek",
    date(2024, 2, 10): "Tahun Baru Imlek",  # a Saturday
    date(2024, 2, 14): "Pemungutan suara Pemilu",
    date(2024, 4, 8): "Cuti bersama Idulfitri",
    date(2024, 4, 9): "Cuti bersama Idulfitri",
    date(2024, 4, 10): "Idulfitri",
    date(2024, 4, 11): "Idulfitri hari kedua",
    date(2024, 4, 12): "Cuti bersama Idulfitri",
    date(2024, 4, 15): "Cuti bersama Idulfitri",
    date(2024, 11, 27): "Pemungutan suara Pilkada serentak",
    date(2024, 12, 25): "Natal",
    date(2024, 12, 26): "Cuti bersama Natal",
    date(2025, 1, 1): "Tahun Baru",
    date(2025, 1, 27): "Isra Mikraj",
    date(2025, 1, 28): "Cuti bersama Imlek",
    date(2025, 1, 29): "Tahun Baru Imlek",
    date(2025, 3, 28): "Cuti bersama Nyepi",
    date(2025, 3, 29): "Nyepi",  # a Saturday
    date(2025, 3, 31): "Idulfitri",
    date(2025, 4, 1): "Idulfitri hari kedua",
    date(2025, 4, 2): "Cuti bersama Idulfitri",
    date(2025, 4, 3): "Cuti bersama Idulfitri",
    date(2025, 4, 4): "Cuti bersama Idulfitri",
    date(2025, 4, 7): "Cuti bersama Idulfitri",
    date(2025, 8, 17): "Hari Kemerdekaan",  # a Sunday
    date(2025, 8, 18): "Cuti bersama Hari Kemerdekaan",
    date(2025, 12, 25): "Natal",
    date(2025, 12, 26): "Cuti bersama Natal",
}


def skips(*days: str) -> list[tuple[date, str]]:
    """The expected skipped days, written "2024-11-23 Sat": Sat, Sun, off (HOLIDAYS) or paused."""
    result = []
    for text in days:
        iso, reason = text.split()
        day = date.fromisoformat(iso)
        result.append((day, {"Sat": SATURDAY, "Sun": SUNDAY, "paused": PAUSED}.get(reason) or HOLIDAYS[day]))
    return result


# --- Working days ---------------------------------------------------------------------

WORKING_CASES = [
    pytest.param(date(2024, 11, 4), 3, date(2024, 11, 7), [], id="three-days-within-a-plain-week"),
    pytest.param(date(2024, 11, 11), 7, date(2024, 11, 20),
                 ["2024-11-16 Sat", "2024-11-17 Sun"],
                 id="seven-days-from-a-monday-skip-one-weekend"),
    pytest.param(date(2024, 11, 22), 7, date(2024, 12, 4),
                 ["2024-11-23 Sat", "2024-11-24 Sun", "2024-11-27 off",
                  "2024-11-30 Sat", "2024-12-01 Sun"],
                 id="the-pilkada-voting-day-is-skipped"),
    pytest.param(date(2024, 2, 7), 7, date(2024, 2, 21),
                 ["2024-02-08 off", "2024-02-09 off", "2024-02-10 Sat", "2024-02-11 Sun",
                  "2024-02-14 off", "2024-02-17 Sat", "2024-02-18 Sun"],
                 id="the-pemilu-voting-day-and-the-lunar-new-year-leave-are-skipped"),
    pytest.param(date(2024, 4, 5), 7, date(2024, 4, 24),
                 ["2024-04-06 Sat", "2024-04-07 Sun", "2024-04-08 off", "2024-04-09 off",
                  "2024-04-10 off", "2024-04-11 off", "2024-04-12 off", "2024-04-13 Sat",
                  "2024-04-14 Sun", "2024-04-15 off", "2024-04-20 Sat", "2024-04-21 Sun"],
                 id="the-2024-eid-collective-leave-8-9-12-15-april-is-skipped"),
    pytest.param(date(2024, 12, 24), 7, date(2025, 1, 7),
                 ["2024-12-25 off", "2024-12-26 off", "2024-12-28 Sat",
                  "2024-12-29 Sun", "2025-01-01 off", "2025-01-04 Sat", "2025-01-05 Sun"],
                 id="across-the-year-end-christmas-its-leave-and-new-year-are-skipped"),
    pytest.param(date(2025, 1, 24), 3, date(2025, 2, 3),
                 ["2025-01-25 Sat", "2025-01-26 Sun", "2025-01-27 off", "2025-01-28 off",
                  "2025-01-29 off", "2025-02-01 Sat", "2025-02-02 Sun"],
                 id="the-2025-lunar-new-year-leave-of-28-january-is-skipped"),
    pytest.param(date(2025, 3, 27), 7, date(2025, 4, 16),
                 ["2025-03-28 off", "2025-03-29 Sat", "2025-03-30 Sun", "2025-03-31 off",
                  "2025-04-01 off", "2025-04-02 off", "2025-04-03 off", "2025-04-04 off",
                  "2025-04-05 Sat", "2025-04-06 Sun", "2025-04-07 off", "2025-04-12 Sat",
                  "2025-04-13 Sun"],
                 id="the-2025-eid-leave-is-skipped-and-a-saturday-holiday-is-named-saturday"),
    pytest.param(date(2025, 8, 15), 3, date(2025, 8, 21),
                 ["2025-08-16 Sat", "2025-08-17 Sun", "2025-08-18 off"],
                 id="the-18-august-2025-leave-added-in-august-is-skipped"),
    pytest.param(date(2025, 12, 24), 2, date(2025, 12, 30),
                 ["2025-12-25 off", "2025-12-26 off", "2025-12-27 Sat", "2025-12-28 Sun"],
                 id="the-2025-christmas-leave-is-skipped"),
    pytest.param(date(2024, 11, 16), 1, date(2024, 11, 18), ["2024-11-17 Sun"],
                 id="a-start-on-a-saturday-counts-from-monday"),
    pytest.param(date(2024, 11, 17), 7, date(2024, 11, 26),
                 ["2024-11-23 Sat", "2024-11-24 Sun"],
                 id="a-start-on-a-sunday-counts-from-monday"),
    pytest.param(date(2024, 2, 14), 2, date(2024, 2, 16), [],
                 id="a-start-on-the-pemilu-voting-day-counts-from-the-next-day"),
    pytest.param(date(2024, 12, 25), 2, date(2024, 12, 30),
                 ["2024-12-26 off", "2024-12-28 Sat", "2024-12-29 Sun"],
                 id="a-start-on-christmas-skips-the-collective-leave-after-it"),
]


@pytest.mark.parametrize(("start", "days", "due", "skipped"), WORKING_CASES)
def test_working_days_skip_weekends_holidays_and_collective_leave(start, days, due, skipped):
    result = add_days(start, days, day_kind=WORKING, holidays=HOLIDAYS)
    expected = DeadlineResult(start=start, due=due, days=days, day_kind=WORKING, skipped=skips(*skipped))
    assert result == expected


# --- Calendar days --------------------------------------------------------------------

CALENDAR_CASES = [
    pytest.param(date(2024, 11, 22), 7, date(2024, 11, 29),
                 id="the-pilkada-voting-day-and-the-weekend-are-counted"),
    pytest.param(date(2024, 2, 12), 3, date(2024, 2, 15), id="the-pemilu-voting-day-is-counted"),
    pytest.param(date(2024, 4, 8), 5, date(2024, 4, 13), id="the-eid-days-are-counted"),
    pytest.param(date(2024, 11, 20), 4, date(2024, 11, 24), id="a-deadline-may-fall-on-a-sunday"),
    pytest.param(date(2024, 12, 29), 3, date(2025, 1, 1), id="a-deadline-may-fall-on-new-year"),
    pytest.param(date(2024, 11, 23), 3, date(2024, 11, 26), id="a-start-on-a-saturday-counts-sunday"),
]


@pytest.mark.parametrize(("start", "days", "due"), CALENDAR_CASES)
def test_calendar_days_skip_nothing(start, days, due):
    result = add_days(start, days, day_kind=CALENDAR, holidays=HOLIDAYS)
    assert (result.due, result.skipped) == (due, [])


# --- The start day as day 1 -----------------------------------------------------------

@pytest.mark.parametrize(("start", "days", "day_kind", "due", "skipped"), [
    pytest.param(date(2024, 11, 11), 1, WORKING, date(2024, 11, 11), [],
                 id="a-working-start-day-is-itself-day-1"),
    pytest.param(date(2024, 11, 16), 1, WORKING, date(2024, 11, 18),
                 ["2024-11-16 Sat", "2024-11-17 Sun"],
                 id="a-saturday-start-is-not-counted-and-is-listed-as-skipped"),
    pytest.param(date(2024, 11, 22), 7, CALENDAR, date(2024, 11, 28), [],
                 id="a-calendar-start-day-is-itself-day-1"),
])
def test_a_rule_may_count_its_start_day_as_day_1(start, days, day_kind, due, skipped):
    result = add_days(start, days, day_kind=day_kind, holidays=HOLIDAYS, start_is_day_zero=False)
    assert (result.due, result.skipped) == (due, skips(*skipped))


# --- Pauses ---------------------------------------------------------------------------

PAUSE_CASES = [
    pytest.param(date(2024, 11, 4), 7, WORKING,
                 [(date(2024, 11, 6), date(2024, 11, 8))], date(2024, 11, 15),
                 ["2024-11-07 paused", "2024-11-08 paused", "2024-11-09 Sat", "2024-11-10 Sun"],
                 id="the-day-of-the-request-counts-and-the-clock-resumes-the-day-after-the-answer"),
    pytest.param(date(2024, 11, 4), 7, WORKING,
                 [(date(2024, 11, 8), date(2024, 11, 11))], date(2024, 11, 14),
                 ["2024-11-09 paused", "2024-11-10 paused", "2024-11-11 paused"],
                 id="a-weekend-inside-a-pause-is-listed-as-paused"),
    pytest.param(date(2024, 11, 4), 7, WORKING,
                 [(date(2024, 11, 6), date(2024, 11, 6))], date(2024, 11, 13),
                 ["2024-11-09 Sat", "2024-11-10 Sun"],
                 id="a-request-answered-the-same-day-pauses-nothing"),
    pytest.param(date(2024, 11, 4), 3, WORKING,
                 [(date(2024, 11, 1), date(2024, 11, 5))], date(2024, 11, 8),
                 ["2024-11-05 paused"],
                 id="a-pause-that-began-before-the-start-holds-the-clock-until-the-answer"),
    pytest.param(date(2024, 11, 4), 3, WORKING,
                 [(date(2024, 11, 5), date(2024, 11, 7)), (date(2024, 11, 6), date(2024, 11, 8))],
                 date(2024, 11, 12),
                 ["2024-11-06 paused", "2024-11-07 paused", "2024-11-08 paused",
                  "2024-11-09 Sat", "2024-11-10 Sun"],
                 id="overlapping-pauses-count-once"),
    pytest.param(date(2024, 11, 4), 3, WORKING,
                 [(date(2024, 11, 20), date(2024, 11, 22))], date(2024, 11, 7), [],
                 id="a-pause-after-the-deadline-changes-nothing"),
    pytest.param(date(2024, 11, 18), 5, CALENDAR,
                 [(date(2024, 11, 19), date(2024, 11, 21))], date(2024, 11, 25),
                 ["2024-11-20 paused", "2024-11-21 paused"],
                 id="a-calendar-clock-also-stands-still-during-a-pause"),
]


@pytest.mark.parametrize(("start", "days", "day_kind", "pauses", "due", "skipped"), PAUSE_CASES)
def test_the_clock_stands_still_during_a_pause(start, days, day_kind, pauses, due, skipped):
    result = add_days_with_pauses(start, days, day_kind=day_kind, holidays=HOLIDAYS, pauses=pauses)
    assert (result.due, result.skipped) == (due, skips(*skipped))


def test_a_pause_that_ends_before_it_starts_is_refused():
    with pytest.raises(ValueError, match="before it starts"):
        add_days_with_pauses(date(2024, 11, 4), 3, day_kind=WORKING, holidays={},
                             pauses=[(date(2024, 11, 8), date(2024, 11, 6))])


def test_a_pause_that_is_not_a_pair_of_dates_is_refused():
    with pytest.raises(ValueError, match="pair of dates"):
        add_days_with_pauses(date(2024, 11, 4), 3, day_kind=WORKING, holidays={},
                             pauses=[(date(2024, 11, 8),)])


# --- Bad input ------------------------------------------------------------------------

@pytest.mark.parametrize(("start", "days", "day_kind", "message"), [
    pytest.param(date(2024, 11, 4), 0, WORKING, "at least 1", id="zero-days"),
    pytest.param(date(2024, 11, 4), -3, WORKING, "at least 1", id="negative-days"),
    pytest.param(date(2024, 11, 4), True, WORKING, "whole number", id="a-flag-is-not-a-number-of-days"),
    pytest.param(date(2024, 11, 4), 7, "business", "unknown day kind", id="unknown-day-kind"),
    pytest.param(datetime(2024, 11, 4, 9, 30), 7, WORKING, "must be a date", id="a-datetime-start"),
])
def test_bad_input_is_refused(start, days, day_kind, message):
    with pytest.raises(ValueError, match=message):
        add_days(start, days, day_kind=day_kind, holidays=HOLIDAYS)


def test_compute_takes_days_kind_and_convention_from_the_rule():
    rule = SimpleNamespace(days=3, day_kind=WORKING, start_is_day_zero=True)
    result = compute(rule, date(2024, 11, 22), HOLIDAYS, pauses=[(date(2024, 11, 25), date(2024, 11, 26))])
    # 25 Nov counts (day 1), 26 paused, 27 voting day, 28 (2), 29 (3).
    assert (result.due, result.skipped) == (date(2024, 11, 29), skips(
        "2024-11-23 Sat", "2024-11-24 Sun", "2024-11-26 paused", "2024-11-27 off"))


# --- Explanations ---------------------------------------------------------------------

def test_the_indonesian_explanation_names_each_skipped_day_and_why():
    result = add_days(date(2024, 11, 22), 7, day_kind=WORKING, holidays=HOLIDAYS)
    assert result.explanation("id") == (
        "Dihitung 7 hari kerja sejak Jumat, 22 November 2024 (hari ke-0). "
        "Dilewati: 23 November 2024 (Sabtu), 24 November 2024 (Minggu), "
        "27 November 2024 (Pemungutan suara Pilkada serentak), 30 November 2024 (Sabtu), "
        "1 Desember 2024 (Minggu). Batas akhir: Rabu, 4 Desember 2024."
    )


def test_the_english_explanation_names_each_skipped_day_and_why():
    holidays = {date(2024, 11, 27): "Simultaneous regional election voting day"}
    result = add_days(date(2024, 11, 22), 7, day_kind=WORKING, holidays=holidays)
    assert result.explanation("en") == (
        "Counted 7 working days from Friday, 22 November 2024 (day 0). Skipped: 23 November 2024 (Saturday), "
        "24 November 2024 (Sunday), 27 November 2024 (Simultaneous regional election voting day), "
        "30 November 2024 (Saturday), 1 December 2024 (Sunday). Due: Wednesday, 4 December 2024."
    )


def test_a_calendar_count_says_that_no_day_was_skipped():
    result = add_days(date(2024, 11, 24), 3, day_kind=CALENDAR, holidays=HOLIDAYS)
    assert result.explanation("id") == (
        "Dihitung 3 hari kalender sejak Minggu, 24 November 2024 (hari ke-0). Tidak ada hari yang dilewati. "
        "Batas akhir: Rabu, 27 November 2024."
    )
    assert result.explanation("en") == (
        "Counted 3 calendar days from Sunday, 24 November 2024 (day 0). No day skipped. "
        "Due: Wednesday, 27 November 2024."
    )


def test_paused_days_are_explained_as_a_paused_clock():
    result = add_days_with_pauses(date(2024, 11, 4), 3, day_kind=WORKING, holidays={},
                                  pauses=[(date(2024, 11, 5), date(2024, 11, 6))])
    assert result.skipped_explained("id") == ["6 November 2024 (penghitungan dihentikan sementara)"]
    assert result.skipped_explained("en") == ["6 November 2024 (clock paused)"]


def test_a_start_counted_as_day_1_is_explained_so():
    result = add_days(date(2024, 11, 11), 1, day_kind=WORKING, holidays={}, start_is_day_zero=False)
    assert result.explanation("en") == (
        "Counted 1 working day starting on Monday, 11 November 2024 (day 1 if that day counts). "
        "No day skipped. Due: Monday, 11 November 2024."
    )


@pytest.mark.parametrize(("day", "indonesian", "english"), [
    pytest.param(date(2025, 1, 1), "Rabu, 1 Januari 2025", "Wednesday, 1 January 2025", id="januari"),
    pytest.param(date(2025, 2, 3), "Senin, 3 Februari 2025", "Monday, 3 February 2025", id="februari"),
    pytest.param(date(2025, 3, 4), "Selasa, 4 Maret 2025", "Tuesday, 4 March 2025", id="maret"),
    pytest.param(date(2025, 4, 10), "Kamis, 10 April 2025", "Thursday, 10 April 2025", id="april"),
    pytest.param(date(2025, 5, 30), "Jumat, 30 Mei 2025", "Friday, 30 May 2025", id="mei"),
    pytest.param(date(2025, 6, 7), "Sabtu, 7 Juni 2025", "Saturday, 7 June 2025", id="juni"),
    pytest.param(date(2025, 7, 6), "Minggu, 6 Juli 2025", "Sunday, 6 July 2025", id="juli"),
    pytest.param(date(2025, 8, 17), "Minggu, 17 Agustus 2025", "Sunday, 17 August 2025", id="agustus"),
    pytest.param(date(2025, 9, 5), "Jumat, 5 September 2025", "Friday, 5 September 2025", id="september"),
    pytest.param(date(2025, 10, 1), "Rabu, 1 Oktober 2025", "Wednesday, 1 October 2025", id="oktober"),
    pytest.param(date(2025, 11, 10), "Senin, 10 November 2025", "Monday, 10 November 2025", id="november"),
    pytest.param(date(2025, 12, 31), "Rabu, 31 Desember 2025", "Wednesday, 31 December 2025", id="desember"),
])
def test_dates_are_written_out_in_both_languages_without_the_locale(day, indonesian, english):
    assert format_day(day, "id", weekday=True) == indonesian
    assert format_day(day, "en", weekday=True) == english


# --- The real rules on the real calendar ----------------------------------------------

@pytest.fixture(scope="module")
def real():
    return catalog.load_catalog(catalog.DATA_DIR)


REAL_CASES = [
    pytest.param("pemilu", "report", date(2024, 11, 11), date(2024, 11, 20),
                 id="pemilu-report-7-working-days"),
    pytest.param("pemilu", "finding", date(2024, 12, 24), date(2025, 1, 7),
                 id="pemilu-finding-7-working-days-across-the-year-end"),
    pytest.param("pemilu", "initial_study", date(2024, 2, 8), date(2024, 2, 13),
                 id="pemilu-initial-study-2-working-days-skip-the-lunar-new-year-leave"),
    pytest.param("pemilu", "completion", date(2024, 2, 13), date(2024, 2, 16),
                 id="pemilu-completion-2-working-days-skip-the-voting-day"),
    pytest.param("pemilu", "study", date(2024, 4, 5), date(2024, 4, 24),
                 id="pemilu-study-7-working-days-skip-the-eid-leave"),
    pytest.param("pemilu", "study_extended", date(2024, 11, 11), date(2024, 12, 2),
                 id="pemilu-extended-study-is-capped-at-14-working-days-from-registration"),
    pytest.param("pemilu", "report", date(2026, 3, 13), date(2026, 3, 31),
                 id="pemilu-report-skips-the-2026-nyepi-and-eid-leave"),
    pytest.param("pilkada", "report", date(2024, 11, 22), date(2024, 11, 29),
                 id="pilkada-report-7-calendar-days"),
    pytest.param("pilkada", "completion", date(2024, 11, 25), date(2024, 11, 27),
                 id="pilkada-completion-2-calendar-days-count-the-voting-day"),
    pytest.param("pilkada", "study", date(2024, 11, 24), date(2024, 11, 27),
                 id="pilkada-study-3-calendar-days"),
    pytest.param("pilkada", "study_extended", date(2024, 12, 27), date(2025, 1, 1),
                 id="pilkada-extended-study-is-3-plus-2-calendar-days"),
]


@pytest.mark.parametrize(("regime", "step", "start", "due"), REAL_CASES)
def test_every_rule_on_the_real_calendar(real, regime, step, start, due):
    rule = real.deadline_rule(regime, step)
    holidays = {day: holiday.name.id for day, holiday in real.holidays.items()}
    assert compute(rule, start, holidays).due == due


# --- Selectors (no database: the catalog is in memory) --------------------------------

@pytest.mark.django_db
def test_deadline_compute_attaches_the_citation_and_explains_in_the_current_language():
    with translation.override("id"):
        answer = deadline_compute("pemilu", "report", date(2024, 11, 22))
    assert (answer.due, answer.days, answer.day_kind) == (date(2024, 12, 4), 7, WORKING)
    assert answer.verified is True
    assert answer.citation == "UU 7/2017 Pasal 454 ayat (6)"
    assert "27 November 2024 (Pemungutan suara Pilkada serentak)" in answer.explanation
    assert answer.skipped[2] == "27 November 2024 (Pemungutan suara Pilkada serentak)"


@pytest.mark.django_db
def test_deadline_compute_names_holidays_in_english_for_english():
    with translation.override("en"):
        answer = deadline_compute("pemilu", "study", date(2024, 12, 24))
    assert answer.skipped[:2] == ["25 December 2024 (Christmas Day)",
                                  "26 December 2024 (Collective leave, Christmas)"]
    assert answer.explanation.endswith("Due: Tuesday, 7 January 2025.")


@pytest.mark.django_db
def test_the_unverified_completion_window_is_reported_as_unverified():
    with translation.override("en"):
        answer = deadline_compute("pilkada", "completion", date(2024, 11, 25))
    assert answer.verified is False
    assert "to be confirmed by an administrator" in answer.note


@pytest.mark.django_db
def test_deadline_compute_applies_pauses():
    answer = deadline_compute("pilkada", "study_extended", date(2024, 11, 18),
                              pauses=[(date(2024, 11, 19), date(2024, 11, 21))])
    assert answer.due == date(2024, 11, 25)


@pytest.mark.django_db
def test_a_working_day_count_into_an_unconfirmed_year_says_so():
    answer = deadline_compute("pemilu", "report", date(2026, 12, 28))
    assert answer.provisional_years == (2027,) and answer.provisional
    assert deadline_compute("pemilu", "report", date(2025, 12, 24)).provisional_years == ()


def test_an_unknown_regime_and_step_pair_is_a_clear_error():
    with pytest.raises(DeadlineRuleNotFound, match="No deadline rule for pilkada/initial_study"):
        deadline_rule("pilkada", "initial_study")


def test_the_rules_of_one_regime_are_listed_in_file_order():
    assert [rule.step for rule in deadline_rule_list("pilkada")] == [
        "report", "finding", "completion", "study", "study_extended"]


@pytest.mark.django_db
def test_the_holiday_calendar_is_keyed_by_date_in_the_asked_language():
    assert holiday_calendar("id")[date(2024, 2, 14)] == "Pemungutan suara Pemilu"
    assert holiday_calendar("en")[date(2025, 8, 18)] == "Collective leave, Independence Day"
    with translation.override("en"):
        assert holiday_calendar()[date(2024, 12, 25)] == "Christmas Day"
