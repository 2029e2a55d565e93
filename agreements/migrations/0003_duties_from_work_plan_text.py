"""Every duty written in a work-plan row's JSON lists becomes a Duty record, its text kept as written."""

from django.db import migrations


def duties_from_text(apps, schema_editor):
    WorkPlanItem = apps.get_model("agreements", "WorkPlanItem")
    Party = apps.get_model("agreements", "Party")
    Duty = apps.get_model("agreements", "Duty")
    parties = {(party.agreement_id, party.position): party for party in Party.objects.all()}
    duties = []
    for item in WorkPlanItem.objects.all().iterator():
        for position, texts in ((1, item.duties_first), (2, item.duties_second)):
            party = parties.get((item.agreement_id, position))
            if party is None:
                continue
            for order, text in enumerate(texts or [], start=1):
                duties.append(Duty(item=item, party=party, order=order, text=text, period_start=item.starts_on,
                                   period_end=item.ends_on))
    Duty.objects.bulk_create(duties, batch_size=500)


def text_from_duties(apps, schema_editor):
    WorkPlanItem = apps.get_model("agreements", "WorkPlanItem")
    Duty = apps.get_model("agreements", "Duty")
    for item in WorkPlanItem.objects.all().iterator():
        duties = Duty.objects.filter(item=item).select_related("party").order_by("party__position", "order")
        item.duties_first = [duty.text for duty in duties if duty.party.position == 1]
        item.duties_second = [duty.text for duty in duties if duty.party.position == 2]
        item.save(update_fields=["duties_first", "duties_second"])


class Migration(migrations.Migration):
    dependencies = [("agreements", "0002_duties_costs_dissemination")]

    operations = [migrations.RunPython(duties_from_text, text_from_duties)]
