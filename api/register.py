"""The register exchange and the exchange log through the partner API (same services as the files).

A Pemda's system sends its register as rows (batch upsert): the rows are previewed at once,
exactly as a file's would be (new, changed, unchanged, invalid with reasons, leaving), and
committed on request by the background worker; the export pages through the agency's
register. Each call is an exchange in the log, with the token's name as the partner.
"""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Field, Schema

from api.models import Scope
from api.partner import log_exchange, paginated, partner, router
from api.schemas import PARTNER_PROBLEMS, Id, Page, PageSize


class EmployeeRow(Schema):
    nip: str | None = None
    name: str
    title_prefix: str = Field("", description="Degrees written before the name (GELAR DEPAN), e.g. \"dr.\".")
    title_suffix: str = Field("", description="Degrees written after the name (GELAR BELAKANG), e.g. \"S.Kom.\".")
    birth_place: str = ""
    birth_date: date | None = None
    gender: str = ""
    kind: str = ""
    rank: str = ""
    position: str = ""
    unit_name: str = ""
    status: str = ""
    register_number: str | None = Field(
        None, description="The register's own number of a contract employee without NIP (10 characters, "
                          "stable): with the birth date it stands for the NIP. Null for an ASN.")


class RegisterPage(Schema):
    count: int
    page: int
    results: list[EmployeeRow]


class BatchIn(Schema):
    rows: list[dict[str, str | int | float | None]]
    full_export: bool = False
    commit: bool = False


class InvalidRow(Schema):
    line: int
    nip: str | None
    reasons: list[str]


class BatchOut(Schema):
    id: int
    state: str
    full_export: bool
    rows_total: int
    rows_new: int
    rows_changed: int
    rows_unchanged: int
    rows_invalid: int
    rows_leaving: int
    rows_deactivated: int
    error: str
    invalid: list[InvalidRow]


class ExchangeOut(Schema):
    id: int
    created_at: datetime
    direction: str
    channel: str
    dataset: str
    format: str
    partner: str
    agency: str | None
    rows: int
    checksum: str


class ExchangePage(Schema):
    count: int
    page: int
    results: list[ExchangeOut]


def _agency(request):
    user = request.auth.user
    if user.agency_id is None:
        raise PermissionDenied  # the register is exchanged per agency: an agency's account
    return user.agency


def _batch_out(job) -> dict:
    from registry.models import ImportRow

    invalid = (ImportRow.objects.filter(job=job, status=ImportRow.Status.INVALID).order_by("line")
               .only("line", "nip", "reasons")[:100])
    return {"id": job.pk, "state": job.state, "full_export": job.full_export, "rows_total": job.rows_total,
            "rows_new": job.rows_new, "rows_changed": job.rows_changed, "rows_unchanged": job.rows_unchanged,
            "rows_invalid": job.rows_invalid, "rows_leaving": job.rows_leaving,
            "rows_deactivated": job.rows_deactivated, "error": job.error,
            "invalid": [{"line": row.line, "nip": row.nip, "reasons": row.reason_texts} for row in invalid]}


@router.get("/register", response=RegisterPage, url_name="partner_register",
            openapi_extra=PARTNER_PROBLEMS,
            summary="The agency's ASN register, page by page (an export)")
@partner(Scope.REGISTER_READ)
def register(request, page: Page = 1, page_size: PageSize = 200):
    from registry.models import ExchangeLog
    from registry.selectors import REGISTER_DATASET
    from registry.services.exchange import can_exchange_register
    from registry.services.export import register_export_row, register_export_values

    agency = _agency(request)
    if not can_exchange_register(user=request.auth.user, agency=agency):
        raise PermissionDenied
    count, rows = paginated(register_export_values(agency=agency), page, page_size)
    results = [register_export_row(values=row) for row in rows]
    log_exchange(request, direction=ExchangeLog.Direction.EXPORT, dataset=REGISTER_DATASET, payload=results,
                 agency=agency)
    return {"count": count, "page": page, "results": results}


@router.post("/register/batches", response=BatchOut, url_name="partner_register_batch",
            openapi_extra=PARTNER_PROBLEMS,
             summary="Send register rows (batch upsert): previewed at once, committed on request")
@partner(Scope.REGISTER_WRITE)
def register_batch(request, batch: BatchIn):
    from registry.services.import_jobs import import_job_commit
    from registry.services.preview import import_job_from_rows

    agency = _agency(request)
    rows = [{key: "" if value is None else str(value) for key, value in row.items()} for row in batch.rows]
    job = import_job_from_rows(actor=request.auth.user, agency=agency, rows=rows, partner=request.auth.name)
    if batch.commit:
        job = import_job_commit(job=job, actor=request.auth.user, full_export=batch.full_export)
    return _batch_out(job)


def _job(request, batch_id: Id):
    from registry.models import ImportJob

    job = ImportJob.objects.filter(pk=batch_id, agency_id=request.auth.user.agency_id).first()
    if job is None:
        raise Http404
    return job


@router.get("/register/batches/{batch_id}", response=BatchOut, url_name="partner_register_batch_status",
            openapi_extra=PARTNER_PROBLEMS,
            summary="A batch's state, counts and invalid rows with their reasons")
@partner(Scope.REGISTER_WRITE)
def register_batch_status(request, batch_id: Id):
    return _batch_out(_job(request, batch_id))


@router.post("/register/batches/{batch_id}/commit", response=BatchOut, url_name="partner_register_batch_commit",
            openapi_extra=PARTNER_PROBLEMS,
             summary="Apply a previewed batch (its good rows), in the background")
@partner(Scope.REGISTER_WRITE)
def register_batch_commit(request, batch_id: Id, full_export: bool = False):
    from registry.services.import_jobs import import_job_commit

    return _batch_out(import_job_commit(job=_job(request, batch_id), actor=request.auth.user,
                                       full_export=full_export))


@router.get("/exchanges", response=ExchangePage, url_name="partner_exchanges",
            openapi_extra=PARTNER_PROBLEMS,
            summary="The exchange log the account may read")
@partner(Scope.EXCHANGE_READ)
def exchanges(request, page: Page = 1, page_size: PageSize = 50):
    from registry.selectors import exchange_log_for

    count, rows = paginated(exchange_log_for(request.auth.user).select_related("agency"), page, page_size)
    return {"count": count, "page": page, "results": [
        {"id": row.pk, "created_at": row.created_at, "direction": row.direction, "channel": row.channel,
         "dataset": row.dataset, "format": row.format, "partner": row.partner,
         "agency": row.agency.name if row.agency else None, "rows": row.rows, "checksum": row.checksum}
        for row in rows]}
