# Issue 20: the staff list's order (followup.selectors.recommendation_list_for) and the compliance
# dashboard's period of issue (followup.dashboard, live), served by indexes.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('followup', '0006_recommendation_public_register_index'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='recommendation',
            index=models.Index(fields=['-is_open', 'due_on', '-id'], name='rec_staff_list_order'),
        ),
        migrations.AddIndex(
            model_name='recommendation',
            index=models.Index(fields=['stage', 'issued_on'], name='rec_stage_issued_period'),
        ),
    ]
