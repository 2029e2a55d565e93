"""Issue 15, step 2: a case's letters are letters.Letter, linked to the case by cases.CaseLetter.

One CaseLetter row per existing letter, from the case column of the letter table; then the
column goes and cases.Letter leaves the cases state (letters/migrations/0001 holds it now).
The clarification's invitation points to letters.Letter: the same table, so state only.
Backwards, every letter must have a case again.
"""

import django.db.models.deletion
from django.db import migrations, models


def links_to_caseletter(apps, schema_editor):
    Letter = apps.get_model("cases", "Letter")  # the old model: it still has the case column
    CaseLetter = apps.get_model("cases", "CaseLetter")
    links = [CaseLetter(case_id=case_id, letter_id=letter_id)
             for letter_id, case_id in Letter.objects.order_by("pk").values_list("pk", "case_id").iterator()]
    CaseLetter.objects.bulk_create(links, batch_size=500)


def links_back(apps, schema_editor):
    Letter = apps.get_model("cases", "Letter")
    CaseLetter = apps.get_model("cases", "CaseLetter")
    for case_id, letter_id in CaseLetter.objects.values_list("case_id", "letter_id").iterator():
        Letter.objects.filter(pk=letter_id).update(case_id=case_id)
    orphans = Letter.objects.filter(case__isnull=True).count()
    if orphans:
        raise RuntimeError(f"{orphans} letter(s) belong to no case: cases.Letter cannot hold them")


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0006_case_pinned_rules"),
        ("letters", "0001_initial"),
        ("followup", "0003_letter_moved_to_letters_app"),
    ]

    operations = [
        migrations.CreateModel(
            name="CaseLetter",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("case", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="letter_links",
                                           to="cases.case")),
                ("letter", models.OneToOneField(on_delete=django.db.models.deletion.PROTECT,
                                                related_name="case_link", to="letters.letter")),
            ],
            options={"ordering": ["id"]},
        ),
        migrations.AlterField(
            model_name="letter",
            name="case",
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name="letters",
                                    to="cases.case"),
        ),
        migrations.RunPython(links_to_caseletter, links_back),
        migrations.RemoveField(model_name="letter", name="case"),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="clarification",
                    name="invitation",
                    field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                               related_name="clarification", to="letters.letter",
                                               verbose_name="invitation letter"),
                ),
                migrations.DeleteModel(name="Letter"),
                # No column: the links are the CaseLetter rows.
                migrations.AddField(
                    model_name="case",
                    name="letters",
                    field=models.ManyToManyField(blank=True, related_name="+", through="cases.CaseLetter",
                                                 to="letters.letter"),
                ),
            ],
            database_operations=[],
        ),
    ]
