"""Issue 18 item 9: the signatory copied into each letter, its verification token, the officials."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("letters", "0003_letter_issuers_filled_in"),
        ("organizations", "0005_office_logo"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="letter",
            name="signatory_name",
            field=models.CharField(blank=True, max_length=150, verbose_name="signatory"),
        ),
        migrations.AddField(
            model_name="letter",
            name="signatory_position",
            field=models.CharField(blank=True, max_length=200, verbose_name="signatory's position"),
        ),
        migrations.AddField(
            model_name="letter",
            name="signatory_nip",
            field=models.CharField(blank=True, max_length=30, verbose_name="signatory's NIP"),
        ),
        # Null first: 0005 gives each existing letter its own token, 0006 makes it required.
        migrations.AddField(
            model_name="letter",
            name="verify_token",
            field=models.CharField(editable=False, max_length=40, null=True),
        ),
        migrations.CreateModel(
            name="Official",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("role", models.CharField(choices=[("head", "Head (Ketua / Kepala)"),
                                                   ("acting", "Acting head (Plh. / Plt.)")],
                                          default="head", max_length=10, verbose_name="role")),
                ("name", models.CharField(max_length=150, verbose_name="name")),
                ("nip", models.CharField(blank=True, help_text="Only if the official is a civil servant; leave empty otherwise.",
                                         max_length=30, verbose_name="NIP")),
                ("position", models.CharField(help_text="As the signature block writes it, e.g. Ketua Bawaslu Kabupaten Bangka.",
                                              max_length=200, verbose_name="position")),
                ("valid_from", models.DateField(verbose_name="in office from")),
                ("valid_until", models.DateField(blank=True, help_text="The last day in office; empty while in office.",
                                                 null=True, verbose_name="in office until")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("agency", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                             related_name="officials", to="organizations.agency",
                                             verbose_name="agency")),
                ("created_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                                 related_name="+", to=settings.AUTH_USER_MODEL)),
                ("office", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                             related_name="officials", to="organizations.bawasluoffice",
                                             verbose_name="Bawaslu office")),
            ],
            options={
                "verbose_name": "letter signatory",
                "verbose_name_plural": "letter signatories",
                "ordering": ["-valid_from", "role", "id"],
                "indexes": [models.Index(fields=["office", "role", "valid_from"], name="official_office_role_from"),
                            models.Index(fields=["agency", "role", "valid_from"], name="official_agency_role_from")],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(models.Q(("agency__isnull", True), ("office__isnull", False)),
                                           models.Q(("agency__isnull", False), ("office__isnull", True)),
                                           _connector="OR"),
                        name="official_one_issuer"),
                    models.CheckConstraint(
                        condition=models.Q(("valid_until__isnull", True),
                                           ("valid_until__gte", models.F("valid_from")), _connector="OR"),
                        name="official_period_forward"),
                ],
            },
        ),
    ]
