"""``manage.py load_regions``: apply an edition of the official region codes (Kemendagri).

    manage.py load_regions                                  # idn-area-data@4.0.1, every level
    manage.py load_regions --levels province,regency        # without districts and villages
    manage.py load_regions --path /some/folder              # a later edition, not shipped yet

Idempotent: a second run changes nothing and prints the counts. A later edition is applied as
a difference (regions.services.regions_apply_edition): new codes, renamed ones, retired ones.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from regions.editions import (
    DEFAULT_EDITION,
    LEVEL_NAMES,
    EditionError,
    edition_path,
    parse_levels,
    read_edition,
)
from regions.services import regions_apply_edition


class Command(BaseCommand):
    help = "Load or update the administrative regions of Indonesia from an edition of the Kemendagri codes."

    def add_arguments(self, parser):
        parser.add_argument(
            "--edition",
            default=DEFAULT_EDITION,
            help=f"An edition shipped in regions/data (default {DEFAULT_EDITION}).",
        )
        parser.add_argument(
            "--path", help="The folder of an edition (edition.yaml and the CSV files) instead."
        )
        parser.add_argument(
            "--levels",
            default=",".join(LEVEL_NAMES),
            help=f"Which levels, from province down (default: all, i.e. {','.join(LEVEL_NAMES)}).",
        )

    def handle(self, *args, edition=DEFAULT_EDITION, path=None, levels="", **options):
        started = time.monotonic()
        try:
            wanted = parse_levels(levels)
            data = read_edition(path or edition_path(edition), wanted)
            counts = regions_apply_edition(edition=data, levels=wanted)
        except EditionError as error:
            raise CommandError(str(error)) from None
        for level in wanted:
            line = ", ".join(f"{key} {value}" for key, value in counts[level].items())
            self.stdout.write(f"{level}: {line}")
        if counts["replaced"]["set"]:
            self.stdout.write(f"replaced by: {counts['replaced']['set']} set")
        self.stdout.write(f"Edition {data.name} applied in {time.monotonic() - started:.1f} s.")
