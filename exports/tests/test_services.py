"""The background export's own rules, with kinds registered here as an app registers its own."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.storage import storages

from audit.models import AuditEntry
from exports.kinds import ExportKind, export_kind_register
from exports.models import ExportJob
from exports.services import export_job_request, export_job_run
from storage.cleanup import walk

pytestmark = pytest.mark.django_db

SEEN_PROGRESS = []


def _half_then_fail(*, user, params, out, progress):
    out.write(b"PK\x03\x04 half a workbook")
    progress(40)
    SEEN_PROGRESS.append(ExportJob.objects.get(created_by=user, kind="tests.half").progress)
    raise RuntimeError("disk read error")


def _text(*, user, params, out, progress):
    out.write(f"hello {params['name']}".encode())


export_kind_register(ExportKind(key="tests.half", label="half", content_type="text/plain", build=_half_then_fail,
                                may_access=lambda user, params: True, filename=lambda params: "half.txt"))
export_kind_register(ExportKind(key="tests.text", label="text", content_type="text/plain", build=_text,
                                may_access=lambda user, params: params.get("name") != "refused",
                                filename=lambda params: "hello.txt"))


@pytest.fixture(autouse=True)
def _tasks_run_immediately(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def test_a_build_that_fails_half_way_leaves_a_failed_job_with_its_message_and_no_file(
        pemda_beltim, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = export_job_request(actor=pemda_beltim, kind="tests.half", params={})
    job.refresh_from_db()
    assert SEEN_PROGRESS[-1] == 40  # the progress reached the row while it ran
    assert job.state == ExportJob.State.FAILED and "disk read error" in job.error
    assert not job.file and job.size == 0 and job.sha256 == ""
    assert list(walk(storages["default"], "exports")) == []
    assert AuditEntry.objects.filter(action="export.failed").count() == 1


def test_the_stored_file_is_what_the_builder_wrote_and_a_second_run_builds_nothing(
        pemda_beltim, django_capture_on_commit_callbacks):
    import hashlib

    with django_capture_on_commit_callbacks(execute=True):
        job = export_job_request(actor=pemda_beltim, kind="tests.text", params={"name": "Ani"})
    export_job_run(job_id=job.pk)  # the task again: the job is ready, nothing happens
    job.refresh_from_db()
    with job.file.open("rb") as stored:
        content = stored.read()
    assert content == b"hello Ani" and job.size == 9 and job.sha256 == hashlib.sha256(content).hexdigest()
    assert list(walk(storages["default"], "exports")) == [job.file.name]
    assert AuditEntry.objects.filter(action="export.ready").count() == 1


def test_a_kind_s_access_check_refuses_the_request(pemda_beltim):
    with pytest.raises(PermissionDenied):
        export_job_request(actor=pemda_beltim, kind="tests.text", params={"name": "refused"})
    assert not ExportJob.objects.exists()


def test_a_second_request_of_the_same_export_while_it_waits_is_the_same_job(
        pemda_beltim, staff_beltim, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        first = export_job_request(actor=pemda_beltim, kind="tests.text", params={"name": "Ani"})
        again = export_job_request(actor=pemda_beltim, kind="tests.text", params={"name": "Ani"})
        other = export_job_request(actor=staff_beltim, kind="tests.text", params={"name": "Ani"})
    assert again.pk == first.pk and other.pk != first.pk
    with django_capture_on_commit_callbacks(execute=True):
        export_job_run(job_id=first.pk)
    # Once it is ready, a new click is a new export (fresh figures).
    with django_capture_on_commit_callbacks(execute=False):
        assert export_job_request(actor=pemda_beltim, kind="tests.text", params={"name": "Ani"}).pk != first.pk
