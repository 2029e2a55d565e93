"""Every CSV and Excel file the project writes goes through here, so no cell runs as a formula.

Exports carry text that others typed: a reporter's description, a name sent by a partner
system. A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula
(``=cmd|' /C calc'!A0``, ``=HYPERLINK(...)`` that leaks the row), and a leading tab or
carriage return hides the same. Following OWASP's CSV-injection guidance
(https://owasp.org/www-community/attacks/CSV_Injection), a text cell that starts with one
of those characters gets a leading apostrophe, which spreadsheets read as "this is text";
numbers, dates and booleans we computed stay typed. In a workbook every text cell is a
string cell (data type ``s``, never a formula ``f`` or an error ``e``), so a number-looking
text such as an 18-digit NIP also stays text.

Writers use ``csv_writer`` (the ``csv`` module's writer, every cell neutralised) and
``xlsx_sheet`` (appends neutralised rows to a write-only openpyxl sheet). ``cell_text``
undoes the apostrophe when one of our own files is read back (register imports).

No maintained library covers both formats: defusedcsv (the best known) wraps the csv
module only and leaves a leading tab or carriage return alone (docs/dependencies.md).
"""

import csv
from datetime import date, datetime
from decimal import Decimal

# OWASP: = + - @ and the tab and carriage return; a line feed hides a formula the same way.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
# Full-width forms that some spreadsheets fold to their ASCII twin before parsing.
FORMULA_TRIGGERS += ("\uff1d", "\uff0b", "\uff0d", "\uff20")
QUOTE = "'"


def neutralise(text: str) -> str:
    """The text as a spreadsheet shows it, never runs it: a leading apostrophe when needed."""
    if text.startswith(FORMULA_TRIGGERS) or (text and text[0] < " "):  # any other control character too
        return QUOTE + text
    return text


def cell_text(text: str) -> str:
    """What ``neutralise`` was given: a cell of our own export read back (register imports)."""
    rest = text[1:]
    if text.startswith(QUOTE) and (rest.startswith(FORMULA_TRIGGERS) or (rest and rest[0] < " ")):
        return rest
    return text


def _is_typed(value) -> bool:
    """A value we computed and want the spreadsheet to keep as a number or a date."""
    return isinstance(value, (bool, int, float, Decimal, date, datetime))


def csv_value(value):
    """One CSV cell: typed values as they are (the csv module writes them), any text neutralised."""
    if value is None or _is_typed(value):
        return value
    return neutralise(str(value))


class _Writer:
    """The csv module's writer with every cell passed through ``csv_value``."""

    def __init__(self, writer):
        self._writer = writer

    def writerow(self, row):
        return self._writer.writerow([csv_value(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)

    @property
    def dialect(self):
        return self._writer.dialect


def csv_writer(file, **fmtparams) -> _Writer:
    """``csv.writer(file, **fmtparams)`` whose cells cannot run in a spreadsheet."""
    return _Writer(csv.writer(file, **fmtparams))


def xlsx_cell(sheet, value):
    """One cell of a write-only sheet: typed values as they are, text as neutralised text.

    openpyxl stores a ``str`` as a string cell unless it starts with "=" (a formula, which a
    neutralised text never does) or is an error code such as "#N/A": only those need a cell
    object forced to a string. Plain strings keep the export fast (a cell object per text
    doubles the time of a large register).
    """
    if value is None or _is_typed(value):
        return value
    from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE

    # Control characters other than tab and line breaks cannot be stored in a workbook's XML.
    text = neutralise(ILLEGAL_CHARACTERS_RE.sub("", str(value)))
    if text not in ERROR_CODES:
        return text
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, text)
    cell.data_type = "s"
    return cell


def xlsx_row(sheet, values) -> list:
    return [xlsx_cell(sheet, value) for value in values]


def xlsx_sheet(sheet):
    """A write-only sheet whose ``append`` writes every row through ``xlsx_row``."""
    return _Sheet(sheet)


class _Sheet:
    def __init__(self, sheet):
        self._sheet = sheet

    def append(self, values):
        self._sheet.append(xlsx_row(self._sheet, values))
