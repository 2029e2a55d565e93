"""How long a reporter's identity is kept: erased NETRAL_REPORTER_RETENTION_DAYS after the
handling of the report ended (`manage.py purge_reporter_identities`, daily).

"Ended" means (docs/operations.md, "Reporter identity purge"):

- the report belongs to a case that is decided (cases.states: DECIDED is final; the
  clock runs from ``decided_at``). A merged case has handed its reports to the case it
  was merged into, so that case's decision counts. An open case keeps the identity, however
  old: the reporter may still be heard in the study;
- or the report never became a case and reached a final status of its own: not
  registered, or withdrawn by the reporter (the clock runs from that status change). An
  anonymous submission taken as initial information has no identity to erase.

Reports still received, in review or waiting for completion keep the identity until staff
close them. The follow-up of recommendations (PPK decisions) holds nothing of the reporter
and does not hold the clock.

The period is installation policy: the domain notes set no retention period for a
reporter's identity (docs/operations.md says how the default was chosen).
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from cases.states import Status as CaseStatus
from reports.models import Report
from reports.services import report_purge_identity
from reports.states import Status as ReportStatus

RULE_CASE_DECIDED = "case_decided"
RULE_CLOSED_WITHOUT_CASE = "closed_without_case"
CLOSED_WITHOUT_CASE = frozenset({ReportStatus.NOT_REGISTERED, ReportStatus.WITHDRAWN})


@dataclass
class PurgeResult:
    cutoff: datetime
    purged: dict[str, int] = field(default_factory=lambda: {RULE_CASE_DECIDED: 0, RULE_CLOSED_WITHOUT_CASE: 0})

    @property
    def total(self) -> int:
        return sum(self.purged.values())


def _with_identity() -> QuerySet:
    return Report.objects.filter(anonymous=False, identity_purged_at__isnull=True)


def identities_due(*, cutoff: datetime) -> dict[str, QuerySet]:
    """Per rule, the reports whose identity must be erased, with the moment their handling ended."""
    return {
        RULE_CASE_DECIDED: _with_identity()
        .filter(case_link__case__status=CaseStatus.DECIDED, case_link__case__decided_at__lt=cutoff)
        .values_list("pk", "case_link__case__decided_at"),
        RULE_CLOSED_WITHOUT_CASE: _with_identity()
        .filter(case_link__isnull=True, status__in=CLOSED_WITHOUT_CASE, status_changed_at__lt=cutoff)
        .values_list("pk", "status_changed_at"),
    }


def reporter_identities_purge(*, now: datetime | None = None, days: int | None = None) -> PurgeResult:
    """Erase every identity whose retention period is over; each report in its own transaction."""
    days = settings.NETRAL_REPORTER_RETENTION_DAYS if days is None else days
    result = PurgeResult(cutoff=(now or timezone.now()) - timedelta(days=days))
    due = identities_due(cutoff=result.cutoff)
    for rule, rows in due.items():
        for pk, ended_at in list(rows):
            with transaction.atomic():
                # The rule again, under the report's lock: what changed since the list was read wins.
                # (Only the row is locked here; the service reads and decrypts it once.)
                Report.objects.select_for_update().filter(pk=pk).values_list("pk").first()
                if not due[rule].filter(pk=pk).exists():
                    continue
                if report_purge_identity(report=Report(pk=pk), rule=rule, closed_on=timezone.localdate(ended_at)):
                    result.purged[rule] += 1
    return result
