"""The national checklist workbook, built in the background: the button queues it, the page polls its
progress while the real worker builds it, then offers the download (under the site's real CSP)."""

import io

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from e2e.conftest import staff_login
from exports.models import ExportJob

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ELECTION = "pilkada-2024"


def test_the_excel_button_queues_the_workbook_and_the_page_offers_it_once_the_worker_built_it(
        live_server, desktop, pemda_beltim, agencies, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    call_command("load_rules", verbosity=0)
    staff_login(desktop, live_server.url, "bkpsdm.beltim")
    desktop.goto(live_server.url + f"/staf/daftar-periksa/kemajuan/?election={ELECTION}")
    desktop.dblclick("#progress-export")  # a double click: one job
    desktop.wait_for_selector("#export-status progress")
    job = ExportJob.objects.get()
    assert job.state == ExportJob.State.QUEUED

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    desktop.wait_for_selector("#export-download")  # the fragment polled itself to the download link
    with desktop.expect_download() as download:
        desktop.click("#export-download")
    rows = list(load_workbook(io.BytesIO(download.value.path().read_bytes())).active.iter_rows(values_only=True))
    assert any(row and row[0] == "Dinas Kesehatan" for row in rows)
    assert ExportJob.objects.count() == 1
