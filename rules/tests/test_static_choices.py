"""The choices that migrations keep static hold exactly the ids the law data is checked against.

A model's TextChoices stays in Python for the database (a migration records it); its words
come from rules/data. The catalog refuses data outside its id lists (rules.catalog), and
these tests keep those lists equal to the models', so neither side can drift alone.
"""

from datetime import date

import pytest

from cases import requirements
from cases.states import Outcome
from followup.models import Recommendation
from registry.models import Employee
from rules import catalog
from rules.models import CalendarDay, Violation


@pytest.mark.parametrize(("choices", "ids"), [
    pytest.param(Violation.Family, (catalog.BY_STAGE, *catalog.VIOLATION_FAMILIES), id="violation-families"),
    pytest.param(Recommendation.Stage, catalog.FOLLOWUP_STAGES, id="follow-up-stages"),
    pytest.param(Employee.Kind, catalog.REGISTER_KINDS, id="register-kinds"),
    pytest.param(CalendarDay.Kind, catalog.HOLIDAY_KINDS, id="holiday-kinds"),
])
def test_a_static_choice_list_equals_the_ids_the_catalog_checks(choices, ids):
    assert set(choices.values) == set(ids)


def test_every_route_outcome_is_a_case_outcome():
    assert set(catalog.ROUTE_OUTCOMES) <= set(Outcome.values)


def test_every_violation_family_of_the_database_has_its_words_in_the_data():
    current = catalog.default_catalog()
    assert set(current.families) == set(Violation.Family.values)


FACTS = {
    True: requirements.ReportFacts(
        anonymous=False, has_name_and_address=True, has_nik=True, has_reported_party=True, place="Manggar",
        occurred_on=date(2024, 11, 18), description="A long enough description of what happened.",
        evidence_count=1, links_count=0, filed_on=date(2024, 11, 19), report_due=date(2024, 11, 25)),
    False: requirements.ReportFacts(
        anonymous=True, has_name_and_address=False, has_nik=False, has_reported_party=False, place=" ",
        occurred_on=None, description="short", evidence_count=0, links_count=0, filed_on=date(2024, 11, 26),
        report_due=date(2024, 11, 25)),
}


@pytest.mark.parametrize("check", catalog.REQUIREMENT_CHECKS)
def test_every_pre_filled_check_the_data_may_name_is_computed_from_the_report(check):
    requirement = catalog.Requirement(id="r", kind="formal", regimes=("pemilu",),
                                      title=catalog.Text(id="r", en="r"), source="s", auto=check)
    # Each check says where its evidence is; only what Netral verifies itself starts ticked (issue 18).
    assert requirements.prefill(requirement, FACTS[True]).ticked is (check in requirements.SYSTEM_VERIFIED)
    assert requirements.prefill(requirement, FACTS[False]).ticked is False
    assert requirements.prefill(requirement, FACTS[True]).evidence
