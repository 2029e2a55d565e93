"""The hooks of the apps above registry (registry.hooks): called in the transaction of an import's
commit with the entries it changed, as a subquery over the job's staged rows."""

import pytest
from django.db import connection
from django.db.models import QuerySet

from registry import hooks
from registry.hooks import entry_change_register
from registry.models import Employee, EmployeeChange, ImportJob
from registry.services.commit import import_commit_run
from registry.services.import_jobs import import_job_commit
from registry.services.preview import import_job_from_rows

pytestmark = pytest.mark.django_db

ANI = "198503152010012002"  # PNS, born 15 March 1985, female
BUDI = "197908212005011003"  # PNS, born 21 August 1979, male
CITRA = "199012312021012001"  # PPPK, born 31 December 1990, female
DEDI = "198001122006041001"  # PNS, born 12 January 1980, male


@pytest.fixture(autouse=True)
def _only_these_hooks(monkeypatch):
    """The hooks the test registers, without those of the apps above (cases)."""
    monkeypatch.setattr(hooks, "ENTRY_CHANGE_HOOKS", [])


def _import(actor, agency, rows):
    """Preview rows as the API sends them, ask for the commit and run its task (queued on commit,
    which a test's transaction never reaches)."""
    job = import_job_from_rows(actor=actor, agency=agency, rows=rows, partner="SIASN")
    import_job_commit(job=job, actor=actor, full_export=False)
    import_commit_run(job_id=job.pk)
    job.refresh_from_db()
    return job


def _row(nip, name, *, kind="PNS", unit="Dinas Kesehatan", position="Analis"):
    return {"nip": nip, "name": name, "kind": kind, "unit": unit, "position": position}


FIRST = [_row(ANI, "Ani Lestari"), _row(BUDI, "Budi Santoso"), _row(CITRA, "Citra Dewi", kind="PPPK")]


def test_a_commit_calls_each_hook_in_its_transaction_with_the_entries_of_its_fields(pemda_beltim, agencies):
    calls = []

    def recorder(name):
        def hook(employee_ids):
            # After the changed rows were applied, before the commit is marked done: in its transaction.
            job = ImportJob.objects.latest("pk")
            calls.append((name, isinstance(employee_ids, QuerySet), sorted(employee_ids), job.state,
                          connection.in_atomic_block, Employee.objects.get(nip=ANI).unit.name))
        return hook

    entry_change_register(recorder("unit"), fields=["unit"])
    entry_change_register(recorder("every"))
    beltim = agencies["beltim"]
    _import(pemda_beltim, beltim, FIRST)
    ani, budi = Employee.objects.get(nip=ANI), Employee.objects.get(nip=BUDI)
    calls.clear()

    job = _import(pemda_beltim, beltim, [
        _row(ANI, "Ani Lestari", unit="Kecamatan Manggar"),  # moved
        _row(BUDI, "Budi Santoso", position="Kepala Seksi"),  # changed, not moved
        FIRST[2],  # unchanged
        _row(DEDI, "Dedi Kurniawan"),  # new
    ])
    assert (job.state, job.rows_changed, job.rows_new) == (ImportJob.State.COMMITTED, 2, 1)
    committing = ImportJob.State.COMMITTING
    assert calls == [("unit", True, [ani.pk], committing, True, "Kecamatan Manggar"),
                     ("every", True, sorted([ani.pk, budi.pk]), committing, True, "Kecamatan Manggar")]


def test_a_hook_that_raises_rolls_the_whole_import_back(pemda_beltim, agencies):
    beltim = agencies["beltim"]
    _import(pemda_beltim, beltim, FIRST)

    def failing(employee_ids):
        raise RuntimeError("the figures above could not be kept")

    entry_change_register(failing, fields=["unit"])
    job = _import(pemda_beltim, beltim, [_row(ANI, "Ani Lestari", unit="Kecamatan Manggar"),
                                         _row(DEDI, "Dedi Kurniawan")])
    assert job.state == ImportJob.State.FAILED and "could not be kept" in job.error
    assert Employee.objects.get(nip=ANI).unit.name == "Dinas Kesehatan"
    assert not Employee.objects.filter(nip=DEDI).exists()
    assert not EmployeeChange.objects.filter(kind=EmployeeChange.Kind.UPDATED).exists()


def test_a_hook_is_registered_once_and_only_for_fields_the_import_compares():
    def hook(employee_ids):
        pass

    entry_change_register(hook, fields=["unit"])
    entry_change_register(hook, fields=["unit"])  # a second ready()
    assert hooks.ENTRY_CHANGE_HOOKS == [hooks.EntryChangeHook(hook, frozenset({"unit"}))]
    with pytest.raises(ValueError, match="unit_id"):
        entry_change_register(lambda employee_ids: None, fields=["unit_id"])
    with pytest.raises(ValueError):
        entry_change_register(lambda employee_ids: None, fields=[])
    assert len(hooks.ENTRY_CHANGE_HOOKS) == 1
