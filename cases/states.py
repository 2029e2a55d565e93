"""The life of a case (pure): statuses, outcomes, who may move it where, and what its page offers."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    IN_STUDY = "in_study", _("Being studied")
    AWAITING_APPROVAL = "awaiting_approval", _("Awaiting the leadership's approval")
    DECIDED = "decided", _("Decided")
    MERGED = "merged", _("Merged into another case")


class Outcome(models.TextChoices):
    NOT_VIOLATION = "not_violation", _("Not a violation")
    NOT_FOLLOWED_UP = "not_followed_up", _("Not followed up")
    FORWARDED_AUTHORITY = "forwarded_authority", _("Forwarded to the civil-service authority")
    FORWARDED_GAKKUMDU = "forwarded_gakkumdu", _("Forwarded to Sentra Gakkumdu")
    FORWARDED_OTHER = "forwarded_other", _("Forwarded to another body")


OPEN = frozenset({Status.REGISTERED, Status.IN_STUDY, Status.AWAITING_APPROVAL})

# Moves and the action that makes each; the services check the role.
TRANSITIONS: dict[tuple[str, str], str] = {
    (Status.REGISTERED, Status.IN_STUDY): "start_study",
    (Status.IN_STUDY, Status.AWAITING_APPROVAL): "propose",
    (Status.AWAITING_APPROVAL, Status.IN_STUDY): "return",
    (Status.AWAITING_APPROVAL, Status.DECIDED): "approve",
    (Status.REGISTERED, Status.MERGED): "merge",
    (Status.IN_STUDY, Status.MERGED): "merge",
}

# Outcomes that need a named reason or addressee.
NEEDS_REASON = frozenset({Outcome.NOT_FOLLOWED_UP, Outcome.NOT_VIOLATION})
NEEDS_ADDRESSEE = frozenset({Outcome.FORWARDED_OTHER})
NEEDS_PROVISIONS = frozenset({Outcome.FORWARDED_AUTHORITY, Outcome.FORWARDED_GAKKUMDU})


class TransitionError(ValueError):
    pass


def can_move(current: str, target: str) -> bool:
    return (current, target) in TRANSITIONS


def require_move(current: str, target: str) -> None:
    if not can_move(current, target):
        raise TransitionError(
            _("A case that is “%(current)s” cannot become “%(target)s”.")
            % {"current": Status(current).label, "target": Status(target).label}
        )


# --- What the case page offers in each status ------------------------------------------------
# The view asks these and hands the answers to the template; who may do each action (a role,
# the leadership) is the services' and the view's question, not the status's.

# While a case is registered or being studied its study is open: clarifications, evidence
# assessments, an extension of the study (services._require_study).
STUDY_OPEN = frozenset({Status.REGISTERED, Status.IN_STUDY})
# The study's own steps, offered while it is open (the moves are the actions of TRANSITIONS).
STUDY_STEPS = frozenset({"extend_study", "schedule_clarification", "record_minutes", "assess_evidence"})
# The study section of the case page: the form that proposes an outcome while the case is
# studied, the study as proposed or decided afterwards; none before the study or once merged.
STUDY_SECTION = {
    Status.IN_STUDY: "proposal",
    Status.AWAITING_APPROVAL: "summary",
    Status.DECIDED: "summary",
}


def actions_allowed(status: str) -> frozenset[str]:
    """The actions a case in ``status`` allows: its moves and, while its study is open, the study's steps."""
    moves = {action for (current, _target), action in TRANSITIONS.items() if current == status}
    if status in STUDY_OPEN:
        moves |= STUDY_STEPS
    return frozenset(moves)


def study_section(status: str) -> str:
    """Which study section the case page shows ("proposal", "summary"), or "" for none."""
    return STUDY_SECTION.get(status, "")
