from django.core.management.base import BaseCommand

from audit.services import audit_record
from cases.models import CasePerson
from cases.person_key import refresh_person_keys


class Command(BaseCommand):
    help = ("Recompute the stored keys of every reported person (CasePerson.name_key and person_key, "
            "cases.person_key) after register entries moved to another agency or unit other than by an "
            "import (which re-resolves them itself), units or agencies were renamed, or rows were changed "
            "outside save(). Idempotent, in batches; safe to run while the site is up.")

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=2000, help="rows a batch (default 2000)")

    def handle(self, *args, batch, verbosity, **options):
        def progress(last_pk, changed):
            if verbosity > 1:
                self.stdout.write(f"  up to id {last_pk}: {changed} changed")

        changed = refresh_person_keys(CasePerson, batch=max(1, batch), progress=progress)
        if changed:  # derived data, but a nightly change of who is grouped with whom is worth a trace
            audit_record(actor=None, action="cases.person_keys_refreshed", target="cases:person_keys",
                         data={"changed": changed})
        self.stdout.write(f"{changed} reported persons' keys changed.")
