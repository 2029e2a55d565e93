from datetime import timedelta

from django.db import migrations, models


def classify_existing(apps, schema_editor):
    """Entries that kept the status were announcements or handovers: a handover has its Handover row."""
    StatusChange = apps.get_model("reports", "StatusChange")
    Handover = apps.get_model("reports", "Handover")
    for change in StatusChange.objects.exclude(from_status="").filter(from_status=models.F("to_status")).iterator():
        near = Handover.objects.filter(report_id=change.report_id, created_at__gte=change.created_at - timedelta(seconds=5),
                                       created_at__lte=change.created_at + timedelta(seconds=5))
        change.kind = "handover" if near.exists() else "announcement"
        change.save(update_fields=["kind"])


class Migration(migrations.Migration):
    dependencies = [("reports", "0007_report_channel")]

    operations = [
        migrations.AddField(model_name="statuschange", name="kind",
                            field=models.CharField(choices=[("status", "Status changed"), ("announcement", "Outcome announced"),
                                                            ("handover", "Handed over")], default="status", max_length=20)),
        migrations.AddField(model_name="statuschange", name="headline", field=models.CharField(blank=True, max_length=200)),
        migrations.RunPython(classify_existing, migrations.RunPython.noop),
    ]
