# Issue 20: the repeat offenders' stored figures (cases.person_elections), built from the existing
# rows; and the index of one status by next deadline (the landing page's "awaiting approval").

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from cases.person_elections import person_elections_rebuild


def rebuild(apps, schema_editor):
    """The figures of every existing row (the same function as `manage.py rebuild_person_elections`,
    on the historical models)."""
    person_elections_rebuild(case_person_model=apps.get_model("cases", "CasePerson"),
                             figure_model=apps.get_model("cases", "PersonElection"))


def analyze(apps, schema_editor):
    """Fresh statistics on PostgreSQL, so that the planner uses the new indexes at once."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ANALYZE cases_personelection")
        schema_editor.execute("ANALYZE cases_case")


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0009_case_person_key'),
        ('letters', '0006_letter_verify_token_required'),
        ('organizations', '0005_office_logo'),
        ('regions', '0002_editions'),
        ('rules', '0004_law_as_dated_data'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='PersonElection',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('person_key', models.CharField(max_length=353)),
                ('persons', models.PositiveIntegerField()),
                ('name_key', models.CharField(max_length=150)),
            ],
        ),
        migrations.AddIndex(
            model_name='case',
            index=models.Index(fields=['office', 'status', 'due_on', '-registered_on', '-id'], name='case_office_status_due'),
        ),
        migrations.AddField(
            model_name='personelection',
            name='election',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='rules.election'),
        ),
        migrations.AddField(
            model_name='personelection',
            name='office',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='organizations.bawasluoffice'),
        ),
        migrations.AddIndex(
            model_name='personelection',
            index=models.Index(fields=['office', 'person_key', 'election', 'name_key'], name='person_election_office'),
        ),
        migrations.AddConstraint(
            model_name='personelection',
            constraint=models.UniqueConstraint(fields=('person_key', 'election', 'office'), name='person_election_once'),
        ),
        migrations.RunPython(rebuild, migrations.RunPython.noop, elidable=True),
        migrations.RunPython(analyze, migrations.RunPython.noop, elidable=True),
    ]
