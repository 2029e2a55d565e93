"""What happens next on a report, as far as reports knows it: by its status, without dates (pure).

The apps above add the clocks and the later stages (reports/extensions.py: cases, then
followup); this is the answer when none of them has one. The words are for the reporter.
"""

from django.utils.translation import gettext as _

from reports.extensions import NextStep
from reports.states import Status


def still_possible(*, can_write: bool = True) -> str:
    """What a reporter can still do once the handling is over."""
    if can_write:
        return _("You can still read the outcome and the history here, and write to the staff below if you have a "
                 "question. Keep your code.")
    return _("You can still read the history here. Keep your code.")


def status_next_step(status: str) -> NextStep | None:
    """The next step of a report in ``status``, before any case or clock is known."""
    if status in (Status.RECEIVED, Status.IN_REVIEW):
        return NextStep(_("Bawaslu checks whether your report meets the formal and material requirements and "
                          "decides whether to register it"))
    if status == Status.NEEDS_COMPLETION:
        return NextStep(_("Complete your report as the staff's message below asks; Bawaslu then checks it again"))
    if status == Status.REGISTERED:
        return NextStep(_("Bawaslu studies your report and decides whether a violation took place"))
    if status == Status.INFORMATION:
        return NextStep(_("Bawaslu decides whether to follow up your information as its own finding"))
    if status == Status.NOT_REGISTERED:
        return NextStep(_("The handling of your report is finished: it could not be registered (the reason is in "
                          "the history below)"), finished=True, still_possible=still_possible())
    if status == Status.WITHDRAWN:
        return NextStep(_("The handling of your report is finished: you withdrew it"), finished=True,
                        still_possible=still_possible(can_write=False))
    return None


def report_next_step(report) -> NextStep | None:
    """The provider reports registers for itself (reports/apps.py), the lowest in order."""
    return status_next_step(report.status)
