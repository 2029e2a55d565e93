"""The one serialiser of catalog entries (rules.catalog.Entry.as_dict).

Its output is stored: in each RuleSet (Catalog.content()), on the rows of acts and
elections, and in Case.pinned_rules, and content_changes() compares old and new. These
literal dicts are the format as it was written by each entry's own as_dict before the
serialiser was shared; a change here is a change of stored data.
"""

from datetime import date
from types import MappingProxyType

from rules import catalog
from rules.catalog import Text

T = Text(id="Teks", en="Text")
N = Text(id="Catatan", en="Note")
TD = {"id": "Teks", "en": "Text"}
ND = {"id": "Catatan", "en": "Note"}


def test_a_legal_basis_leaves_out_none_and_no_regimes():
    basis = catalog.LegalBasis(id="uu-1", title=T, citation="UU 1", source="s", valid_until=date(2023, 10, 30))
    assert basis.as_dict() == {"id": "uu-1", "title": TD, "citation": "UU 1", "source": "s", "verified": True,
                               "valid_until": "2023-10-30"}
    assert catalog.LegalBasis(id="uu-1", title=T, citation="c", source="s", regimes=("pemilu",)).as_dict()[
        "regimes"] == ["pemilu"]


def test_a_violation_keeps_empty_lists_maps_its_subjects_and_leaves_out_its_position():
    rule = catalog.SubjectRule(subject="pns", sanctions=())
    violation = catalog.Violation(
        id="act", family="by_stage", title=T, plain=T, legal_bases=(), sanctions=("a",), source="s", position=3,
        note=N, verified=False, family_by_stage=catalog.FamilyByStage(stage="campaign", before="ethics",
                                                                      after="discipline"),
        sanctions_by_family=MappingProxyType({"ethics": ("a",), "discipline": ()}),
        subjects=MappingProxyType({"pns": rule, "pppk": catalog.SubjectRule(subject="pppk", legal_bases=("b",),
                                                                            verified=False)}))
    assert violation.as_dict() == {
        "id": "act", "family": "by_stage", "title": TD, "plain": TD, "legal_bases": [], "sanctions": ["a"],
        "source": "s", "note": ND, "verified": False,
        "family_by_stage": {"stage": "campaign", "before": "ethics", "after": "discipline"},
        "sanctions_by_family": {"ethics": ["a"], "discipline": []},
        "subjects": {"pns": {"sanctions": []}, "pppk": {"legal_bases": ["b"], "verified": False}},
    }


def test_an_election_stores_its_stages_as_a_list_and_an_authority_leaves_out_an_empty_address():
    period = catalog.StagePeriod(stage="voting", start=date(2024, 11, 27), end=date(2024, 11, 27))
    election = catalog.Election(id="e", regime="pilkada", title=T, voting_day=date(2024, 11, 27), source="s",
                                stages=MappingProxyType({"voting": period}))
    assert election.as_dict() == {"id": "e", "regime": "pilkada", "title": TD, "voting_day": "2024-11-27",
                                  "source": "s", "verified": True,
                                  "stages": [{"stage": "voting", "start": "2024-11-27", "end": "2024-11-27"}]}
    assert catalog.Election(id="e", regime="p", title=T, voting_day=date(2024, 1, 1), source="s").as_dict()[
        "stages"] == []
    authority = catalog.Authority(id="bkn", kind="civil_service", name=T, addressee="Kepala BKN", address="",
                                  source="s", valid_from=date(2024, 8, 24))
    assert authority.as_dict() == {"id": "bkn", "kind": "civil_service", "name": TD, "addressee": "Kepala BKN",
                                   "source": "s", "valid_from": "2024-08-24"}


def test_a_holiday_is_stored_under_its_date():
    holiday = catalog.Holiday(day=date(2024, 11, 27), name=T, kind="election_day", source="s")
    assert holiday.as_dict() == {"date": "2024-11-27", "name": TD, "kind": "election_day", "source": "s",
                                 "verified": True}


def test_a_deadline_rule_comes_back_from_what_a_case_stored():
    rule = catalog.DeadlineRule(
        id="r", regime="pilkada", step="study", days=5, day_kind="calendar", start_is_day_zero=True,
        counted_from=T, title=T, explanation=T, legal_bases=("b",), source="s", note=N, verified=False,
        valid_from=date(2024, 1, 1))
    stored = rule.as_dict()
    assert stored == {"id": "r", "regime": "pilkada", "step": "study", "days": 5, "day_kind": "calendar",
                      "start_is_day_zero": True, "counted_from": TD, "title": TD, "explanation": TD,
                      "legal_bases": ["b"], "source": "s", "note": ND, "verified": False,
                      "valid_from": "2024-01-01"}
    assert catalog.DeadlineRule.from_dict(stored) == rule


def test_the_content_has_one_list_per_section_of_the_catalog():
    current = catalog.default_catalog()
    content = current.content()
    assert content["version"] == current.version
    for name in set(content) - {"version"}:
        assert len(content[name]) == len(getattr(current, name)), name
    assert {"followup_limits", "escalation", "requirements", "families", "sanction_families", "levels"} <= set(content)
