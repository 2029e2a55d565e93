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


def test_a_missing_unit_is_added_from_the_preview_and_its_rows_become_valid(live_server, browser, pemda_beltim,
                                                                            settings, tmp_path):
    """Issue 18 item 11: a new employee in a unit the register does not have yet.

    The page is also checked with axe-core, whose script needs a context without the CSP (as in
    test_accessibility.py); every other test runs under the real policy.
    """
    from audit.models import AuditEntry
    from e2e.test_accessibility import axe_violations
    from organizations.models import Unit

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID", bypass_csp=True)
    context.set_default_timeout(15_000)
    desktop = context.new_page()
    path = tmp_path / "pegawai.csv"
    path.write_text("NIP;Gelar Depan;Nama;Gelar Belakang;Unit Kerja\n"
                    "198503152010012002;dr.;Ani Lestari;M.Kes.;Dinas Kesehatan\n"
                    "197908212005011003;;Budi Santoso;S.E.;UPTD Puskesmas Gantung\n"
                    "198001012005011001;;Cahya Putra;;uptd puskesmas  GANTUNG\n", encoding="utf-8")
    staff_login(desktop, live_server.url, "bkpsdm.beltim")
    desktop.goto(live_server.url + "/staf/register/")
    desktop.set_input_files("#id_file", str(path))
    desktop.click("#upload-form button[type=submit]")
    desktop.wait_for_selector("#mapping-form")
    desktop.click("#mapping-form button[type=submit]")
    desktop.wait_for_selector("#progress progress")
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    desktop.wait_for_selector("#commit-form")

    # Two rows name the same missing unit (written two ways): one button for both.
    buttons = desktop.locator("#missing-units button")
    assert buttons.count() == 1 and "UPTD Puskesmas Gantung" in buttons.inner_text()
    assert axe_violations(desktop, "register import preview, missing units") == []
    buttons.click()
    desktop.wait_for_selector("#progress progress")
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    desktop.wait_for_selector("#commit-form")
    assert desktop.locator("#missing-units").count() == 0
    assert Unit.objects.filter(name="UPTD Puskesmas Gantung", agency__name__contains="Belitung Timur").exists()
    assert AuditEntry.objects.filter(action="registry.unit_added").count() == 1

    desktop.click("#commit-form button[type=submit]")
    desktop.wait_for_selector("#progress")
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    desktop.wait_for_function("() => !document.querySelector('#commit-form')"
                              " && !document.querySelector('#progress')")
    assert sorted(employee.full_name for employee in Employee.objects.all()) == [
        "Budi Santoso, S.E.", "Cahya Putra", "dr. Ani Lestari, M.Kes."]
    context.close()
