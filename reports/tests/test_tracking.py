import pytest

from reports.tracking import (
    CODE_LENGTH,
    derive_code,
    format_code,
    is_submission_token,
    new_submission_token,
    normalize_code,
)


def test_a_code_has_80_bits_in_16_unambiguous_characters():
    code = derive_code(new_submission_token(), "secret")
    assert len(code) == CODE_LENGTH
    assert not set(code) & set("ILOU")


def test_the_same_token_gives_the_same_code_and_another_token_another():
    token = new_submission_token()
    assert derive_code(token, "secret") == derive_code(token, "secret")
    assert derive_code(token, "secret") != derive_code(new_submission_token(), "secret")
    assert derive_code(token, "secret") != derive_code(token, "another secret")


def test_codes_do_not_repeat_over_many_draws():
    codes = {derive_code(new_submission_token(), "s") for _ in range(5000)}
    assert len(codes) == 5000


@pytest.mark.parametrize(("typed", "expected"), [
    pytest.param("ABCD-EFGH-JKMN-PQRS", "ABCDEFGHJKMNPQRS", id="formatted"),
    pytest.param(" abcd efgh jkmn pqrs ", "ABCDEFGHJKMNPQRS", id="lowercase-with-spaces"),
    pytest.param("ABCD-EFGH-JKMN-PQRO", "ABCDEFGHJKMNPQR0", id="letter-o-read-as-zero"),
    pytest.param("IBCD-EFGH-JKMN-PQRL", "1BCDEFGHJKMNPQR1", id="i-and-l-read-as-one"),
    pytest.param("ABCD-EFGH", None, id="too-short"),
    pytest.param("ABCD-EFGH-JKMN-PQRS-T", None, id="too-long"),
    pytest.param("ABCD-EFGH-JKMN-PQR*", None, id="foreign-character"),
    pytest.param("", None, id="empty"),
])
def test_normalize_code(typed, expected):
    assert normalize_code(typed) == expected


def test_format_code_groups_by_four():
    assert format_code("ABCDEFGHJKMNPQRS") == "ABCD-EFGH-JKMN-PQRS"


def test_submission_tokens_are_recognised_and_junk_is_not():
    assert is_submission_token(new_submission_token())
    assert not is_submission_token("short")
    assert not is_submission_token("x" * 45 + "<")
