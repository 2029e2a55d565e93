from django.core.management.base import BaseCommand

from followup.tallies import tallies_rebuild


class Command(BaseCommand):
    help = ("Recompute the compliance dashboard's precomputed figures from the recommendations "
            "(idempotent: after a bulk load, or nightly).")

    def handle(self, *args, **options):
        counts = tallies_rebuild()
        self.stdout.write(f"{counts['compliance']} key(s), {counts['sanctions']} sanction row(s), "
                          f"{counts['days']} day row(s).")
