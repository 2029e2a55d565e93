from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat

from ops.backup import KEYS_NOTE, BackupError, backup_create


class Command(BaseCommand):
    help = ("Write one timestamped backup (database dump, every stored file, manifest with SHA-256) into "
            "DIRECTORY. The encryption keys and SECRET_KEY are not included: back them up separately.")

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)

    def handle(self, *args, directory, **options):
        try:
            result = backup_create(directory)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Backup written to {result.path}: database and {result.files} files "
                          f"({filesizeformat(result.bytes)}).")
        self.stdout.write(KEYS_NOTE)
