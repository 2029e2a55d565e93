from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand

from reports.services import evidence_orphans_purge, staged_files_purge


class Command(BaseCommand):
    help = ("Remove evidence files staged for report forms that were never sent (older than NETRAL_STAGING_LIFE, "
            "2 hours by default, or --hours if shorter), and evidence files that no record names (left by a "
            "killed web process), older than --hours (run daily).")

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=int, default=24,
                            help="Age after which a file without a record goes (default 24).")

    def handle(self, *args, hours, **options):
        # Staged files have a short life of their own (issue 16); every new staging purges too.
        staged_age = min(timedelta(hours=hours), settings.NETRAL_STAGING_LIFE)
        count = staged_files_purge(older_than=staged_age)
        self.stdout.write(f"Removed {count} staged files older than {staged_age}.")
        orphans = evidence_orphans_purge(older_than=timedelta(hours=hours))
        self.stdout.write(f"Removed {orphans} evidence files without a record, older than {hours} hours.")
