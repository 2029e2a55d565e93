from datetime import timedelta

from django.core.management.base import BaseCommand

from reports.services import evidence_orphans_purge, staged_files_purge


class Command(BaseCommand):
    help = ("Remove evidence files staged for report forms that were never sent, and evidence files that "
            "no record names (left by a killed web process), older than --hours (run daily).")

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=int, default=24, help="Age after which a staged file goes (default 24).")

    def handle(self, *args, hours, **options):
        count = staged_files_purge(older_than=timedelta(hours=hours))
        self.stdout.write(f"Removed {count} staged files older than {hours} hours.")
        orphans = evidence_orphans_purge(older_than=timedelta(hours=hours))
        self.stdout.write(f"Removed {orphans} evidence files without a record, older than {hours} hours.")
