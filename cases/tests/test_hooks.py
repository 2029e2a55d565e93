"""cases.hooks: the apps above cases follow a change of a case in the change's own transaction.

A hook registered here (as followup registers the dashboard's tallies) is called before the
change with the ids of the cases, sees them unchanged, and its returned callable is called
after the change, in the same transaction: either one raising rolls the change back.
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from audit.models import AuditEntry
from cases import hooks
from cases.hooks import case_change_register, cases_changing
from cases.models import Case, CaseReport
from cases.services import case_merge, case_register_report
from cases.tests.conftest import all_met, file_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(report_beltim, staff_beltim):
    return case_register_report(report=report_beltim, actor=staff_beltim, checks=all_met())


@pytest.fixture
def second(places, election, staff_beltim):
    from reports.services import report_change_status

    report = report_change_status(report=file_report(places["manggar"], election, name="Ani"), actor=staff_beltim,
                                  to_status="in_review")
    return case_register_report(report=report, actor=staff_beltim, checks=all_met())


@pytest.fixture
def recorded():
    """A hook of this test's own that records what it sees before and after the change."""
    seen = []

    def hook(case_ids):
        seen.append(("before", case_ids, _reports(case_ids), transaction.get_connection().in_atomic_block))

        def after():
            seen.append(("after", case_ids, _reports(case_ids), transaction.get_connection().in_atomic_block))
            if getattr(hook, "fail", False):
                raise RuntimeError("the app above could not follow the change")

        return after

    case_change_register(hook)
    yield hook, seen
    hooks.CASE_CHANGE_HOOKS.remove(hook)


def _reports(case_ids):
    return {case_id: sorted(CaseReport.objects.filter(case_id=case_id).values_list("report_id", flat=True))
            for case_id in case_ids}


def test_a_merge_calls_the_hooks_before_and_after_moving_the_reports(case, second, staff_beltim, recorded):
    _hook, seen = recorded
    first_report, second_report = case.case_reports.get().report_id, second.case_reports.get().report_id
    case_merge(source=second, target=case, actor=staff_beltim)
    ids = frozenset({case.pk, second.pk})
    assert seen == [
        ("before", ids, {case.pk: [first_report], second.pk: [second_report]}, True),
        ("after", ids, {case.pk: sorted([first_report, second_report]), second.pk: []}, True),
    ]


def test_a_hook_that_fails_rolls_the_merge_back(case, second, staff_beltim, recorded):
    hook, seen = recorded
    hook.fail = True
    with pytest.raises(RuntimeError):
        case_merge(source=second, target=case, actor=staff_beltim)
    second.refresh_from_db()
    assert second.status == Case.Status.REGISTERED and second.case_reports.count() == 1
    assert case.case_reports.count() == 1
    assert not AuditEntry.objects.filter(action="case.merged").exists()
    assert [step for step, *_rest in seen] == ["before", "after"]


def test_a_refused_merge_calls_no_hook(case, second, staff_beltim, recorded):
    _hook, seen = recorded
    with pytest.raises(ValidationError):
        case_merge(source=case, target=case, actor=staff_beltim)
    assert seen == []


@pytest.mark.django_db(transaction=True)  # no test transaction around it: autocommit, as outside a service
def test_the_hooks_run_only_inside_the_changes_transaction(recorded):
    _hook, seen = recorded
    with pytest.raises(RuntimeError, match="inside the transaction"):
        with cases_changing(case_ids=[1]):
            pass
    with transaction.atomic():
        with cases_changing(case_ids=[1]):
            pass
    assert [step for step, *_rest in seen] == ["before", "after"]


def test_a_hook_is_registered_once(recorded):
    hook, _seen = recorded
    count = len(hooks.CASE_CHANGE_HOOKS)
    case_change_register(hook)
    assert len(hooks.CASE_CHANGE_HOOKS) == count
    assert hooks.CASE_CHANGE_HOOKS.count(hook) == 1
