from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("organizations", "0003_agency_authority_code_and_more"),
    ]

    operations = [
        migrations.AddField(
            model_name="bawasluoffice",
            name="identity_reveal_needs_approval",
            field=models.BooleanField(
                default=True,
                help_text="A staff member asks with a reason and the office's leadership (or a higher office's) "
                          "approves before the identity is shown. Every request, decision and look is recorded.",
                verbose_name="opening a reporter's identity needs a second person's approval",
            ),
        ),
    ]
