from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cases.retention import reporter_identities_purge


class Command(BaseCommand):
    help = ("Erase the identity of reporters whose report was closed more than NETRAL_REPORTER_RETENTION_DAYS "
            "days ago (run daily). See cases/retention.py.")

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None,
                            help=f"override the retention period (default {settings.NETRAL_REPORTER_RETENTION_DAYS})")

    def handle(self, *args, days, **options):
        if days is not None and days < 1:
            raise CommandError("--days must be at least 1: the erasure cannot be undone.")
        result = reporter_identities_purge(days=days)
        self.stdout.write(f"Reporter identities erased: {result.total} (closed before {result.cutoff:%Y-%m-%d %H:%M %Z}; "
                          + ", ".join(f"{rule}: {count}" for rule, count in result.purged.items()) + ").")
