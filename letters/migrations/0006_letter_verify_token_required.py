from django.db import migrations, models

import letters.models


class Migration(migrations.Migration):

    dependencies = [
        ("letters", "0005_letter_verify_tokens_filled_in"),
    ]

    operations = [
        migrations.AlterField(
            model_name="letter",
            name="verify_token",
            field=models.CharField(default=letters.models.new_verify_token, editable=False, max_length=40,
                                   unique=True),
        ),
    ]
