from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from ops.backup import KEYS_NOTE, BackupError, backup_restore


class Command(BaseCommand):
    help = ("Restore a backup written by `manage.py backup` into the configured database and storages, "
            "which must be new and empty (or --force). The manifest's checksums are verified before "
            "anything is touched; verify_integrity runs afterwards.")

    def add_arguments(self, parser):
        parser.add_argument("backup", type=Path, help="the netral-<time> directory of one backup")
        parser.add_argument("--force", action="store_true",
                            help="overwrite a database and storages that already hold data")

    def handle(self, *args, backup, force, **options):
        self.stdout.write(KEYS_NOTE)
        try:
            manifest = backup_restore(backup, force=force, log=self.stdout.write)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Restored the backup of {manifest['created']} (Netral "
                          f"{manifest.get('netral_revision') or 'revision unknown'}). Verifying integrity:")
        call_command("verify_integrity", stdout=self.stdout._out, stderr=self.stderr._out)
