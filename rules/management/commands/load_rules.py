from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from rules.catalog import CatalogError
from rules.services import rules_load


class Command(BaseCommand):
    help = "Validate the rule data files (rules/data/*.yaml) and store them as the current rule set."

    def add_arguments(self, parser):
        parser.add_argument("--data-dir", type=Path, default=None,
                            help="Folder with the YAML files (default: rules/data/).")

    def handle(self, *args, data_dir=None, verbosity=1, **options):
        try:
            ruleset = rules_load(data_dir=data_dir)
        except CatalogError as error:
            raise CommandError(str(error)) from error
        if verbosity >= 1:
            summary = ruleset.load_summary
            outcome = (
                f"{'new' if summary.ruleset_created else 'known'} version, {summary.created} created, "
                f"{summary.updated} updated, {summary.deactivated} deactivated"
                if summary.changed else "unchanged"
            )
            self.stdout.write(
                f"Rules {ruleset.version[:12]}: {summary.violations} prohibited acts, "
                f"{summary.elections} elections ({outcome})."
            )
