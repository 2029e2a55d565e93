"""The commit of an import: one transaction applies the staged rows, or nothing at all.

Set-based SQL, the same statements on both databases (INSERT ... SELECT, UPDATE ... FROM):
new employees with their history, changed ones (then the hooks of the apps above registry,
registry.hooks, with the changed entries), and, for a full export, the agency's employees the
file no longer lists set inactive; then one exchange-log row and one audit entry.
"""

import logging
import time

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from organizations.models import Agency
from registry import identity, importing
from registry.hooks import entries_changed
from registry.models import Employee, EmployeeChange, ExchangeLog, ImportJob, ImportRow
from registry.selectors import REGISTER_DATASET
from registry.services.exchange import exchange_log_record
from registry.services.import_jobs import import_job_claim, import_job_fail

logger = logging.getLogger(__name__)


class StaleImport(Exception):
    """Another import of the agency was committed after this one's preview started."""


def import_commit_run(*, job_id: int) -> None:
    """The commit job: apply the staged rows in one transaction, or nothing at all."""
    if not import_job_claim(job_id=job_id, queued=ImportJob.State.COMMIT_QUEUED, running=ImportJob.State.COMMITTING):
        return
    try:
        with transaction.atomic():
            _commit(job_id)
    except StaleImport:
        import_job_fail(job_id=job_id, message=_("The register of this agency changed after this preview (another "
                                                 "import was committed). Run the preview again."))
    except IntegrityError:
        logger.exception("register import %s: commit refused by the database", job_id)
        import_job_fail(job_id=job_id, message=_("The register changed while committing (an NIP was added "
                                                 "elsewhere). Nothing was changed; run the preview again."))
    except Exception as error:  # the database's or ours: nothing was applied
        logger.exception("register import %s: commit failed", job_id)
        import_job_fail(job_id=job_id,
                        message=_("The commit failed and nothing was changed: %(error)s") % {"error": error})


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
    # The apps above registry re-derive what the changed entries moved (cases.person_key), in this
    # transaction (registry.hooks): the staged rows as a subquery, whatever their number.
    entries_changed(rows=ImportRow.objects.filter(job_id=job.pk, status=ImportRow.Status.CHANGED))
    lap3 = time.perf_counter()
    deactivated = _apply_leaving(job, actor, now) if job.full_export else 0
    logger.info("register import %s: %s created in %.1f s, %s updated in %.1f s, hooks in %.1f s, "
                "%s deactivated in %.1f s", job.pk, created, lap - clock, updated, lap2 - lap, lap3 - lap2,
                deactivated, time.perf_counter() - lap3)
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
                {position}, agency_id, unit_id, active, status, nik, title_prefix, title_suffix, position_class,
                email)
            SELECT kind, nip, name, name_plain, birth_place, birth_date, gender, {rank}, {position}, %s, unit_id,
                   active, status_text, NULL, title_prefix, title_suffix, position_class, ''
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
                              active=row.active, status=row.status_text, title_prefix=row.title_prefix,
                              title_suffix=row.title_suffix, position_class=row.position_class,
                              # bulk_create skips save(): the register number and NIK hash are set here.
                              register_number=row.register_number or identity.new_register_number(),
                              nik=row.nik, nik_hash=row.nik_hash))
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
                unit_id = r.unit_id, status = r.status_text, active = r.active, title_prefix = r.title_prefix,
                title_suffix = r.title_suffix, position_class = r.position_class,
                nik = COALESCE(r.nik, e.nik), nik_hash = COALESCE(r.nik_hash, e.nik_hash)
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
                                                "status": [importing.effective_status(row.status_text, True),
                                                           importing.INACTIVE_STATUS]})
        for row in rows if row.employee_id in still])
    return len(still)
