"""A decision letter's SHA-256 becomes the hash of the copy that is stored (metadata stripped),
as decision_record now records it, so that verify_integrity can check the file. Audit entries
written before keep the hash of the upload as sent."""

import hashlib

from django.db import migrations


def hash_stored_copies(apps, schema_editor):
    Decision = apps.get_model("followup", "Decision")
    for decision in Decision.objects.exclude(file="").only("pk", "file", "sha256").iterator():
        try:
            with decision.file.open("rb") as handle:
                digest = hashlib.sha256(handle.read()).hexdigest()
        except FileNotFoundError:
            continue  # a missing file is verify_integrity's to report
        if digest != decision.sha256:
            Decision.objects.filter(pk=decision.pk).update(sha256=digest)


class Migration(migrations.Migration):
    dependencies = [("followup", "0001_initial")]

    operations = [migrations.RunPython(hash_stored_copies, migrations.RunPython.noop)]
