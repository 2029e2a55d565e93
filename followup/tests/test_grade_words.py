"""The sanction a recommendation letter names, in the words of the law data (sanction_families.yaml, levels.yaml)."""

import pytest

from followup.sanctions import REASONED, Grade
from followup.services import grade_words


@pytest.mark.parametrize(("grade", "words"), [
    pytest.param(Grade("discipline", "heavy"), "hukuman disiplin tingkat berat", id="discipline-heavy"),
    pytest.param(Grade("discipline", "light"), "hukuman disiplin tingkat ringan", id="discipline-light"),
    pytest.param(Grade("moral", ""), "sanksi moral", id="moral"),
    pytest.param(Grade("dismissal", ""), "pemberhentian", id="dismissal"),
    pytest.param(Grade("contract", ""), "sanksi menurut perjanjian kerja", id="contract"),
    pytest.param(Grade("administrative", ""), "sanksi administratif", id="village-law"),
    pytest.param(REASONED, "keputusan sesuai pertimbangan di atas", id="reasoned"),
])
def test_a_letter_names_the_recommended_sanction_in_the_data_s_words(grade, words):
    assert grade_words(grade=grade) == words
