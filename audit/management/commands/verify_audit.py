from django.core.management.base import BaseCommand, CommandError

from audit.models import AuditEntry
from audit.selectors import audit_chain_first_broken


class Command(BaseCommand):
    help = "Verify the audit log's hash chain and name the first broken entry."

    def handle(self, *args, **options):
        broken = audit_chain_first_broken()
        if broken is not None:
            raise CommandError(f"Audit chain broken at entry {broken.pk} ({broken.action}, {broken.created_at:%Y-%m-%d %H:%M:%S}).")
        self.stdout.write(f"Audit chain intact: {AuditEntry.objects.count()} entries.")
