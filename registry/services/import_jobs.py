"""An import job's upload, column mapping and state moves; the background jobs' claim and failure.

A file is stored and its header read (``import_job_create``), read again with another
encoding or delimiter (``import_job_reread``), mapped and queued for its preview
(``import_job_preview``), queued for its commit (``import_job_commit``) or cancelled. The
preview and the commit themselves run in ``registry.services.preview`` and ``.commit``.
"""

import csv
import hashlib
import os
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_record
from organizations.models import Agency, Unit
from registry import importing
from registry.models import ImportJob, ImportRow
from registry.selectors import import_missing_units
from registry.services.exchange import require_exchange
from storage import files as stored_files

if TYPE_CHECKING:
    from accounts.models import User


def _file_format(name: str) -> str:
    extension = os.path.splitext(name or "")[1].lower()
    if extension == ".xlsx":
        return ImportJob.Format.XLSX
    if extension in {".csv", ".txt"}:
        return ImportJob.Format.CSV
    raise ValidationError(_("Upload an Excel (.xlsx) or CSV file."), code="format")


def _read_header(binary, *, file_format, encoding, delimiter) -> importing.TableInfo:
    try:
        table = importing.open_table(binary, file_format=file_format, encoding=encoding, delimiter=delimiter)
        try:
            return importing.find_header(table)
        finally:
            getattr(table, "close", lambda: None)()
    except importing.TableError as error:
        raise ValidationError(str(error.message), code="unreadable") from None
    except (csv.Error, UnicodeDecodeError, ValueError) as error:
        raise ValidationError(_("The file could not be read: %(error)s") % {"error": error}, code="unreadable") \
            from None


def import_job_create(*, actor: "User", agency: Agency, upload) -> ImportJob:
    """Store an uploaded register file and detect its header and columns.

    Nothing is written when the file is refused: the checks run before the file is saved,
    and a failure after saving removes it again.
    """
    require_exchange(actor=actor, agency=agency)
    file_format = _file_format(upload.name)
    limit = getattr(settings, "NETRAL_REGISTER_MAX_BYTES", 2**30)
    if upload.size > limit:
        raise ValidationError(_("The file is larger than %(size)s MB.") % {"size": limit // 2**20}, code="size")
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    info = _read_header(upload, file_format=file_format, encoding="auto", delimiter="auto")
    upload.seek(0)
    job = ImportJob(agency=agency, created_by=actor, original_name=os.path.basename(upload.name)[:200],
                    size=upload.size, sha256=digest.hexdigest(), format=file_format,
                    delimiter=info.delimiter or "", header_row=info.header_row, headers=info.headers,
                    mapping=importing.detect_mapping(info.headers))
    with transaction.atomic():  # the file is written in it: a rollback deletes it (storage.files)
        stored_files.save_field(job.file, f"{job.sha256[:16]}.{file_format}", File(upload))
        job.save()
        audit_record(actor=actor, action="registry.import_uploaded", target=job,
                     data={"agency": agency.pk, "file": job.original_name, "sha256": job.sha256,
                           "size": job.size})
    return job


def import_job_reread(*, job: ImportJob, actor: "User", encoding: str, delimiter: str) -> ImportJob:
    """Read the header again with another encoding or delimiter; the mapping is detected anew."""
    require_exchange(actor=actor, agency=job.agency)
    _require_state(job, {ImportJob.State.MAPPING, ImportJob.State.PREVIEWED, ImportJob.State.FAILED})
    if job.format == ImportJob.Format.ROWS:
        raise ValidationError(_("Rows sent by a system have no columns to map."), code="state")
    with job.file.open("rb") as binary:
        info = _read_header(binary, file_format=job.format, encoding=encoding, delimiter=delimiter)
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        job.encoding = encoding
        job.delimiter = delimiter if delimiter != "auto" else (info.delimiter or "")
        job.header_row, job.headers = info.header_row, info.headers
        job.mapping = importing.detect_mapping(info.headers)
        job.state = ImportJob.State.MAPPING
        job.save(update_fields=["encoding", "delimiter", "header_row", "headers", "mapping", "state"])
        ImportRow.objects.filter(job=job).delete()
        audit_record(actor=actor, action="registry.import_reread", target=job,
                     data={"encoding": encoding, "delimiter": job.delimiter, "headers": len(info.headers)})
    return job


def _require_state(job, states) -> None:
    if job.state not in states:
        raise ValidationError(_("This import is “%(state)s”; that step is not possible now.") % {
            "state": job.get_state_display()}, code="state")


def import_job_preview(*, job: ImportJob, actor: "User", mapping: list[str]) -> ImportJob:
    """Confirm the column mapping and queue the preview (a background job)."""
    require_exchange(actor=actor, agency=job.agency)
    if job.format == ImportJob.Format.ROWS:
        raise ValidationError(_("Rows sent by a system have no columns to map."), code="state")
    mapping = list(mapping)[:len(job.headers)]
    mapping += [""] * (len(job.headers) - len(mapping))
    allowed = set(importing.FIELDS) | set(importing.EXTRA_FIELDS) | {""}
    if any(name not in allowed for name in mapping):
        raise ValidationError(_("Unknown field in the mapping."), code="mapping")
    problems = importing.mapping_problems(mapping)
    if problems:
        raise ValidationError([str(problem) for problem in problems], code="mapping")
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        _require_state(job, {ImportJob.State.MAPPING, ImportJob.State.PREVIEWED, ImportJob.State.FAILED})
        job.mapping = mapping
        job.state = ImportJob.State.PREVIEW_QUEUED
        job.processed = job.progress = 0
        job.error = ""
        job.save(update_fields=["mapping", "state", "processed", "progress", "error"])
        audit_record(actor=actor, action="registry.import_preview_requested", target=job, data={"mapping": mapping})
        transaction.on_commit(lambda: _enqueue("import_preview_task", job.pk))
    return job


def _queue_preview(job: ImportJob, actor: "User", **data) -> None:
    """Queue the preview of a locked job again (its staged rows are replaced by the new run)."""
    job.state = ImportJob.State.PREVIEW_QUEUED
    job.processed = job.progress = 0
    job.error = ""
    job.save(update_fields=["state", "processed", "progress", "error"])
    audit_record(actor=actor, action="registry.import_preview_requested", target=job,
                 data={"mapping": job.mapping, **data})
    transaction.on_commit(lambda: _enqueue("import_preview_task", job.pk))


def import_unit_add(*, job: ImportJob, actor: "User", name: str) -> Unit:
    """Add to the agency a unit that refused rows of the preview name, and preview the file again,
    so that those rows become valid (issue 18: a new employee's unit may be new too).

    Only a unit the preview found missing, only while the import waits for its commit; rows sent
    by a system (the API) are not kept to be read again, so they are sent again instead.
    """
    require_exchange(actor=actor, agency=job.agency)
    if job.format == ImportJob.Format.ROWS:
        raise ValidationError(_("Rows sent by a system cannot be previewed again: add the unit, then send them "
                                "again."), code="state")
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().select_related("agency").get(pk=job.pk)
        _require_state(job, {ImportJob.State.PREVIEWED})
        key = importing.unit_key(name)
        missing = {importing.unit_key(unit_name): unit_name for unit_name, _rows in import_missing_units(job, limit=None)}
        if key not in missing:
            raise ValidationError(_("No row of this import names the unit “%(unit)s”.") % {"unit": name[:200]},
                                  code="unit")
        name = missing[key]
        if len(name) > importing.MAX_LENGTHS["unit"]:
            raise ValidationError(_("This unit name is too long (at most %(max)s characters).") % {
                "max": importing.MAX_LENGTHS["unit"]}, code="unit")
        # Another import or a colleague may have added it since the preview: then it is only read again.
        # The agency's row lock keeps two clicks from adding it twice (as the commit locks it).
        Agency.objects.select_for_update().filter(pk=job.agency_id).exists()
        existing = [unit for unit in Unit.objects.filter(agency=job.agency).only("pk", "name", "short_name")
                    if key in {importing.unit_key(unit.name), importing.unit_key(unit.short_name)}]
        if existing:
            unit = existing[0]
        else:
            unit = Unit.objects.create(agency=job.agency, name=name)
            audit_record(actor=actor, action="registry.unit_added", target=unit,
                         data={"agency": job.agency_id, "name": name, "import": job.pk})
        _queue_preview(job, actor, unit_added=unit.pk)
    return unit


def import_job_commit(*, job: ImportJob, actor: "User", full_export: bool) -> ImportJob:
    """Queue the commit of a previewed import (a background job). A second click does nothing."""
    require_exchange(actor=actor, agency=job.agency)
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if job.state in {ImportJob.State.COMMIT_QUEUED, ImportJob.State.COMMITTING, ImportJob.State.COMMITTED}:
            return job  # double submit
        _require_state(job, {ImportJob.State.PREVIEWED})
        job.full_export = bool(full_export)
        job.committed_by = actor
        job.state = ImportJob.State.COMMIT_QUEUED
        job.processed = job.progress = 0
        job.save(update_fields=["full_export", "committed_by", "state", "processed", "progress"])
        audit_record(actor=actor, action="registry.import_commit_requested", target=job,
                     data={"full_export": job.full_export})
        transaction.on_commit(lambda: _enqueue("import_commit_task", job.pk))
    return job


def import_job_cancel(*, job: ImportJob, actor: "User") -> ImportJob:
    require_exchange(actor=actor, agency=job.agency)
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        _require_state(job, {ImportJob.State.MAPPING, ImportJob.State.PREVIEWED, ImportJob.State.FAILED})
        job.state = ImportJob.State.CANCELLED
        job.save(update_fields=["state"])
        ImportRow.objects.filter(job=job).delete()
        audit_record(actor=actor, action="registry.import_cancelled", target=job, data={})
    return job


def _enqueue(name: str, job_id: int) -> None:
    from registry import tasks

    getattr(tasks, name).enqueue(job_id)


def import_job_claim(*, job_id: int, queued: str, running: str, **fields) -> bool:
    """Move a queued job to running; False if it is done, failed or cancelled.

    A job found already running was interrupted (its worker was killed and the task
    re-queued, ops/workers.py): it runs again. The preview starts by deleting what it
    staged; the commit is one transaction that rechecks the state under a row lock.
    """
    return bool(ImportJob.objects.filter(pk=job_id, state__in=[queued, running]).update(state=running, **fields))


def import_job_fail(*, job_id: int, message: str) -> None:
    """Mark the job failed with ``message`` (what the staff member reads on its page)."""
    ImportJob.objects.filter(pk=job_id).update(state=ImportJob.State.FAILED, error=message[:2000])


def import_job_sample(*, job: ImportJob, count: int = 3) -> list[list[str]]:
    """The first data rows of the file as text, to check the mapping against (read, not stored)."""
    rows = []
    try:
        with job.file.open("rb") as binary:
            table = importing.open_table(binary, file_format=job.format, encoding=job.encoding,
                                         delimiter=job.delimiter or "auto")
            try:
                for _line, values in importing.data_rows(table, job.header_row):
                    rows.append(["" if value is None else str(value) for value in values[:len(job.headers)]])
                    if len(rows) >= count:
                        break
            finally:
                getattr(table, "close", lambda: None)()
    except (importing.TableError, csv.Error, OSError, ValueError):
        return []
    return rows
