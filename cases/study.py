"""Reads for the study form: what the reporter chose and what the facts say (cases.provisions).

A case gets its reporter's choice from the reports it holds: a registered report, or the
anonymous submission a finding came from. A finding of the staff's own has none.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from cases import provisions
from cases.models import Case
from reports.models import Report, ReportLink
from rules.models import Violation


@dataclass(frozen=True)
class StudyContext:
    """The reporter's suspected acts (catalog order) and the facts of one case."""

    reporter_choice: list[Violation]
    has_reports: bool
    facts: provisions.Facts

    def reporter_provisions(self) -> list[provisions.Provision]:
        return provisions_of(self.reporter_choice)

    def mismatches(self, chosen: Iterable[Violation]) -> list[provisions.Mismatch]:
        return provisions.mismatches(provisions_of(chosen), reporter=self.reporter_provisions(), facts=self.facts)


def provisions_of(violations: Iterable[Violation]) -> list[provisions.Provision]:
    """Stored acts as the rule sees them; the category is on the row's data since load_rules stored it."""
    return [provisions.Provision(id=v.pk, title=v.title, category=(v.data or {}).get("category", ""))
            for v in violations]


def study_context(case: Case) -> StudyContext:
    """Three queries: the reports' acts, their descriptions, their links."""
    reports = Report.objects.filter(case_link__case=case)
    descriptions = list(reports.values_list("description", flat=True))
    choice = list(Violation.objects.filter(reports__case_link__case=case).distinct().order_by("position", "id"))
    links = tuple(ReportLink.objects.filter(report__case_link__case=case).values_list("url", flat=True))
    return StudyContext(reporter_choice=choice, has_reports=bool(descriptions),
                        facts=provisions.Facts(texts=(case.summary, *descriptions), links=links))
