"""The ladder of what the public pages may show of a reported person's place (k-anonymity, issue 18 item 10)."""

import pytest

from registry.disclosure import AGENCY, UNIT, WITHHELD, Disclosure, PositionCounts, generalise, k_anonymity


@pytest.mark.parametrize(("unit", "position_class", "in_unit", "in_agency", "expected"), [
    pytest.param("Dinas Pendidikan", "fungsional", 40, 900, Disclosure(UNIT, "Dinas Pendidikan", "fungsional"),
                 id="many-teachers-in-the-unit"),
    pytest.param("Dinas Pendidikan", "fungsional", 5, 900, Disclosure(UNIT, "Dinas Pendidikan", "fungsional"),
                 id="exactly-k-in-the-unit"),
    pytest.param("Pemerintah Desa Lalang", "pelaksana", 1, 300, Disclosure(AGENCY, "", "pelaksana"),
                 id="one-person-position-climbs-to-the-agency"),
    pytest.param("Kecamatan Manggar", "administrator", 1, 4, Disclosure(WITHHELD, "", ""),
                 id="rare-in-the-agency-too-withheld"),
    pytest.param("Kecamatan Manggar", "jpt", 0, 0, Disclosure(WITHHELD, "", ""),
                 id="register-not-imported-counts-zero"),
    pytest.param("", "fungsional", 0, 900, Disclosure(AGENCY, "", "fungsional"), id="no-unit-named"),
    pytest.param("Dinas Pendidikan", "", 40, 900, Disclosure(WITHHELD, "", ""), id="no-class-is-no-group"),
])
def test_the_ladder_shows_the_most_precise_rung_that_k_people_share(unit, position_class, in_unit, in_agency,
                                                                    expected):
    assert generalise(unit=unit, position_class=position_class, in_unit=in_unit, in_agency=in_agency,
                      k=5) == expected


def test_at_k_one_a_person_alone_in_the_register_is_shown():
    assert generalise(unit="Desa Lalang", position_class="pelaksana", in_unit=1, in_agency=1, k=1).level == UNIT


def test_counts_are_summed_by_unit_and_agency_and_units_match_as_the_import_matches_them():
    counts = PositionCounts.from_groups([
        (1, "Dinas Kesehatan", "fungsional", 3),
        (1, "DINAS  kesehatan", "fungsional", 2),  # the same unit written otherwise: one group
        (1, "Kecamatan Manggar", "fungsional", 1),
        (1, None, "fungsional", 4),  # employees without a unit count for the agency only
        (2, "Dinas Kesehatan", "fungsional", 9),  # another agency's unit of the same name
    ])
    assert counts.by_unit[(1, "dinas kesehatan", "fungsional")] == 5
    assert counts.by_agency[(1, "fungsional")] == 10
    assert counts.disclose(agency_id=1, unit="Dinas  Kesehatan", position_class="fungsional", k=5).level == UNIT
    assert counts.disclose(agency_id=1, unit="Kecamatan Manggar", position_class="fungsional", k=5).level == AGENCY
    assert counts.disclose(agency_id=1, unit="Dinas Kesehatan", position_class="jpt", k=5).level == WITHHELD
    assert counts.disclose(agency_id=3, unit="Dinas Kesehatan", position_class="fungsional", k=5).withheld


@pytest.mark.parametrize(("value", "expected"), [(None, 5), (3, 3), ("7", 7), (0, 1), (-2, 1), ("lima", 5)])
def test_k_comes_from_the_settings_at_least_one(settings, value, expected):
    if value is None:
        del settings.NETRAL_PUBLIC_K_ANONYMITY
    else:
        settings.NETRAL_PUBLIC_K_ANONYMITY = value
    assert k_anonymity() == expected
