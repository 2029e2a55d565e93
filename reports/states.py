"""The life of a report before it becomes a case: statuses and allowed moves (pure)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    IN_REVIEW = "in_review", _("Being checked")
    NEEDS_COMPLETION = "needs_completion", _("Waiting for the reporter to complete it")
    REGISTERED = "registered", _("Registered")
    NOT_REGISTERED = "not_registered", _("Not registered")
    INFORMATION = "information", _("Taken as initial information")
    WITHDRAWN = "withdrawn", _("Withdrawn by the reporter")


# What the reporter reads on the tracking page, in plain words.
PUBLIC_EXPLANATION = {
    Status.RECEIVED: _("Your report has arrived. Bawaslu staff will check it soon."),
    Status.IN_REVIEW: _("Bawaslu staff are checking whether your report meets the formal and material requirements."),
    Status.NEEDS_COMPLETION: _("Something is missing. Read the message from the staff and add it before the time limit."),
    Status.REGISTERED: _("Your report was registered and is being studied."),
    Status.NOT_REGISTERED: _("Your report could not be registered. The reason is given below."),
    Status.INFORMATION: _("Your anonymous submission is treated as initial information that Bawaslu may follow up as its own finding."),
    Status.WITHDRAWN: _("You withdrew this report."),
}

# Issue 19: an event outside every election's supervised stages, sent as information.
OUTSIDE_STAGES_EXPLANATION = _("Your submission is kept as information: the event lies outside the supervised "
                               "stages of every election, so it is not handled as a report of an election violation.")


def public_explanation(report) -> str:
    """What the tracking page (and the partner API) says of a report's status."""
    if report.status == Status.INFORMATION and report.outside_stages:
        return OUTSIDE_STAGES_EXPLANATION
    return PUBLIC_EXPLANATION[report.status]


FINAL = frozenset({Status.REGISTERED, Status.NOT_REGISTERED, Status.INFORMATION, Status.WITHDRAWN})

STAFF_TRANSITIONS: dict[str, frozenset[str]] = {
    Status.RECEIVED: frozenset({Status.IN_REVIEW}),
    Status.IN_REVIEW: frozenset({Status.NEEDS_COMPLETION, Status.REGISTERED, Status.NOT_REGISTERED, Status.INFORMATION}),
    Status.NEEDS_COMPLETION: frozenset({Status.IN_REVIEW, Status.NOT_REGISTERED}),
}

# A report may be withdrawn only before registration (domain notes, step 3).
REPORTER_WITHDRAWABLE = frozenset({Status.RECEIVED, Status.IN_REVIEW, Status.NEEDS_COMPLETION})

# Moves made with the generic status form; registration, completion requests and findings
# go through case handling (the cases app), which checks the requirements first.
MANUAL_TARGETS = frozenset({Status.IN_REVIEW, Status.NOT_REGISTERED})

# Moves that must tell the reporter why.
NEEDS_PUBLIC_NOTE = frozenset({Status.NEEDS_COMPLETION, Status.NOT_REGISTERED})


class TransitionError(ValueError):
    pass


def staff_can_move(current: str, target: str, *, anonymous: bool) -> bool:
    if target == Status.REGISTERED and anonymous:
        # An anonymous submission is not a formal report (domain notes, step 1).
        return False
    if target == Status.INFORMATION and not anonymous:
        return False
    return target in STAFF_TRANSITIONS.get(current, frozenset())


def staff_targets(current: str, *, anonymous: bool) -> list[str]:
    return [s for s in Status if staff_can_move(current, s, anonymous=anonymous)]


def require_staff_move(current: str, target: str, *, anonymous: bool) -> None:
    if not staff_can_move(current, target, anonymous=anonymous):
        raise TransitionError(
            _("A report that is “%(current)s” cannot become “%(target)s”.")
            % {"current": Status(current).label, "target": Status(target).label}
        )
