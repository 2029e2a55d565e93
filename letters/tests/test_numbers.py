"""Letter numbers from patterns that are data: pure, no database."""

from datetime import date

import pytest

from letters import numbers
from letters.numbers import LetterNumberError


def test_the_pattern_of_seed_000_gives_its_number():
    pattern = "{seq:03d}/HK.02/{office_code}/{month:02d}/{year}"
    assert numbers.format_number(pattern, seq=19, office_code="K.BB-06", on=date(2022, 8, 23)) == \
        "019/HK.02/K.BB-06/08/2022"


def test_the_classification_and_the_roman_month_are_parts_of_a_pattern():
    pattern = "{seq}/{classification}/{office_code}/{month_roman}/{year}"
    assert numbers.format_number(pattern, seq=7, office_code="K.BB-06", on=date(2024, 11, 27),
                                 classification="PP.01.02") == "7/PP.01.02/K.BB-06/XI/2024"


def test_the_default_pattern_numbers_a_letter_of_belitung_timur():
    assert numbers.letter_number("forward-authority", office_code="K.BB-06", seq=25, on=date(2024, 11, 27)) == \
        "025/PP.01.02/K.BB-06/11/2024"


@pytest.mark.parametrize(("pattern", "message"), [
    pytest.param("{seq}/{kode}/{year}", "unknown placeholder {kode}", id="unknown-placeholder"),
    pytest.param("{seq}/{}/{year}", "needs a name", id="positional"),
    pytest.param("{seq}/{0}", "needs a name", id="numbered"),
    pytest.param("{seq.real}/{year}", "unknown placeholder {seq.real}", id="attribute"),
    pytest.param("{seq}/{office_code[0]}", "unknown placeholder", id="index"),
    pytest.param("{seq!r}/{year}", "conversions are not allowed", id="conversion"),
    pytest.param("{seq:03x}/{office_code:d}", "office_code", id="bad-format"),
    pytest.param("{office_code}/{month:02d}/{year}", "has no {seq}", id="no-sequence"),
    pytest.param("{seq/{year}", "not valid", id="unbalanced"),
    pytest.param("   ", "non-empty", id="blank"),
])
def test_a_broken_pattern_is_refused_naming_the_problem(pattern, message):
    with pytest.raises(LetterNumberError, match=message.replace("{", r"\{").replace("[", r"\[").replace(".", r"\.")):
        numbers.validate_pattern(pattern)


@pytest.mark.parametrize("seq", [0, -3, True, "12"])
def test_the_sequence_is_a_whole_number_from_one(seq):
    with pytest.raises(LetterNumberError, match="sequence"):
        numbers.format_number("{seq}/{year}", seq=seq, office_code="K.BB-06", on=date(2024, 11, 27))


def test_an_empty_office_code_is_refused_when_the_pattern_uses_it():
    with pytest.raises(LetterNumberError, match="office_code"):
        numbers.format_number("{seq}/{office_code}/{year}", seq=1, office_code=" ", on=date(2024, 11, 27))


def test_an_empty_classification_is_refused_when_the_pattern_uses_it():
    with pytest.raises(LetterNumberError, match="classification"):
        numbers.format_number("{seq}/{classification}/{year}", seq=1, office_code="K.BB-06", on=date(2024, 11, 27))
