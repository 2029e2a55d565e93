"""The stored person key of a reported person (CasePerson.person_key, issue 20): who the person is for
the repeat offenders, kept by save() and bulk_create(), refreshed by a command and the migration."""

import importlib
import random
from datetime import date
from io import StringIO

import pytest
from django.apps import apps as global_apps
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.apps import _rekey_entries
from cases.models import Case, CasePerson, PersonElection
from cases.person_elections import _live, _rows
from cases.person_key import ENTRY_FIELDS, entry_key, refresh_person_keys, rekey_entries
from registry import hooks as registry_hooks
from registry.hooks import EntryChangeHook, entry_change_register
from registry.models import Employee, ImportJob, ImportRow
from registry.nip import synthetic_nip
from registry.services.commit import import_commit_run
from registry.services.import_jobs import import_job_commit
from registry.services.preview import import_job_from_rows

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


def test_the_refresh_catches_up_with_an_entry_moved_past_the_import_and_is_idempotent(case, rudi, agencies):
    from organizations.models import Unit

    CasePerson.objects.create(case=case, employee=rudi, name=rudi.name)
    typed = CasePerson.objects.create(case=case, name="Rudi Hartono", unit="Dinas Pendidikan")
    assert _key(typed.pk) == "n:rudi hartono|dinas pendidikan"
    # The entry moved past the import (an edit in the admin, a queryset update): the typed key is stale.
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


# --- a register import re-resolves the keys of the entries it moved (registry.hooks) ------------------

RUDI = "197908212005011003"  # PNS, born 21 August 1979, male


def _import(actor, agency, rows):
    """A register import as the API sends it, through the registry's services: the preview, the commit
    asked for, then its task run (queued on commit, which a test's transaction never reaches)."""
    job = import_job_from_rows(actor=actor, agency=agency, rows=rows, partner="SIASN")
    import_job_commit(job=job, actor=actor, full_export=False)
    import_commit_run(job_id=job.pk)
    job.refresh_from_db()
    return job


def _rudi(unit):
    return {"nip": RUDI, "name": "Rudi Hartono", "kind": "PNS", "unit": unit}


def _snapshot():
    return sorted(PersonElection.objects.values_list("person_key", "election_id", "office_id", "persons",
                                                     "name_key"))


def _rebuilt():
    """What a whole rebuild (person_elections_rebuild) would store now, without storing it."""
    return sorted((row.person_key, row.election_id, row.office_id, row.persons, row.name_key)
                  for row in _rows(PersonElection, _live(CasePerson, None)))


@pytest.fixture
def moved(case, offices, places, pemilu, staff_beltim, pemda_beltim, agencies):
    """Rudi, registered by an import in Kecamatan Manggar, reported with his entry in a Pilkada case;
    typed with that unit in a Pemilu case (his entry's person: a repeat offender), and typed with the
    Dinas Pendidikan in the Pilkada case (another person, for now)."""
    from organizations.models import Unit

    Unit.objects.create(agency=agencies["beltim"], name="Dinas Pendidikan")
    job = _import(pemda_beltim, agencies["beltim"], [_rudi("Kecamatan Manggar")])
    assert job.state == ImportJob.State.COMMITTED
    rudi = Employee.objects.get(nip=RUDI)
    pemilu_case = Case.objects.create(
        number="001/LP/PL/Kab/19.06/II/2024", kind=Case.Kind.REPORT, office=offices["beltim"],
        region=places["manggar"], election=pemilu, status=Case.Status.REGISTERED,
        summary="ASN ikut kampanye.", place="Manggar", known_on=date(2024, 2, 5),
        registered_on=date(2024, 2, 5), registered_by=staff_beltim, due_on=date(2024, 2, 14))
    CasePerson.objects.create(case=case, employee=rudi, name="Rudi Hartono")
    manggar = CasePerson.objects.create(case=pemilu_case, name="RUDI HARTONO", unit="Kecamatan Manggar")
    education = CasePerson.objects.create(case=case, name="Rudi Hartono", unit="Dinas Pendidikan")
    assert [_key(manggar.pk), _key(education.pk)] == [entry_key(rudi.pk), "n:rudi hartono|dinas pendidikan"]
    assert _snapshot() == _rebuilt() and {key for key, *_rest in _snapshot()} == {entry_key(rudi.pk)}
    return {"rudi": rudi, "manggar": manggar, "education": education}


def test_the_cases_hook_is_registered_once_for_the_unit_and_the_agency():
    entry_change_register(_rekey_entries, fields=ENTRY_FIELDS)  # as a second ready() would
    assert [hook for hook in registry_hooks.ENTRY_CHANGE_HOOKS if hook.hook is _rekey_entries] == [
        EntryChangeHook(_rekey_entries, frozenset({"unit", "agency"}))]


def test_an_import_that_moves_an_entry_re_resolves_the_typed_persons_and_the_figures(
        moved, pemda_beltim, agencies):
    before = _snapshot()
    job = _import(pemda_beltim, agencies["beltim"], [_rudi("Dinas Pendidikan")])
    assert job.state == ImportJob.State.COMMITTED and job.rows_changed == 1
    # Rudi's entry is in the Dinas Pendidikan now: the person typed there is his, the one typed in
    # Kecamatan Manggar is someone else; Rudi is of the Pilkada only.
    assert _key(moved["manggar"].pk) == "n:rudi hartono|kecamatan manggar"
    assert _key(moved["education"].pk) == entry_key(moved["rudi"].pk)
    after = _snapshot()
    assert after != before and after == _rebuilt() == []
    assert refresh_person_keys(CasePerson) == 0  # nothing left for the nightly refresh


def test_without_the_hook_an_import_leaves_the_keys_stale(moved, pemda_beltim, agencies, monkeypatch):
    """The control: the test above fails if the commit does not call the hook."""
    monkeypatch.setattr(registry_hooks, "ENTRY_CHANGE_HOOKS", [])
    before = _snapshot()
    job = _import(pemda_beltim, agencies["beltim"], [_rudi("Dinas Pendidikan")])
    assert job.state == ImportJob.State.COMMITTED
    assert Employee.objects.get(nip=RUDI).unit.name == "Dinas Pendidikan"
    assert _key(moved["manggar"].pk) == entry_key(moved["rudi"].pk)
    assert _key(moved["education"].pk) == "n:rudi hartono|dinas pendidikan"
    assert _snapshot() == before
    assert refresh_person_keys(CasePerson) == 2 and _snapshot() == _rebuilt() == []


def test_a_failed_commit_changes_no_key(moved, pemda_beltim, agencies, monkeypatch):
    seen = []

    def failing(employee_ids):
        """A hook after the cases' one that fails: the whole commit is rolled back."""
        seen.append((_key(moved["manggar"].pk), _key(moved["education"].pk)))
        raise RuntimeError("a later step of the commit failed")

    monkeypatch.setattr(registry_hooks, "ENTRY_CHANGE_HOOKS", list(registry_hooks.ENTRY_CHANGE_HOOKS))
    entry_change_register(failing)
    before = _snapshot()
    job = _import(pemda_beltim, agencies["beltim"], [_rudi("Dinas Pendidikan")])
    assert job.state == ImportJob.State.FAILED and "a later step" in job.error
    # The keys were re-resolved in the commit's transaction, and rolled back with it.
    assert seen == [("n:rudi hartono|kecamatan manggar", entry_key(moved["rudi"].pk))]
    assert Employee.objects.get(nip=RUDI).unit.name == "Kecamatan Manggar"
    assert _key(moved["manggar"].pk) == entry_key(moved["rudi"].pk)
    assert _key(moved["education"].pk) == "n:rudi hartono|dinas pendidikan"
    assert _snapshot() == before == _rebuilt()


def test_the_hooks_queries_do_not_grow_with_the_changed_rows(moved, case, pemda_beltim, agencies,
                                                             monkeypatch):
    queries = []

    def counted(employee_ids):
        with CaptureQueriesContext(connection) as captured:
            _rekey_entries(employee_ids)
        queries.append(captured.captured_queries)

    monkeypatch.setattr(registry_hooks, "ENTRY_CHANGE_HOOKS", [])
    entry_change_register(counted, fields=ENTRY_FIELDS)
    beltim = agencies["beltim"]
    today = date(2024, 11, 12)
    others = [{"nip": synthetic_nip("pns", random.Random(n), gender="F", today=today, sequence=n),
               "name": f"Pegawai Ke {n}", "kind": "PNS", "unit": "Kecamatan Manggar"} for n in range(1, 31)]
    _import(pemda_beltim, beltim, [_rudi("Kecamatan Manggar"), *others])
    CasePerson.objects.bulk_create([CasePerson(case=case, employee=employee, name=employee.name)
                                    for employee in Employee.objects.exclude(nip=RUDI)])
    one = _import(pemda_beltim, beltim, [_rudi("Dinas Pendidikan"), *others])
    _import(pemda_beltim, beltim, [_rudi("Kecamatan Manggar"), *others])  # back again
    many = _import(pemda_beltim, beltim, [_rudi("Dinas Pendidikan"),
                                          *({**other, "unit": "Dinas Pendidikan"} for other in others)])
    assert (one.rows_changed, many.rows_changed) == (1, 31)
    assert len(queries) == 4 and len(queries[-1]) == len(queries[1])
    # The entries are read from the job's staged rows by a subquery, not sent as a list of ids.
    assert ImportRow._meta.db_table in queries[-1][0]["sql"]
    assert _key(moved["education"].pk) == entry_key(moved["rudi"].pk)
    assert _snapshot() == _rebuilt()


def test_rekey_entries_takes_a_queryset_of_ids_as_well_as_a_list(case, rudi, agencies):
    from organizations.models import Unit

    CasePerson.objects.create(case=case, employee=rudi, name=rudi.name)
    typed = CasePerson.objects.create(case=case, name="Rudi Hartono", unit="Dinas Pendidikan")
    type(rudi).objects.filter(pk=rudi.pk).update(
        unit=Unit.objects.create(agency=agencies["beltim"], name="Dinas Pendidikan"))
    assert rekey_entries(CasePerson, Employee.objects.filter(pk=rudi.pk).values_list("pk", flat=True)) == 1
    assert _key(typed.pk) == entry_key(rudi.pk)
    assert rekey_entries(CasePerson, Employee.objects.none().values_list("pk", flat=True)) == 0


# --- an entry moved by hand, a unit or an agency renamed (registry.signals) ------------------------------

def test_an_entry_moved_in_the_admin_re_resolves_the_typed_persons_and_the_figures(moved, client,
                                                                                     django_user_model):
    from organizations.models import Unit

    client.force_login(django_user_model.objects.create_superuser("root", password="kata-sandi-uji-123",
                                                                  role="admin"))
    rudi = moved["rudi"]
    education = Unit.objects.get(agency=rudi.agency, name="Dinas Pendidikan")
    data = {"kind": rudi.kind, "nip": rudi.nip, "name": rudi.name, "birth_date": "", "gender": rudi.gender,
            "rank": rudi.rank, "position": rudi.position, "agency": rudi.agency_id, "unit": education.pk,
            "active": "on", "nik": "", "changes-TOTAL_FORMS": "0", "changes-INITIAL_FORMS": "0"}
    response = client.post(reverse("admin:registry_employee_change", args=[rudi.pk]), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert _key(moved["manggar"].pk) == "n:rudi hartono|kecamatan manggar"
    assert _key(moved["education"].pk) == entry_key(rudi.pk)
    assert _snapshot() == _rebuilt() == []
    assert refresh_person_keys(CasePerson) == 0  # nothing left for the nightly refresh


def test_a_unit_renamed_re_resolves_the_persons_typed_with_either_name(moved, agencies):
    from organizations.models import Unit

    manggar = Unit.objects.get(pk=moved["rudi"].unit_id)
    manggar.name = "Dinas Pendidikan dan Kebudayaan"
    manggar.save()
    # The person typed with the old name is no longer Rudi's; his repeat offence is gone with it.
    assert _key(moved["manggar"].pk) == "n:rudi hartono|kecamatan manggar"
    assert _snapshot() == _rebuilt() == []
    manggar.name = "Kecamatan Manggar"
    manggar.save(update_fields=["name"])
    assert _key(moved["manggar"].pk) == entry_key(moved["rudi"].pk)
    assert _snapshot() == _rebuilt() != []
    assert refresh_person_keys(CasePerson) == 0


def test_an_agency_renamed_re_resolves_the_persons_typed_with_it(case, rudi, agencies):
    CasePerson.objects.create(case=case, employee=rudi, name=rudi.name)
    typed = CasePerson.objects.create(case=case, name="Rudi Hartono", unit="Pemkab Beltim")
    assert _key(typed.pk) == "n:rudi hartono|pemkab beltim"
    with transaction.atomic():
        agency = rudi.agency
        agency.name = "Pemkab Beltim"
        agency.save()
    assert _key(typed.pk) == entry_key(rudi.pk)
    assert refresh_person_keys(CasePerson) == 0


def test_a_save_that_moves_nothing_calls_no_hook(moved, monkeypatch, django_assert_num_queries):
    calls = []
    monkeypatch.setattr(registry_hooks, "ENTRY_CHANGE_HOOKS", [])
    entry_change_register(calls.append, fields=ENTRY_FIELDS)
    rudi = moved["rudi"]
    rudi.position = "Sekretaris Camat"
    with django_assert_num_queries(1):  # a save of other fields: its UPDATE only
        rudi.save(update_fields=["position"])
    with django_assert_num_queries(2):  # a whole save: the stored unit and agency read, the UPDATE
        rudi.save()
    rudi.unit.head_name = "Budi"
    rudi.unit.save()
    assert calls == []
    rudi.agency.name = "Pemerintah Kabupaten Belitung Timur (baru)"
    rudi.agency.save()
    assert [list(ids) for ids in calls] == [[rudi.pk]]


def test_without_the_signals_an_edit_leaves_the_keys_stale(moved, monkeypatch):
    """The control: the tests above fail if the edits do not reach the hooks."""
    from organizations.models import Unit

    monkeypatch.setattr(registry_hooks, "ENTRY_CHANGE_HOOKS", [])
    manggar = Unit.objects.get(pk=moved["rudi"].unit_id)
    manggar.name = "Dinas Pendidikan dan Kebudayaan"
    manggar.save()
    assert _key(moved["manggar"].pk) == entry_key(moved["rudi"].pk)  # stale
    assert refresh_person_keys(CasePerson) == 1
