"""Which legal clock applies to a report or a case right now, through the rules' engine."""

from django.utils import timezone

from cases import states
from cases.requirements import FindingTimeLimit, ReportFacts
from rules.catalog import (
    STEP_COMPLETION,
    STEP_FINDING,
    STEP_INITIAL_STUDY,
    STEP_REPORT,
    STEP_STUDY,
    STEP_STUDY_EXTENDED,
    DeadlineRule,
)
from rules.selectors import DeadlineAnswer, DeadlineRuleNotFound, deadline_compute, deadline_rule

# The steps whose clock starts at registration: their rules are pinned on the case.
CASE_STEPS = (STEP_STUDY, STEP_STUDY_EXTENDED)


def pin_rules(case) -> dict:
    """The rules in force on the registration day, as the case keeps them (Case.pinned_rules)."""
    pinned = {}
    for step in CASE_STEPS:
        try:
            pinned[step] = deadline_rule(case.election.regime, step, case.registered_on).as_dict()
        except DeadlineRuleNotFound:
            continue
    return pinned


def case_next_deadline(case) -> DeadlineAnswer | None:
    """The study deadline of an open case (extended when more information was needed).

    Counted with the rule the case's clock started under (pinned at registration), so that
    a change of the data does not move the deadline of an open case.
    """
    if case.status not in states.OPEN:
        return None
    step = STEP_STUDY_EXTENDED if case.extended else STEP_STUDY
    pinned = (case.pinned_rules or {}).get(step)
    rule = DeadlineRule.from_dict(pinned) if pinned else None
    return deadline_compute(case.election.regime, step, case.registered_on, rule=rule)


def report_deadline_to_file(report) -> DeadlineAnswer:
    """The last day on which the event could still be reported (from when it became known)."""
    return deadline_compute(report.election.regime, STEP_REPORT, report.known_on)


def finding_time_limit(*, regime: str, found_on, registered_on) -> FindingTimeLimit:
    """The time limit to set a finding discovered on ``found_on`` (deadlines.yaml, step ``finding``)."""
    answer = deadline_compute(regime, STEP_FINDING, found_on)
    return FindingTimeLimit(found_on=found_on, registered_on=registered_on, due=answer.due,
                            citation=answer.citation, explanation=answer.rule_explanation)


def report_next_deadline(report, pauses=()) -> DeadlineAnswer | None:
    """The clock of a report not yet registered: the initial study, or the completion window."""
    from reports.states import Status

    if report.status == Status.NEEDS_COMPLETION and pauses:
        return deadline_compute(report.election.regime, STEP_COMPLETION, pauses[-1].started_on)
    if report.status in (Status.RECEIVED, Status.IN_REVIEW):
        today = timezone.localdate()
        try:
            return deadline_compute(report.election.regime, STEP_INITIAL_STUDY,
                                    timezone.localdate(report.created_at), [p.as_pair(today) for p in pauses])
        except DeadlineRuleNotFound:
            return None  # the regime sets no clock for this step
    return None


def report_facts(report, *, evidence_count: int, links_count: int, persons_count: int) -> ReportFacts:
    identity = report.reporter or {}
    return ReportFacts(
        anonymous=report.anonymous,
        has_name_and_address=bool(identity.get("name") and identity.get("address")),
        has_nik=bool(identity.get("nik")),
        has_reported_party=persons_count > 0,
        place=report.place,
        occurred_on=report.occurred_on,
        description=report.description,
        evidence_count=evidence_count,
        links_count=links_count,
        filed_on=timezone.localdate(report.created_at),
        report_due=report_deadline_to_file(report).due,
    )
