"""Issue 15, step 1 of 4: the letters app takes over cases.Letter and the letters' number sequences.

The model moves without touching its table: the state says letters.Letter lives in
cases_letter (the rows stay where they are). The case link still sits on the table;
cases/migrations/0007 moves it to cases.CaseLetter, and 0002 here renames the table and
adds the issuer and the language.

The running numbers of letters were rows of reports.NumberSequence with the scopes
``letter:<office pk>`` and ``letter:agency:<agency pk>``; they move to LetterSequence as
``office:<pk>`` and ``agency:<pk>`` with their last number, so the next letter continues
the year's count and no number is given twice.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

OLD_PREFIX = "letter:"


def sequences_here(apps, schema_editor):
    NumberSequence = apps.get_model("reports", "NumberSequence")
    LetterSequence = apps.get_model("letters", "LetterSequence")
    old = NumberSequence.objects.filter(scope__startswith=OLD_PREFIX)
    for row in old.iterator():
        rest = row.scope[len(OLD_PREFIX):]
        issuer = rest if rest.startswith("agency:") else f"office:{rest}"
        LetterSequence.objects.create(issuer=issuer, year=row.year, last=row.last)
    old.delete()


def sequences_back(apps, schema_editor):
    NumberSequence = apps.get_model("reports", "NumberSequence")
    LetterSequence = apps.get_model("letters", "LetterSequence")
    for row in LetterSequence.objects.iterator():
        kind, _colon, pk = row.issuer.partition(":")
        scope = f"{OLD_PREFIX}agency:{pk}" if kind == "agency" else f"{OLD_PREFIX}{pk}"
        NumberSequence.objects.update_or_create(scope=scope, year=row.year, defaults={"last": row.last})


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("cases", "0006_case_pinned_rules"),
        ("reports", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Letter",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                                   verbose_name="ID")),
                        ("kind", models.CharField(max_length=40)),
                        ("number", models.CharField(max_length=80, unique=True, verbose_name="letter number")),
                        ("addressee", models.CharField(max_length=200, verbose_name="addressee")),
                        ("file", models.FileField(upload_to="letters/")),
                        ("sha256", models.CharField(max_length=64)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("created_by", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT,
                                                         related_name="+", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={"ordering": ["created_at", "id"], "db_table": "cases_letter"},
                ),
            ],
            database_operations=[],
        ),
        migrations.CreateModel(
            name="LetterSequence",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("issuer", models.CharField(max_length=40)),
                ("year", models.PositiveSmallIntegerField()),
                ("last", models.PositiveIntegerField(default=0)),
            ],
            options={
                "constraints": [models.UniqueConstraint(fields=("issuer", "year"), name="letter_sequence_once")],
            },
        ),
        migrations.RunPython(sequences_here, sequences_back),
    ]
