"""The agency's register going out: as value rows (the API pages over them) or as a CSV/Excel file.

A file has the import's own columns (``importing.EXPORT_HEADERS``), so that an agency can
read it back in; every file export is logged (exchange log and audit log).
"""

import hashlib
import io
import tempfile
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audit.services import audit_record
from netral.spreadsheets import csv_writer, xlsx_sheet
from organizations.models import Agency
from registry import importing
from registry.models import Employee, ExchangeLog
from registry.selectors import REGISTER_DATASET
from registry.services.exchange import exchange_log_record, require_exchange

if TYPE_CHECKING:
    from accounts.models import User


def register_export_values(*, agency: Agency):
    """The agency's register as value rows, in a stable order (the API pages over it)."""
    return (Employee.objects.filter(agency=agency).order_by("pk")
            .values("nip", "name", "birth_place", "birth_date", "gender", "kind", "rank", "position",
                    "unit__name", "status", "active", "title_prefix", "title_suffix", "register_number"))


def register_export_row(*, values: dict) -> dict:
    """One value row of ``register_export_values`` as the register's exchanged fields."""
    row = {key: value for key, value in values.items() if key not in {"unit__name", "active"}}
    row["unit_name"] = values["unit__name"] or ""
    row["status"] = importing.effective_status(values["status"], values["active"])
    return row


def register_export_rows(*, agency: Agency):
    """The agency's register as dicts of register fields, streamed (for files)."""
    for values in register_export_values(agency=agency).iterator(chunk_size=2000):
        yield register_export_row(values=values)


def register_export(*, actor: "User", agency: Agency, file_format: str):
    """Write the agency's register to a temporary file in the import's own columns.

    Returns (file object at its start, rows, SHA-256); the exchange log and the audit log
    record the export. The caller sends the file and closes it.
    """
    require_exchange(actor=actor, agency=agency)
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
        for employee in register_export_rows(agency=agency):
            writer.writerow(importing.export_row(employee))
            count += 1
        text.flush()
        text.detach()
    else:
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = xlsx_sheet(workbook.create_sheet("Pegawai"))
        sheet.append(headers)
        for employee in register_export_rows(agency=agency):
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
