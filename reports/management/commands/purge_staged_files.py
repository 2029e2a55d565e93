from datetime import timedelta

from django.core.management.base import BaseCommand

from reports.services import staged_files_purge


class Command(BaseCommand):
    help = "Remove evidence files staged for report forms that were never sent (run daily)."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=int, default=24, help="Age after which a staged file goes (default 24).")

    def handle(self, *args, hours, **options):
        count = staged_files_purge(older_than=timedelta(hours=hours))
        self.stdout.write(f"Removed {count} staged files older than {hours} hours.")
