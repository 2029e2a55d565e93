"""Files as personnel systems and people really make them: formulas, merged cells, not a spreadsheet."""

import io
import re
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from registry import importing
from registry.importing import clean_row, detect_mapping
from registry.models import ImportJob
from registry.services.import_jobs import import_job_create, import_job_preview
from registry.tests.test_importing import PNS_NIP, TODAY

pytestmark = pytest.mark.django_db


def workbook_with_formulas_and_merged_headers() -> bytes:
    """A title merged across the sheet, a merged two-row header, and the name as a formula
    whose value Excel cached in the file (as Excel does on every save)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["DAFTAR NOMINATIF PEGAWAI NEGERI SIPIL"])
    sheet.merge_cells("A1:E1")
    sheet.append(["NIP", "Nama", "Tanggal Lahir", "Jenis Kelamin", "Unit Kerja"])
    sheet.append([None, None, None, None, None])  # the second row of the merged header cells
    for column in "ABCDE":
        sheet.merge_cells(f"{column}2:{column}3")
    sheet.append([PNS_NIP, '=CONCATENATE("Ahmad"," ","Yani")', "15-03-1985", "L", "Dinas Kesehatan"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    # openpyxl writes formulas without their value; put the value Excel would have cached.
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<c r="B4"([^>]*)><f>(.*?)</f><v\s*/?>(</v>)?</c>',
                              rb'<c r="B4" t="str"><f>\2</f><v>Ahmad Yani</v></c>', data)
                assert b"<v>Ahmad Yani</v>" in data
            target.writestr(item, data)
    return out.getvalue()


def test_an_xlsx_with_formulas_and_merged_header_cells_is_read_by_its_values():
    table = importing.open_table(io.BytesIO(workbook_with_formulas_and_merged_headers()), file_format="xlsx")
    info = importing.find_header(table)
    assert info.headers[:5] == ["NIP", "Nama", "Tanggal Lahir", "Jenis Kelamin", "Unit Kerja"]
    rows = [values for _line, values in importing.data_rows(table, info.header_row) if any(values)]
    [values] = rows
    raw = importing.map_values(values, detect_mapping(info.headers))
    assert raw["name"] == "Ahmad Yani"  # the cached value, not the formula
    assert clean_row(raw, today=TODAY).valid


def test_the_same_workbook_goes_through_upload_and_preview(django_capture_on_commit_callbacks, pemda_beltim,
                                                            agencies):
    upload = SimpleUploadedFile("nominatif.xlsx", workbook_with_formulas_and_merged_headers())
    job = import_job_create(actor=pemda_beltim, agency=agencies["beltim"], upload=upload)
    with django_capture_on_commit_callbacks(execute=True):
        import_job_preview(job=job, actor=pemda_beltim, mapping=job.mapping)
    job.refresh_from_db()
    assert job.state == ImportJob.State.PREVIEWED
    assert (job.rows_new, job.rows_invalid) == (1, 0)


@pytest.mark.parametrize("name, content", [
    ("pegawai.csv", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8),  # a photo renamed .csv
    ("pegawai.xlsx", b"PK\x03\x04" + b"\x00" * 200),  # a broken archive
    ("pegawai.xlsx", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n"),  # a PDF renamed .xlsx
])
def test_a_file_that_is_not_a_spreadsheet_is_refused_and_leaves_nothing(pemda_beltim, agencies, settings, name,
                                                                        content):
    with pytest.raises(ValidationError) as error:
        import_job_create(actor=pemda_beltim, agency=agencies["beltim"],
                          upload=SimpleUploadedFile(name, content))
    assert error.value.messages and all(message.strip() for message in error.value.messages)
    assert not ImportJob.objects.exists()
    assert not [path for path in settings.MEDIA_ROOT.glob("**/*") if path.is_file()]
