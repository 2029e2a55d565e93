"""The position classes of the register and of the follow-up are one vocabulary."""

import pytest

from followup.models import PositionClass
from followup.positions import guess_position_class
from registry.positions import POSITION_CLASS_LABELS, POSITION_CLASSES


def test_the_register_s_classes_are_the_follow_up_s():
    assert set(POSITION_CLASSES) == set(PositionClass.values)
    assert {code: str(label) for code, label in POSITION_CLASS_LABELS.items()} == {
        code: str(label) for code, label in PositionClass.choices}


@pytest.mark.parametrize(("title", "kind", "expected"), [
    ("Kepala Seksi Pemerintahan", "pns", "pengawas"),
    ("Camat Manggar", "pns", "administrator"),
    ("Kepala Dinas Pendidikan", "pns", "jpt"),
    ("Guru Ahli Pertama", "pppk", "fungsional"),
    ("Kepala Desa", "pns", "pelaksana"),  # not a listed title: the default class
    ("Pengemudi", "contract", "non_asn"),
    ("Pengawas Sekolah", "pns", "fungsional"),
    ("Kasianto", "pns", "pelaksana"),  # "kasi" inside a word is no match
    ("", "pns", ""),
])
def test_a_title_is_guessed_into_its_class(title, kind, expected):
    assert guess_position_class(title, kind) == expected
