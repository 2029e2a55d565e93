"""Issue 15, step 4: the issuer of the letters written before the move, from what issued them.

The follow-up's letters from their recommendation's issuer (an office, or the civil-service
authority's agency), every other letter from its case's office. A migration of its own: on
PostgreSQL the rows it updates must not share a transaction with 0002's new indexes.
"""

from django.db import migrations

FOLLOWUP_KINDS = ("recommendation-ppk", "followup-reminder", "followup-escalation")


def fill_issuers(apps, schema_editor):
    Letter = apps.get_model("letters", "Letter")
    CaseLetter = apps.get_model("cases", "CaseLetter")
    Recommendation = apps.get_model("followup", "Recommendation")
    Reminder = apps.get_model("followup", "Reminder")
    for letter_id, office_id in CaseLetter.objects.values_list("letter_id", "case__office_id").iterator():
        Letter.objects.filter(pk=letter_id).update(office_id=office_id)
    issuers = {}
    for letter_id, office_id, agency_id in (Recommendation.objects.filter(letter__isnull=False)
                                           .values_list("letter_id", "issuer_office_id", "issuer_agency_id")):
        issuers[letter_id] = (office_id, agency_id)
    for letter_id, office_id, agency_id in (Reminder.objects.filter(letter__isnull=False)
                                           .values_list("letter_id", "recommendation__issuer_office_id",
                                                        "recommendation__issuer_agency_id")):
        issuers[letter_id] = (office_id, agency_id)
    for letter_id, (office_id, agency_id) in issuers.items():
        Letter.objects.filter(pk=letter_id, kind__in=FOLLOWUP_KINDS).update(
            office_id=None if agency_id else office_id, agency_id=agency_id)


class Migration(migrations.Migration):

    dependencies = [
        ("letters", "0002_letter_table_issuer_language"),
        ("cases", "0007_case_letters_linked_by_caseletter"),
        ("followup", "0003_letter_moved_to_letters_app"),
    ]

    operations = [migrations.RunPython(fill_issuers, migrations.RunPython.noop)]
