"""Reading agencies' register files and cleaning their rows. No database."""

import io
from datetime import date, datetime

import pytest
from openpyxl import Workbook

from registry import importing
from registry.importing import clean_row, detect_mapping, parse_date, plain_name

TODAY = date(2024, 11, 27)
PNS_NIP = "198503152010011002"  # born 15 March 1985, male
PPPK_NI = "199012312021012001"  # born 31 December 1990, female


@pytest.mark.parametrize(("value", "expected"), [
    pytest.param(datetime(1980, 5, 12, 0, 0), date(1980, 5, 12), id="excel-date-cell"),
    pytest.param(29353, date(1980, 5, 12), id="excel-serial"),
    pytest.param("1980-05-12", date(1980, 5, 12), id="iso"),
    pytest.param("1980-05-12 00:00:00", date(1980, 5, 12), id="iso-with-time"),
    pytest.param("12-05-1980", date(1980, 5, 12), id="day-month-year-dashes"),
    pytest.param("12/05/1980", date(1980, 5, 12), id="day-month-year-slashes"),
    pytest.param("12.05.1980", date(1980, 5, 12), id="day-month-year-dots"),
    pytest.param("12 Mei 1980", date(1980, 5, 12), id="indonesian-month"),
    pytest.param("12 May 1980", date(1980, 5, 12), id="english-month"),
    pytest.param("1 Agt 1980", date(1980, 8, 1), id="indonesian-abbreviation"),
    pytest.param("", None, id="empty"),
    pytest.param(None, None, id="none"),
])
def test_parse_date_reads_dates_as_agencies_write_them(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", ["31-02-1980", "kemarin", "12 Foo 1980", "1980/13/01"])
def test_parse_date_refuses_what_is_not_a_date(value):
    with pytest.raises(ValueError):
        parse_date(value)


@pytest.mark.parametrize(("name", "plain"), [
    ("Dr. H. Ahmad Yani, S.E., M.Si.", "Ahmad Yani"),
    ("Hj. Siti Aminah, S.Pd.", "Siti Aminah"),
    ("Drs. Bambang", "Bambang"),
    ("Budi Santoso", "Budi Santoso"),
    ("H Rahmat", "Rahmat"),
])
def test_plain_name_drops_titles(name, plain):
    assert plain_name(name) == plain


def test_detect_mapping_finds_columns_by_their_usual_headers():
    headers = ["No", "NIP Baru", "Nama Lengkap (dengan gelar)", "Tempat Lahir", "Tgl. Lahir", "L/P",
               "Jenis Pegawai", "Pangkat/Gol. Ruang", "Jabatan", "Unit Kerja", "Status", "Catatan"]
    assert detect_mapping(headers) == ["", "nip", "", "birth_place", "birth_date", "gender", "kind",
                                       "rank", "position", "unit", "status", ""]


def test_detect_mapping_gives_a_field_to_its_first_column_only():
    assert detect_mapping(["NIP", "Nama", "NIP"]) == ["nip", "name", ""]


def test_mapping_problems_names_a_missing_nip_and_a_doubled_field():
    problems = [str(problem) for problem in importing.mapping_problems(["name", "name", ""])]
    assert len(problems) == 2


def test_export_headers_are_recognised_by_the_importer():
    headers = [importing.EXPORT_HEADERS[name] for name in importing.FIELDS]
    assert detect_mapping(headers) == list(importing.FIELDS)


def _raw(**values):
    base = {"nip": PNS_NIP, "name": "Dr. H. Ahmad Yani, S.E., M.Si.", "birth_date": "15-03-1985", "gender": "L",
            "kind": "PNS", "rank": "Penata (III/c)", "position": "Analis", "unit": "Dinas Kesehatan",
            "status": "Aktif"}
    base.update(values)
    return base


def test_clean_row_keeps_the_name_as_written_and_takes_birth_and_gender_from_the_nip():
    row = clean_row(_raw(), today=TODAY)
    assert row.valid, row.reasons
    assert row.data["name"] == "Dr. H. Ahmad Yani, S.E., M.Si."
    assert row.data["name_plain"] == "Ahmad Yani"
    assert row.data["birth_date"] == date(1985, 3, 15)
    assert row.data["gender"] == "M"
    assert row.data["kind"] == "pns"
    assert row.data["active"] is True


@pytest.mark.parametrize(("values", "code"), [
    pytest.param({"nip": "19850315201001100"}, "bad_nip", id="17-digits"),
    pytest.param({"nip": "198513152010011002"}, "bad_nip", id="month-13"),
    pytest.param({"birth_date": "16-03-1985"}, "nip_birth_date", id="birth-date-disagrees"),
    pytest.param({"gender": "P"}, "nip_gender", id="gender-disagrees"),
    pytest.param({"nip": ""}, "missing_nip", id="pns-without-nip"),
    pytest.param({"kind": "Honorer"}, "contract_with_nip", id="contract-with-nip"),
    pytest.param({"name": "  "}, "missing_name", id="no-name"),
    pytest.param({"birth_date": "kemarin"}, "bad_date", id="unreadable-date"),
    pytest.param({"gender": "X"}, "bad_gender", id="unknown-gender"),
    pytest.param({"kind": "Relawan"}, "bad_kind", id="unknown-kind"),
    pytest.param({"kind": "PPPK", "nip": "198503152010001002"}, "bad_nip", id="pppk-without-agreements"),
])
def test_clean_row_rejects_with_a_reason(values, code):
    row = clean_row(_raw(**values), today=TODAY)
    assert code in [reason[0] for reason in row.reasons]
    assert all(importing.reason_text(c, p) for c, p in row.reasons)


def test_clean_row_reads_a_pppk_number_labelled_p3k():
    row = clean_row(_raw(nip=PPPK_NI, kind="P3K", birth_date="", gender="Perempuan"), today=TODAY)
    assert row.valid, row.reasons
    assert row.data["kind"] == "pppk"
    assert row.data["birth_date"] == date(1990, 12, 31)


def test_clean_row_without_a_kind_column_reads_the_number_as_a_pns_nip_first():
    # Many numbers read under both layouts; agencies' files name the kind when they hold PPPK.
    row = clean_row({"nip": PNS_NIP, "name": "Ahmad"}, today=TODAY)
    assert row.valid and row.data["kind"] == "pns"
    row = clean_row({"nip": "", "name": "Ahmad"}, today=TODAY)
    assert row.valid and row.data["kind"] == "contract"


def test_clean_row_reads_contract_staff_without_a_number():
    row = clean_row(_raw(nip="", kind="Non ASN", birth_date="12 Mei 1980", gender="P"), today=TODAY)
    assert row.valid, row.reasons
    assert row.data["kind"] == "contract"
    assert row.data["nip"] is None
    assert row.data["gender"] == "F"


def test_clean_row_splits_a_birth_place_and_date_column():
    raw = _raw()
    del raw["birth_date"]
    raw["birth"] = "Manggar, 15-03-1985"
    row = clean_row(raw, today=TODAY)
    assert row.valid, row.reasons
    assert row.data["birth_place"] == "Manggar"


def test_clean_row_reads_a_nip_grouped_with_spaces_and_an_inactive_status():
    row = clean_row(_raw(nip="19850315 201001 1 002", status="Pensiun"), today=TODAY)
    assert row.valid
    assert row.data["nip"] == PNS_NIP
    assert row.data["active"] is False
    assert row.data["status"] == "Pensiun"


# --- Files ---------------------------------------------------------------------------------

def _table(content: bytes, **options):
    return importing.open_table(io.BytesIO(content), file_format="csv", **options)


def test_csv_with_semicolons_and_a_title_line_finds_its_header():
    content = "Daftar Pegawai BKPSDM\n\nNIP;Nama;Unit Kerja\n198503152010011002;Ahmad;Dinkes\n".encode()
    table = _table(content)
    info = importing.find_header(table)
    assert table.delimiter == ";"
    assert info.header_row == 2
    assert info.headers == ["NIP", "Nama", "Unit Kerja"]
    assert list(importing.data_rows(table, info.header_row)) == [(4, ["198503152010011002", "Ahmad", "Dinkes"])]


def test_csv_in_windows_1252_is_read_line_by_line_with_a_count():
    content = "NIP,Nama\n198503152010011002,Andr\u00e9\n".encode("cp1252")
    table = _table(content)
    info = importing.find_header(table)
    rows = list(importing.data_rows(table, info.header_row))
    assert rows[0][1][1] == "Andr\u00e9"
    assert table.fallback_lines == 1


def test_csv_with_a_utf8_bom_and_tabs():
    content = "\ufeffNIP\tNama\n198503152010011002\tAhmad\n".encode()
    table = _table(content)
    info = importing.find_header(table)
    assert info.headers == ["NIP", "Nama"]
    assert table.delimiter == "\t"


def test_chosen_delimiter_overrides_the_sniffer():
    table = _table(b"NIP,Nama;Unit\n1,2;3\n", delimiter=";")
    assert importing.find_header(table).headers == ["NIP,Nama", "Unit"]


def test_xlsx_is_streamed_with_dates_and_numbers():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Data ASN"])
    sheet.append(["NIP", "Nama", "Tanggal Lahir"])
    sheet.append([PNS_NIP, "Ahmad", datetime(1985, 3, 15)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    table = importing.open_table(buffer, file_format="xlsx")
    info = importing.find_header(table)
    assert info.header_row == 1
    [(line, values)] = list(importing.data_rows(table, info.header_row))
    assert line == 3
    raw = importing.map_values(values, detect_mapping(info.headers))
    assert clean_row(raw, today=TODAY).valid


def test_a_file_that_is_not_xlsx_is_refused_with_a_message():
    with pytest.raises(importing.TableError):
        importing.open_table(io.BytesIO(b"not a zip"), file_format="xlsx")


def test_export_row_round_trips_through_clean_row():
    employee = {"nip": PNS_NIP, "name": "Ahmad", "birth_place": "Manggar", "birth_date": date(1985, 3, 15),
                "gender": "M", "kind": "pns", "rank": "Penata", "position": "Analis", "unit_name": "Dinkes",
                "status": "Aktif", "active": True}
    values = importing.export_row(employee)
    raw = importing.map_values(values, list(importing.FIELDS))
    row = clean_row(raw, today=TODAY)
    assert row.valid
    assert row.data["birth_date"] == employee["birth_date"] and row.data["unit_name"] == "Dinkes"
