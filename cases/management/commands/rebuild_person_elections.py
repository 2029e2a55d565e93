from django.core.management.base import BaseCommand

from cases.person_elections import person_elections_rebuild


class Command(BaseCommand):
    help = ("Rebuild the repeat offenders' stored figures (cases.models.PersonElection: the person keys reported "
            "in two or more elections) from the reported persons. Idempotent; writes keep them current, so run it "
            "nightly as a check, after refresh_person_keys, or after rows were loaded past the models.")

    def handle(self, *args, **options):
        rows = person_elections_rebuild()
        self.stdout.write(f"{rows} rows of repeat offenders' figures stored.")
