from django.core.management.base import BaseCommand, CommandError

from ops.integrity import integrity_check


class Command(BaseCommand):
    help = ("Verify the audit chain and every stored file (evidence, letters, documents, photos, register "
            "files) against the SHA-256 recorded in the database. Exits non-zero on any problem.")

    def handle(self, *args, **options):
        report = integrity_check(on_problem=lambda problem: self.stderr.write(str(problem)))
        if report.audit_broken_at:
            self.stderr.write(f"Audit chain broken: {report.audit_broken_at}.")
        else:
            self.stdout.write(f"Audit chain intact: {report.audit_entries} entries.")
        for kind, count in report.files.items():
            self.stdout.write(f"{kind}: {count} checked")
        if not report.ok:
            raise CommandError(f"Integrity check failed: {len(report.problems)} file problem(s)"
                               + (", audit chain broken" if report.audit_broken_at else "") + ".")
        self.stdout.write(f"All {sum(report.files.values())} files match their records.")
