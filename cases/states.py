"""The life of a case (pure): statuses, outcomes, and who may move it where."""

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
