"""The units' checklist progress as an Excel workbook: the same figures as the page, every unit."""

from __future__ import annotations

import io

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from netral.spreadsheets import xlsx_sheet
from prevention.checklist import ITEMS, ProgressRow, ProgressTotals
from prevention.models import ChecklistItem

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _percent(value):
    return "" if value is None else float(value)


def _item_cells(cell) -> list:
    if not cell:
        return [_("No"), None]
    return [_("Yes") if cell["done"] else _("No"), cell["done_on"] if cell["done"] else None]


def progress_xlsx(*, election, agency, rows: list[ProgressRow], totals: ProgressTotals, today) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    # Unit names and places are typed by people: text cells, never formulas (netral.spreadsheets).
    sheet = xlsx_sheet(book.create_sheet(_("Checklist")[:31]))
    sheet.append([_("Unit checklists for the election")])
    sheet.append([_("Election"), election.title])
    sheet.append([_("Agency"), agency.name if agency else _("All agencies")])
    sheet.append([_("Figures as of"), date_format(today, "j F Y")])
    sheet.append([])
    labels = dict(ChecklistItem.Item.choices)
    headers = [_("Unit"), _("Agency")]
    for item in ITEMS:
        headers += [str(labels[item]), _("Date")]
    headers += [_("Video shown on"), _("Photos of the banner"), _("Pledges signed"), _("Active employees"),
                _("Pledges (%)")]
    sheet.append(headers)
    channels = dict(ChecklistItem.Channel.choices)
    for row in rows:
        cells = [row.unit.name, row.unit.agency.name]
        for cell in row.cells():
            cells += _item_cells(cell)
        video, banner = row.items.get(ChecklistItem.Item.VIDEO), row.items.get(ChecklistItem.Item.BANNER)
        cells += [str(channels.get(video["channel"], "")) if video and video["done"] else "",
                  banner["photos"] if banner else 0, row.pledges.signed, row.pledges.active,
                  _percent(row.pledges.share)]
        sheet.append(cells)
    total = [_("Total"), _("%(count)s units") % {"count": totals.units}]
    for count in totals.cells():
        total += [count, None]
    total += ["", "", totals.pledges.signed, totals.pledges.active, _percent(totals.pledges.share)]
    sheet.append(total)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
