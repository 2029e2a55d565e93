"""The seam of the next step (reports/extensions.py) and reports' own answer by status (issue 18)."""

import pytest
from django.utils import translation

from reports.extensions import NEXT_STEP_PROVIDERS, NextStep, next_step_for
from reports.next_step import status_next_step
from reports.states import Status


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize(("status", "words", "finished"), [
    (Status.RECEIVED, "decides whether to register it", False),
    (Status.IN_REVIEW, "decides whether to register it", False),
    (Status.NEEDS_COMPLETION, "Complete your report", False),
    (Status.REGISTERED, "decides whether a violation took place", False),
    (Status.INFORMATION, "as its own finding", False),
    (Status.NOT_REGISTERED, "could not be registered", True),
    (Status.WITHDRAWN, "you withdrew it", True),
])
def test_every_status_has_a_next_step_in_plain_words(status, words, finished):
    step = status_next_step(status)
    assert words in step.text and step.finished is finished and step.due is None
    assert bool(step.still_possible) is finished


def test_a_withdrawn_report_is_not_offered_to_write_any_more():
    assert "write" not in status_next_step(Status.WITHDRAWN).still_possible


def test_the_highest_app_that_answers_wins():
    orders = [order for order, _provider in NEXT_STEP_PROVIDERS]
    assert orders == sorted(orders, reverse=True) and len(orders) == 3  # followup, cases, reports
    names = [provider.__module__ for _order, provider in NEXT_STEP_PROVIDERS]
    assert names == ["followup.apps", "cases.apps", "reports.next_step"]


@pytest.mark.django_db
def test_below_the_apps_that_have_nothing_to_say_reports_answers(places, offices, rules, staff_beltim):
    from cases.tests.conftest import file_report
    from reports.services import report_change_status, report_withdraw
    from rules.models import Election

    report = file_report(places["manggar"], Election.objects.get(pk="pilkada-2024"))
    report_change_status(report=report, actor=staff_beltim, to_status="in_review")
    report = report_withdraw(report=report, reason="Salah lapor.")
    assert next_step_for(report) == status_next_step(Status.WITHDRAWN)
    assert isinstance(next_step_for(report), NextStep)
