"""The stored name key of a reported person (CasePerson.name_key, issue 20): set on every write path."""

import importlib
from datetime import date

import pytest
from django.apps import apps as global_apps

from cases.models import Case, CasePerson
from cases.person_key import name_key


@pytest.mark.parametrize(("name", "key"), [
    ("Dr. H. Rudi  Hartono, S.E.", "rudi hartono"),
    ("JOKO SUSILO, M.Si.", "joko susilo"),
    ("Drs. Joko Susilo", "joko susilo"),
    ("Siti-Aminah", "siti aminah"),
    ("", ""),
])
def test_the_key_is_the_folded_plain_name(name, key):
    assert name_key(name) == key


def _case(offices, places, election, user, number):
    return Case.objects.create(
        number=number, kind=Case.Kind.REPORT, office=offices["beltim"], region=places["manggar"], election=election,
        status=Case.Status.REGISTERED, summary="ASN ikut kampanye.", place="Manggar", known_on=date(2024, 11, 11),
        registered_on=date(2024, 11, 11), registered_by=user, due_on=date(2024, 11, 20))


@pytest.mark.django_db
def test_save_and_bulk_create_set_the_key(offices, places, election, staff_beltim):
    case = _case(offices, places, election, staff_beltim, "001/LP/PL/Kab/19.06/XI/2024")
    saved = CasePerson.objects.create(case=case, name="Dr. Rudi Hartono, S.E.", unit="Dinkes")
    bulk = CasePerson.objects.bulk_create([CasePerson(case=case, name="Hj. Siti Aminah")])
    assert CasePerson.objects.get(pk=saved.pk).name_key == "rudi hartono"
    assert CasePerson.objects.get(pk=bulk[0].pk).name_key == "siti aminah"
    saved.name = "Budi Santoso"
    saved.save(update_fields=["name"])  # the key follows the name even when only the name is saved
    assert CasePerson.objects.get(pk=saved.pk).name_key == "budi santoso"


@pytest.mark.django_db
def test_the_migration_fills_the_key_of_existing_rows(offices, places, election, staff_beltim):
    case = _case(offices, places, election, staff_beltim, "002/LP/PL/Kab/19.06/XI/2024")
    people = CasePerson.objects.bulk_create([CasePerson(case=case, name=f"Drs. Orang Ke {n}") for n in range(5)])
    CasePerson.objects.filter(case=case).update(name_key="")  # as before the migration
    migration = importlib.import_module("cases.migrations.0008_case_person_name_key")
    migration.BATCH = 2  # several batches
    migration.backfill(global_apps, None)
    assert [p.name_key for p in CasePerson.objects.filter(case=case)] == [f"orang ke {n}" for n in range(5)]
    assert len(people) == 5
