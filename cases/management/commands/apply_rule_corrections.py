"""Apply a correction of a deadline entry to the open cases, saying what changed."""

from django.core.management.base import BaseCommand

from cases.services import cases_apply_rule_corrections


class Command(BaseCommand):
    help = ("Open cases keep the deadline rules their clock started under. After correcting a wrong entry of "
            "rules/data/deadlines.yaml (same id) and running load_rules, apply the correction to the open "
            "cases and print each case, the fields that changed and its old and new deadline.")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Say what would change; change nothing.")

    def handle(self, *args, dry_run=False, **options):
        changes = cases_apply_rule_corrections(dry_run=dry_run)
        for row in changes:
            steps = "; ".join(f"{step}: {', '.join(fields)}" for step, fields in row["steps"].items())
            self.stdout.write(f"{row['case']}: {steps}; deadline {row['old_due']} -> {row['new_due']}")
        verb = "would change" if dry_run else "changed"
        self.stdout.write(f"{len(changes)} open case(s) {verb}.")
