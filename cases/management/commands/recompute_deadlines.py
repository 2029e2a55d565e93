from django.core.management.base import BaseCommand
from django.db import transaction

from audit.services import audit_record
from cases import states
from cases.deadlines import case_next_deadline
from cases.models import Case


class Command(BaseCommand):
    help = ("Recompute every open case's next deadline after the holiday data changed (a case keeps its pinned "
            "deadline rules: a corrected deadline entry is applied by apply_rule_corrections).")

    @transaction.atomic
    def handle(self, *args, **options):
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
        self.stdout.write(f"{changed} deadlines changed.")
