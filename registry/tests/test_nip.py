"""The NIP and NI PPPK layouts (shared/domain/README.md, "Identity numbers"). No database."""

import random
from datetime import date

import pytest

from registry.nip import (
    NipError,
    NipParts,
    compose_pns_nip,
    compose_pppk_ni,
    normalize_nip,
    parse_pns_nip,
    parse_pppk_ni,
    synthetic_nip,
)

TODAY = date(2024, 11, 27)  # Pilkada voting day


@pytest.mark.parametrize(("value", "expected"), [
    pytest.param("198503152010011002", NipParts(date(1985, 3, 15), 2010, 1, None, "M", 2), id="male"),
    pytest.param("199012312019032001", NipParts(date(1990, 12, 31), 2019, 3, None, "F", 1), id="female"),
    pytest.param("19850315 201001 1 002", NipParts(date(1985, 3, 15), 2010, 1, None, "M", 2),
                 id="grouped-with-spaces"),
    pytest.param("19850315.201001.1.002", NipParts(date(1985, 3, 15), 2010, 1, None, "M", 2),
                 id="grouped-with-dots"),
    pytest.param(" 19850315\u00a0201001\t1 002\n", NipParts(date(1985, 3, 15), 2010, 1, None, "M", 2),
                 id="pasted-from-a-pdf"),
    pytest.param("200002292024111001", NipParts(date(2000, 2, 29), 2024, 11, None, "M", 1),
                 id="leap-day-and-this-month"),
])
def test_a_valid_pns_nip_is_parsed(value, expected):
    assert parse_pns_nip(value, today=TODAY) == expected


@pytest.mark.parametrize(("value", "expected"), [
    pytest.param("198403172021012004", NipParts(date(1984, 3, 17), 2021, None, 1, "F", 4),
                 id="first-contract"),
    pytest.param("199105052023031010", NipParts(date(1991, 5, 5), 2023, None, 3, "M", 10),
                 id="third-contract"),
    pytest.param("1984 0317 2021 21 2 004", NipParts(date(1984, 3, 17), 2021, None, 21, "F", 4),
                 id="spaces"),
])
def test_a_valid_pppk_number_is_parsed(value, expected):
    assert parse_pppk_ni(value, today=TODAY) == expected


@pytest.mark.parametrize("value", [
    pytest.param("198502302010011002", id="february-30"),
    pytest.param("198513012010011002", id="birth-month-13"),
    pytest.param("198503002010011002", id="birth-day-0"),
    pytest.param("185003152010011002", id="born-before-1900"),
    pytest.param("202512012010011002", id="born-in-the-future"),
    pytest.param("198503152010131002", id="appointment-month-13"),
    pytest.param("198503152010001002", id="appointment-month-0"),
    pytest.param("198503151980011002", id="appointment-before-birth"),
    pytest.param("198503151985031002", id="appointment-in-the-birth-month"),
    pytest.param("198503152024121002", id="appointment-next-month"),
    pytest.param("198503152030011002", id="appointment-in-the-future"),
    pytest.param("19850315201001100", id="17-digits"),
    pytest.param("1985031520100110021", id="19-digits"),
    pytest.param("", id="empty"),
    pytest.param("19850315201001100A", id="a-letter"),
    pytest.param("NIP198503152010011", id="letters-in-front"),
    pytest.param("19850315-201001-1-002", id="hyphens"),
    pytest.param("१९८५०३१५२०१००११००२", id="non-ascii-digits"),
    pytest.param("198503152010013002", id="gender-digit-3"),
    pytest.param("198503152010010002", id="gender-digit-0"),
])
def test_an_impossible_pns_nip_is_rejected(value):
    with pytest.raises(NipError) as error:
        parse_pns_nip(value, today=TODAY)
    assert str(error.value.message)


@pytest.mark.parametrize("value", [
    pytest.param("198402302021012004", id="february-30"),
    pytest.param("198403172021002004", id="zero-agreements"),
    pytest.param("198403171984012004", id="appointed-in-the-birth-year"),
    pytest.param("198403171970012004", id="appointed-before-birth"),
    pytest.param("198403172025012004", id="appointed-next-year"),
    pytest.param("198403172021013004", id="gender-digit-3"),
    pytest.param("19840317202101200", id="17-digits"),
    pytest.param("1984031720210120041", id="19-digits"),
    pytest.param("1984031720210120O4", id="letter-o-for-zero"),
])
def test_an_impossible_pppk_number_is_rejected(value):
    with pytest.raises(NipError):
        parse_pppk_ni(value, today=TODAY)


def test_the_error_says_how_many_digits_were_given():
    with pytest.raises(NipError) as error:
        parse_pns_nip("1985031520100110", today=TODAY)
    assert "16" in str(error.value.message)


@pytest.mark.parametrize(("value", "expected"), [
    pytest.param("19850315 201001 1 002", "198503152010011002", id="spaces"),
    pytest.param("19850315.201001.1.002", "198503152010011002", id="dots"),
    pytest.param("\u00a019850315\t201001\n1002 ", "198503152010011002", id="other-whitespace"),
    pytest.param(None, "", id="none"),
    pytest.param("19850315-201001", "19850315-201001", id="hyphens-kept-so-they-are-rejected"),
])
def test_normalize_nip_drops_whitespace_and_dots(value, expected):
    assert normalize_nip(value) == expected


def test_a_composed_pns_nip_parses_back_to_its_parts():
    nip = compose_pns_nip(birth_date=date(1985, 3, 15), appointed_year=2010, appointed_month=1, gender="M",
                          sequence=2)
    assert nip == "198503152010011002"
    assert parse_pns_nip(nip, today=TODAY) == NipParts(date(1985, 3, 15), 2010, 1, None, "M", 2)


def test_a_composed_pppk_number_parses_back_to_its_parts():
    ni = compose_pppk_ni(birth_date=date(1984, 3, 17), appointed_year=2021, agreements=1, gender="F",
                         sequence=4)
    assert ni == "198403172021012004"
    assert parse_pppk_ni(ni, today=TODAY).agreements == 1


@pytest.mark.parametrize("kwargs", [
    pytest.param({"gender": "X"}, id="gender"),
    pytest.param({"appointed_month": 13}, id="month"),
    pytest.param({"sequence": 1000}, id="sequence"),
])
def test_compose_refuses_parts_that_do_not_fit(kwargs):
    parts = {"birth_date": date(1985, 3, 15), "appointed_year": 2010, "appointed_month": 1, "gender": "M",
             "sequence": 2, **kwargs}
    with pytest.raises(ValueError):
        compose_pns_nip(**parts)


@pytest.mark.parametrize(("kind", "parse"), [
    pytest.param("pns", parse_pns_nip, id="pns"),
    pytest.param("pppk", parse_pppk_ni, id="pppk"),
])
def test_synthetic_numbers_are_valid_for_their_kind_and_gender(kind, parse):
    rng = random.Random(2024)
    for index in range(2000):
        gender = "MF"[index % 2]
        parts = parse(synthetic_nip(kind, rng, gender=gender, today=TODAY), today=TODAY)
        assert parts.gender == gender


def test_synthetic_numbers_are_deterministic_for_a_seed():
    def draw():
        rng = random.Random(7)
        return [synthetic_nip("pns", rng, gender="F", today=TODAY) for _ in range(20)]

    assert draw() == draw()


def test_there_is_no_synthetic_number_for_contract_staff():
    with pytest.raises(ValueError):
        synthetic_nip("contract", random.Random(1), gender="M", today=TODAY)
