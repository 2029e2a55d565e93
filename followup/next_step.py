"""What happens next on a report whose case was forwarded to the civil-service authority (issue 18).

``next_step`` is the rule (pure): from the forwarding (stage authority) and the authority's
recommendations to the PPKs (stage ppk), who acts next and by when, with the limit and the
citation each recommendation keeps (followup/limits.py, rules/data/followup_limits.yaml).
Never the reported person, their agency or a sanction: the reporter reads who acts, not about
whom. ``report_next_step`` loads the recommendations of the report's case in one query and is
registered with reports (followup/apps.py), above cases.
"""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from cases.next_step import case_for_report
from followup.models import Recommendation
from reports.extensions import NextStep
from reports.next_step import still_possible

Status = Recommendation.Status


@dataclass(frozen=True)
class Tracked:
    """A recommendation as the rule needs it: its status and its limit."""

    status: str
    due: date
    citation: str
    verified: bool = True

    @property
    def open(self) -> bool:
        return self.status in Recommendation.OPEN


def next_step(*, forwarding: Tracked | None, to_ppk: list[Tracked], authority: str) -> NextStep | None:
    """None when nothing was forwarded to the authority (the case's answer stands)."""
    if forwarding is None:
        return None
    if forwarding.open:
        return NextStep(_("%(authority)s decides on a sanction to recommend to the superior official (PPK) of the "
                          "reported person") % {"authority": authority},
                        due=forwarding.due, citation=forwarding.citation, verified=forwarding.verified)
    waiting = sorted((rec for rec in to_ppk if rec.open), key=lambda rec: rec.due)
    if waiting:
        first = waiting[0]  # several reported persons: the earliest limit still running
        return NextStep(_("The superior official (PPK) of the reported person decides on the sanction that "
                          "%(authority)s recommended") % {"authority": authority},
                        due=first.due, citation=first.citation, verified=first.verified)
    if to_ppk:
        return NextStep(_("The follow-up is finished: the superior official (PPK) decided on the recommendation. "
                          "Decisions are published in the follow-up register on this site"),
                        finished=True, still_possible=still_possible())
    return NextStep(_("The follow-up in Netral is finished: %(authority)s answered Bawaslu's forwarding") % {
        "authority": authority}, finished=True, still_possible=still_possible())


def _tracked(recommendation: Recommendation) -> Tracked:
    return Tracked(status=recommendation.status, due=recommendation.due_on, citation=recommendation.limit_citation,
                   verified=recommendation.limit_verified)


def report_next_step(report) -> NextStep | None:
    """The provider followup registers (followup/apps.py)."""
    case = case_for_report(report)
    if case is None:
        return None
    recommendations = list(Recommendation.objects.filter(case=case).select_related("addressee")
                           .only("stage", "status", "due_on", "limit_citation", "limit_verified", "case_id",
                                 "addressee__name"))
    forwarding = next((rec for rec in recommendations if rec.stage == Recommendation.Stage.AUTHORITY), None)
    if forwarding is None:
        return None
    return next_step(forwarding=_tracked(forwarding), authority=forwarding.addressee.name,
                     to_ppk=[_tracked(rec) for rec in recommendations if rec.stage == Recommendation.Stage.PPK])
