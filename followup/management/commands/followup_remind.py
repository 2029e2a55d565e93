from django.core.management.base import BaseCommand

from followup.services import reminders_send


class Command(BaseCommand):
    help = "Send today's reminders for overdue recommendations and escalate the ignored ones (run daily)."

    def handle(self, *args, **options):
        counts = reminders_send()
        self.stdout.write(f"{counts['reminders']} reminder(s), {counts['escalations']} escalation(s).")
