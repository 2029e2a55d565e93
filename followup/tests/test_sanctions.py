"""Which sanctions the catalog allows, per violation family and kind of employee (pure, on the real rule data)."""

from datetime import date

import pytest

from followup.sanctions import (
    ActContext,
    Grade,
    SanctionNotAllowed,
    allowed_grades,
    allowed_sanctions,
    check_grade,
    check_sanction,
)
from rules.catalog import default_catalog


@pytest.fixture(scope="module")
def catalog():
    return default_catalog()


# Pilkada 2024: candidates determined on 22 September 2024 (rules/data/elections.yaml).
BEFORE = ActContext(regime="pilkada", act_date=date(2024, 9, 1))
AFTER = ActContext(regime="pilkada", act_date=date(2024, 10, 1))


def ids(sanctions):
    return [sanction.id for sanction in sanctions]


@pytest.mark.parametrize(("violation", "kind", "allowed", "refused"), [
    pytest.param("partisan-photo", "pns", "moral-statement-open", "pns-demotion-12-months", id="ethics-pns"),
    pytest.param("partisan-photo", "pns", "moral-statement-closed", "contract-staff-per-contract",
                 id="ethics-pns-not-contract"),
    pytest.param("partisan-photo", "contract", "contract-staff-per-contract", "moral-statement-open",
                 id="ethics-contract"),
    pytest.param("campaign-mobilising-pns", "pns", "pns-demotion-12-months", "moral-statement-open",
                 id="discipline-heavy-pns"),
    pytest.param("campaign-mobilising-pns", "pppk", "pppk-contract-termination", "moral-statement-closed",
                 id="discipline-heavy-pppk"),
    pytest.param("campaign-mobilising-pns", "pppk", "pppk-discipline", "pns-demotion-12-months",
                 id="discipline-heavy-pppk-not-pns"),
    pytest.param("campaign-with-attributes", "pns", "pns-allowance-cut-12-months", "pns-demotion-12-months",
                 id="discipline-medium-pns"),
    pytest.param("party-membership", "pns", "pns-dismissal-not-with-honour", "pns-written-reprimand",
                 id="dismissal-pns"),
    pytest.param("party-membership", "contract", "contract-staff-per-contract", "pns-dismissal-not-with-honour",
                 id="dismissal-contract"),
])
def test_an_allowed_and_a_disallowed_sanction(catalog, violation, kind, allowed, refused):
    assert allowed in ids(allowed_sanctions(catalog, [violation], kind, context=BEFORE))
    assert check_sanction(catalog, allowed, [violation], kind, context=BEFORE).id == allowed
    assert refused not in ids(allowed_sanctions(catalog, [violation], kind, context=BEFORE))
    with pytest.raises(SanctionNotAllowed):
        check_sanction(catalog, refused, [violation], kind, context=BEFORE)


def test_an_ethics_violation_by_a_pns_allows_exactly_the_moral_statements(catalog):
    assert ids(allowed_sanctions(catalog, ["partisan-photo"], "pns", context=BEFORE)) == [
        "moral-statement-closed", "moral-statement-open"]
    assert allowed_grades(catalog, ["partisan-photo"], "pns", context=BEFORE) == [Grade("moral", "")]
    assert allowed_grades(catalog, ["partisan-photo"], "contract", context=BEFORE) == [Grade("contract", "")]


def test_the_same_act_after_the_candidates_are_determined_is_a_discipline_breach(catalog):
    assert Grade("discipline", "heavy") in allowed_grades(catalog, ["partisan-photo"], "pns", context=AFTER)
    assert Grade("moral", "") not in allowed_grades(catalog, ["partisan-photo"], "pns", context=AFTER)


@pytest.mark.parametrize("violation", ["banner-support", "social-media-campaign", "declaration-campaign-support",
                                       "campaign-account-engagement", "partisan-photo", "influencing-others",
                                       "party-membership"])
def test_a_pppk_has_a_sanction_for_every_ethics_act_and_party_membership(catalog, violation):
    for context in (BEFORE, AFTER):
        assert allowed_sanctions(catalog, [violation], "pppk", context=context), (violation, context)


def test_a_heavy_discipline_violation_grades_by_kind(catalog):
    assert allowed_grades(catalog, ["campaign-mobilising-pns"], "pns") == [Grade("discipline", "heavy")]
    assert Grade("discipline", "heavy") in allowed_grades(catalog, ["campaign-mobilising-pns"], "pppk")
    with pytest.raises(SanctionNotAllowed):
        check_grade(catalog, Grade("moral", ""), ["campaign-mobilising-pns"], "pppk")
    assert check_grade(catalog, Grade("discipline", "heavy"), ["campaign-mobilising-pns"], "pns")


def test_several_violations_allow_the_sanctions_of_each(catalog):
    both = ids(allowed_sanctions(catalog, ["partisan-photo", "campaign-mobilising-pns"], "pns"))
    assert "moral-statement-open" in both and "pns-demotion-12-months" in both


@pytest.mark.parametrize("kind", ["pns", "pppk", "contract"])
def test_criminal_penalties_are_never_offered_to_the_ppk(catalog, kind):
    # Acts that are crimes for every subject (pemilu-official-partiality is a discipline breach for ASN).
    crimes = [violation_id for violation_id, violation in catalog.violations.items() if violation.family == "crime"
              and all(rule.family in (None, "crime") for rule in violation.subjects.values())]
    assert crimes
    assert allowed_sanctions(catalog, crimes, kind) == []
    every = list(catalog.violations)
    assert not [s for s in allowed_sanctions(catalog, every, kind) if s.family == "criminal"]
    with pytest.raises(SanctionNotAllowed):
        check_sanction(catalog, "crime-pilkada-art-188", crimes, kind)


def test_an_unknown_sanction_or_a_sanction_for_another_kind_is_refused(catalog):
    with pytest.raises(SanctionNotAllowed):
        check_sanction(catalog, "no-such-sanction", ["partisan-photo"], "pns")
    with pytest.raises(SanctionNotAllowed, match="jenis pegawai ini"):
        check_sanction(catalog, "pppk-contract-termination", ["campaign-mobilising-pns"], "pns")


def test_grades_parse_and_print_as_keys():
    assert Grade.parse("discipline:heavy") == Grade("discipline", "heavy")
    assert Grade.parse("moral") == Grade("moral", "") and Grade("moral", "").key == "moral"


def test_where_the_catalog_names_no_sanction_the_authority_can_still_decide_with_reasons(catalog):
    from followup.sanctions import REASONED

    assert allowed_grades(catalog, ["candidate-not-resigned"], "pns", context=AFTER) == [REASONED]
    assert check_grade(catalog, REASONED, ["candidate-not-resigned"], "pns", context=AFTER) == REASONED
    with pytest.raises(SanctionNotAllowed):  # where the catalog has sanctions, they are the choice
        check_grade(catalog, REASONED, ["campaign-mobilising-pns"], "pns", context=AFTER)
