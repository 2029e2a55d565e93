from django.core.management.base import BaseCommand

from cases.notifications import deadlines_notify


class Command(BaseCommand):
    help = "Notify Bawaslu staff of cases due soon or overdue (run daily; running twice sends nothing twice)."

    def handle(self, *args, **options):
        self.stdout.write(f"{deadlines_notify()} notifications sent.")
