# The period index of 0009 declared as netral.indexes.CoveringIndex: the same index in the database
# (INCLUDE on PostgreSQL, the plain index on SQLite, as before), without models.W040 on SQLite.
# Only the migration state changes.

from django.db import migrations

import netral.indexes


class Migration(migrations.Migration):

    dependencies = [
        ('followup', '0009_recommendation_stored_days'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveIndex(
                    model_name='recommendation',
                    name='rec_stage_issued_period',
                ),
                migrations.AddIndex(
                    model_name='recommendation',
                    index=netral.indexes.CoveringIndex(
                        covering=('id', 'addressee', 'is_open', 'closed_on', 'due_on', 'case',
                                  'days_report_to_registration', 'days_registration_to_recommendation'),
                        fields=['stage', 'issued_on'], name='rec_stage_issued_period'),
                ),
            ],
            database_operations=[],
        ),
    ]
