from django.conf import settings
from django.core.management.base import BaseCommand

from intake.services import conversations_abandoned_purge


class Command(BaseCommand):
    help = ("Discard the WhatsApp, Telegram and SMS conversations silent for NETRAL_INTAKE_ABANDON_HOURS (24 by "
            "default), with their answers and staged files (run daily; running twice discards nothing twice).")

    def handle(self, *args, **options):
        count = conversations_abandoned_purge()
        self.stdout.write(f"Discarded {count} conversations silent for {settings.NETRAL_INTAKE_ABANDON_AFTER}.")
