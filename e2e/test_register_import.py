"""Pemda staff import a register file: upload, mapping, preview by the real worker, commit."""

import pytest
from django.core.management import call_command

from e2e.conftest import staff_login
from registry.models import Employee, ImportJob

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CSV = ("Daftar Pegawai BKPSDM Belitung Timur\n\n"
       "NIP;Nama;Tanggal Lahir;L/P;Jenis Pegawai;Bidang\n"
       "198503152010012002;Dr. Ani Lestari, M.Kes.;15-03-1985;P;PNS;Dinas Kesehatan\n"
       "197908212005011003;H. Budi Santoso, S.E.;21 Agustus 1979;L;PNS;Dinas Antah Berantah\n")


def test_an_import_is_mapped_previewed_by_the_worker_and_committed(live_server, desktop, pemda_beltim, settings,
                                                                   tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    path = tmp_path / "pegawai.csv"
    path.write_text(CSV, encoding="utf-8")
    staff_login(desktop, live_server.url, "bkpsdm.beltim")
    desktop.goto(live_server.url + "/staf/register/")
    desktop.set_input_files("#id_file", str(path))
    desktop.click("#upload-form button[type=submit]")

    # The unknown header "Bidang" is mapped by hand to the unit.
    desktop.wait_for_selector("#mapping-form")
    desktop.select_option("#id_col_5", "unit")
    desktop.click("#mapping-form button[type=submit]")
    desktop.wait_for_selector("#progress progress")

    # The background worker runs the preview; the page, polling, reloads itself with the counts.
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    desktop.wait_for_selector("#commit-form")
    assert "Dinas Antah Berantah" in desktop.locator("main").inner_text()

    desktop.click("#commit-form button[type=submit]")
    desktop.wait_for_selector("#progress")
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    desktop.wait_for_selector("#counts")
    # A function, not an expression: Playwright would eval() an expression, which the CSP forbids.
    desktop.wait_for_function("() => !document.querySelector('#commit-form')"
                              " && !document.querySelector('#progress')")
    assert ImportJob.objects.get().state == ImportJob.State.COMMITTED
    assert list(Employee.objects.values_list("name", flat=True)) == ["Dr. Ani Lestari, M.Kes."]
