"""Reading agencies' register files and cleaning their rows. No database."""

import io
import zipfile
from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from openpyxl import Workbook

from registry import importing
from registry.importing import clean_row, detect_mapping, parse_date, plain_name
from registry.nip import NipError, parse_pns_nip, parse_pppk_ni

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
    row = clean_row({"nip": "", "name": "Ahmad", "birth_date": "1990-01-02"}, today=TODAY)
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


def test_an_xlsx_with_damaged_xml_is_refused_with_a_message():
    good = io.BytesIO()
    Workbook().save(good)
    damaged = io.BytesIO()
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            target.writestr(item, data[: len(data) // 2] if item.filename == "xl/workbook.xml" else data)
    damaged.seek(0)
    with pytest.raises(importing.TableError):
        importing.open_table(damaged, file_format="xlsx")


def test_export_row_round_trips_through_clean_row():
    employee = {"nip": PNS_NIP, "name": "Ahmad", "birth_place": "Manggar", "birth_date": date(1985, 3, 15),
                "gender": "M", "kind": "pns", "rank": "Penata", "position": "Analis", "unit_name": "Dinkes",
                "status": "Aktif", "active": True}
    values = importing.export_row(employee)
    raw = importing.map_values(values, list(importing.FIELDS))
    row = clean_row(raw, today=TODAY)
    assert row.valid
    assert row.data["birth_date"] == employee["birth_date"] and row.data["unit_name"] == "Dinkes"


# --- Fast paths of clean_row: the same results as the plain code ---------------------------

@pytest.mark.parametrize("text", ["12-05-1980", " 1980-05-12 ", "1980-05-12 00:00:00", "12 Mei 1980", "29353", "",
                                  "31-02-1980", "kemarin", "12 Foo 1980", "1980/13/01", "999999"])
def test_a_cached_date_reads_as_the_uncached_one_and_fails_alike(text):
    try:
        expected = importing._parse_date_uncached(text)
    except (ValueError, OverflowError) as error:
        for _attempt in range(2):  # failures are not kept: the second attempt fails the same way
            with pytest.raises(type(error)) as raised:
                parse_date(text)
            assert str(raised.value) == str(error)
    else:
        assert parse_date(text) == expected
        assert parse_date(text) == expected  # from the memo
        assert text in importing._DATES


def test_a_memo_stays_bounded():
    memo = importing._Memo(str.upper, 3)
    for text in "abcdefg":
        assert memo[text] == text.upper()
        assert len(memo) <= 3


@pytest.mark.parametrize(("cell", "text"), [
    pytest.param(1, "1", id="int"), pytest.param(1.0, "1", id="whole-float"), pytest.param(1.5, "1.5", id="float"),
    pytest.param(True, "True", id="bool"), pytest.param("1", "1", id="text"),
    pytest.param(" Dinas   Kesehatan ", "Dinas Kesehatan", id="spaces"), pytest.param(None, "", id="empty"),
])
def test_cells_of_every_type_read_as_the_same_text_whether_cached_or_not(cell, text):
    for _attempt in range(2):
        data = clean_row(_raw(unit=cell, rank=cell, position=cell, birth_place=cell), today=TODAY).data
        assert (data["unit_name"], data["rank"], data["position"], data["birth_place"]) == (text,) * 4


@pytest.mark.parametrize(("status", "stored", "active"), [
    ("Aktif", "Aktif", True), ("", "Aktif", True), (None, "Aktif", True), ("Tidak  Aktif", "Tidak Aktif", False),
    ("PENSIUN", "PENSIUN", False), ("Cuti", "Cuti", True), (0, "0", True),
])
def test_the_status_reads_the_same_from_the_memo(status, stored, active):
    for _attempt in range(2):
        data = clean_row(_raw(status=status), today=TODAY).data
        assert (data["status"], data["active"]) == (stored, active)


NUMBERS = st.one_of(
    st.text(alphabet="0123456789", min_size=18, max_size=18),
    st.builds("{:04d}{:02d}{:02d}{:04d}{:02d}{}{:03d}".format, st.integers(1890, 2036), st.integers(0, 13),
              st.integers(0, 32), st.integers(1890, 2036), st.integers(0, 13), st.sampled_from("0123"),
              st.integers(0, 999)),
    st.text(max_size=20),
)


@hypothesis_settings(max_examples=3000, deadline=None)
@given(number=NUMBERS, kind=st.sampled_from(["pns", "pppk"]),
       today=st.dates(min_value=date(1990, 1, 1), max_value=date(2036, 12, 31)))
def test_nip_parts_accepts_and_refuses_exactly_as_the_parser(number, kind, today):
    parser = parse_pppk_ni if kind == "pppk" else parse_pns_nip
    try:
        parts = parser(number, today=today)
    except NipError as error:
        with pytest.raises(NipError) as raised:
            importing.nip_parts(number, kind, today)
        assert str(raised.value.message) == str(error.message)  # the parser's own reason
    else:
        assert importing.nip_parts(number, kind, today) == (parts.birth_date, parts.gender)


@pytest.mark.parametrize(("number", "kind"), [
    pytest.param("198503152010011002", "pns", id="pns"),
    pytest.param("198503152024111002", "pns", id="pns-appointed-this-month"),
    pytest.param("198503152024121002", "pns", id="pns-appointed-next-month"),
    pytest.param("198503151985031002", "pns", id="pns-appointed-in-the-birth-month"),
    pytest.param("198503151985041002", "pns", id="pns-appointed-the-month-after"),
    pytest.param("198503152010001002", "pns", id="pns-month-00"),
    pytest.param("190001012010011002", "pns", id="born-1900"),
    pytest.param("189912312010011002", "pns", id="born-1899"),
    pytest.param("202411272024111002", "pns", id="born-today"),
    pytest.param("202411282024111002", "pns", id="born-tomorrow"),
    pytest.param("198502292010011002", "pns", id="no-29-february"),
    pytest.param("198503152010010002", "pns", id="gender-0"),
    pytest.param("198503152010013002", "pns", id="gender-3"),
    pytest.param("199012312021012001", "pppk", id="pppk"),
    pytest.param("199012312024012001", "pppk", id="pppk-appointed-this-year"),
    pytest.param("199012312025012001", "pppk", id="pppk-appointed-next-year"),
    pytest.param("199012311990012001", "pppk", id="pppk-appointed-in-the-birth-year"),
    pytest.param("199012312021002001", "pppk", id="pppk-agreements-00"),
    pytest.param("1985 0315 2010 01 1 002", "pns", id="grouped"),
    pytest.param("19850315201001100", "pns", id="17-digits"),
    pytest.param("١٩٨٥٠٣١٥٢٠١٠٠١١٠٠٢", "pns", id="arabic-indic-digits"),
])
def test_nip_parts_at_the_edges_of_the_rules(number, kind):
    parser = parse_pppk_ni if kind == "pppk" else parse_pns_nip
    try:
        parts = parser(number, today=TODAY)
    except NipError:
        with pytest.raises(NipError):
            importing.nip_parts(number, kind, TODAY)
    else:
        assert importing.nip_parts(number, kind, TODAY) == (parts.birth_date, parts.gender)


@pytest.mark.parametrize("values", [
    ["198503152010011002", "x", "Ahmad", "Dinkes", "y"], ["198503152010011002", "x", "Ahmad"], [], ["only"],
])
def test_value_mapper_maps_like_map_values(values):
    mapping = ["nip", "", "name", "unit", ""]
    assert importing.value_mapper(mapping)(values) == importing.map_values(values, mapping)


@pytest.mark.parametrize(("values", "blank"), [
    (["", " ", "\t"], True), ([], True), (["", "x"], False), ([None, " "], True), ([None, 0], False),
    ([None, datetime(1985, 3, 15)], False),
])
def test_blank_rows_are_found_in_text_and_worksheet_rows(values, blank):
    assert importing._blank(values) is blank
