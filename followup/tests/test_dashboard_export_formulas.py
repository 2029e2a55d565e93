"""The compliance export writes agency and region names as text: a name like "=cmd|..." never runs."""

import csv
import io

from openpyxl import load_workbook

from followup.dashboard_export import Table, write_csv, write_xlsx

PAYLOAD = "=cmd|' /C calc'!A0"
TABLES = [Table("Instansi", "Per instansi", ["Instansi", "Wilayah", "Diterima", "Tepat waktu (%)"],
                [[PAYLOAD, "-Wilayah", 3, 33.3], ["Pemerintah Kabupaten Belitung Timur", "", 2, ""]])]


def test_the_csv_export_writes_a_formula_as_text_and_keeps_the_figures():
    rows = list(csv.reader(io.StringIO(write_csv(TABLES).decode("utf-8-sig")), delimiter=";"))
    assert rows[2] == ["'" + PAYLOAD, "'-Wilayah", "3", "33.3"]
    assert rows[3] == ["Pemerintah Kabupaten Belitung Timur", "", "2", ""]


def test_the_excel_export_writes_names_as_string_cells_and_figures_as_numbers():
    sheet = load_workbook(io.BytesIO(write_xlsx(TABLES))).worksheets[0]
    name, region, received, rate = next(sheet.iter_rows(min_row=2, max_row=2))
    assert (name.data_type, name.value) == ("s", "'" + PAYLOAD)
    assert (region.data_type, region.value) == ("s", "'-Wilayah")
    assert (received.data_type, received.value, rate.value) == ("n", 3, 33.3)
