"""``manage.py load_offices``: the Bawaslu offices and regional governments of the loaded regions.

Run after ``load_regions`` (``make country`` runs both). Idempotent: what exists is kept.
"""

from django.core.management.base import BaseCommand, CommandError

from organizations.services import organizations_load_country
from regions.models import Region


class Command(BaseCommand):
    help = "Create Bawaslu RI, the province and regency/city offices and the regional governments (agencies)."

    def handle(self, *args, **options):
        if not Region.objects.filter(code="ID").exists():
            raise CommandError("No regions yet: run manage.py load_regions first.")
        counts = organizations_load_country()
        self.stdout.write(
            f"Bawaslu offices: {counts['offices_created']} created, {counts['offices_existing']} already there; "
            f"regional governments: {counts['agencies_created']} created, {counts['agencies_existing']} already there."
        )
