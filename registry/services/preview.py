"""The preview of an import: clean, classify and stage every row; the register is not touched.

Two entry points: ``import_preview_run``, the background job over an uploaded file, and
``import_job_from_rows``, rows sent by another system (the API's register batch upsert),
previewed synchronously. Both stage through ``RowStager`` and end with ``_finish_preview``
(NIPs twice in the file, the agency's employees absent from it).
"""

import gc
import hashlib
import json
import logging
import re
from collections import namedtuple
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date
from operator import itemgetter
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from organizations.models import Agency, Unit
from registry import identity, importing
from registry.models import Employee, ImportJob, ImportRow
from registry.services.exchange import require_exchange
from registry.services.import_jobs import import_job_claim, import_job_fail

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)

# Below the space, except tab and line breaks (spacing, which the cleaning folds), and DEL.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
BATCH_SIZE = 5000
# The staged columns, in COPY order.
STAGE_COLUMNS = ("job_id", "line", "status", "kind", "nip", "name", "name_plain", "birth_place", "birth_date",
                 "gender", "rank", "position", "unit_id", "unit_name", "status_text", "active", "employee_id",
                 "changes", "reasons", "raw", "title_prefix", "title_suffix", "position_class",
                 "register_number", "nik", "nik_hash")
# Fields compared between a row and the register entry (``changes`` names them so).
COMPARED = ("kind", "name", "birth_place", "birth_date", "gender", "rank", "position", "unit", "status", "active",
            "title_prefix", "title_suffix")


def import_preview_run(*, job_id: int, today: date | None = None) -> None:
    """The preview job: classify and stage every row of the file. Never touches the register."""
    # previewed_at is when the preview started reading the register: a commit after it
    # makes this preview stale (``registry.services.commit``).
    if not import_job_claim(job_id=job_id, queued=ImportJob.State.PREVIEW_QUEUED, running=ImportJob.State.PREVIEWING,
                            previewed_at=timezone.now()):
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
        import_job_fail(job_id=job_id, message=_("The preview failed: %(error)s") % {"error": error})


def import_job_from_rows(*, actor: "User", agency: Agency, rows: list[dict], partner: str) -> ImportJob:
    """Preview rows sent by another system (dicts of raw values by field name, as a file's
    columns would give them), synchronously: the register batch upsert of the API.

    The job is then committed like a file's (``import_job_commit``), and logged as an API
    exchange with ``partner`` as its label.
    """
    require_exchange(actor=actor, agency=agency)
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
        import_job_fail(job_id=job.pk, message=_("The preview failed: %(error)s") % {"error": error})
        raise
    job.refresh_from_db()
    return job


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
        self.secret = settings.SECRET_KEY  # the NIK's keyed hash (registry.identity)
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
        self.contract_numbers = {}  # by register number (registry.identity), which wins over the name
        for employee in Employee.objects.filter(agency=self.agency, kind=Employee.Kind.CONTRACT).values_list(
                *_REGISTER_VALUES):
            employee = RegisterEntry._make(employee)
            key = (importing.unit_key(employee.name_plain or importing.plain_name(employee.name)),
                   employee.birth_date)
            self.contract.setdefault(key, employee)
            if employee.register_number:
                self.contract_numbers[employee.register_number] = employee
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
        elif data["kind"] == Employee.Kind.CONTRACT and data["register_number"]:
            employee = self.contract_numbers.get(data["register_number"])
            if employee is None:
                row.reject("unknown_register_number", value=identity.format_register_number(data["register_number"]))
        elif data["kind"] == Employee.Kind.CONTRACT and data["birth_date"] is not None:
            employee = self.contract.get((importing.unit_key(data["name_plain"]), data["birth_date"]))
        employee_id = employee.id if employee else None
        nik = data["nik"]
        if row.reasons:
            # Too long texts are invalid; staged cut to their columns.
            return (self.job_id, line, _INVALID, data["kind"], data["nip"], data["name"][:150],
                    data["name_plain"][:150], data["birth_place"][:100], data["birth_date"], data["gender"],
                    data["rank"][:60], data["position"][:200], unit_id, data["unit_name"][:200], data["status"][:60],
                    data["active"], employee_id, None, json.dumps(row.reasons), json.dumps(_jsonable(_without_nik(raw))),
                    data["title_prefix"][:60], data["title_suffix"][:100], data["position_class"],
                    data["register_number"], None, None)
        nik_hash = identity.nik_digest(nik, self.secret) if nik else None
        if employee is None:
            status, changes = _NEW, None
        else:
            changes = self._changes(employee, data, unit_id)
            if nik_hash and nik_hash != employee.nik_hash:
                changes["nik"] = ["•" * 16 if employee.nik_hash else "", identity.mask_nik(nik)]
            status, changes = (_CHANGED, json.dumps(changes)) if changes else (_UNCHANGED, "{}")
        return ((self.job_id, line, status) + _STAGED_FIELDS(data)
                + (unit_id, data["unit_name"], data["status"], data["active"], employee_id, changes, None, None,
                   data["title_prefix"], data["title_suffix"], data["position_class"], data["register_number"],
                   _NIK_FIELD.get_prep_value(nik) if nik else None, nik_hash))

    def _changes(self, employee: "RegisterEntry", data: dict, unit_id) -> dict:
        current = (employee.kind, employee.name, employee.birth_place, employee.birth_date, employee.gender,
                   employee.rank, employee.position, employee.unit_id,
                   importing.effective_status(employee.status, employee.active), employee.active,
                   employee.title_prefix, employee.title_suffix)
        incoming = (data["kind"], data["name"], data["birth_place"], data["birth_date"], data["gender"], data["rank"],
                    data["position"], unit_id, data["status"], data["active"], data["title_prefix"],
                    data["title_suffix"])  # in COMPARED order
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
                    "rank", "position", "unit_id", "status", "active", "title_prefix", "title_suffix",
                    "register_number", "nik_hash")
# Encrypts a NIK for the staging table as the model field would (netral.crypto).
_NIK_FIELD = ImportRow._meta.get_field("nik")
# A register entry as the preview reads it (plain tuples from the cursor, named).
RegisterEntry = namedtuple("RegisterEntry", _REGISTER_VALUES)
# The cleaned fields staged after (job, line, status), in STAGE_COLUMNS order.
_STAGED_FIELDS = itemgetter("kind", "nip", "name", "name_plain", "birth_place", "birth_date", "gender", "rank",
                            "position")
_NEW, _CHANGED, _UNCHANGED, _INVALID = (ImportRow.Status.NEW.value, ImportRow.Status.CHANGED.value,
                                        ImportRow.Status.UNCHANGED.value, ImportRow.Status.INVALID.value)


def _without_nik(raw: dict) -> dict:
    """The file's values kept for an invalid row, without a NIK (never stored in clear): the NIK
    column, and a 16-digit number in the NIP column (a "NIP/NIK" column), are masked."""
    if "nik" not in raw and not _is_nik(raw.get("nip")):
        return raw
    raw = dict(raw)
    for key in ("nik", "nip"):
        if key in raw and (key == "nik" or _is_nik(raw[key])) and raw[key] not in (None, ""):
            raw[key] = identity.mask_nik(importing.nip_text(raw[key]))
    return raw


def _is_nik(value) -> bool:
    if value in (None, ""):
        return False
    digits = importing.nip_text(value)
    return len(digits) == 16 and digits.isdigit()


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
                    gender, {quote('rank')}, {quote('position')}, unit_id, unit_name, status_text, active, employee_id,
                    title_prefix, title_suffix, position_class)
                SELECT %s, 0, %s, e.kind, e.nip, e.name, e.name_plain, e.birth_place, e.birth_date, e.gender,
                       e.{quote('rank')}, e.{quote('position')}, e.unit_id, '', e.status, e.active, e.id,
                       e.title_prefix, e.title_suffix, e.position_class
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
