# Who each reported person is for the repeat offenders (cases.person_key), indexed, so that the
# list groups them in the database (issue 20).

from django.db import migrations, models

from cases.person_key import refresh_person_keys

BATCH = 2000


def backfill(apps, schema_editor):
    """Every existing row's key, in batches of primary keys, whatever the table holds (the same
    function as `manage.py refresh_person_keys`, on the historical model)."""
    refresh_person_keys(apps.get_model("cases", "CasePerson"), batch=BATCH)


def analyze(apps, schema_editor):
    """Fresh statistics of the new column on PostgreSQL, so that the planner uses its index at once."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ANALYZE cases_caseperson")


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0008_case_person_name_key'),
        ('registry', '0006_employee_name_trigram_index'),
    ]

    operations = [
        migrations.AddField(
            model_name='caseperson',
            name='person_key',
            field=models.CharField(blank=True, editable=False, max_length=353),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name='caseperson',
            index=models.Index(fields=['person_key'], name='caseperson_person_key'),
        ),
        migrations.RunPython(analyze, migrations.RunPython.noop, elidable=True),
    ]
