from django.core.management.base import BaseCommand

from exports.services import export_jobs_purge


class Command(BaseCommand):
    help = ("Delete the exports past their expiry (NETRAL_EXPORT_LIFE_HOURS, 24 by default) with their files, "
            "and files of exports/ that no export names, older than a day (run daily).")

    def handle(self, *args, **options):
        count = export_jobs_purge()
        self.stdout.write(f"Removed {count} expired exports.")
