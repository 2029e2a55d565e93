"""The column cleaners of ``clean_row`` and their table, on their own: pure, no database."""

from datetime import date, datetime

import pytest
from django.utils import translation

from registry import importing
from registry.importing import (
    COLUMNS,
    NIP_REASONS,
    REASONS,
    check_nip,
    clean_birth_date,
    clean_birth_place,
    clean_gender,
    clean_kind,
    clean_name,
    clean_nip,
    clean_position,
    clean_rank,
    clean_row,
    clean_status,
    clean_unit,
    kind_from_nip,
    split_birth,
)

TODAY = date(2026, 11, 24)
PNS_NIP = "198503152010011002"  # born 15 March 1985, CPNS from January 2010, male
PPPK_NI = "199012312021012001"  # born 31 December 1990, PPPK from 2021, first agreement, female


def code(problem):
    return None if problem is None else problem[0]


@pytest.mark.parametrize(("clean", "value", "expected", "problem"), [
    pytest.param(clean_name, " Dr.  Ahmad Yani, S.E. ", "Dr. Ahmad Yani, S.E.", None, id="name-spacing-folded"),
    pytest.param(clean_name, "  ", "", "missing_name", id="name-blank"),
    pytest.param(clean_name, None, "", "missing_name", id="name-missing"),
    pytest.param(clean_name, "x" * 151, "x" * 151, "too_long", id="name-too-long"),
    pytest.param(clean_name, "x" * 150, "x" * 150, None, id="name-at-its-limit"),
    pytest.param(clean_birth_place, 3.0, "3", None, id="place-whole-float"),
    pytest.param(clean_birth_place, "y" * 101, "y" * 101, "too_long", id="place-too-long"),
    pytest.param(clean_rank, "'=1+1", "=1+1", None, id="rank-our-export-escape"),
    pytest.param(clean_rank, "r" * 61, "r" * 61, "too_long", id="rank-too-long"),
    pytest.param(clean_position, "p" * 201, "p" * 201, "too_long", id="position-too-long"),
    pytest.param(clean_unit, " Dinas   Kesehatan ", "Dinas Kesehatan", None, id="unit-spacing"),
    pytest.param(clean_unit, "u" * 201, "u" * 201, "too_long", id="unit-too-long"),
    pytest.param(clean_status, "", ("Aktif", True), None, id="status-empty-is-active"),
    pytest.param(clean_status, "Tidak  Aktif", ("Tidak Aktif", False), None, id="status-inactive"),
    pytest.param(clean_status, "Cuti", ("Cuti", True), None, id="status-leave-stays-active"),
    pytest.param(clean_status, "s" * 61, ("s" * 61, True), "too_long", id="status-too-long"),
    pytest.param(clean_birth_date, "12 Mei 1980", date(1980, 5, 12), None, id="date-in-words"),
    pytest.param(clean_birth_date, datetime(1980, 5, 12), date(1980, 5, 12), None, id="date-excel-cell"),
    pytest.param(clean_birth_date, "", None, None, id="date-empty"),
    pytest.param(clean_birth_date, "kemarin", None, "bad_date", id="date-unreadable"),
    pytest.param(clean_birth_date, 10**9, None, "bad_date", id="date-serial-out-of-range"),
    pytest.param(clean_gender, "Laki-laki", "M", None, id="gender-words"),
    pytest.param(clean_gender, 2, "F", None, id="gender-number"),
    pytest.param(clean_gender, "", "", None, id="gender-empty"),
    pytest.param(clean_gender, "X", "", "bad_gender", id="gender-unknown"),
    pytest.param(clean_kind, "P3K", "pppk", None, id="kind-p3k"),
    pytest.param(clean_kind, "Honorer", "contract", None, id="kind-contract"),
    pytest.param(clean_kind, None, None, None, id="kind-empty-the-number-tells"),
    pytest.param(clean_kind, "Relawan", "", "bad_kind", id="kind-unknown"),
    pytest.param(clean_nip, "19850315 201001 1 002", PNS_NIP, None, id="nip-grouped"),
    pytest.param(clean_nip, None, "", None, id="nip-empty"),
])
def test_a_column_cleaner_gives_the_value_and_the_problem(clean, value, expected, problem):
    cleaned, found = clean(value)
    assert cleaned == expected
    assert code(found) == problem


def test_a_problem_is_a_reason_code_with_its_parameters_worded_in_indonesian():
    with translation.override("id"):
        _value, problem = clean_unit("u" * 201)
        assert problem == ["too_long", {"field": "unit kerja", "max": 200}]
        _value, problem = clean_gender("X")
        assert importing.reason_text(*problem) == "Jenis kelamin “X” tidak dikenal (gunakan L atau P)."


def test_every_reason_of_a_column_has_a_message_and_every_cleaner_keeps_to_its_own():
    refused = {"name": "  ", "birth_place": "y" * 101, "rank": "r" * 61, "position": "p" * 201, "unit": "u" * 201,
               "status": "s" * 61, "birth_date": "kemarin", "gender": "X", "kind": "Relawan",
               "title_prefix": "d" * 61, "title_suffix": "S" * 101}
    for column in COLUMNS:
        assert set(column.reasons) <= set(REASONS)
        if column.key in refused:
            _value, problem = column.clean(refused[column.key])
            assert problem[0] in column.reasons
    assert set(NIP_REASONS) <= set(REASONS)
    assert set(importing.CONTRACT_REASONS) <= set(REASONS)
    assert [column.key for column in COLUMNS] == ["name", "birth_place", "rank", "position", "unit", "status",
                                                  "birth_date", "gender", "kind", "nip", "title_prefix",
                                                  "title_suffix", "register_number", "nik"]
    assert {column.key for column in COLUMNS} == set(importing.FIELDS)


def test_a_refused_text_is_cleaned_again_each_time_in_the_language_of_the_moment():
    raw = {"nip": PNS_NIP, "name": "Ahmad", "rank": "r" * 61}
    with translation.override("en"):
        english = clean_row(raw, today=TODAY).reasons
    with translation.override("id"):
        indonesian = clean_row(raw, today=TODAY).reasons
    assert english == [["too_long", {"field": "rank/grade", "max": 60}]]
    assert indonesian == [["too_long", {"field": "pangkat/golongan", "max": 60}]]
    assert english[0] is not indonesian[0]


@pytest.mark.parametrize(("raw", "place", "when"), [
    pytest.param({"birth": "Manggar, 15-03-1985"}, "Manggar", " 15-03-1985", id="place-and-date"),  # the date parser strips
    pytest.param({"birth": "Tanjung Pandan, Belitung, 15-03-1985"}, "Tanjung Pandan, Belitung", " 15-03-1985",
                 id="last-comma"),
    pytest.param({"birth": "15-03-1985"}, "", "15-03-1985", id="date-only"),
    pytest.param({"birth": date(1985, 3, 15)}, None, date(1985, 3, 15), id="date-cell"),
    pytest.param({"birth": "Manggar, 15-03-1985", "birth_place": "Gantung", "birth_date": "16-03-1985"},
                 "Gantung", "16-03-1985", id="own-columns-win"),
])
def test_split_birth_fills_the_empty_place_and_date(raw, place, when):
    split = split_birth(raw)
    assert (split.get("birth_place"), split.get("birth_date")) == (place, when)
    assert "birth_place" not in raw or raw["birth_place"] == "Gantung"  # the row given is not changed


def test_split_birth_leaves_a_row_without_the_column_alone():
    raw = {"birth": "", "birth_place": "Manggar"}
    assert split_birth(raw) is raw


@pytest.mark.parametrize(("nip", "kind"), [
    pytest.param("", "contract", id="no-number"),
    pytest.param(PNS_NIP, "pns", id="pns-nip"),
    pytest.param("199012312021132001", "pppk", id="only-an-ni-pppk"),  # month 13: no PNS NIP
    pytest.param("123", "pns", id="neither-is-a-bad-pns-nip"),
])
def test_kind_from_nip(nip, kind):
    assert kind_from_nip(nip, TODAY) == kind


@pytest.mark.parametrize(("nip", "kind", "born", "gender", "expected", "problems"), [
    pytest.param(PNS_NIP, "pns", None, "", ("pns", date(1985, 3, 15), "M"), [], id="pns-from-the-number"),
    pytest.param(PPPK_NI, "pppk", date(1990, 12, 31), "F", ("pppk", date(1990, 12, 31), "F"), [],
                 id="pppk-agrees"),
    pytest.param(PNS_NIP, "pns", date(1985, 3, 16), "F", ("pns", date(1985, 3, 15), "M"),
                 ["nip_birth_date", "nip_gender"], id="number-wins-and-disagrees"),
    pytest.param("", "pns", None, "", ("pns", None, ""), ["missing_nip"], id="pns-without-number"),
    pytest.param("19850315201001100", "pns", None, "M", ("pns", None, "M"), ["bad_nip"], id="bad-number"),
    pytest.param(PNS_NIP, "contract", None, "", ("contract", None, ""), ["contract_with_nip"],
                 id="contract-with-number"),
    pytest.param("", "contract", None, "F", ("contract", None, "F"), [], id="contract"),
    pytest.param(PNS_NIP, "", None, "", ("pns", None, ""), [], id="unknown-kind-unchecked"),
])
def test_check_nip(nip, kind, born, gender, expected, problems):
    *fields, found = check_nip(nip, kind, born, gender, TODAY)
    assert tuple(fields) == expected
    assert [problem[0] for problem in found] == problems
    assert {problem[0] for problem in found} <= set(NIP_REASONS)


def test_clean_row_lists_the_reasons_in_the_order_of_the_columns_then_the_number():
    raw = {"nip": PNS_NIP, "name": "", "rank": "r" * 61, "unit": "u" * 201, "birth_date": "kemarin", "gender": "X",
           "kind": "Honorer"}
    assert [reason[0] for reason in clean_row(raw, today=TODAY).reasons] == [
        "missing_name", "too_long", "too_long", "bad_date", "bad_gender", "contract_with_nip"]


def test_a_cell_of_another_type_than_text_is_cleaned_without_the_memo():
    # True and 1 are equal as dict keys: only texts go through the memo.
    assert clean_row({"nip": PNS_NIP, "name": "A", "gender": 1}, today=TODAY).data["gender"] == "M"
    assert clean_row({"nip": "", "name": "A", "gender": True, "birth_date": "1990-01-02"}, today=TODAY).reasons == [
        ["bad_gender", {"value": "True"}]]
