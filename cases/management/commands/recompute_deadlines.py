from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from audit.services import audit_record
from cases import states
from cases.deadlines import case_next_deadline
from cases.models import Case
from reports.models import Report
from reports.selectors import RUNNING, report_deadlines_compute
from rules.selectors import holiday_calendar

# Reports are locked and written this many at a time, each batch in its own transaction: a
# national installation holds hundreds of thousands, and staff keep working while it runs.
BATCH = 1000


class Command(BaseCommand):
    help = ("Recompute every open case's next deadline after the holiday data changed (a case keeps its pinned "
            "deadline rules: a corrected deadline entry is applied by apply_rule_corrections), and the stored "
            "next deadline of every report whose clock runs (Report.next_due_on, the inbox's order; issue 20). "
            "Idempotent: run it daily and after every calendar correction.")

    def handle(self, *args, **options):
        changed = self._cases()
        self.stdout.write(f"{changed} deadlines changed.")
        changed = self._reports()
        self.stdout.write(f"{changed} report deadlines changed.")

    @transaction.atomic
    def _cases(self) -> int:
        changed = 0
        for case in Case.objects.filter(status__in=states.OPEN).select_related("election").select_for_update():
            answer = case_next_deadline(case)
            due, step = (answer.due, answer.step) if answer else (None, "")
            if (case.due_on, case.due_step) != (due, step):
                case.due_on, case.due_step = due, step
                case.save(update_fields=["due_on", "due_step", "updated_at"])
                changed += 1
        if changed:
            audit_record(actor=None, action="cases.deadlines_recomputed", target="cases:deadlines",
                         data={"changed": changed})
        return changed

    def _reports(self) -> int:
        """The reports whose clock runs, and any other still carrying a date, in batches by id. The
        calendar is assembled once; each batch locks its rows and writes only the dates that moved,
        with one audit entry in the same transaction when any moved."""
        today, calendar = timezone.localdate(), holiday_calendar()
        pending = Report.objects.filter(Q(status__in=RUNNING) | Q(next_due_on__isnull=False))
        changed, last = 0, 0
        while True:
            with transaction.atomic():
                batch = list(pending.filter(pk__gt=last).order_by("pk").select_related("election")
                             .select_for_update(of=("self",))
                             .only("pk", "status", "created_at", "next_due_on", "election__regime")[:BATCH])
                if not batch:
                    break
                last = batch[-1].pk
                dues = report_deadlines_compute(batch, today=today, calendar=calendar)
                moved = [report for report in batch if report.next_due_on != dues[report.pk]]
                for report in moved:
                    report.next_due_on = dues[report.pk]
                if moved:
                    Report.objects.bulk_update(moved, ["next_due_on"])
                    audit_record(actor=None, action="reports.deadlines_recomputed", target="reports:deadlines",
                                 data={"changed": len(moved), "reports": [report.pk for report in moved]})
                changed += len(moved)
        return changed
