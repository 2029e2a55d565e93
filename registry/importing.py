"""Reading the register files that personnel agencies export: pure, no database.

- ``open_table`` streams the rows of a CSV or an Excel (.xlsx) file, one list of cell
  values at a time: openpyxl in read-only mode, the csv module over lines decoded one by
  one (UTF-8, falling back to Windows-1252 line by line with a note), the delimiter
  sniffed (``,`` ``;`` tab ``|``). Nothing loads the whole file.
- ``detect_mapping`` finds the columns by their header (``HEADER_ALIASES``); the staff
  member corrects the mapping for headers it does not know.
- ``clean_row`` turns one row's raw values into register fields, or lists the reasons
  why the row cannot be imported (``REASONS``). Checks that need the register (another
  agency's NIP, a duplicate in the file, the unit) are in ``registry.services.preview``.

The reasons are stored as codes with parameters and worded when shown, in the reader's
language.
"""

import codecs
import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Callable, NamedTuple

import filetype
from django.utils.translation import gettext_lazy as _

from netral.spreadsheets import cell_text
from registry import identity
from registry.names import clean_prefix, clean_suffix, plain_name
from registry.nip import NipError, normalize_nip, parse_pns_nip, parse_pppk_ni
from registry.positions import guess_position_class

# The register fields a column can hold, in the order of the export.
# The titles come last: files written before they were read keep their column order.
# Then contract staff's identities (registry.identity): the register number Netral gave them,
# and the NIK, which the export leaves empty (never written in full) for the agency to fill in.
FIELDS = ("nip", "name", "birth_place", "birth_date", "gender", "kind", "rank", "position", "unit", "status",
          "title_prefix", "title_suffix", "register_number", "nik")
# A column "Tempat, Tanggal Lahir" holds both; it is split on its last comma.
EXTRA_FIELDS = ("birth",)

FIELD_LABELS = {
    "nip": _("NIP / NI PPPK"),
    "name": _("Name (with titles)"),
    "birth_place": _("Birth place"),
    "birth_date": _("Birth date"),
    "birth": _("Birth place and date"),
    "gender": _("Gender"),
    "kind": _("Kind (PNS, PPPK, contract)"),
    "rank": _("Rank/grade"),
    "position": _("Position"),
    "unit": _("Unit"),
    "status": _("Status"),
    "title_prefix": _("Front titles (gelar depan)"),
    "title_suffix": _("Back titles (gelar belakang)"),
    "register_number": _("Register number (contract staff)"),
    "nik": _("NIK (contract staff)"),
}

# Labels of the compared fields in a row's changes.
CHANGE_LABELS = {**FIELD_LABELS, "kind": _("Kind"), "name": _("Name"), "active": _("Active")}

# The headers written by our export (and by most agencies): the importer reads them back.
EXPORT_HEADERS = {
    "nip": "NIP", "name": "Nama", "birth_place": "Tempat Lahir", "birth_date": "Tanggal Lahir",
    "gender": "Jenis Kelamin", "kind": "Jenis Pegawai", "rank": "Pangkat/Golongan", "position": "Jabatan",
    "unit": "Unit Kerja", "status": "Status", "title_prefix": "Gelar Depan", "title_suffix": "Gelar Belakang",
    "register_number": "Nomor Register", "nik": "NIK",
}


@lru_cache(maxsize=8192)
def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", unicodedata.normalize("NFKD", text).lower())


def header_key(value) -> str:
    """A header as compared: lower case, letters and digits only ("Tgl. Lahir" -> "tgllahir")."""
    return _key(str(value or ""))


HEADER_ALIASES = {
    "nip": ["nip", "nipbaru", "nip18", "nipnippk", "nipnipppk", "nippppk", "nipni", "nipnipppk",
            "nomorindukpegawai", "nippegawai", "nipasn", "nipnik"],
    "name": ["nama", "namalengkap", "namapegawai", "namagelar", "namadengangelar", "namalengkapdangelar",
             "namalengkapgelar", "namaasn", "name", "fullname"],
    "birth_place": ["tempatlahir", "tmplahir", "tmptlahir", "birthplace", "placeofbirth"],
    "birth_date": ["tanggallahir", "tgllahir", "tgllhr", "tanggallhr", "birthdate", "dateofbirth"],
    "birth": ["tempattanggallahir", "tempattgllahir", "ttl", "tempatdantanggallahir", "tempattgllhr"],
    "gender": ["jeniskelamin", "jk", "lp", "kelamin", "gender", "sex"],
    "kind": ["jenispegawai", "jenisasn", "statuskepegawaian", "jeniskepegawaian", "kategoripegawai",
             "kategori", "kind"],
    "rank": ["pangkatgolongan", "pangkat", "golongan", "golruang", "pangkatgolruang", "golonganruang",
             "pangkatgol", "gol", "rank", "grade"],
    "position": ["jabatan", "namajabatan", "position"],
    "unit": ["unitkerja", "unitorganisasi", "opd", "perangkatdaerah", "satuankerja", "satker", "skpd", "unit",
             "namaunitkerja", "namaopd"],
    "status": ["status", "statusaktif", "kedudukan", "kedudukanhukum", "statuspegawaiaktif"],
    # "GELAR DEPAN", "GELAR_DEPAN", "Gelar Depan", "GLR DEPAN", "Gelar Dpn" (headers compare without spacing).
    "title_prefix": ["gelardepan", "glrdepan", "gelardpn", "glrdpn", "gelarawal", "frontitle", "titleprefix"],
    "title_suffix": ["gelarbelakang", "glrbelakang", "gelarblk", "glrblk", "gelarblkg", "glrblkg", "gelarakhir",
                     "backtitle", "titlesuffix"],
    "register_number": ["nomorregister", "noregister", "noreg", "nomorreg", "nomorregisternetral", "registernumber"],
    "nik": ["nik", "nikktp", "noktp", "nomorktp", "nomorindukkependudukan", "nomornik"],
}
_ALIAS_TO_FIELD = {alias: name for name, aliases in HEADER_ALIASES.items() for alias in aliases}


def detect_mapping(headers: list) -> list[str]:
    """The field of each column ("" for none); a field is given to its first column only."""
    mapping, taken = [], set()
    for header in headers:
        name = _ALIAS_TO_FIELD.get(header_key(header), "")
        if name and name not in taken:
            taken.add(name)
            mapping.append(name)
        else:
            mapping.append("")
    return mapping


def mapping_problems(mapping: list[str]) -> list:
    """What makes a mapping unusable: a field on two columns, no name, or neither an NIP nor a kind."""
    problems = []
    chosen = [name for name in mapping if name]
    for name in sorted({name for name in chosen if chosen.count(name) > 1}):
        problems.append(_("The field “%(field)s” is chosen for more than one column.") % {
            "field": FIELD_LABELS.get(name, name)})
    if "name" not in chosen:
        problems.append(_("Choose the column that holds the name."))
    # A list of contract staff alone has no NIP column; it names their kind instead.
    if "nip" not in chosen and "kind" not in chosen:
        problems.append(_("Choose the column that holds the NIP."))
    return problems


# --- Reading files, streamed -------------------------------------------------------------

ENCODINGS = {"auto": _("Detect (UTF-8, else Windows-1252)"), "utf-8": "UTF-8", "cp1252": "Windows-1252 / Latin-1"}
DELIMITERS = {"auto": _("Detect"), ",": _("Comma (,)"), ";": _("Semicolon (;)"), "\t": _("Tab"), "|": _("Bar (|)")}
HEADER_SEARCH_ROWS = 10
SAMPLE_BYTES = 64 * 1024


class TableError(ValueError):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass
class TableInfo:
    header_row: int  # 0-based index of the header among the file's rows
    headers: list
    delimiter: str = ""  # CSV only
    encoding: str = ""  # CSV only: the encoding used, or "utf-8" with fallback lines


def _decode_fallback(raw: bytes) -> str:
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:  # bytes undefined in Windows-1252 (0x81, 0x8D, ...)
        return raw.decode("latin-1")


class CsvTable:
    """A CSV file read line by line from a binary file object."""

    def __init__(self, binary, *, encoding="auto", delimiter="auto"):
        self.binary = binary
        self.encoding = encoding
        self.fallback_lines = 0
        self._refuse_binary()
        self.delimiter = delimiter if delimiter != "auto" else self._sniff()

    def _refuse_binary(self) -> None:
        """A photo, PDF or workbook renamed .csv is not text: say so instead of reading noise."""
        self.binary.seek(0)
        head = self.binary.read(8192)
        self.binary.seek(0)
        if b"\x00" in head or filetype.guess(head) is not None:
            raise TableError(_("This file is not a CSV text file. Export the register as CSV or Excel (.xlsx) "
                               "from the personnel system and upload that file."))

    def _sample(self) -> str:
        self.binary.seek(0)
        sample = self.binary.read(SAMPLE_BYTES)
        self.binary.seek(0)
        if sample.startswith(codecs.BOM_UTF8):
            sample = sample[len(codecs.BOM_UTF8):]
        return sample.decode("utf-8", errors="replace")

    def _sniff(self) -> str:
        """The delimiter that splits most of the first lines into the same number of cells.

        Quoted cells are not parsed here: a delimiter inside quotes rarely changes which
        candidate wins over fifty lines.
        """
        sample = self._sample()
        lines = [line for line in sample.splitlines() if line.strip()]
        if len(lines) > 1 and len(sample) >= SAMPLE_BYTES - 4:
            lines = lines[:-1]  # the last line of a cut sample is incomplete
        lines = lines[:50]
        best, best_score = ",", 0
        for candidate in ",;\t|":
            counts = [line.count(candidate) for line in lines]
            nonzero = [count for count in counts if count]
            if not nonzero:
                continue
            mode = max(set(nonzero), key=nonzero.count)
            score = counts.count(mode) * 1000 + mode
            if score > best_score:
                best, best_score = candidate, score
        return best

    def lines(self):
        self.binary.seek(0)
        self.fallback_lines = 0
        first = True
        for raw in self.binary:
            if first:
                first = False
                if raw.startswith(codecs.BOM_UTF8):
                    raw = raw[len(codecs.BOM_UTF8):]
            if self.encoding == "auto":
                try:
                    yield raw.decode("utf-8")
                except UnicodeDecodeError:
                    self.fallback_lines += 1
                    yield _decode_fallback(raw)
            elif self.encoding == "cp1252":
                yield _decode_fallback(raw)
            else:
                yield raw.decode(self.encoding, errors="replace")

    def rows(self):
        """Every row of the file, as a list of strings."""
        return csv.reader(self.lines(), delimiter=self.delimiter)

    def progress(self) -> float:
        try:
            position = self.binary.tell()
            self.binary.seek(0, io.SEEK_END)
            size = self.binary.tell()
            self.binary.seek(position)
        except (OSError, ValueError):
            return 0.0
        return position / size if size else 1.0


class XlsxTable:
    """The first worksheet of an Excel workbook, read with openpyxl's read-only mode."""

    def __init__(self, binary):
        from zipfile import BadZipFile

        from openpyxl import load_workbook
        from openpyxl.utils.exceptions import InvalidFileException

        self.fallback_lines = 0
        self.delimiter = ""
        self.encoding = ""
        try:
            self.workbook = load_workbook(binary, read_only=True, data_only=True)
        # SyntaxError: the XML parsers' ParseError, for a workbook whose XML is damaged.
        except (InvalidFileException, BadZipFile, KeyError, OSError, SyntaxError) as error:
            raise TableError(_("This file is not a readable Excel (.xlsx) workbook.")) from error
        self.sheet = self.workbook.worksheets[0]
        self.read = 0
        try:
            self.total = self.sheet.max_row or 0
        except (TypeError, ValueError):
            self.total = 0

    def rows(self):
        self.read = 0
        for values in self.sheet.iter_rows(values_only=True):
            self.read += 1
            yield list(values)

    def progress(self) -> float:
        return min(1.0, self.read / self.total) if self.total else 0.0

    def close(self):
        self.workbook.close()


def open_table(binary, *, file_format: str, encoding="auto", delimiter="auto"):
    if file_format == "xlsx":
        return XlsxTable(binary)
    return CsvTable(binary, encoding=encoding, delimiter=delimiter)


def _blank(values) -> bool:
    try:
        return not "".join(values).strip()  # a CSV row: texts only
    except TypeError:  # a worksheet row: numbers, dates, None
        return all(value is None or str(value).strip() == "" for value in values)


def find_header(table) -> TableInfo:
    """The header row: the first of the first rows with two or more known headers.

    Agencies' exports often start with a title and an empty line; without known headers
    the first non-empty row is the header and the staff member maps its columns.
    """
    first = None
    for index, values in enumerate(table.rows()):
        if index >= HEADER_SEARCH_ROWS:
            break
        if _blank(values):
            continue
        if first is None:
            first = (index, values)
        if sum(1 for name in detect_mapping(values) if name) >= 2:
            first = (index, values)
            break
    if first is None:
        raise TableError(_("The file has no rows."))
    index, values = first
    headers = ["" if value is None else str(value).strip() for value in values]
    while headers and not headers[-1]:
        headers.pop()
    return TableInfo(index, headers, table.delimiter, table.encoding)


def data_rows(table, header_row: int):
    """(line number, values) of each non-empty row after the header; lines count from 1."""
    for index, values in enumerate(table.rows()):
        if index <= header_row or _blank(values):
            continue
        yield index + 1, values


def map_values(values: list, mapping: list[str]) -> dict:
    """The raw values of one row by field name."""
    mapped = {}
    for index, name in enumerate(mapping):
        if name and index < len(values):
            mapped[name] = values[index]
    return mapped


def value_mapper(mapping: list[str]):
    """``map_values`` for many rows with one mapping: the mapped columns are found once."""
    pairs = [(index, name) for index, name in enumerate(mapping) if name]

    def mapped(values: list) -> dict:
        count = len(values)
        return {name: values[index] for index, name in pairs if index < count}

    return mapped


# --- Cleaning one row ---------------------------------------------------------------------

REASONS = {
    "bad_nip": _("Invalid NIP: %(detail)s"),
    "missing_nip": _("A PNS or PPPK must have an NIP."),
    "contract_with_nip": _("Contract staff have no NIP; remove the number or correct the kind."),
    "nip_birth_date": _("The birth date in the NIP (%(nip_date)s) disagrees with the birth date column "
                        "(%(birth_date)s)."),
    "nip_gender": _("The gender in the NIP disagrees with the gender column."),
    "duplicate_nip": _("This NIP appears more than once in the file."),
    "other_agency": _("This NIP belongs to an employee of another agency (%(agency)s)."),
    "unknown_unit": _("Unknown unit “%(unit)s”: it is not a unit of this agency."),
    "missing_name": _("The name is empty."),
    "bad_date": _("Unreadable birth date “%(value)s”."),
    "bad_gender": _("Unknown gender “%(value)s” (use L or P)."),
    "bad_kind": _("Unknown kind “%(value)s” (use PNS, PPPK or Non ASN)."),
    "too_long": _("The %(field)s is too long (at most %(max)s characters)."),
    "contract_missing_birth_date": _("Contract staff need a birth date: with it and their register number or "
                                     "NIK they check in at socialisation events and sign the pledge."),
    "bad_nik": _("Invalid NIK: %(detail)s"),
    "nik_birth_date": _("The birth date in the NIK disagrees with the birth date column (%(birth_date)s)."),
    "bad_register_number": _("Invalid register number “%(value)s”: it has 10 letters and digits, as in the "
                             "register export; leave it empty for a new person."),
    "unknown_register_number": _("Unknown register number “%(value)s”: no contract employee of this agency "
                                 "has it; leave it empty for a new person."),
}


def reason_text(code: str, params: dict | None = None) -> str:
    template = REASONS.get(code)
    if template is None:
        return code
    params = dict(params or {})
    if code == "bad_nip":
        params["detail"] = nip_problem(params.get("nip", ""), params.get("kind", "pns"))
    elif code == "bad_nik":
        params["detail"] = identity.nik_problem_text(params.get("problem", ""))
    return str(template) % params if params else str(template)


def nip_problem(value: str, kind: str) -> str:
    """The parser's own message for a rejected number, in the current language."""
    parser = parse_pppk_ni if kind == "pppk" else parse_pns_nip
    try:
        parser(value)
    except NipError as error:
        return str(error.message)
    return ""


MONTHS = {
    "jan": 1, "januari": 1, "january": 1, "feb": 2, "februari": 2, "february": 2, "peb": 2, "pebruari": 2,
    "mar": 3, "maret": 3, "march": 3, "apr": 4, "april": 4, "mei": 5, "may": 5, "jun": 6, "juni": 6,
    "june": 6, "jul": 7, "juli": 7, "july": 7, "agu": 8, "agt": 8, "ags": 8, "agus": 8, "agustus": 8,
    "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9, "okt": 10, "oktober": 10, "oct": 10,
    "october": 10, "nov": 11, "nopember": 11, "november": 11, "des": 12, "desember": 12, "dec": 12,
    "december": 12,
}
EXCEL_EPOCH = date(1899, 12, 30)
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")
_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_WORDS = re.compile(r"^(\d{1,2})[\s-]+([A-Za-z]+)\.?[\s-]+(\d{4})$")


class _Memo(dict):
    """A bounded memo of a pure function of one text: a dict lookup for a text seen before.

    A register file repeats a few values in most columns (units, ranks, birth dates, "PNS",
    "L", "Aktif"), so each distinct text is worked out once. Callers use it for ``str``
    values only (``1``, ``1.0`` and ``True`` would share a key). A full memo starts again
    empty, so memory stays bounded on any file. A failure is not stored: the function runs
    again and raises the same error.
    """

    __slots__ = ("function", "maxsize")

    def __init__(self, function, maxsize: int):
        super().__init__()
        self.function = function
        self.maxsize = maxsize

    def __missing__(self, key):
        value = self.function(key)
        if len(self) >= self.maxsize:
            self.clear()
        self[key] = value
        return value


def parse_date(value) -> date | None:
    """A birth date as agencies write it; None when empty; ValueError when unreadable.

    Excel dates (cells or serial numbers), "1980-05-12", "12-05-1980", "12/05/1980",
    "12.05.1980", "12 Mei 1980", "12 May 1980". Day-first, as dates are written here.
    A text is read once (``_DATES``): birth dates repeat.
    """
    if value.__class__ is str:
        return _DATES[value]
    return _parse_date_uncached(value)


def _parse_date_uncached(value) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _excel_serial_date(value)
    return _text_date(str(value).strip())


def _excel_serial_date(value) -> date:
    """An Excel serial number (days since 30 December 1899); ValueError out of range."""
    if 1 <= value < 100000:
        return EXCEL_EPOCH + timedelta(days=int(value))
    raise ValueError(value)


def _text_date(text: str) -> date | None:
    """A date written as text (stripped): ISO, day-first with - / or ., with a month's name, or an
    Excel serial number; None when empty; ValueError when unreadable."""
    if not text:
        return None
    for pattern, order in ((_ISO, "ymd"), (_DMY, "dmy")):
        match = pattern.match(text)
        if match:
            a, b, c = (int(part) for part in match.groups()[:3])
            return date(a, b, c) if order == "ymd" else date(c, b, a)
    match = _WORDS.match(text)
    if match:
        month = MONTHS.get(match.group(2).lower())
        if month:
            return date(int(match.group(3)), month, int(match.group(1)))
    if text.isdigit() and len(text) <= 5:
        return _excel_serial_date(int(text))
    raise ValueError(text)


# Some 36,500 birth dates in a century, each written a few ways.
_DATES = _Memo(_parse_date_uncached, 100_000)


GENDERS = {
    "l": "M", "lk": "M", "lakilaki": "M", "laki": "M", "pria": "M", "m": "M", "male": "M", "1": "M",
    "p": "F", "pr": "F", "perempuan": "F", "wanita": "F", "w": "F", "f": "F", "female": "F", "2": "F",
}
KINDS = {
    "pns": "pns", "cpns": "pns", "pegawainegerisipil": "pns",
    "pppk": "pppk", "p3k": "pppk", "pegawaipemerintahdenganperjanjiankerja": "pppk", "pppkparuhwaktu": "pppk",
    "nonasn": "contract", "kontrak": "contract", "honorer": "contract", "tenagakontrak": "contract",
    "pegawaikontrak": "contract", "ptt": "contract", "thl": "contract", "tenagahonorer": "contract",
    "contract": "contract",
}
EXPORT_KINDS = {"pns": "PNS", "pppk": "PPPK", "contract": "Non ASN"}
EXPORT_GENDERS = {"M": "L", "F": "P"}
# A status that means the person no longer serves: set inactive. Anything else (leave,
# study leave, secondment) keeps the person active with the status as written.
INACTIVE_STATUSES = {"tidakaktif", "nonaktif", "pensiun", "berhenti", "diberhentikan", "meninggal",
                     "meninggaldunia", "wafat", "mutasikeluar", "pindahkeluar", "keluar", "inactive"}
ACTIVE_STATUS = "Aktif"
INACTIVE_STATUS = "Tidak Aktif"

MAX_LENGTHS = {"name": 150, "birth_place": 100, "rank": 60, "position": 200, "unit": 200, "status": 60,
               "title_prefix": 60, "title_suffix": 100}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    # Our own exports write "'=..." for a text that a spreadsheet would run (netral.spreadsheets).
    return " ".join(cell_text(str(value)).split())


def nip_text(value) -> str:
    """The number of an NIP cell as ``clean_row`` reads it (before checking it)."""
    if value.__class__ is str and value.isdigit():
        return value  # nothing for normalize_nip to drop
    if isinstance(value, float):
        # Excel turns an 18-digit NIP typed as a number into a float that has lost digits.
        value = f"{value:.0f}"
    return normalize_nip(str(value) if value is not None else "")


def _status_of(value) -> tuple:
    """(status as stored, active) from a status cell."""
    status = _text(value)
    return status or ACTIVE_STATUS, header_key(status) not in INACTIVE_STATUSES


def _gender_of(value) -> tuple:
    """(the cell as text, "M"/"F", or "" when empty or unknown)."""
    text = _text(value)
    return text, GENDERS.get(header_key(text), "") if text else ""


def _kind_text_of(value) -> tuple:
    """(the cell as text, the kind, or "" when unknown)."""
    text = _text(value)
    return text, KINDS.get(header_key(text), "") if text else ""


def _nip_birth_date(digits: str) -> date | None:
    """The date of a number's first 8 digits (YYYYMMDD), None if there is no such day."""
    try:
        return date(int(digits[0:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return None


_NIP_BIRTH_DATES = _Memo(_nip_birth_date, 100_000)
_MAX_NAME, _MAX_STATUS = MAX_LENGTHS["name"], MAX_LENGTHS["status"]


def nip_parts(nip: str, kind: str, today: date) -> tuple:
    """(birth date, gender) read from a normalized number by ``registry.nip``'s rules; NipError if refused.

    A well-formed number is accepted here with the parser's checks spelled out on plain
    integers (its birth date from a memo: birth dates repeat); anything this does not
    accept, valid or not, goes to the parser itself (``parse_pns_nip``/``parse_pppk_ni``),
    so that a refused number is refused by the parser with its own reason.
    test_importing compares both over many numbers.
    """
    if len(nip) == 18 and nip.isdigit() and nip.isascii():
        born = _NIP_BIRTH_DATES[nip[:8]]
        sex = nip[14]
        if born is not None and born <= today and born.year >= 1900 and (sex == "1" or sex == "2"):
            year, second = int(nip[8:12]), int(nip[12:14])
            if kind == "pppk":  # second: the number of work agreements, from 01
                valid = born.year < year <= today.year and second >= 1
            else:  # second: the month of appointment as CPNS
                valid = 1 <= second <= 12 and (born.year, born.month) < (year, second) <= (today.year, today.month)
            if valid:
                return born, "M" if sex == "1" else "F"
    parts = (parse_pppk_ni if kind == "pppk" else parse_pns_nip)(nip, today=today)
    return parts.birth_date, parts.gender


@dataclass
class CleanRow:
    """One row's register fields (``data``) and why it cannot be imported (``reasons``)."""

    data: dict = field(default_factory=dict)
    reasons: list = field(default_factory=list)  # [code, params] pairs

    @property
    def valid(self) -> bool:
        return not self.reasons

    def reject(self, code: str, **params) -> None:
        self.reasons.append([code, params])


# --- The column cleaners: pure, one per column, each giving (value, problem) -----------------
# A problem is None or the [code, params] pair of a reason (``REASONS``) that refuses the row,
# made afresh at each call, in the language of the moment.

def _too_long(field: str) -> list:
    return ["too_long", {"field": str(FIELD_LABELS[field]).lower(), "max": MAX_LENGTHS[field]}]


def clean_name(value) -> tuple[str, list | None]:
    """The name as written, titles kept and spacing folded: required, and at most its length."""
    name = _text(value)
    if not name:
        return name, ["missing_name", {}]
    return name, (_too_long("name") if len(name) > _MAX_NAME else None)


def _text_column(field: str):
    """The cleaner of a free-text column: the text as written, spacing folded, at most its length."""
    limit = MAX_LENGTHS[field]

    def clean(value) -> tuple[str, list | None]:
        text = _text(value)
        return text, (_too_long(field) if len(text) > limit else None)

    clean.__name__ = clean.__qualname__ = f"clean_{field}"
    return clean


clean_birth_place = _text_column("birth_place")
clean_rank = _text_column("rank")
clean_position = _text_column("position")
clean_unit = _text_column("unit")


def _title_column(field: str, tidy):
    """The cleaner of a titles column: ``tidy``'s form ("-" is none), at most its length."""
    limit = MAX_LENGTHS[field]

    def clean(value) -> tuple[str, list | None]:
        text = tidy(_text(value))
        return text, (_too_long(field) if len(text) > limit else None)

    clean.__name__ = clean.__qualname__ = f"clean_{field}"
    return clean


clean_title_prefix = _title_column("title_prefix", clean_prefix)
clean_title_suffix = _title_column("title_suffix", clean_suffix)


def clean_status(value) -> tuple[tuple[str, bool], list | None]:
    """(status as stored, active): Aktif when empty; a status such as Pensiun sets inactive."""
    pair = _status_of(value)
    return pair, (_too_long("status") if len(pair[0]) > _MAX_STATUS else None)


def clean_birth_date(value) -> tuple[date | None, list | None]:
    """The birth date (``parse_date``); None when empty, and when unreadable (refused)."""
    try:
        return _parse_date_uncached(value), None
    except (ValueError, OverflowError):
        return None, ["bad_date", {"value": _text(value)}]


def clean_gender(value) -> tuple[str, list | None]:
    """"M" or "F"; "" when empty, and when unknown (refused)."""
    text, gender = _gender_of(value)
    if text and not gender:
        return "", ["bad_gender", {"value": text}]
    return gender, None


def clean_kind(value) -> tuple[str | None, list | None]:
    """"pns", "pppk" or "contract"; None when empty (the number tells, ``kind_from_nip``); "" when
    unknown (refused)."""
    text, kind = _kind_text_of(value)
    if not text:
        return None, None
    if not kind:
        return "", ["bad_kind", {"value": text}]
    return kind, None


def clean_nip(value) -> tuple[str, None]:
    """The number's digits (``nip_text``); it is checked with the kind, by ``check_nip``."""
    return nip_text(value), None


def clean_register_number(value) -> tuple[str, list | None]:
    """The register number normalized (``registry.identity``); "" when empty; refused when malformed."""
    text = _text(value)
    if not text:
        return "", None
    number = identity.normalize_register_number(text)
    if not identity.is_register_number(number):
        return "", ["bad_register_number", {"value": text[:40]}]
    return number, None


def clean_nik(value) -> tuple[str, None]:
    """The NIK's digits (as ``nip_text`` reads a number cell); checked with the kind and birth date
    by ``check_contract``."""
    return nip_text(value), None


class Column(NamedTuple):
    key: str  # the raw value's field name (``FIELDS``)
    clean: Callable  # pure: the cell's raw value -> (value, problem)
    reasons: tuple  # the codes of ``REASONS`` its problems carry: the messages a row gets
    repeats: int  # how many distinct texts to keep cleaned (``_CleanMemo``); 0: the texts rarely repeat


# In this order a refused row lists its reasons, before those of ``check_nip``.
COLUMNS = (
    Column("name", clean_name, ("missing_name", "too_long"), 0),
    Column("birth_place", clean_birth_place, ("too_long",), 10_000),
    Column("rank", clean_rank, ("too_long",), 10_000),
    Column("position", clean_position, ("too_long",), 20_000),
    Column("unit", clean_unit, ("too_long",), 10_000),
    Column("status", clean_status, ("too_long",), 10_000),
    Column("birth_date", clean_birth_date, ("bad_date",), 100_000),  # some 36,500 a century, written a few ways
    Column("gender", clean_gender, ("bad_gender",), 1_000),
    Column("kind", clean_kind, ("bad_kind",), 1_000),
    Column("nip", clean_nip, (), 0),
    Column("title_prefix", clean_title_prefix, ("too_long",), 1_000),
    Column("title_suffix", clean_title_suffix, ("too_long",), 10_000),
    Column("register_number", clean_register_number, ("bad_register_number",), 0),
    Column("nik", clean_nik, (), 0),
)
# The reasons of the number, checked against the other columns (``check_nip``).
NIP_REASONS = ("contract_with_nip", "missing_nip", "bad_nip", "nip_birth_date", "nip_gender")
# The reasons of a contract employee's identity (``check_contract``).
CONTRACT_REASONS = ("contract_missing_birth_date", "bad_nik", "nik_birth_date")


class _CleanMemo(_Memo):
    """A column cleaner's results for texts, kept only when the text is not refused: a refused
    cell is cleaned again each time, its problem worded in the language of the moment."""

    __slots__ = ()

    def __missing__(self, key):
        result = self.function(key)
        if result[1] is None:
            if len(self) >= self.maxsize:
                self.clear()
            self[key] = result
        return result


# The cleaners as ``clean_row`` runs them: a text seen before is a dict lookup.
_CLEANERS = tuple((column.key, column.clean, _CleanMemo(column.clean, column.repeats) if column.repeats else None)
                  for column in COLUMNS)


def split_birth(raw: dict) -> dict:
    """A row with a "Tempat, Tanggal Lahir" column (``birth``): its place and date, split on the
    last comma (a date or number cell is the date), fill the birth place and date where their own
    columns are empty. The row given is not changed."""
    combined = raw.get("birth")
    if combined in (None, ""):
        return raw
    if isinstance(combined, (date, datetime, int, float)):
        place, when = None, combined
    else:
        place, separator, when = str(combined).rpartition(",")
        if not separator:
            place, when = "", str(combined)
    raw = dict(raw)
    if place is not None and raw.get("birth_place") in (None, ""):
        raw["birth_place"] = place
    if raw.get("birth_date") in (None, ""):
        raw["birth_date"] = when
    return raw


def kind_from_nip(nip: str, today: date) -> str:
    """The kind of a row without one: no number is contract staff; a number that reads as a PNS
    NIP is a PNS, else one that reads as an NI PPPK a PPPK, else a PNS (refused for its NIP)."""
    if not nip or (len(nip) == 16 and nip.isdigit()):  # no number, or a NIK in a "NIP/NIK" column
        return "contract"
    try:
        nip_parts(nip, "pns", today)
        return "pns"
    except NipError:
        pass
    try:
        nip_parts(nip, "pppk", today)
        return "pppk"
    except NipError:
        return "pns"  # reported as a bad PNS NIP


def check_nip(nip: str, kind: str, birth_date: date | None, gender: str, today: date) -> tuple:
    """(kind, birth date, gender, problems) of a row's number with its cleaned columns.

    Contract staff have no number; a PNS or PPPK must have a valid one, whose birth date and
    gender win over their columns and must agree with them when those are filled. An unknown
    kind ("", already refused) is stored as PNS, its number unchecked.
    """
    if kind == "contract":
        return kind, birth_date, gender, ([["contract_with_nip", {}]] if nip else [])
    if not kind:
        return "pns", birth_date, gender, []
    if not nip:
        return kind, birth_date, gender, [["missing_nip", {}]]
    try:
        nip_born, nip_gender = nip_parts(nip, kind, today)
    except NipError:
        return kind, birth_date, gender, [["bad_nip", {"nip": nip, "kind": kind}]]
    problems = []
    if birth_date is not None and birth_date != nip_born:
        problems.append(["nip_birth_date", {"nip_date": nip_born.isoformat(), "birth_date": birth_date.isoformat()}])
    if gender and gender != nip_gender:
        problems.append(["nip_gender", {}])
    return kind, nip_born, nip_gender, problems


def check_contract(nik: str, birth_date: date | None, gender: str, *, date_refused: bool) -> tuple:
    """(NIK, gender, problems) of a contract employee's identity: the birth date is needed (with
    the register number or the NIK it stands for the missing NIP); a NIK must have its layout
    and agree with the birth date; its gender fills an empty gender column."""
    problems = []
    if birth_date is None and not date_refused:
        problems.append(["contract_missing_birth_date", {}])
    if not nik:
        return "", gender, problems
    try:
        parts = identity.parse_nik(nik)
    except identity.IdentityError as error:
        # The NIK is personal data: the reason keeps what is wrong with it, not the number.
        return "", gender, [*problems, ["bad_nik", {"problem": error.code}]]
    if birth_date is not None and not identity.nik_matches_birth_date(parts, birth_date):
        problems.append(["nik_birth_date", {"birth_date": birth_date.isoformat()}])
    return nik, gender or parts.gender, problems


def clean_row(raw: dict, *, today: date | None = None) -> CleanRow:
    """Register fields from one row's raw values (by field name), checked on their own.

    Each column is cleaned by its cleaner (``COLUMNS``); then the number is checked with the
    kind, birth date and gender (``check_nip``). The kind comes from its column, else from the
    number (``kind_from_nip``).

    Runs for every row of a national file: a text seen before in a column is a dict lookup
    (``_CleanMemo``), and a well-formed number is read by ``nip_parts``'s fast path.
    """
    today = today or date.today()
    if "birth" in raw:
        raw = split_birth(raw)
    get = raw.get
    values, reasons = {}, []
    for key, clean, memo in _CLEANERS:
        value = get(key)
        values[key], problem = memo[value] if value.__class__ is str and memo is not None else clean(value)
        if problem is not None:
            reasons.append(problem)
    nip, kind, nik = values["nip"], values["kind"], values["nik"]
    if kind is None:
        kind = kind_from_nip(nip, today)
    if kind == "contract" and len(nip) == 16 and nip.isdigit() and not nik:
        nip, nik = "", nip  # a NIK in a "NIP/NIK" column
    kind, birth_date, gender, problems = check_nip(nip, kind, values["birth_date"], values["gender"], today)
    if problems:
        reasons += problems
    register_number = values["register_number"]
    if kind == "contract":
        nik, gender, problems = check_contract(nik, birth_date, gender,
                                               date_refused=any(r[0] == "bad_date" for r in reasons))
        if problems:
            reasons += problems
    else:
        nik = register_number = ""  # an ASN is known by the NIP
    name = values["name"]
    status, active = values["status"]
    return CleanRow({
        "name": name, "name_plain": plain_name(name), "birth_place": values["birth_place"], "rank": values["rank"],
        "position": values["position"], "unit_name": values["unit"], "status": status, "active": active,
        "kind": kind, "nip": nip or None, "birth_date": birth_date, "gender": gender,
        "title_prefix": values["title_prefix"], "title_suffix": values["title_suffix"],
        "position_class": guess_position_class(values["position"], kind),
        "register_number": register_number or None, "nik": nik or None,
    }, reasons)


def export_row(employee: dict) -> list:
    """One employee (a dict of register fields) as the exported columns (``EXPORT_HEADERS``)."""
    born = employee.get("birth_date")
    return [
        employee.get("nip") or "",
        employee.get("name") or "",
        employee.get("birth_place") or "",
        born.isoformat() if born else "",
        EXPORT_GENDERS.get(employee.get("gender") or "", ""),
        EXPORT_KINDS.get(employee.get("kind"), ""),
        employee.get("rank") or "",
        employee.get("position") or "",
        employee.get("unit_name") or "",
        employee.get("status") or (ACTIVE_STATUS if employee.get("active", True) else INACTIVE_STATUS),
        employee.get("title_prefix") or "",
        employee.get("title_suffix") or "",
        identity.format_register_number(employee.get("register_number") or ""),
        "",  # the NIK is never written out (registry.identity); the agency may fill it in
    ]


def effective_status(status: str, active: bool) -> str:
    """The status as exported: the stored text, or Aktif / Tidak Aktif where none was recorded."""
    return status or (ACTIVE_STATUS if active else INACTIVE_STATUS)


def unit_key(name: str) -> str:
    """Units match by name, ignoring case and spacing ("DINAS  Kesehatan" = "Dinas Kesehatan")."""
    return " ".join((name or "").split()).casefold()
