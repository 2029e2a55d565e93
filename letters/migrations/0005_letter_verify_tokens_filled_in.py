"""Issue 18 item 9: each letter issued before has its own verification token.

A migration of its own: on PostgreSQL the rows it updates must not share a transaction
with the schema changes of 0004 and 0006.
"""

import secrets

from django.db import migrations


def fill_tokens(apps, schema_editor):
    Letter = apps.get_model("letters", "Letter")
    for pk in Letter.objects.filter(verify_token__isnull=True).values_list("pk", flat=True).iterator():
        Letter.objects.filter(pk=pk).update(verify_token=secrets.token_urlsafe(16))


class Migration(migrations.Migration):

    dependencies = [
        ("letters", "0004_letter_signatory_official"),
    ]

    operations = [migrations.RunPython(fill_tokens, migrations.RunPython.noop)]
