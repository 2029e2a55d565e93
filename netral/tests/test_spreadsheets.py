"""Cells that a spreadsheet would run are written as text (netral/spreadsheets.py), and every writer uses it."""

import csv
import io
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from netral.spreadsheets import cell_text, csv_writer, neutralise, xlsx_sheet

PAYLOAD = "=cmd|' /C calc'!A0"


@pytest.mark.parametrize(("text", "written"), [
    pytest.param(PAYLOAD, "'" + PAYLOAD, id="dde-command"),
    pytest.param("+SUM(A1:A9)", "'+SUM(A1:A9)", id="plus"),
    pytest.param("-2+3", "'-2+3", id="minus"),
    pytest.param("@SUM(A1)", "'@SUM(A1)", id="at"),
    pytest.param("\t=1+1", "'\t=1+1", id="tab"),
    pytest.param("\r=1+1", "'\r=1+1", id="carriage-return"),
    pytest.param("\uff1d1+1", "'\uff1d1+1", id="full-width-equals"),
    pytest.param("Dinas Kesehatan", "Dinas Kesehatan", id="plain"),
    pytest.param("", "", id="empty"),
    pytest.param("Kepala Seksi = Kasi", "Kepala Seksi = Kasi", id="equals-inside"),
])
def test_a_text_that_would_run_gets_a_leading_apostrophe_and_reads_back_unchanged(text, written):
    assert neutralise(text) == written
    assert cell_text(written) == text


def test_the_csv_writer_neutralises_text_and_keeps_numbers_and_dates():
    out = io.StringIO()
    writer = csv_writer(out, delimiter=";")
    writer.writerow([PAYLOAD, -5, 2.5, Decimal("-1.5"), date(2024, 11, 27), None, True, "-5"])
    writer.writerows([["@x"], ["ok"]])
    rows = list(csv.reader(io.StringIO(out.getvalue()), delimiter=";"))
    assert rows == [["'" + PAYLOAD, "-5", "2.5", "-1.5", "2024-11-27", "", "True", "'-5"], ["'@x"], ["ok"]]


def test_xlsx_text_cells_are_strings_never_formulas_and_number_looking_text_stays_text():
    book = Workbook(write_only=True)
    sheet = xlsx_sheet(book.create_sheet("Data"))
    sheet.append([PAYLOAD, "198503152010012002", "#N/A", "bad\x01char", 7, 2.5, None, date(2024, 11, 27)])
    out = io.BytesIO()
    book.save(out)
    row = next(load_workbook(io.BytesIO(out.getvalue())).worksheets[0].iter_rows())
    text, nip, error, control, number, decimal, empty, day = row
    assert [cell.data_type for cell in (text, nip, error, control)] == ["s", "s", "s", "s"]
    assert text.value == "'" + PAYLOAD and nip.value == "198503152010012002" and error.value == "#N/A"
    assert control.value == "badchar"  # not storable in a workbook: dropped, not a broken file
    assert (number.value, decimal.value, day.value.date(), empty.value) == (7, 2.5, date(2024, 11, 27), None)
    assert number.data_type == "n"


ROOT = Path(__file__).resolve().parents[2]
SKIPPED = {"bench", "node_modules", "data", ".git"}  # and every virtualenv (.venv, .venv-load, ...)
RAW_WRITERS = re.compile(r"\bcsv\.(writer|DictWriter)\(|\.create_sheet\(")


def test_every_csv_and_excel_writer_of_the_project_goes_through_the_one_helper():
    """A new export that calls csv.writer or a bare openpyxl sheet fails here (tests and bench excepted)."""
    offenders = []
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        if parts[0] in SKIPPED or parts[0].startswith(".venv") or "tests" in parts or "migrations" in parts or path.name == "spreadsheets.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if RAW_WRITERS.search(line) and "xlsx_sheet(" not in line:
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []
