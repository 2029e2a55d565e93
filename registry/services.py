"""Register exchange: import (upload, mapping, preview, commit), export, exchange log.

The import runs in two background jobs (``registry.tasks``):

1. preview (``import_preview_run``): streams the file, cleans each row
   (``registry.importing``), looks its NIP up in the register one batch at a time,
   classifies it (new, changed, unchanged, invalid with reasons) and stages it in
   ``ImportRow`` (COPY on PostgreSQL, bulk inserts on SQLite); then marks NIPs that
   occur twice, and stages the agency's active employees absent from the file
   ("leaving"). The register is not touched.
2. commit (``import_commit_run``): one transaction applies the staged rows with
   set-based SQL (INSERT ... SELECT, UPDATE ... FROM, the same statements on both
   databases), writes each employee's history, one exchange-log row and one audit
   entry. A failure rolls all of it back.

``import_job_from_rows`` takes rows as dicts of raw values instead of a file: the later API
endpoint "register batch upsert" calls it, then ``import_job_commit``; the export endpoint pages
over ``register_export_values`` and shapes each row with ``register_export_row``, as the files do;
``exchange_log_record`` takes its partner label.
"""

import csv
import gc
import hashlib
import io
import json
import logging
import os
import re
import tempfile
import time
from collections import namedtuple
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date
from operator import itemgetter

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import IntegrityError, connection, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from netral.spreadsheets import csv_writer, xlsx_sheet
from organizations.models import Agency, Unit
from registry import importing
from registry.models import Employee, EmployeeChange, ExchangeLog, ImportJob, ImportRow
from registry.selectors import REGISTER_DATASET

logger = logging.getLogger(__name__)

# Below the space, except tab and line breaks (spacing, which the cleaning folds), and DEL.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
BATCH_SIZE = 5000
# The staged columns, in COPY order.
STAGE_COLUMNS = ("job_id", "line", "status", "kind", "nip", "name", "name_plain", "birth_place", "birth_date",
                 "gender", "rank", "position", "unit_id", "unit_name", "status_text", "active", "employee_id",
                 "changes", "reasons", "raw")
# Fields compared between a row and the register entry (``changes`` names them so).
COMPARED = ("kind", "name", "birth_place", "birth_date", "gender", "rank", "position", "unit", "status", "active")


class StaleImport(Exception):
    pass


# --- Who may exchange an agency's register ------------------------------------------------

def can_exchange_register(user, agency: Agency | None = None) -> bool:
    """Pemda personnel staff for their own agency; administrators for any agency."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.role == user.Role.ADMIN:
        return True
    if user.role == user.Role.PEMDA_STAFF and user.agency_id:
        return agency is None or agency.pk == user.agency_id
    return False


def _require_exchange(actor, agency) -> None:
    if not can_exchange_register(actor, agency):
        raise PermissionDenied


# --- Exchange log -------------------------------------------------------------------------

def exchange_log_record(*, direction: str, dataset: str, partner: str, rows: int, checksum: str = "",
                        agency: Agency | None = None, actor=None, channel: str = ExchangeLog.Channel.FILE,
                        file_format: str = "", job: ImportJob | None = None) -> ExchangeLog:
    """One exchange, in the caller's transaction (an API call passes its token's partner label)."""
    return ExchangeLog.objects.create(
        direction=direction, dataset=dataset, partner=partner[:200], rows=rows, checksum=checksum, agency=agency,
        actor=actor if getattr(actor, "is_authenticated", False) else None, channel=channel, format=file_format,
        job=job,
    )


# --- Upload and mapping -------------------------------------------------------------------

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


def import_job_create(*, actor, agency: Agency, upload) -> ImportJob:
    """Store an uploaded register file and detect its header and columns.

    Nothing is written when the file is refused: the checks run before the file is saved,
    and a failure after saving removes it again.
    """
    _require_exchange(actor, agency)
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
    job.file.save(f"{job.sha256[:16]}.{file_format}", File(upload), save=False)
    try:
        with transaction.atomic():
            job.save()
            audit_record(actor=actor, action="registry.import_uploaded", target=job,
                         data={"agency": agency.pk, "file": job.original_name, "sha256": job.sha256,
                               "size": job.size})
    except Exception:
        job.file.delete(save=False)
        raise
    return job


def import_job_from_rows(*, actor, agency: Agency, rows: list[dict], partner: str) -> ImportJob:
    """Preview rows sent by another system (dicts of raw values by field name, as a file's
    columns would give them), synchronously: the register batch upsert of the API.

    The job is then committed like a file's (``import_job_commit``), and logged as an API
    exchange with ``partner`` as its label.
    """
    _require_exchange(actor, agency)
    allowed = set(importing.FIELDS) | set(importing.EXTRA_FIELDS)
    rows = [{key: value for key, value in row.items() if key in allowed} for row in rows]
    # A NUL cannot be stored by PostgreSQL (text or JSON): a whole batch refused, with the cell named.
    for line, row in enumerate(rows, start=1):
        for key, value in row.items():
            if isinstance(value, str) and _CONTROL_CHARACTERS.search(value):
                message = _("This value holds a control character (such as a null character), which cannot be "
                            "processed.")
                raise ValidationError({f"rows[{line}].{key}": message})
    payload = json.dumps(rows, sort_keys=True, default=str).encode()
    with transaction.atomic():
        job = ImportJob.objects.create(
            agency=agency, created_by=actor, original_name=partner[:200], size=len(payload),
            sha256=hashlib.sha256(payload).hexdigest(), format=ImportJob.Format.ROWS, headers=list(importing.FIELDS),
            mapping=list(importing.FIELDS), state=ImportJob.State.PREVIEWING, previewed_at=timezone.now())
        audit_record(actor=actor, action="registry.import_received", target=job,
                     data={"agency": agency.pk, "partner": partner, "sha256": job.sha256, "rows": len(rows)})
    try:
        RowStager(job).stage((index + 1, row) for index, row in enumerate(rows))
        _finish_preview(job, fallback_lines=0)
    except Exception as error:
        ImportRow.objects.filter(job=job).delete()
        _fail(job.pk, _("The preview failed: %(error)s") % {"error": error})
        raise
    job.refresh_from_db()
    return job


def import_job_reread(*, job: ImportJob, actor, encoding: str, delimiter: str) -> ImportJob:
    """Read the header again with another encoding or delimiter; the mapping is detected anew."""
    _require_exchange(actor, job.agency)
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


def import_job_preview(*, job: ImportJob, actor, mapping: list[str]) -> ImportJob:
    """Confirm the column mapping and queue the preview (a background job)."""
    _require_exchange(actor, job.agency)
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


def import_job_commit(*, job: ImportJob, actor, full_export: bool) -> ImportJob:
    """Queue the commit of a previewed import (a background job). A second click does nothing."""
    _require_exchange(actor, job.agency)
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


def import_job_cancel(*, job: ImportJob, actor) -> ImportJob:
    _require_exchange(actor, job.agency)
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


def _claim(job_id: int, queued: str, running: str, **fields) -> bool:
    """Move a queued job to running; False if it is done, failed or cancelled.

    A job found already running was interrupted (its worker was killed and the task
    re-queued, ops/workers.py): it runs again. The preview starts by deleting what it
    staged; the commit is one transaction that rechecks the state under a row lock.
    """
    return bool(ImportJob.objects.filter(pk=job_id, state__in=[queued, running]).update(state=running, **fields))


def _fail(job_id: int, message: str) -> None:
    ImportJob.objects.filter(pk=job_id).update(state=ImportJob.State.FAILED, error=message[:2000])


# --- Preview --------------------------------------------------------------------------------

def import_preview_run(*, job_id: int, today: date | None = None) -> None:
    """The preview job: classify and stage every row of the file. Never touches the register."""
    # previewed_at is when the preview started reading the register: a commit after it
    # makes this preview stale (``_commit``).
    if not _claim(job_id, ImportJob.State.PREVIEW_QUEUED, ImportJob.State.PREVIEWING, previewed_at=timezone.now()):
        return
    job = ImportJob.objects.select_related("agency").get(pk=job_id)
    try:
        ImportRow.objects.filter(job=job).delete()
        with job.file.open("rb") as binary:
            table = importing.open_table(binary, file_format=job.format, encoding=job.encoding,
                                         delimiter=job.delimiter or "auto")
            try:
                stager = RowStager(job, today=today)

                def rows():
                    mapped = importing.value_mapper(job.mapping)
                    for line, values in importing.data_rows(table, job.header_row):
                        yield line, mapped(values)

                stager.stage(rows(), progress=table.progress)
            finally:
                getattr(table, "close", lambda: None)()
        _finish_preview(job, fallback_lines=table.fallback_lines)
    except Exception as error:  # the job records why; the staged rows go
        logger.exception("register import %s: preview failed", job_id)
        ImportRow.objects.filter(job_id=job_id).delete()
        _fail(job_id, _("The preview failed: %(error)s") % {"error": error})


class RowStager:
    """Cleans, classifies and stages rows of one import, a batch at a time.

    Per row it is Python's work (``importing.clean_row``, the comparison with the register
    entry); per batch one query finds the register entries of the batch's numbers and one
    COPY (PostgreSQL; one prepared INSERT on SQLite) stages the rows, each written as the
    tuple ``_classify`` returns, in ``STAGE_COLUMNS`` order, JSON columns already as text.

    On PostgreSQL that database work runs in a second thread, on the same connection and
    so in the same transaction, one task at a time: the COPY of a batch and the lookup of
    the next batch's numbers proceed while this thread cleans the next batch, so that the
    database server and Python work at the same time. This thread touches the connection
    only when the other has finished its tasks (``Future.result``).
    """

    def __init__(self, job: ImportJob, *, today: date | None = None):
        self.job = job
        self.agency = job.agency
        self.today = today or timezone.localdate()
        self.units = {}
        self.unit_names = {}
        for unit in Unit.objects.filter(agency=self.agency).only("pk", "name", "short_name"):
            self.unit_names[unit.pk] = unit.name
            if unit.short_name:
                self.units.setdefault(importing.unit_key(unit.short_name), unit.pk)
        for unit_id, name in self.unit_names.items():
            self.units[importing.unit_key(name)] = unit_id  # full names win over short names
        self.unit_by_text = {}  # the unit of each unit text of the file, looked up once
        # Contract staff have no number: they are matched by plain name and birth date.
        self.contract = {}
        for employee in Employee.objects.filter(agency=self.agency, kind=Employee.Kind.CONTRACT).values_list(
                *_REGISTER_VALUES):
            employee = RegisterEntry._make(employee)
            key = (importing.unit_key(employee.name_plain or importing.plain_name(employee.name)),
                   employee.birth_date)
            self.contract.setdefault(key, employee)
        self.agency_names = {}
        self.job_id = job.pk
        self.count = 0
        self.postgres = connection.vendor == "postgresql"
        quote = connection.ops.quote_name
        self.lookup_sql = (f"SELECT {', '.join(quote(name) for name in _REGISTER_VALUES)} "
                           f"FROM {quote(Employee._meta.db_table)} WHERE nip IN ")
        self.lookup_sql += ("(SELECT unnest(%s::varchar[]))" if self.postgres  # one parameter, index probes
                            else "(SELECT value FROM json_each(%s))")
        self.write_sql = (f"{quote(ImportRow._meta.db_table)} "
                          f"({', '.join(quote(name) for name in STAGE_COLUMNS)})")
        self.worker = self.raw = None
        self.written = Future()
        self.written.set_result(None)

    def stage(self, rows, *, progress=lambda: 0.0) -> int:
        # The objects that exist before the loop (Django's own, some 100,000) are left out
        # of Python's cycle collection while it runs: a batch's rows are freed by reference
        # counting, but their number triggers full collections that would walk those objects
        # again and again (a quarter of the preview's Python time).
        gc.freeze()
        if self.postgres:
            connection.ensure_connection()
            self.raw = connection.connection  # psycopg's connection, shared with the worker thread
            self.worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="register-import")
        try:
            batch = []
            for line, raw in rows:
                batch.append((line, raw))
                if len(batch) >= BATCH_SIZE:
                    self._stage_batch(batch, progress)
                    batch = []
            if batch:
                self._stage_batch(batch, None)
            self.written.result()  # the last COPY, or its error
        finally:
            if self.worker:
                self.worker.shutdown(wait=True)  # never leave a task on the connection
            gc.unfreeze()
        return self.count

    def _run(self, function, *args) -> Future:
        """``function(*args)`` in the worker thread on PostgreSQL, here and now on SQLite."""
        if self.worker:
            return self.worker.submit(function, *args)
        future = Future()
        future.set_result(function(*args))
        return future

    def _stage_batch(self, batch, progress) -> None:
        # The lookup waits in the worker behind the previous batch's COPY.
        found = self._run(self._lookup, {importing.nip_text(raw.get("nip")) for _line, raw in batch} - {""})
        clean, today = importing.clean_row, self.today
        cleaned = [(line, raw, clean(raw, today=today)) for line, raw in batch]
        self.written.result()  # the previous COPY, done before the lookup: its error first, if any
        existing = found.result()
        if progress is not None:  # the connection is free until the next task
            ImportJob.objects.filter(pk=self.job_id).update(processed=self.count,
                                                            progress=min(95, int(progress() * 95)))
        classify = self._classify
        self.written = self._run(self._write, [classify(line, raw, row, existing) for line, raw, row in cleaned])
        self.count += len(cleaned)

    def _lookup(self, nips: set) -> dict:
        """The register entries with these numbers (``clean_row``'s, ``importing.nip_text``), in any agency."""
        if not nips:
            return {}
        if self.postgres:  # in the worker thread: psycopg's own cursor
            with self.raw.cursor() as cursor:
                cursor.execute(self.lookup_sql, [_text_array(nips)])
                rows = cursor.fetchall()
        else:
            with connection.cursor() as cursor:
                cursor.execute(self.lookup_sql, [json.dumps(list(nips))])
                rows = cursor.fetchall()
        return {employee.nip: employee for employee in map(RegisterEntry._make, rows)}

    def _agency_name(self, agency_id: int) -> str:
        if agency_id not in self.agency_names:
            self.agency_names[agency_id] = Agency.objects.filter(pk=agency_id).values_list("name", flat=True).first()
        return self.agency_names[agency_id]

    def _unit_of(self, text: str):
        try:
            return self.unit_by_text[text]
        except KeyError:
            unit_id = self.units.get(importing.unit_key(text))
            if len(self.unit_by_text) < 10_000:  # bounded whatever the file holds
                self.unit_by_text[text] = unit_id
            return unit_id

    def _classify(self, line, raw, row, existing) -> tuple:
        data = row.data
        unit_id = None
        if data["unit_name"]:
            unit_id = self._unit_of(data["unit_name"])
            if unit_id is None:
                row.reject("unknown_unit", unit=data["unit_name"])
        employee = None
        if data["nip"]:
            employee = existing.get(data["nip"])
            if employee is not None and employee.agency_id != self.agency.pk:
                row.reject("other_agency", agency=self._agency_name(employee.agency_id))
                employee = None
        elif data["kind"] == Employee.Kind.CONTRACT and data["birth_date"] is not None:
            employee = self.contract.get((importing.unit_key(data["name_plain"]), data["birth_date"]))
        employee_id = employee.id if employee else None
        if row.reasons:
            # Too long texts are invalid; staged cut to their columns.
            return (self.job_id, line, _INVALID, data["kind"], data["nip"], data["name"][:150],
                    data["name_plain"][:150], data["birth_place"][:100], data["birth_date"], data["gender"],
                    data["rank"][:60], data["position"][:200], unit_id, data["unit_name"][:200], data["status"][:60],
                    data["active"], employee_id, None, json.dumps(row.reasons), json.dumps(_jsonable(raw)))
        if employee is None:
            status, changes = _NEW, None
        else:
            changes = self._changes(employee, data, unit_id)
            status, changes = (_CHANGED, json.dumps(changes)) if changes else (_UNCHANGED, "{}")
        return ((self.job_id, line, status) + _STAGED_FIELDS(data)
                + (unit_id, data["unit_name"], data["status"], data["active"], employee_id, changes, None, None))

    def _changes(self, employee: "RegisterEntry", data: dict, unit_id) -> dict:
        current = (employee.kind, employee.name, employee.birth_place, employee.birth_date, employee.gender,
                   employee.rank, employee.position, employee.unit_id,
                   effective_status(employee.status, employee.active), employee.active)
        incoming = (data["kind"], data["name"], data["birth_place"], data["birth_date"], data["gender"], data["rank"],
                    data["position"], unit_id, data["status"], data["active"])  # in COMPARED order
        if current == incoming:
            return {}  # most rows of a re-import: equal values are never a change
        changes = {}
        for name, old, new in zip(COMPARED, current, incoming):
            if (old or None) != (new or None) and not (name == "active" and old == new):
                if name == "unit":
                    old, new = self.unit_names.get(old, ""), self.unit_names.get(new, "")
                elif name == "birth_date":
                    old, new = old.isoformat() if old else "", new.isoformat() if new else ""
                changes[name] = [old, new]
        return changes

    def _write(self, staged: list[tuple]) -> None:
        if self.postgres:  # in the worker thread: psycopg's own cursor
            with self.raw.cursor() as cursor, cursor.copy(f"COPY {self.write_sql} FROM STDIN") as copy:
                write_row = copy.write_row
                for values in staged:
                    write_row(values)
        else:
            # SQLite: one prepared INSERT for the batch (the ORM's bulk_create costs more than the parsing).
            marks = ", ".join(["%s"] * len(STAGE_COLUMNS))
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.executemany(f"INSERT INTO {self.write_sql} VALUES ({marks})", [
                    values[:8] + (values[8].isoformat() if values[8] else None,) + values[9:] for values in staged])


def _text_array(values) -> str:
    """A PostgreSQL array literal of texts, one parameter: thousands of numbers written in
    a fraction of the time psycopg takes to adapt a list of them one by one."""
    return "{" + ",".join(value if value.isdigit() and value.isascii()
                          else '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"' for value in values) + "}"


_REGISTER_VALUES = ("id", "agency_id", "kind", "nip", "name", "name_plain", "birth_place", "birth_date", "gender",
                    "rank", "position", "unit_id", "status", "active")
# A register entry as the preview reads it (plain tuples from the cursor, named).
RegisterEntry = namedtuple("RegisterEntry", _REGISTER_VALUES)
# The cleaned fields staged after (job, line, status), in STAGE_COLUMNS order.
_STAGED_FIELDS = itemgetter("kind", "nip", "name", "name_plain", "birth_place", "birth_date", "gender", "rank",
                            "position")
_NEW, _CHANGED, _UNCHANGED, _INVALID = (ImportRow.Status.NEW.value, ImportRow.Status.CHANGED.value,
                                        ImportRow.Status.UNCHANGED.value, ImportRow.Status.INVALID.value)


def effective_status(status: str, active: bool) -> str:
    """The status as exported: the stored text, or Aktif / Tidak Aktif where none was recorded."""
    return status or (importing.ACTIVE_STATUS if active else importing.INACTIVE_STATUS)


def _jsonable(raw: dict) -> dict:
    return {key: (value.isoformat() if hasattr(value, "isoformat") else
                  value if isinstance(value, (int, float, str, bool)) or value is None else str(value))
            for key, value in raw.items()}


def _finish_preview(job: ImportJob, *, fallback_lines: int) -> None:
    table = connection.ops.quote_name(ImportRow._meta.db_table)
    quote = connection.ops.quote_name
    # A NIP twice in the file: every occurrence is invalid (which one is right is for the agency to say).
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {table}")  # fresh statistics for the queries below and the commit
    duplicates = list(ImportRow.objects.filter(job=job, nip__isnull=False).values("nip")
                      .annotate(n=Count("pk")).filter(n__gt=1).values_list("nip", flat=True))
    for start in range(0, len(duplicates), 1000):
        doubled = list(ImportRow.objects.filter(job=job, nip__in=duplicates[start:start + 1000])
                       .only("pk", "reasons"))
        for row in doubled:
            row.reasons = (row.reasons or []) + [["duplicate_nip", {}]]
            row.status = ImportRow.Status.INVALID
            row.changes = None
        ImportRow.objects.bulk_update(doubled, ["reasons", "status", "changes"], batch_size=1000)
    # The agency's active employees that the file does not mention (by NIP, or by the match
    # found for contract staff): set inactive on commit if this is a full export.
    employees = quote(Employee._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {table} (job_id, line, status, kind, nip, name, name_plain, birth_place, birth_date,
                    gender, {quote('rank')}, {quote('position')}, unit_id, unit_name, status_text, active, employee_id)
                SELECT %s, 0, %s, e.kind, e.nip, e.name, e.name_plain, e.birth_place, e.birth_date, e.gender,
                       e.{quote('rank')}, e.{quote('position')}, e.unit_id, '', e.status, e.active, e.id
                FROM {employees} e
                WHERE e.agency_id = %s AND e.active = %s
                  AND NOT EXISTS (SELECT 1 FROM {table} r WHERE r.job_id = %s AND r.nip = e.nip)
                  AND NOT EXISTS (SELECT 1 FROM {table} r WHERE r.job_id = %s AND r.employee_id = e.id)""",
            [job.pk, ImportRow.Status.LEAVING, job.agency_id, True, job.pk, job.pk],
        )
    counts = dict(ImportRow.objects.filter(job=job).values_list("status").annotate(n=Count("pk")))
    ImportJob.objects.filter(pk=job.pk).update(
        state=ImportJob.State.PREVIEWED, progress=100,
        processed=sum(n for status, n in counts.items() if status != ImportRow.Status.LEAVING),
        rows_total=sum(n for status, n in counts.items() if status != ImportRow.Status.LEAVING),
        rows_new=counts.get("new", 0), rows_changed=counts.get("changed", 0),
        rows_unchanged=counts.get("unchanged", 0), rows_invalid=counts.get("invalid", 0),
        rows_leaving=counts.get("leaving", 0), fallback_lines=fallback_lines,
    )


# --- Commit -----------------------------------------------------------------------------------

def import_commit_run(*, job_id: int) -> None:
    """The commit job: apply the staged rows in one transaction, or nothing at all."""
    if not _claim(job_id, ImportJob.State.COMMIT_QUEUED, ImportJob.State.COMMITTING):
        return
    try:
        with transaction.atomic():
            _commit(job_id)
    except StaleImport:
        _fail(job_id, _("The register of this agency changed after this preview (another import was "
                        "committed). Run the preview again."))
    except IntegrityError:
        logger.exception("register import %s: commit refused by the database", job_id)
        _fail(job_id, _("The register changed while committing (an NIP was added elsewhere). Nothing was "
                        "changed; run the preview again."))
    except Exception as error:  # the database's or ours: nothing was applied
        logger.exception("register import %s: commit failed", job_id)
        _fail(job_id, _("The commit failed and nothing was changed: %(error)s") % {"error": error})


def _commit(job_id: int) -> None:
    job = ImportJob.objects.select_for_update(of=("self",)).select_related("agency", "committed_by").get(pk=job_id)
    if job.state != ImportJob.State.COMMITTING:
        return  # a second run of the task (re-queued while the first was still on it): already done
    # One commit per agency at a time; a preview that started before another commit is stale.
    Agency.objects.select_for_update().filter(pk=job.agency_id).exists()
    if ImportJob.objects.filter(agency_id=job.agency_id, state=ImportJob.State.COMMITTED,
                                committed_at__gt=job.previewed_at).exclude(pk=job.pk).exists():
        raise StaleImport
    now = timezone.now()
    actor = job.committed_by
    clock = time.perf_counter()
    created = _apply_new(job, actor, now)
    lap = time.perf_counter()
    updated = _apply_changed(job, actor, now)
    lap2 = time.perf_counter()
    deactivated = _apply_leaving(job, actor, now) if job.full_export else 0
    logger.info("register import %s: %s created in %.1f s, %s updated in %.1f s, %s deactivated in %.1f s", job.pk,
                created, lap - clock, updated, lap2 - lap, deactivated, time.perf_counter() - lap2)
    job.state = ImportJob.State.COMMITTED
    job.committed_at = now
    job.progress = 100
    job.processed = job.rows_total
    job.rows_deactivated = deactivated
    job.save(update_fields=["state", "committed_at", "progress", "processed", "rows_deactivated"])
    by_api = job.format == ImportJob.Format.ROWS
    exchange_log_record(direction=ExchangeLog.Direction.IMPORT, dataset=REGISTER_DATASET,
                        partner=job.original_name if by_api else job.agency.name, agency=job.agency, actor=actor,
                        rows=job.rows_total, checksum=job.sha256, file_format="json" if by_api else job.format,
                        channel=ExchangeLog.Channel.API if by_api else ExchangeLog.Channel.FILE, job=job)
    audit_record(actor=actor, action="registry.import_committed", target=job, data={
        "agency": job.agency_id, "file": job.original_name, "sha256": job.sha256, "rows": job.rows_total,
        "created": created, "updated": updated, "unchanged": job.rows_unchanged, "invalid": job.rows_invalid,
        "deactivated": deactivated, "full_export": job.full_export,
    })


def _sql(statement: str, params: list) -> int:
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        count = cursor.rowcount
    logger.debug("%s rows in %.2f s: %s", count, time.perf_counter() - started, " ".join(statement.split())[:80])
    return count


def _names():
    quote = connection.ops.quote_name
    return (quote(Employee._meta.db_table), quote(ImportRow._meta.db_table),
            quote(EmployeeChange._meta.db_table), quote("rank"), quote("position"))


def _apply_new(job, actor, now) -> int:
    employees, rows, changes, rank, position = _names()
    actor_id = actor.pk if actor else None
    insert = f"""INSERT INTO {employees} (kind, nip, name, name_plain, birth_place, birth_date, gender, {rank},
                {position}, agency_id, unit_id, active, status, nik)
            SELECT kind, nip, name, name_plain, birth_place, birth_date, gender, {rank}, {position}, %s, unit_id,
                   active, status_text, NULL
            FROM {rows} WHERE job_id = %s AND status = %s AND nip IS NOT NULL"""
    history = [EmployeeChange.Kind.CREATED, "{}", actor_id, "import", now]
    if connection.vendor == "postgresql":
        # The history rows from the inserted ids in the same statement (no join back on NIP).
        created = _sql(
            f"""WITH created AS ({insert} RETURNING id)
                INSERT INTO {changes} (employee_id, job_id, kind, changes, actor_id, source, created_at)
                SELECT id, %s, %s, %s, %s, %s, %s FROM created""",
            [job.agency_id, job.pk, ImportRow.Status.NEW, job.pk, *history])
    else:
        created = _sql(insert, [job.agency_id, job.pk, ImportRow.Status.NEW])
        _sql(
            f"""INSERT INTO {changes} (employee_id, job_id, kind, changes, actor_id, source, created_at)
                SELECT e.id, %s, %s, %s, %s, %s, %s
                FROM {rows} r JOIN {employees} e ON e.nip = r.nip
                WHERE r.job_id = %s AND r.status = %s AND r.nip IS NOT NULL""",
            [job.pk, *history, job.pk, ImportRow.Status.NEW])
    # Contract staff have no number to join on: created through the ORM (they are few).
    staged = ImportRow.objects.filter(job=job, status=ImportRow.Status.NEW, nip__isnull=True).order_by("pk")
    batch = []
    for row in staged.iterator(chunk_size=2000):
        batch.append(Employee(kind=row.kind, nip=None, name=row.name, name_plain=row.name_plain,
                              birth_place=row.birth_place, birth_date=row.birth_date, gender=row.gender,
                              rank=row.rank, position=row.position, agency_id=job.agency_id, unit_id=row.unit_id,
                              active=row.active, status=row.status_text))
        if len(batch) >= 1000:
            created += _create_contract(batch, job, actor, now)
            batch = []
    if batch:
        created += _create_contract(batch, job, actor, now)
    return created


def _create_contract(batch, job, actor, now) -> int:
    employees = Employee.objects.bulk_create(batch)
    EmployeeChange.objects.bulk_create([
        EmployeeChange(employee=employee, job=job, kind=EmployeeChange.Kind.CREATED, changes={}, actor=actor,
                       created_at=now) for employee in employees])
    return len(employees)


def _apply_changed(job, actor, now) -> int:
    employees, rows, changes, rank, position = _names()
    updated = _sql(
        f"""UPDATE {employees} AS e
            SET kind = r.kind, name = r.name, name_plain = r.name_plain, birth_place = r.birth_place,
                birth_date = r.birth_date, gender = r.gender, {rank} = r.{rank}, {position} = r.{position},
                unit_id = r.unit_id, status = r.status_text, active = r.active
            FROM {rows} AS r
            WHERE r.job_id = %s AND r.status = %s AND e.id = r.employee_id""",
        [job.pk, ImportRow.Status.CHANGED])
    _sql(
        f"""INSERT INTO {changes} (employee_id, job_id, kind, changes, actor_id, source, created_at)
            SELECT r.employee_id, r.job_id, %s, r.changes, %s, %s, %s
            FROM {rows} r WHERE r.job_id = %s AND r.status = %s""",
        [EmployeeChange.Kind.UPDATED, actor.pk if actor else None, "import", now, job.pk,
         ImportRow.Status.CHANGED])
    return updated


def _apply_leaving(job, actor, now) -> int:
    count = 0
    leaving = ImportRow.objects.filter(job=job, status=ImportRow.Status.LEAVING).order_by("pk")
    batch = []
    for row in leaving.iterator(chunk_size=2000):
        batch.append(row)
        if len(batch) >= 2000:
            count += _deactivate(batch, job, actor, now)
            batch = []
    if batch:
        count += _deactivate(batch, job, actor, now)
    return count


def _deactivate(rows, job, actor, now) -> int:
    ids = [row.employee_id for row in rows]
    # Only those still active: someone may have changed them since the preview.
    still = set(Employee.objects.filter(pk__in=ids, active=True).values_list("pk", flat=True))
    Employee.objects.filter(pk__in=still).update(active=False, status=importing.INACTIVE_STATUS)
    EmployeeChange.objects.bulk_create([
        EmployeeChange(employee_id=row.employee_id, job=job, kind=EmployeeChange.Kind.DEACTIVATED, actor=actor,
                       created_at=now, changes={"active": [True, False],
                                                "status": [effective_status(row.status_text, True),
                                                           importing.INACTIVE_STATUS]})
        for row in rows if row.employee_id in still])
    return len(still)


# --- Export ------------------------------------------------------------------------------------

def register_export_values(agency: Agency):
    """The agency's register as value rows, in a stable order (the API pages over it)."""
    return (Employee.objects.filter(agency=agency).order_by("pk")
            .values("nip", "name", "birth_place", "birth_date", "gender", "kind", "rank", "position",
                    "unit__name", "status", "active"))


def register_export_row(values: dict) -> dict:
    """One value row of ``register_export_values`` as the register's exchanged fields."""
    row = {key: value for key, value in values.items() if key not in {"unit__name", "active"}}
    row["unit_name"] = values["unit__name"] or ""
    row["status"] = effective_status(values["status"], values["active"])
    return row


def register_export_rows(agency: Agency):
    """The agency's register as dicts of register fields, streamed (for files)."""
    for values in register_export_values(agency).iterator(chunk_size=2000):
        yield register_export_row(values)


def register_export(*, actor, agency: Agency, file_format: str):
    """Write the agency's register to a temporary file in the import's own columns.

    Returns (file object at its start, rows, SHA-256); the exchange log and the audit log
    record the export. The caller sends the file and closes it.
    """
    _require_exchange(actor, agency)
    if file_format not in {"csv", "xlsx"}:
        raise ValidationError(_("Unknown export format."), code="format")
    out = tempfile.TemporaryFile()
    headers = [importing.EXPORT_HEADERS[name] for name in importing.FIELDS]
    count = 0
    # Names and positions come from partner systems and uploads: no cell may run as a formula.
    if file_format == "csv":
        text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
        writer = csv_writer(text, delimiter=";")
        writer.writerow(headers)
        for employee in register_export_rows(agency):
            writer.writerow(importing.export_row(employee))
            count += 1
        text.flush()
        text.detach()
    else:
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = xlsx_sheet(workbook.create_sheet("Pegawai"))
        sheet.append(headers)
        for employee in register_export_rows(agency):
            sheet.append(importing.export_row(employee))
            count += 1
        workbook.save(out)
    out.seek(0)
    digest = hashlib.sha256()
    for chunk in iter(lambda: out.read(1024 * 1024), b""):
        digest.update(chunk)
    out.seek(0)
    with transaction.atomic():
        exchange_log_record(direction=ExchangeLog.Direction.EXPORT, dataset=REGISTER_DATASET, partner=agency.name,
                            agency=agency, actor=actor, rows=count, checksum=digest.hexdigest(),
                            file_format=file_format)
        audit_record(actor=actor, action="registry.exported", target=agency,
                     data={"format": file_format, "rows": count, "sha256": digest.hexdigest()})
    return out, count, digest.hexdigest()


def import_job_sample(job: ImportJob, count: int = 3) -> list[list[str]]:
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
