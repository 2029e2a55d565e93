"""What happens next on a report, from registration to the decision (issue 18).

``next_step`` is the rule (pure): from the report's status, its case's status and outcome and
the clock that runs (cases/deadlines.py), what the reporter reads under the headline of the
tracking page. ``report_next_step`` loads those facts for one report in a fixed number of
queries and is registered with reports (cases/apps.py, reports/extensions.py); followup,
above cases, answers for a case forwarded to the civil-service authority.
"""

from dataclasses import dataclass, replace
from datetime import date

from django.utils.translation import gettext as _

from cases import states
from cases.deadlines import case_next_deadline, report_next_deadline
from cases.models import Case, CaseReport
from reports.extensions import NextStep
from reports.models import ClockPause
from reports.next_step import status_next_step, still_possible
from reports.states import Status as ReportStatus
from rules.selectors import DeadlineRuleNotFound

MERGE_HOPS = 5  # a merged case points at the case it joined; chains are short, this bounds them


@dataclass(frozen=True)
class Clock:
    """The running limit, as the deadline engine gives it (rules.selectors.DeadlineAnswer has these)."""

    due: date
    citation: str
    verified: bool = True


def _with_clock(step: NextStep, clock) -> NextStep:
    if clock is None:
        return step
    return replace(step, due=clock.due, citation=clock.citation, verified=clock.verified)


def next_step(*, report_status: str, case_status: str = "", outcome: str = "", clock=None) -> NextStep | None:
    """The next step for the reporter; None leaves the answer to reports (its statuses alone)."""
    if not case_status:
        if report_status in (ReportStatus.RECEIVED, ReportStatus.IN_REVIEW, ReportStatus.NEEDS_COMPLETION):
            return _with_clock(status_next_step(report_status), clock)
        return None
    if case_status in states.OPEN:
        return _with_clock(NextStep(_("Bawaslu studies your report (it may hear the people involved and assess the "
                                      "evidence) and decides whether a violation took place")), clock)
    if case_status != states.Status.DECIDED:
        return None
    if outcome == states.Outcome.FORWARDED_AUTHORITY:
        # followup answers with the authority's limit when it tracks the forwarding.
        return NextStep(_("Bawaslu forwarded the case to the civil-service authority, which recommends a sanction to "
                          "the superior official (PPK) of the reported person"))
    if outcome == states.Outcome.FORWARDED_GAKKUMDU:
        text = _("The handling in Netral is finished: Bawaslu forwarded the case to Sentra Gakkumdu (Bawaslu, police "
                 "and prosecutors), which handles suspected election crimes")
    elif outcome == states.Outcome.FORWARDED_OTHER:
        text = _("The handling in Netral is finished: Bawaslu forwarded the case to another competent body, which "
                 "handles it")
    else:  # not a violation, not followed up
        text = _("The handling of your report is finished: Bawaslu decided and announced the outcome")
    return NextStep(text, finished=True, still_possible=still_possible())


def case_for_report(report) -> Case | None:
    """The case a report belongs to, following merges; kept on the report for the providers above."""
    if not hasattr(report, "_next_step_case"):
        link = CaseReport.objects.filter(report=report).select_related("case__election").first()
        case = link.case if link else None
        for _hop in range(MERGE_HOPS):  # a merged case's report follows the case it joined
            if case is None or case.merged_into_id is None:
                break
            case = Case.objects.select_related("election").get(pk=case.merged_into_id)
        report._next_step_case = case
    return report._next_step_case


def report_next_step(report) -> NextStep | None:
    """The provider cases registers (cases/apps.py)."""
    case = case_for_report(report)
    clock = None
    if case is None:
        if report.status in (ReportStatus.RECEIVED, ReportStatus.IN_REVIEW, ReportStatus.NEEDS_COMPLETION):
            pauses = list(ClockPause.objects.filter(report=report).order_by("started_on", "id"))
            try:
                clock = report_next_deadline(report, pauses)
            except DeadlineRuleNotFound:  # the regime sets no clock for this step
                clock = None
        return next_step(report_status=report.status, clock=clock)
    if case.status in states.OPEN:
        try:
            clock = case_next_deadline(case)
        except DeadlineRuleNotFound:
            clock = None
    return next_step(report_status=report.status, case_status=case.status, outcome=case.outcome, clock=clock)
