"""Issue 15, step 3: the letter table becomes letters_letter and says who issued the letter.

The rename keeps every row and id; the foreign keys that point to it (a case's links, a
clarification's invitation, the follow-up's letters) follow it. The letters written before
were all rendered in Indonesian (the default); 0003 fills in their issuer. A letter issued
by the daily follow-up run has no person behind it: created_by may now be empty.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("letters", "0001_initial"),
        ("cases", "0007_case_letters_linked_by_caseletter"),
        ("organizations", "0004_office_identity_reveal_needs_approval"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelTable(name="letter", table=None),
        migrations.AddField(
            model_name="letter",
            name="office",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="letters_issued", to="organizations.bawasluoffice",
                                    verbose_name="Bawaslu office"),
        ),
        migrations.AddField(
            model_name="letter",
            name="agency",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="letters_issued", to="organizations.agency"),
        ),
        migrations.AddField(
            model_name="letter",
            name="language",
            field=models.CharField(default="id", max_length=5),
        ),
        migrations.AlterField(
            model_name="letter",
            name="created_by",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="+", to=settings.AUTH_USER_MODEL),
        ),
    ]
