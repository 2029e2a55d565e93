"""The stored person key of a reported person (CasePerson.person_key, issue 20): who the person is for
the repeat offenders, kept by save() and bulk_create(), refreshed by a command and the migration."""

import importlib
from datetime import date
from io import StringIO

import pytest
from django.apps import apps as global_apps
from django.core.management import call_command

from cases.models import Case, CasePerson
from cases.person_key import entry_key, rekey_entries

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(offices, places, election, staff_beltim):
    return Case.objects.create(
        number="001/LP/PL/Kab/19.06/XI/2024", kind=Case.Kind.REPORT, office=offices["beltim"], region=places["manggar"],
        election=election, status=Case.Status.REGISTERED, summary="ASN ikut kampanye.", place="Manggar",
        known_on=date(2024, 11, 11), registered_on=date(2024, 11, 11), registered_by=staff_beltim,
        due_on=date(2024, 11, 20))


@pytest.fixture
def rudi(agencies):
    from registry.factories import EmployeeFactory

    return EmployeeFactory(agency=agencies["beltim"], unit=agencies["camat_manggar"], name="Drs. Rudi Hartono, M.Si.")


def _key(pk):
    return CasePerson.objects.values_list("person_key", flat=True).get(pk=pk)


def test_save_sets_the_key_of_a_registered_and_of_a_typed_person(case, rudi):
    registered = CasePerson.objects.create(case=case, employee=rudi, name=rudi.name)
    typed = CasePerson.objects.create(case=case, name="RUDI HARTONO", unit="kecamatan manggar.")
    other = CasePerson.objects.create(case=case, name="Rudi Hartono", unit="Dinas Pendidikan")
    nobody = CasePerson.objects.create(case=case, name="Rudi Hartono")
    assert [_key(p.pk) for p in (registered, typed, other, nobody)] == [
        entry_key(rudi.pk), entry_key(rudi.pk), "n:rudi hartono|dinas pendidikan", ""]


def test_a_registered_person_saved_later_takes_over_the_typed_ones(case, rudi):
    typed = CasePerson.objects.bulk_create([CasePerson(case=case, name="Rudi Hartono", unit=rudi.agency.name)])[0]
    assert _key(typed.pk) == "n:rudi hartono|pemerintah kabupaten belitung timur"
    CasePerson.objects.bulk_create([CasePerson(case=case, employee=rudi, name=rudi.name)])
    assert _key(typed.pk) == entry_key(rudi.pk)


def test_a_save_of_other_fields_leaves_the_keys_alone(case, rudi, django_assert_num_queries):
    person = CasePerson.objects.create(case=case, name="Rudi Hartono", unit="Dinkes")
    person.subject = "pns"
    with django_assert_num_queries(1):
        person.save(update_fields=["subject"])
    person.unit = "Kecamatan Manggar"
    person.save(update_fields=["unit"])  # the key follows the unit, resolved through the register entry
    CasePerson.objects.create(case=case, employee=rudi, name=rudi.name)
    assert _key(person.pk) == entry_key(rudi.pk)


def test_the_refresh_catches_up_with_a_register_import_and_is_idempotent(case, rudi, agencies):
    from organizations.models import Unit

    CasePerson.objects.create(case=case, employee=rudi, name=rudi.name)
    typed = CasePerson.objects.create(case=case, name="Rudi Hartono", unit="Dinas Pendidikan")
    assert _key(typed.pk) == "n:rudi hartono|dinas pendidikan"
    # The register import moves the entry (registry cannot call cases): the typed key is stale.
    education = Unit.objects.create(agency=agencies["beltim"], name="Dinas Pendidikan")
    type(rudi).objects.filter(pk=rudi.pk).update(unit=education)
    assert _key(typed.pk) == "n:rudi hartono|dinas pendidikan"
    out = StringIO()
    call_command("refresh_person_keys", "--batch", "1", stdout=out)
    assert out.getvalue().startswith("1 ") and _key(typed.pk) == entry_key(rudi.pk)
    call_command("refresh_person_keys", stdout=out)
    assert out.getvalue().splitlines()[-1].startswith("0 ")
    from audit.models import AuditEntry  # the run that changed a key left a trace, the idle one none

    assert list(AuditEntry.objects.filter(action="cases.person_keys_refreshed").values_list("data", flat=True)) == [
        {"changed": 1}]


def test_the_hook_after_an_import_rekeys_the_names_of_the_entries(case, rudi, agencies):
    from organizations.models import Unit

    CasePerson.objects.create(case=case, employee=rudi, name=rudi.name)
    typed = CasePerson.objects.create(case=case, name="Rudi Hartono", unit="Dinas Pendidikan")
    type(rudi).objects.filter(pk=rudi.pk).update(
        unit=Unit.objects.create(agency=agencies["beltim"], name="Dinas Pendidikan"))
    assert rekey_entries(CasePerson, [rudi.pk]) == 1
    assert _key(typed.pk) == entry_key(rudi.pk)
    assert rekey_entries(CasePerson, [rudi.pk]) == 0


def test_the_migration_fills_the_key_of_existing_rows(case, rudi):
    people = CasePerson.objects.bulk_create(
        [CasePerson(case=case, name=f"Drs. Orang Ke {n}", unit="Dinkes") for n in range(5)]
        + [CasePerson(case=case, name=rudi.name, employee=rudi), CasePerson(case=case, name="Rudi", unit="")])
    CasePerson.objects.filter(case=case).update(person_key="")  # as before the migration
    migration = importlib.import_module("cases.migrations.0009_case_person_key")
    migration.BATCH = 2  # several batches
    migration.backfill(global_apps, None)
    assert [_key(p.pk) for p in people] == [f"n:orang ke {n}|dinkes" for n in range(5)] + [entry_key(rudi.pk), ""]
