"""The checklists' progress workbook, built in the background (exports): one job per double click,
only its asker downloads it, it expires, and a failed build keeps no file."""

import io

import pytest
from django.core.files.storage import storages
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from audit.models import AuditEntry
from exports.models import ExportJob
from prevention.checklist_export import EXPORT_KIND

pytestmark = pytest.mark.django_db

EXPORT = reverse("prevention:checklist_progress_xlsx")
PROGRESS = reverse("prevention:checklist_progress")


@pytest.fixture(autouse=True)
def _tasks_run_immediately(settings):
    """Background jobs run in the test's own process when enqueued (one test runs the real worker)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def ask(client, election, captured, *, execute=True, **headers):
    with captured(execute=execute):
        return client.post(f"{EXPORT}?election={election.pk}", **headers)


def stored_exports() -> list[str]:
    storage = storages["default"]
    from storage.cleanup import walk

    return list(walk(storage, "exports"))


def test_the_button_builds_the_workbook_in_the_background_and_the_page_shows_its_download(
        client, pemda_beltim, register, election, django_capture_on_commit_callbacks):
    client.force_login(pemda_beltim)
    response = ask(client, election, django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("exports:detail", args=[job.pk])
    assert job.kind == EXPORT_KIND and job.state == ExportJob.State.READY and job.progress == 100, job.error
    assert job.size == job.file.size and len(job.sha256) == 64 and job.created_by == pemda_beltim

    download = client.get(reverse("exports:download", args=[job.pk]))
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    assert f"daftar-periksa-unit-{election.pk}.xlsx" in download["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(b"".join(download.streaming_content))).active.iter_rows(values_only=True))
    units = {row[0] for row in rows if row and row[0] in ("Dinas Kesehatan", "Kecamatan Manggar",
                                                         "Dinas Pendidikan Bangka")}
    assert units == {"Dinas Kesehatan", "Kecamatan Manggar"}  # as the asker reads them: Beltim's only
    # The progress page offers the same job's download until it expires.
    page = client.get(PROGRESS, {"election": election.pk}).content.decode()
    assert f'id="export-{job.pk}"' in page and reverse("exports:download", args=[job.pk]) in page
    assert list(AuditEntry.objects.filter(target_id=str(job.pk), target_type="exports.exportjob")
                .order_by("pk").values_list("action", flat=True)) == [
        "export.requested", "export.started", "export.ready", "export.downloaded"]


def test_a_double_click_makes_one_job_and_shows_it_while_it_waits(client, pemda_beltim, agencies, election,
                                                                 django_capture_on_commit_callbacks):
    client.force_login(pemda_beltim)
    first = ask(client, election, django_capture_on_commit_callbacks, execute=False)  # no worker yet
    second = ask(client, election, django_capture_on_commit_callbacks, execute=False, HTTP_HX_REQUEST="true")
    job = ExportJob.objects.get()
    assert job.state == ExportJob.State.QUEUED
    assert first["Location"] == reverse("exports:detail", args=[job.pk])
    fragment = second.content.decode()  # htmx: the job's fragment, polling its progress
    assert f'id="export-{job.pk}"' in fragment and reverse("exports:progress", args=[job.pk]) in fragment
    assert 'hx-trigger="every 1s"' in fragment
    # Another agency chosen is another export.
    with django_capture_on_commit_callbacks(execute=False):
        client.post(f"{EXPORT}?election={election.pk}&agency={agencies['beltim'].pk}")
    assert ExportJob.objects.count() == 2
    assert AuditEntry.objects.filter(action="export.requested").count() == 2


def test_only_the_asker_may_open_or_download_the_file_and_only_while_in_the_same_jurisdiction(
        client, pemda_beltim, staff_beltim, staff_bangka, agencies, register, election,
        django_capture_on_commit_callbacks):
    client.force_login(pemda_beltim)
    ask(client, election, django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    urls = [reverse(name, args=[job.pk]) for name in ("exports:detail", "exports:progress", "exports:download")]
    assert [client.get(url).status_code for url in urls] == [200, 200, 200]
    for other in (staff_bangka, staff_beltim):  # another regency; the same regency's Bawaslu: not theirs
        client.force_login(other)
        assert [client.get(url).status_code for url in urls] == [404, 404, 404]
        assert f"export-row-{job.pk}" not in client.get(reverse("exports:list")).content.decode()
    pemda_beltim.agency = agencies["bangka"]  # moved to Bangka's personnel office: Beltim's file stays behind
    pemda_beltim.save()
    client.force_login(pemda_beltim)
    assert [client.get(url).status_code for url in urls] == [404, 404, 404]


def test_expired_exports_are_purged_with_their_files(client, pemda_beltim, agencies, election,
                                                    django_capture_on_commit_callbacks):
    client.force_login(pemda_beltim)
    ask(client, election, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{EXPORT}?election={election.pk}&agency={agencies['beltim'].pk}")
    old, fresh = ExportJob.objects.order_by("pk")
    assert len(stored_exports()) == 2
    ExportJob.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timezone.timedelta(minutes=1))
    assert client.get(reverse("exports:download", args=[old.pk])).status_code == 404  # expired, not yet purged
    assert client.get(reverse("exports:download", args=[fresh.pk])).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge_exports", stdout=io.StringIO())

    assert list(ExportJob.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert stored_exports() == [fresh.file.name]
    assert AuditEntry.objects.filter(action="export.expired", target_id=str(old.pk)).count() == 1
    assert client.get(reverse("exports:download", args=[old.pk])).status_code == 404


def test_an_asker_who_lost_the_right_before_the_build_gets_a_failed_job_and_no_file(
        client, pemda_beltim, register, election, django_capture_on_commit_callbacks):
    client.force_login(pemda_beltim)
    ask(client, election, django_capture_on_commit_callbacks, execute=False)
    job = ExportJob.objects.get()
    pemda_beltim.role = "ppk"  # no longer reads the units' progress when the worker runs
    pemda_beltim.save()

    from exports.services import export_job_run

    export_job_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.state == ExportJob.State.FAILED and job.error and not job.file and job.progress < 100
    assert stored_exports() == []
    assert AuditEntry.objects.filter(action="export.failed", target_id=str(job.pk)).count() == 1
    export_job_run(job_id=job.pk)  # the task again (re-queued): a failed job stays failed
    job.refresh_from_db()
    assert job.state == ExportJob.State.FAILED


def test_the_list_of_one_s_exports_keeps_its_query_count(client, pemda_beltim, election,
                                                        django_capture_on_commit_callbacks,
                                                        django_assert_max_num_queries):
    client.force_login(pemda_beltim)
    ask(client, election, django_capture_on_commit_callbacks)
    with django_assert_max_num_queries(20) as few:
        page = client.get(reverse("exports:list")).content.decode()
    assert "daftar-periksa-unit" in page
    ExportJob.objects.bulk_create([ExportJob(created_by=pemda_beltim, kind=EXPORT_KIND, params={"n": n},
                                             params_key=str(n), state=ExportJob.State.FAILED, error="x")
                                   for n in range(30)])
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("exports:list"), {"page": "99999999999999999999"}).content.decode()
    assert 'class="pagination"' in page


@pytest.mark.django_db(transaction=True)  # db_worker closes connections between tasks
def test_the_worker_builds_the_queued_export(settings, tmp_path, pemda_beltim, register, election):
    from django_tasks_db.models import DBTaskResult

    from prevention.checklist_export import progress_export_request

    settings.DATA_DIR = tmp_path
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    job = progress_export_request(actor=pemda_beltim, election=election, agency=None)  # enqueued on commit
    assert DBTaskResult.objects.count() == 1

    call_command("netral_worker", "--worker-id", "host-0", "--batch", "--no-startup-delay", verbosity=0)

    job.refresh_from_db()
    assert job.state == ExportJob.State.READY, job.error
    with job.file.open("rb") as binary:
        rows = list(load_workbook(binary).active.iter_rows(values_only=True))
    assert any(row and row[0] == "Dinas Kesehatan" for row in rows)
