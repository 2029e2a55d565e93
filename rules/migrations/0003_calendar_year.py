import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('rules', '0002_calendar_day'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='CalendarYear',
            fields=[
                ('year', models.PositiveSmallIntegerField(primary_key=True, serialize=False, verbose_name='year')),
                ('decree', models.CharField(help_text='The joint decree (SKB) on national holidays and collective leave of this year, with its number.', max_length=300, verbose_name='decree')),
                ('confirmed_at', models.DateTimeField(verbose_name='confirmed at')),
                ('confirmed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='confirmed by')),
            ],
            options={
                'verbose_name': 'confirmed calendar year',
                'verbose_name_plural': 'confirmed calendar years',
                'ordering': ['-year'],
            },
        ),
    ]
