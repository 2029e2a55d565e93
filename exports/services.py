"""Asking for an export, building it in the background, and purging it when it expires.

``export_job_request`` (the web process) makes the job and queues its task once the
transaction commits; ``export_job_run`` (the worker, ``exports.tasks``) claims it, lets the
kind's builder write the file into a temporary file, then stores it and marks the job ready
in one transaction, so a failure leaves a failed job with its message and no file at all.
``export_jobs_purge`` (``manage.py purge_exports``, daily) deletes expired jobs and their files.
"""

import hashlib
import logging
import tempfile
from datetime import timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.storage import storages
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from exports.kinds import export_kind
from exports.models import ExportJob, export_life, params_key
from storage import files as stored_files
from storage.cleanup import walk

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)

FOLDER = "exports"
# The builder's progress is written when it moved by this many points (one UPDATE each).
PROGRESS_STEP = 2


def export_job_request(*, actor: "User", kind: str, params: dict) -> ExportJob:
    """Queue an export of ``kind`` with ``params`` for ``actor``; the job already queued or running
    for the same person, kind and parameters if there is one (a double click makes one job)."""
    export = export_kind(kind)
    if export is None:
        raise ValidationError(_("Unknown export."), code="kind")
    if not export.may_access(actor, params):
        raise PermissionDenied
    key = params_key(params)
    running = ExportJob.objects.filter(created_by=actor, kind=kind, params_key=key,
                                       state__in=ExportJob.RUNNING_STATES).first()
    if running is not None:
        return running
    try:
        with transaction.atomic():
            job = ExportJob.objects.create(created_by=actor, kind=kind, params=params, params_key=key,
                                           filename=export.filename(params)[:200])
            audit_record(actor=actor, action="export.requested", target=job, data={"kind": kind, "params": params})
            transaction.on_commit(lambda: _enqueue(job.pk))
    except IntegrityError:  # the other click's job was committed between our read and our insert
        return ExportJob.objects.get(created_by=actor, kind=kind, params_key=key,
                                     state__in=ExportJob.RUNNING_STATES)
    return job


def _enqueue(job_id: int) -> None:
    from exports import tasks

    tasks.export_build_task.enqueue(job_id)


def export_job_claim(*, job_id: int) -> bool:
    """Move a queued job to running; False if it is ready, failed or gone.

    A job found already running was interrupted (its worker was killed and the task
    re-queued, ops/workers.py): it runs again from the start; nothing of a run is stored
    before its last transaction.
    """
    with transaction.atomic():
        claimed = ExportJob.objects.filter(pk=job_id, state__in=ExportJob.RUNNING_STATES).update(
            state=ExportJob.State.RUNNING, started_at=timezone.now(), progress=0)
        if claimed:
            audit_record(actor=None, action="export.started", target=ExportJob(pk=job_id), data={})
    return bool(claimed)


def export_job_fail(*, job_id: int, message: str) -> None:
    """Mark the job failed with ``message`` (what the staff member reads on its page)."""
    with transaction.atomic():
        if ExportJob.objects.filter(pk=job_id, state__in=ExportJob.RUNNING_STATES).update(
                state=ExportJob.State.FAILED, error=message[:2000], finished_at=timezone.now()):
            audit_record(actor=None, action="export.failed", target=ExportJob(pk=job_id), data={"error": message[:200]})


def _progress_reporter(job_id: int):
    last = [0]

    def progress(percent) -> None:
        percent = max(0, min(99, int(percent)))
        if percent - last[0] >= PROGRESS_STEP:
            last[0] = percent
            ExportJob.objects.filter(pk=job_id, state=ExportJob.State.RUNNING).update(progress=percent)

    return progress


def export_job_run(*, job_id: int) -> None:
    """The task: build the file as its asker may read it now, then store it and mark the job ready."""
    if not export_job_claim(job_id=job_id):
        return
    job = ExportJob.objects.select_related("created_by").get(pk=job_id)
    export = export_kind(job.kind)
    try:
        if export is None:
            raise ValidationError(_("This kind of export no longer exists."))
        if not export.may_access(job.created_by, job.params):  # moved or changed role since the click
            raise PermissionDenied
        with tempfile.TemporaryFile() as out:
            export.build(user=job.created_by, params=job.params, out=out, progress=_progress_reporter(job_id))
            out.flush()
            size, digest = out.tell(), hashlib.sha256()
            out.seek(0)
            for chunk in iter(lambda: out.read(1 << 20), b""):
                digest.update(chunk)
            out.seek(0)
            _store(job_id, File(out, name=job.filename), size=size, sha256=digest.hexdigest())
    except PermissionDenied:
        export_job_fail(job_id=job_id, message=_("The export failed: you may no longer read these figures."))
    except ValidationError as error:
        export_job_fail(job_id=job_id, message=_("The export failed: %(error)s") % {"error": " ".join(error.messages)})
    except Exception as error:  # the job records why; the temporary file goes with the block
        logger.exception("export %s failed", job_id)
        export_job_fail(job_id=job_id, message=_("The export failed: %(error)s") % {
            "error": str(error) or type(error).__name__})


def _store(job_id: int, content: File, *, size: int, sha256: str) -> None:
    with transaction.atomic():  # the file is written in it: a rollback deletes it (storage.files)
        job = ExportJob.objects.select_for_update().filter(pk=job_id, state=ExportJob.State.RUNNING).first()
        if job is None:  # purged, or finished by another run meanwhile
            return
        now = timezone.now()
        stored_files.save_field(job.file, f"{sha256[:16]}.{job.filename.rsplit('.', 1)[-1]}", content)
        job.state, job.progress, job.size, job.sha256 = ExportJob.State.READY, 100, size, sha256
        job.finished_at, job.expires_at, job.error = now, now + export_life(), ""
        job.save(update_fields=["file", "state", "progress", "size", "sha256", "finished_at", "expires_at", "error"])
        audit_record(actor=None, action="export.ready", target=job, data={"size": size, "sha256": sha256})


def export_job_downloaded(*, job: ExportJob, actor: "User") -> None:
    with transaction.atomic():
        audit_record(actor=actor, action="export.downloaded", target=job, data={"kind": job.kind, "sha256": job.sha256})


def export_jobs_purge(*, now=None, orphans_older_than: timedelta = timedelta(hours=24)) -> int:
    """Delete the expired jobs and their files, then the files of ``exports/`` that no job names
    (a worker killed between writing and committing) once they are old; returns the jobs deleted."""
    now = now or timezone.now()
    removed = 0
    while True:
        batch = list(ExportJob.objects.filter(expires_at__lt=now).values_list("pk", flat=True)[:500])
        if not batch:
            break
        for job_id in batch:
            with transaction.atomic():
                job = ExportJob.objects.select_for_update().filter(pk=job_id).first()
                if job is None:
                    continue
                stored_files.delete_on_commit(job.file.storage, job.file.name)
                audit_record(actor=None, action="export.expired", target=job,
                             data={"kind": job.kind, "state": job.state, "sha256": job.sha256})
                job.delete()
                removed += 1
    storage = storages["default"]
    known = set(ExportJob.objects.exclude(file="").values_list("file", flat=True))
    cutoff = now - orphans_older_than
    for name in list(walk(storage, FOLDER)):
        if name not in known and storage.get_modified_time(name) < cutoff:
            storage.delete(name)
    return removed
