"""The law as dated data: validity dates, a third regime added through data alone, numbers in prose."""

from datetime import date

import pytest

from rules import deadlines
from rules.assessment import assess
from rules.catalog import CatalogError, load_catalog
from rules.tests.conftest import read_entries, write_entries


def test_uu_20_2023_takes_over_from_uu_5_2014_on_its_date():
    catalog = load_catalog()
    before = assess(catalog, act="party-membership", subject="pns", regime="pemilu", act_date=date(2023, 10, 30))
    after = assess(catalog, act="party-membership", subject="pns", regime="pemilu", act_date=date(2023, 10, 31))
    assert "uu-5-2014-art-87-4-c" in [basis.id for basis in before.legal_bases]
    assert "uu-20-2023-art-52" not in [basis.id for basis in before.legal_bases]
    assert "uu-20-2023-art-52" in [basis.id for basis in after.legal_bases]
    assert "uu-5-2014-art-87-4-c" not in [basis.id for basis in after.legal_bases]


def test_the_civil_service_authority_follows_the_decision_date():
    catalog = load_catalog()
    common = {"act": "campaign-with-attributes", "subject": "pns", "regime": "pilkada", "act_date": date(2024, 8, 1)}
    assert assess(catalog, **common, decided_on=date(2024, 8, 23)).route.authority == "kasn"
    assert assess(catalog, **common, decided_on=date(2024, 8, 24)).route.authority == "bkn"


def test_a_deadline_rule_is_picked_by_the_day_its_clock_starts(edit):
    def split(entries):
        rule = next(entry for entry in entries if entry["id"] == "pilkada-study")
        rule["valid_until"] = "2026-12-31"
        entries.append({**rule, "id": "pilkada-study-2027", "days": 4, "valid_from": "2027-01-01",
                        "valid_until": None, "explanation": {"id": "Kajian paling lama 4 hari.",
                                                             "en": "The study takes at most 4 days."}})
        entries[-1].pop("valid_until")

    catalog = load_catalog(edit("deadlines.yaml", split))
    assert catalog.deadline_rule("pilkada", "study", date(2026, 12, 31)).id == "pilkada-study"
    assert catalog.deadline_rule("pilkada", "study", date(2027, 1, 1)).id == "pilkada-study-2027"


def test_two_rules_in_force_on_the_same_day_are_refused(edit):
    def overlap(entries):
        rule = next(entry for entry in entries if entry["id"] == "pilkada-study")
        entries.append({**rule, "id": "pilkada-study-bis", "valid_from": "2025-01-01"})

    with pytest.raises(CatalogError, match='pilkada/study already has a rule \\("pilkada-study"\\)'):
        load_catalog(edit("deadlines.yaml", overlap))


def test_a_text_that_names_another_number_of_days_than_its_entry_is_refused(edit):
    def disagree(entries):
        next(entry for entry in entries if entry["id"] == "pemilu-report")["days"] = 5

    with pytest.raises(CatalogError, match='entry "pemilu-report": the text \\(id\\) names 7 days but "days" is 5'):
        load_catalog(edit("deadlines.yaml", disagree))


def test_a_third_regime_is_added_through_data_alone(data_dir):
    """The national election of 2029 (Constitutional Court decision 135/PUU-XXII/2024), as data."""
    regimes = read_entries(data_dir, "regimes.yaml")
    regimes.append({**regimes[0], "id": "pemilu-nasional", "code": "PN",
                    "title": {"id": "Pemilu Nasional", "en": "National election"},
                    "short": {"id": "Pemilu Nasional", "en": "national election"}})
    write_entries(data_dir, "regimes.yaml", regimes)
    rules = read_entries(data_dir, "deadlines.yaml")
    for rule in [entry for entry in rules if entry["regime"] == "pemilu"]:
        rules.append({**rule, "id": rule["id"].replace("pemilu-", "nasional-"), "regime": "pemilu-nasional",
                      "valid_from": "2028-01-01"})
    write_entries(data_dir, "deadlines.yaml", rules)
    elections = read_entries(data_dir, "elections.yaml")
    elections.append({"id": "pemilu-nasional-2029", "regime": "pemilu-nasional",
                      "title": {"id": "Pemilu Nasional 2029", "en": "2029 National Election"},
                      "voting_day": "2029-04-18", "source": "test",
                      "stages": [{"stage": "candidate_determination", "start": "2028-11-01"}]})
    write_entries(data_dir, "elections.yaml", elections)

    catalog = load_catalog(data_dir)
    rule = catalog.deadline_rule("pemilu-nasional", "report", date(2029, 3, 2))
    assert rule.id == "nasional-report"
    due = deadlines.compute(rule, date(2029, 3, 2), {}).due  # Friday + 7 working days
    assert due == date(2029, 3, 13)
    before = assess(catalog, act="banner-support", subject="pns", regime="pemilu-nasional", act_date=date(2028, 10, 1))
    after = assess(catalog, act="banner-support", subject="pns", regime="pemilu-nasional", act_date=date(2028, 12, 1))
    assert (before.family, after.family) == ("ethics", "discipline")
    assert before.election.id == "pemilu-nasional-2029"
    # An act limited to other regimes does not reach the new one.
    assert not assess(catalog, act="money-politics", subject="pns", regime="pemilu-nasional",
                      act_date=date(2028, 12, 1)).applicable


def test_an_unverified_rule_without_a_note_and_an_unknown_regime_are_refused(edit):
    def unknown(entries):
        entries[0]["regime"] = "pemilu-2029"

    with pytest.raises(CatalogError, match="unknown regime 'pemilu-2029'"):
        load_catalog(edit("deadlines.yaml", unknown))


def test_a_route_that_sends_a_non_asn_to_the_civil_service_authority_is_refused(edit):
    def wrong(entries):
        next(entry for entry in entries if entry["id"] == "asn-to-bkn")["subjects"] = ["pns", "village_head"]

    with pytest.raises(CatalogError, match='"village_head" is not ASN'):
        load_catalog(edit("routes.yaml", wrong))


def test_an_act_whose_subject_has_no_sanction_needs_a_note(edit):
    def no_sanction(entries):
        act = next(entry for entry in entries if entry["id"] == "campaign-mobilising-pns")
        act["subjects"]["contract"] = {}

    with pytest.raises(CatalogError, match='subject "contract" has no sanction for the family "discipline"'):
        load_catalog(edit("violations.yaml", no_sanction))
