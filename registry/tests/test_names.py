"""Names with their titles, as Indonesians write them (issue 18 item 11)."""

import pytest

from registry.names import clean_prefix, clean_suffix, full_name, plain_name


@pytest.mark.parametrize(("prefix", "name", "suffix", "expected"), [
    pytest.param("dr.", "Siti Aminah", "S.Kom.", "dr. Siti Aminah, S.Kom.", id="front-and-back"),
    pytest.param("", "Siti Aminah", "S.Kom.", "Siti Aminah, S.Kom.", id="back-only"),
    pytest.param("Dr. H.", "Ahmad Yani", "", "Dr. H. Ahmad Yani", id="two-front-titles"),
    pytest.param("", "Ahmad Yani", "S.E.,M.Si.", "Ahmad Yani, S.E., M.Si.", id="back-titles-each-after-a-comma"),
    pytest.param("", "Ahmad Yani", ", S.E. ,  M.Si.", "Ahmad Yani, S.E., M.Si.", id="stray-commas-and-spaces"),
    pytest.param("-", "Budi  Santoso", "-", "Budi Santoso", id="dash-means-none"),
    pytest.param("dr.,", "Siti Aminah", "", "dr. Siti Aminah", id="comma-after-a-front-title"),
    pytest.param("dr.", "dr. Siti Aminah, S.Kom.", "S.Kom.", "dr. Siti Aminah, S.Kom.",
                 id="titles-already-in-the-name-not-twice"),
    pytest.param("", "", "", "", id="empty"),
])
def test_the_full_name_writes_front_titles_before_and_back_titles_after_commas(prefix, name, suffix, expected):
    assert full_name(prefix, name, suffix) == expected


def test_title_cells_are_tidied_as_stored():
    assert clean_prefix("  Dr.   H. ") == "Dr. H."
    assert clean_suffix("S.Kom,M.T") == "S.Kom, M.T"
    assert clean_suffix("—") == "" and clean_prefix("0") == ""


@pytest.mark.parametrize(("name", "plain"), [
    ("dr. Siti Aminah, S.Kom.", "Siti Aminah"),
    ("Dr. H. Ahmad Yani, S.E., M.Si.", "Ahmad Yani"),
    ("Hj Ratna", "Ratna"),
    ("Drajat", "Drajat"),
])
def test_the_plain_name_drops_the_titles(name, plain):
    assert plain_name(name) == plain
