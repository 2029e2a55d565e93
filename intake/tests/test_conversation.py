"""The conversation's rules and the reading of answers (pure: no database)."""

from datetime import date

import pytest

from intake.answers import format_date, parse_contact, parse_date, parse_numbers, rank_regions, region_key
from intake.conversation import Context, Event, State, respond
from intake.script import default_script

TODAY = date(2024, 11, 28)
REGIONS = [(1, "Kabupaten Belitung Timur", "Kabupaten Belitung Timur"), (2, "Manggar", "Manggar (Kabupaten Belitung Timur)"),
           (3, "Kelapa Kampit", "Kelapa Kampit (Kabupaten Belitung Timur)"),
           (4, "Kelapa", "Kelapa (Kabupaten Bangka Barat)"), (5, "Manggar", "Manggar (Kabupaten Contoh)")]


@pytest.mark.parametrize(("text", "expected"), [
    pytest.param("27/11/2024", date(2024, 11, 27), id="day-first"),
    pytest.param("27-11-24", date(2024, 11, 27), id="two-digit-year"),
    pytest.param("2024-11-27", date(2024, 11, 27), id="iso"),
    pytest.param("27 November 2024", date(2024, 11, 27), id="indonesian-month"),
    pytest.param("27 nop 2024", date(2024, 11, 27), id="old-spelling"),
    pytest.param("5 Desember", date(2023, 12, 5), id="no-year-not-in-the-future"),
    pytest.param("hari  ini", TODAY, id="today"),
    pytest.param("KEMARIN", date(2024, 11, 27), id="yesterday"),
    pytest.param("31/02/2024", None, id="no-such-day"),
    pytest.param("minggu lalu", None, id="words"),
])
def test_dates_as_people_write_them(text, expected):
    assert parse_date(text, today=TODAY, today_words={"HARI INI"}, yesterday_words={"KEMARIN"}) == expected


@pytest.mark.parametrize(("text", "count", "expected"), [
    ("1, 4 7", 10, [1, 4, 7]), ("3 dan 3", 5, [3]), ("0", 5, None), ("12", 10, None), ("satu", 5, None),
])
def test_numbered_choices(text, count, expected):
    assert parse_numbers(text, count=count) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("siti@example.org", {"email": "siti@example.org"}), ("0812 3456 7890", {"phone": "0812 3456 7890"}),
    ("Jl. Merdeka 1, Manggar", {"address": "Jl. Merdeka 1, Manggar"}),
])
def test_a_contact_is_an_e_mail_a_phone_or_an_address(text, expected):
    assert parse_contact(text) == expected


def test_region_names_are_compared_without_their_prefix_and_an_exact_name_wins():
    assert region_key("Kab. Belitung  Timur") == "belitung timur"
    assert rank_regions("kabupaten belitung timur", REGIONS) == [(1, "Kabupaten Belitung Timur")]
    assert rank_regions("Kelapa", REGIONS) == [(4, "Kelapa (Kabupaten Bangka Barat)")]
    assert [pk for pk, _label in rank_regions("kelapa kampit", REGIONS)] == [3]
    assert [pk for pk, _label in rank_regions("timur", REGIONS)] == [1]  # a word of the name, not of its regency
    assert [pk for pk, _label in rank_regions("manggar", REGIONS)] == [2, 5]
    assert rank_regions("Kecamatan", REGIONS) == []


def test_dates_are_written_as_people_read_them():
    assert format_date("2024-11-27", "id") == "27 November 2024"
    assert format_date("2024-08-17", "en") == "17 August 2024"


def context(**changes) -> Context:
    values = {"channel": "whatsapp", "today": TODAY, "elections": [("pilkada-2024", {"id": "Pilkada", "en": "Pilkada"})],
              "violations": [("banner", {"id": "Baliho", "en": "Banner"})], "find_regions": lambda text: REGIONS,
              "max_files": 10, "max_megabytes": 20}
    return Context(**{**values, **changes})


def answer(state: State, *texts: str, **changes) -> list[str]:
    replies = []
    for text in texts:
        replies = respond(default_script(), state, Event(kind="text", text=text), context(**changes)).replies
    return replies


def test_a_single_open_election_is_not_asked():
    state = State()
    replies = answer(state, "Halo")
    assert state.step == "description" and state.answers["election"] == "pilkada-2024"
    assert replies[0].startswith("Selamat datang")


def test_several_regions_are_offered_as_numbered_choices_and_a_number_picks_one():
    state = State()
    answer(state, "Halo", "Kepala dinas memasang baliho calon bupati.", "Budi", "LEWATI", "LEWATI")
    replies = answer(state, "manggar")
    assert state.step == "region" and "2. Manggar (Kabupaten Contoh)" in replies[0]
    answer(state, "1")
    assert state.answers["region"] == {"pk": 2, "label": "Manggar (Kabupaten Belitung Timur)"}
    assert "_choices" not in state.answers and state.step == "place"


def test_the_date_learned_of_cannot_be_before_the_event_nor_in_the_future():
    state = State(step="known_on", answers={"occurred_on": "2024-11-20"})
    assert "lebih awal" in answer(state, "19/11/2024")[0]
    assert "belum tiba" in answer(state, "29/11/2024")[0]
    assert state.step == "known_on"
    answer(state, "HARI INI")
    assert state.answers["known_on"] == "2024-11-28" and state.step == "violations"


def test_a_too_short_description_is_asked_again_with_the_reason():
    state = State()
    replies = answer(state, "Halo", "baliho")
    assert state.step == "description" and "paling sedikit 20" in replies[0]


def test_batal_cancels_from_any_question():
    for step in ("description", "region", "evidence", "confirm"):
        turn = respond(default_script(), State(step=step), Event(kind="text", text=" batal "), context())
        assert turn.action == "cancel"


def test_sms_skips_the_list_of_acts_and_the_evidence_and_says_why_at_once():
    state = State(step="occurred_on")
    answer(state, "LEWATI", "HARI INI", channel="sms", carries_media=False)
    assert state.step == "identified"
    replies = respond(default_script(), State(), Event(kind="text", text="Halo"),
                      context(channel="sms", carries_media=False)).replies
    assert "lewat SMS" in replies[1]


def test_the_name_and_contact_are_asked_only_of_a_reporter_who_gives_an_identity():
    named, anonymous = State(step="identified"), State(step="identified")
    answer(named, "ya")
    answer(anonymous, "tidak")
    assert named.step == "reporter_name" and anonymous.step == "confirm"


def test_the_summary_shows_the_answers_before_sending_and_yes_submits():
    state = State(step="reporter_contact", answers={
        "election": "pilkada-2024", "description": "Kepala dinas memasang baliho.", "person_name": "Budi",
        "region": {"pk": 2, "label": "Manggar"}, "place": "Balai desa", "known_on": "2024-11-27",
        "violations": ["banner"], "identified": True, "reporter_name": "Siti"})
    summary = answer(state, "0812 3456 7890")[0]
    assert "Pelapor: Siti, 0812 3456 7890" in summary and "Dugaan perbuatan: Baliho" in summary
    assert "Diketahui pada: 27 November 2024" in summary
    assert respond(default_script(), state, Event(kind="text", text="YA"), context()).action == "submit"
