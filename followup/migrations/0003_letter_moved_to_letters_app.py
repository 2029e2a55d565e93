"""Issue 15: the letters of recommendations and reminders are letters.Letter (was cases.Letter).

State only: the table is the same (letters/migrations/0001 moved the model without moving
its rows), so the foreign keys already point to it. It must run before cases/0007 removes
cases.Letter from the state, hence a migration here.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("followup", "0002_decision_sha256_of_stored_copy"),
        ("letters", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="recommendation",
                    name="letter",
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                            related_name="+", to="letters.letter"),
                ),
                migrations.AlterField(
                    model_name="reminder",
                    name="letter",
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                            related_name="+", to="letters.letter"),
                ),
            ],
            database_operations=[],
        ),
    ]
