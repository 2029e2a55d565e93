from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("organizations", "0004_office_identity_reveal_needs_approval"),
    ]

    operations = [
        migrations.AddField(
            model_name="bawasluoffice",
            name="logo",
            field=models.FileField(blank=True, upload_to="offices/logos/", verbose_name="logo"),
        ),
        migrations.AddField(
            model_name="bawasluoffice",
            name="logo_sha256",
            field=models.CharField(blank=True, max_length=64),
        ),
    ]
