"""deadlines.yaml and holidays.yaml as data: the real files hold the law, broken ones are refused."""

import json
from collections import Counter
from datetime import date

import pytest

from rules import catalog
from rules.catalog import CatalogError, load_catalog


@pytest.fixture(scope="module")
def real():
    return load_catalog(catalog.DATA_DIR)


# --- The real deadline rules ----------------------------------------------------------

@pytest.mark.parametrize(("regime", "step", "days", "day_kind", "verified"), [
    pytest.param("pemilu", "report", 7, "working", True, id="pemilu-report-7-working-days-art-454-6"),
    pytest.param("pemilu", "finding", 7, "working", True, id="pemilu-finding-7-days-art-454-5"),
    pytest.param("pemilu", "initial_study", 2, "working", True, id="pemilu-initial-study-2-days-art-15-1"),
    pytest.param("pemilu", "completion", 2, "working", False, id="pemilu-completion-is-an-unverified-guess"),
    pytest.param("pemilu", "study", 7, "working", True, id="pemilu-study-7-days-art-454-7"),
    pytest.param("pemilu", "study_extended", 14, "working", True, id="pemilu-extended-study-14-working-days"),
    pytest.param("pilkada", "report", 7, "calendar", True, id="pilkada-report-7-calendar-days-art-134-4"),
    pytest.param("pilkada", "finding", 7, "calendar", True, id="pilkada-finding-7-calendar-days-art-134-4"),
    pytest.param("pilkada", "completion", 2, "calendar", False,
                 id="pilkada-completion-is-an-unverified-guess"),
    pytest.param("pilkada", "study", 3, "calendar", True, id="pilkada-study-3-calendar-days"),
    pytest.param("pilkada", "study_extended", 5, "calendar", True, id="pilkada-extended-study-3-plus-2-days"),
])
def test_each_deadline_rule_holds_the_domain_notes(real, regime, step, days, day_kind, verified):
    rule = real.deadline_rule(regime, step)
    assert (rule.days, rule.day_kind, rule.verified) == (days, day_kind, verified)
    assert rule.start_is_day_zero is True


@pytest.mark.parametrize("regime", ["pemilu", "pilkada"])
def test_every_step_of_the_public_calculator_has_a_rule_for_each_regime(real, regime):
    for step in ("report", "completion", "study", "study_extended"):
        assert real.deadline_rule(regime, step) is not None, step


@pytest.mark.parametrize(("regime", "step", "article"), [
    pytest.param("pemilu", "report", "UU 7/2017 Pasal 454 ayat (6)", id="pemilu-report"),
    pytest.param("pemilu", "finding", "UU 7/2017 Pasal 454 ayat (5)", id="pemilu-finding"),
    pytest.param("pemilu", "initial_study", "Perbawaslu 7/2022 Pasal 15 ayat (1)", id="pemilu-initial-study"),
    pytest.param("pemilu", "study", "UU 7/2017 Pasal 454 ayat (7)", id="pemilu-study"),
    pytest.param("pemilu", "study_extended", "UU 7/2017 Pasal 454 ayat (8)", id="pemilu-study-extended"),
    pytest.param("pilkada", "report", "UU 1/2015 Pasal 134 ayat (4)", id="pilkada-report"),
    pytest.param("pilkada", "finding", "UU 1/2015 Pasal 134 ayat (4)", id="pilkada-finding"),
    pytest.param("pilkada", "study", "UU 1/2015 Pasal 134 ayat (5)", id="pilkada-study"),
    pytest.param("pilkada", "study_extended", "UU 1/2015 Pasal 134 ayat (5) dan (6)",
                 id="pilkada-study-extended"),
])
def test_each_rule_cites_the_article_of_the_domain_notes(real, regime, step, article):
    assert real.deadline_rule(regime, step).source.startswith(article)


@pytest.mark.parametrize("regime", ["pemilu", "pilkada"])
def test_the_completion_window_is_marked_unverified_and_awaits_an_administrator(real, regime):
    rule = real.deadline_rule(regime, "completion")
    assert rule.verified is False
    assert "not verified" in rule.note.en and "to be confirmed by an administrator" in rule.note.en
    assert "belum diverifikasi" in rule.source


def test_the_content_stored_with_a_rule_set_holds_deadlines_and_holidays(real):
    content = json.loads(json.dumps(real.content()))
    assert {entry["id"] for entry in content["deadlines"]} == set(real.deadlines)
    assert content["holidays"][0] == real.holidays[min(real.holidays)].as_dict()


def test_a_changed_holiday_file_changes_the_version(data_dir):
    before = load_catalog(data_dir).version
    path = data_dir / "holidays.yaml"
    path.write_bytes(path.read_bytes() + b"\n")
    assert load_catalog(data_dir).version != before


# --- The real calendar ----------------------------------------------------------------

COLLECTIVE_LEAVE = {
    2024: [date(2024, 2, 9), date(2024, 3, 12), date(2024, 4, 8), date(2024, 4, 9), date(2024, 4, 12),
           date(2024, 4, 15), date(2024, 5, 10), date(2024, 5, 24), date(2024, 6, 18), date(2024, 12, 26)],
    2025: [date(2025, 1, 28), date(2025, 3, 28), date(2025, 4, 2), date(2025, 4, 3), date(2025, 4, 4),
           date(2025, 4, 7), date(2025, 5, 13), date(2025, 5, 30), date(2025, 6, 9), date(2025, 8, 18),
           date(2025, 12, 26)],
    2026: [date(2026, 2, 16), date(2026, 3, 18), date(2026, 3, 20), date(2026, 3, 23), date(2026, 3, 24),
           date(2026, 5, 15), date(2026, 5, 28), date(2026, 12, 24)],
}


@pytest.mark.parametrize("day", [pytest.param(day, id=day.isoformat())
                                 for days in COLLECTIVE_LEAVE.values() for day in days])
def test_every_collective_leave_day_of_the_domain_notes_is_in_the_calendar(real, day):
    assert real.holidays[day].kind == "collective_leave"


@pytest.mark.parametrize("year", sorted(COLLECTIVE_LEAVE))
def test_the_calendar_holds_no_other_collective_leave_day(real, year):
    listed = sorted(day for day, holiday in real.holidays.items()
                    if holiday.kind == "collective_leave" and day.year == year)
    assert listed == COLLECTIVE_LEAVE[year]


@pytest.mark.parametrize(("day", "name"), [
    pytest.param(date(2024, 2, 14), "Pemungutan suara Pemilu", id="pemilu-2024"),
    pytest.param(date(2024, 11, 27), "Pemungutan suara Pilkada serentak", id="pilkada-2024"),
])
def test_the_2024_voting_days_are_election_day_holidays(real, day, name):
    assert (real.holidays[day].kind, real.holidays[day].name.id) == ("election_day", name)


def test_the_voting_days_of_the_calendar_match_the_elections(real):
    election_days = {day for day, holiday in real.holidays.items() if holiday.kind == "election_day"}
    assert election_days == {election.voting_day for election in real.elections.values()}


@pytest.mark.parametrize(("day", "name"), [
    pytest.param(date(2024, 12, 25), "Hari Raya Natal", id="christmas-2024"),
    pytest.param(date(2025, 1, 1), "Tahun Baru Masehi", id="new-year-2025"),
    pytest.param(date(2025, 3, 31), "Idulfitri", id="eid-2025"),
    pytest.param(date(2026, 8, 17), "Hari Kemerdekaan Republik Indonesia", id="independence-2026"),
])
def test_national_holidays_are_in_the_calendar(real, day, name):
    assert (real.holidays[day].kind, real.holidays[day].name.id) == ("national", name)


def test_every_year_from_2024_to_2026_has_its_national_holidays(real):
    counts = Counter(day.year for day, holiday in real.holidays.items() if holiday.kind == "national")
    assert all(counts[year] >= 15 for year in (2024, 2025, 2026)), counts


def test_every_holiday_has_a_source_and_both_names(real):
    for holiday in real.holidays.values():
        assert holiday.source and holiday.name.id and holiday.name.en


# --- Broken files ---------------------------------------------------------------------


def _drop(key, index=0):
    def change(entries):
        del entries[index][key]
    return change


def _set(key, value, index=0):
    def change(entries):
        entries[index][key] = value
    return change


def _same_pair_as_first(entries):
    entries[1]["step"] = entries[0]["step"]


def _unverified_without_note(entries):
    entries[0]["verified"] = False
    entries[0].pop("note", None)


FIRST_RULE = 'deadlines.yaml: entry "pemilu-report": '
FIRST_DAY = 'holidays.yaml: entry "2024-01-01": '

BROKEN_DEADLINES = [
    pytest.param(_drop("source"), FIRST_RULE + 'missing "source"', id="missing-source"),
    pytest.param(_set("source", " "), FIRST_RULE + '"source" must be a non-empty text',
                 id="empty-source"),
    pytest.param(_set("regime", "pilpres"), FIRST_RULE + "unknown regime 'pilpres'",
                 id="unknown-regime"),
    pytest.param(_set("step", "appeal"), FIRST_RULE + "unknown step 'appeal'",
                 id="unknown-step"),
    pytest.param(_set("day_kind", "business"),
                 FIRST_RULE + "unknown day_kind 'business'", id="unknown-day-kind"),
    pytest.param(_set("days", 0), FIRST_RULE + '"days" must be a whole number of at least 1',
                 id="zero-days"),
    pytest.param(_set("days", -7), FIRST_RULE + '"days" must be a whole number',
                 id="negative-days"),
    pytest.param(_set("days", "7"), FIRST_RULE + '"days" must be a whole number',
                 id="days-as-text"),
    pytest.param(_set("days", 7.5), FIRST_RULE + '"days" must be a whole number',
                 id="fractional-days"),
    pytest.param(_set("days", True), FIRST_RULE + '"days" must be a whole number',
                 id="days-as-a-flag"),
    pytest.param(_set("start_is_day_zero", "yes"),
                 FIRST_RULE + '"start_is_day_zero" must be true or false',
                 id="convention-not-a-flag"),
    pytest.param(_drop("start_is_day_zero"), FIRST_RULE + 'missing "start_is_day_zero"',
                 id="convention-left-out"),
    pytest.param(lambda entries: entries[0]["explanation"].pop("en") and None,
                 FIRST_RULE + '"explanation" has no English text ("en")',
                 id="missing-english-explanation"),
    pytest.param(lambda entries: entries[0]["title"].update(id=" ") or None,
                 FIRST_RULE + '"title" has no Indonesian text ("id")',
                 id="empty-indonesian-title"),
    pytest.param(_set("legal_bases", ["uu-99-2099"]),
                 FIRST_RULE + 'unknown legal basis "uu-99-2099"', id="unknown-legal-basis"),
    pytest.param(lambda entries: entries + [dict(entries[0])], FIRST_RULE + 'duplicate id',
                 id="duplicate-id"),
    pytest.param(_same_pair_as_first,
                 'deadlines.yaml: entry "pemilu-finding": pemilu/report already has a rule ("pemilu-report")',
                 id="two-rules-for-one-regime-and-step"),
    pytest.param(_unverified_without_note, FIRST_RULE + 'an unverified rule',
                 id="unverified-without-a-note"),
    pytest.param(lambda entries: entries[0].update(day=7) or None,
                 FIRST_RULE + 'unknown key "day"', id="misspelt-key"),
    pytest.param(_set("id", "Pemilu Report"),
                 "deadlines.yaml: entry \"Pemilu Report\": id 'Pemilu Report' is not a slug",
                 id="id-not-a-slug"),
]


@pytest.mark.parametrize(("change", "message"), BROKEN_DEADLINES)
def test_a_broken_deadline_file_is_refused_naming_the_entry(edit, change, message):
    folder = edit("deadlines.yaml", change)
    with pytest.raises(CatalogError) as error:
        load_catalog(folder)
    assert str(error.value).startswith(message), str(error.value)


BROKEN_HOLIDAYS = [
    pytest.param(_set("date", "2024-02-30"),
                 'holidays.yaml: entry "2024-02-30": "date" \'2024-02-30\' is not a date',
                 id="impossible-date"),
    pytest.param(_set("date", "1 Januari 2024"),
                 'holidays.yaml: entry "1 Januari 2024": "date" \'1 Januari 2024\' is not a date',
                 id="date-in-words"),
    pytest.param(_set("date", 20240101), 'holidays.yaml: entry #1: "date" 20240101 is not a date',
                 id="date-as-a-number-named-by-index"),
    pytest.param(_drop("date"), 'holidays.yaml: entry #1: missing "date"', id="missing-date"),
    pytest.param(lambda entries: entries + [dict(entries[0])], FIRST_DAY + 'duplicate date',
                 id="duplicate-date"),
    pytest.param(_set("kind", "regional"), FIRST_DAY + "unknown kind 'regional'",
                 id="unknown-kind"),
    pytest.param(_drop("source"), FIRST_DAY + 'missing "source"', id="missing-source"),
    pytest.param(_set("source", ""), FIRST_DAY + '"source" must be a non-empty text',
                 id="empty-source"),
    pytest.param(lambda entries: entries[0]["name"].pop("en") and None,
                 FIRST_DAY + '"name" has no English text ("en")', id="missing-english-name"),
    pytest.param(lambda entries: entries[0].update(decree="x") or None,
                 FIRST_DAY + 'unknown key "decree"', id="unknown-key"),
    pytest.param(_set("verified", "maybe"), FIRST_DAY + '"verified" must be true or false',
                 id="verified-not-a-flag"),
]


@pytest.mark.parametrize(("change", "message"), BROKEN_HOLIDAYS)
def test_a_broken_holiday_file_is_refused_naming_the_entry(edit, change, message):
    folder = edit("holidays.yaml", change)
    with pytest.raises(CatalogError) as error:
        load_catalog(folder)
    assert str(error.value).startswith(message), str(error.value)


@pytest.mark.parametrize("name", ["deadlines.yaml", "holidays.yaml"])
def test_a_missing_deadline_or_holiday_file_is_refused_naming_it(data_dir, name):
    (data_dir / name).unlink()
    with pytest.raises(CatalogError, match=rf"^{name.replace('.', '[.]')}: file not found"):
        load_catalog(data_dir)
