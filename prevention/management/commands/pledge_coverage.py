from django.core.management.base import BaseCommand

from prevention.coverage import pledge_coverage_rebuild


class Command(BaseCommand):
    help = ("Recompute the pledges' stored coverage per unit and agency (what a province's and the country's "
            "staff pages read) from the register and the pledges (idempotent: nightly, and after a bulk load).")

    def handle(self, *args, **options):
        state, rows = pledge_coverage_rebuild(audit=True)
        self.stdout.write(f"{rows} coverage row(s), computed at {state.computed_at.isoformat()}.")
