from django.core.management.base import BaseCommand

from followup.public_figures import public_figures_rebuild


class Command(BaseCommand):
    help = ("Recompute the public statistics' stored figures from the reports, cases and recommendations "
            "(idempotent: nightly, and after a bulk load).")

    def handle(self, *args, **options):
        state, rows = public_figures_rebuild(audit=True)
        self.stdout.write(f"{len(rows)} figure row(s), counted on {state.computed_on.isoformat()}.")
