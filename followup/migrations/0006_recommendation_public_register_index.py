# Issue 20: the public register's order (followup.public.register_queryset), served by an index.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('followup', '0005_recommendation_number_index'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='recommendation',
            index=models.Index(condition=models.Q(('stage', 'ppk')), fields=['-issued_on', '-id'],
                               name='rec_ppk_published_order'),
        ),
    ]
