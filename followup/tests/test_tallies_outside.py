"""The dashboard's tallies after a change made outside the follow-up services (followup.tallies).

Today the one such write is a merge of cases (cases.services.case_merge moves the reports,
and with them the day each case began: the report-to-registration measure). It reaches the
tallies through cases.hooks, in the merge's transaction. Each test writes on the varied data
of test_tallies (both regencies, both stages, two elections, every state), then checks that
the tallies equal a whole rebuild right after the write, and that the write did change the
figures (so that stale tallies would have been caught).

The state machine lets only open cases be merged, and a case has recommendations only once
it is decided: the tests that merge cases with recommendations put them back in study with an
update first. The hook must not depend on that rule (a merge of a forwarded case was asked for
in issue 20), and the changes of a case's election, office, kind or dates that no service
makes today are checked through the hook's contract (``cases_changing``), with a control that
the same change without it leaves the tallies stale.
"""

from datetime import timedelta

import pytest
from django.contrib import admin
from django.db import connection, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from cases.hooks import cases_changing
from cases.models import Case, CasePerson, CaseReport
from cases.services import case_merge, case_register_report
from cases.tests.conftest import all_met, file_report
from followup.dashboard import DashboardFilter
from followup.models import ComplianceTally, DaysTally, Decision, Recommendation, SanctionTally
from followup.tallies import tallies_case_change, tallies_rebuild
from followup.tests.test_dashboard import ON, lead_bangka, pemda_bangka, scenario  # noqa: F401 (fixtures)
from followup.tests.test_tallies import _assert_same, _varied
from reports.services import report_change_status
from rules.models import Election

pytestmark = pytest.mark.django_db


def _snapshot():
    """Every tally row that counts something (a key refreshed to nothing keeps a row of zeros)."""
    return [
        sorted(ComplianceTally.objects.filter(received__gt=0).values_list(
            "stage", "addressee_id", "election_id", "office_id", "received", "in_time", "late", "open")),
        sorted(SanctionTally.objects.filter(count__gt=0).values_list(
            "stage", "addressee_id", "election_id", "office_id", "outcome", "sanction", "count")),
        sorted(DaysTally.objects.filter(count__gt=0).values_list(
            "measure", "stage", "addressee_id", "election_id", "office_id", "days", "count")),
        # The day counts stored on each recommendation (followup.tallies.stored_days_refresh).
        sorted(Recommendation.objects.values_list(
            "pk", "days_report_to_registration", "days_registration_to_recommendation")),
    ]


def _rebuilt():
    """The tallies a whole rebuild gives now (the rebuild is idempotent: it may stay)."""
    tallies_rebuild()
    return _snapshot()


def _in_study(*cases):
    """Put decided cases back in study, so that case_merge accepts them (see the module's docstring)."""
    Case.objects.filter(pk__in=[case.pk for case in cases]).update(status="in_study", is_open=True)
    return [Case.objects.get(pk=case.pk) for case in cases]


@pytest.fixture
def varied(scenario, agencies, offices):
    rows = _varied(scenario, agencies, offices, count=160, seed=7)
    tallies_rebuild()
    return rows


def _with_recommendations(office, *, exclude=()):
    return list(Case.objects.filter(office=office, recommendations__isnull=False).exclude(pk__in=exclude)
                .distinct().order_by("pk"))


# --- the merge ---------------------------------------------------------------------------------

@pytest.mark.parametrize("other_election", [False, True])
def test_a_merge_of_cases_with_recommendations_keeps_the_tallies_equal_to_a_rebuild(
        varied, scenario, other_election, staff_beltim, admin_national, staff_babel, ppk_beltim):
    source = scenario["a"].case  # reported on 28 November (its report), known on 27 November
    copies = [case for case in _with_recommendations(source.office, exclude=[source.pk])
              if (case.election_id != source.election_id) == other_election]
    target = copies[0]  # a copy without a report: it began the day it became known
    assert not target.case_reports.exists() and source.case_reports.count() == 1
    source, target = _in_study(source, target)
    before = _rebuilt()

    case_merge(source=source, target=target, actor=staff_beltim)

    after = _snapshot()
    assert after != before, "the merge moved the day both cases began"
    assert after == _rebuilt()
    for user in (admin_national, staff_babel, ppk_beltim):
        _assert_same(user, DashboardFilter(), ON)
    # A second merge into the same target: a case with recommendations and a report of its own.
    third = copies[1] if len(copies) > 1 else _with_recommendations(source.office, exclude=[source.pk,
                                                                                            target.pk])[0]
    report = report_change_status(report=file_report(source.region, source.election, name="Ani"),
                                  actor=staff_beltim, to_status="in_review")
    fresh = case_register_report(report=report, actor=staff_beltim, checks=all_met())
    CaseReport.objects.filter(case=fresh).update(case=third)  # set-up: the third case's own report
    (third,) = _in_study(third)
    before = _rebuilt()
    case_merge(source=third, target=target, actor=staff_beltim)
    after = _snapshot()
    assert after != before
    assert after == _rebuilt()
    _assert_same(admin_national, DashboardFilter(), ON)


def test_a_merge_of_open_cases_keeps_the_tallies_and_costs_the_hook_two_queries(varied, places, staff_beltim,
                                                                               django_assert_num_queries):
    """The merge the state machine allows: open cases, no recommendation yet."""
    election = Election.objects.get(pk="pilkada-2024")
    cases = []
    for name in ("Ani", "Budi"):
        report = report_change_status(report=file_report(places["manggar"], election, name=name),
                                      actor=staff_beltim, to_status="in_review")
        cases.append(case_register_report(report=report, actor=staff_beltim, checks=all_met()))
    before = _snapshot()
    with transaction.atomic(), django_assert_num_queries(2):
        after = tallies_case_change(frozenset(case.pk for case in cases))
        after()
    case_merge(source=cases[1], target=cases[0], actor=staff_beltim)
    assert _snapshot() == before == _rebuilt()


# --- what no service changes today, through the hook's contract ----------------------------------

def _change_election(case, offices):
    return {"election": Election.objects.exclude(pk=case.election_id).filter(cases__isnull=False).first()}


def _change_office(case, offices):
    return {"office": next(office for office in offices.values() if office.pk != case.office_id)}


def _change_registration(case, offices):
    return {"registered_on": case.registered_on - timedelta(days=4)}


def _change_kind(case, offices):
    return {"kind": Case.Kind.FINDING, "known_on": case.known_on - timedelta(days=3)}


@pytest.mark.parametrize("change", [_change_election, _change_office, _change_registration, _change_kind])
@pytest.mark.parametrize("wrapped", [True, False])
def test_a_change_of_what_the_tallies_count_about_a_case(varied, scenario, offices, change, wrapped):
    cases = [scenario["a"].case, *_with_recommendations(scenario["e"].case.office)[:1]]
    tallies_before = _rebuilt()
    with transaction.atomic():
        for case in cases:
            fields = change(case, offices)
            if wrapped:
                with cases_changing(case_ids=[case.pk]):
                    Case.objects.filter(pk=case.pk).update(**fields)
            else:
                Case.objects.filter(pk=case.pk).update(**fields)
    after = _snapshot()
    rebuilt = _rebuilt()
    assert rebuilt != tallies_before, "the change moved what the tallies count"
    if wrapped:
        assert after == rebuilt
    else:
        assert after != rebuilt, "without the hook the tallies are stale: the test above can fail"


def test_the_hook_costs_the_same_queries_whatever_the_number_of_recommendations(varied, scenario):
    case = scenario["a"].case
    ids = frozenset([case.pk, scenario["e"].case_id])

    def queries():
        with transaction.atomic(), CaptureQueriesContext(connection) as captured:
            tallies_case_change(ids)()
        return len(captured)

    first = queries()
    template = scenario["c"]  # open, stage ppk, Belitung Timur: thirty more of its key and case
    fields = {f.attname: getattr(template, f.attname) for f in Recommendation._meta.concrete_fields
              if f.attname not in {"id", "person_id", "number", "created_at"}}
    for index in range(30):
        person = CasePerson.objects.create(case=case, name=f"Tambahan {index}")
        row = Recommendation.objects.create(**fields, person_id=person.pk, number=f"X/{index}")
        if index % 3 == 0:
            Decision.objects.create(recommendation=row, outcome="refused", recorded_by=row.created_by,
                                    reason="Alasan penolakan yang cukup panjang.")
    assert queries() == first
    assert _snapshot() == _rebuilt()


# --- the admin -----------------------------------------------------------------------------------

def test_no_model_the_tallies_count_is_editable_in_the_admin(admin_national):
    """followup/admin.py: recommendations, decisions, cases and the tallies change only through the
    services (which refresh the tallies). A model registered later must be read-only or refresh them."""
    request = RequestFactory().get("/admin/")
    request.user = type("Superuser", (), {"is_active": True, "is_staff": True, "is_superuser": True,
                                          "has_perm": lambda self, perm, obj=None: True})()
    for model in (Recommendation, Decision, Case, CaseReport, ComplianceTally, SanctionTally, DaysTally):
        model_admin = admin.site._registry.get(model)
        if model_admin is None:
            continue
        assert not model_admin.has_add_permission(request), model
        assert not model_admin.has_change_permission(request), model
        assert not model_admin.has_delete_permission(request), model
