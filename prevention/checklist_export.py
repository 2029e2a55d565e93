"""The units' checklist progress as an Excel workbook: the same figures as the page, every unit.

Nationally (552 agencies, thousands of units) the workbook takes seconds (openpyxl's time per
cell), so it is built in the background (the ``exports`` app): the page's button asks for a
job (``progress_export_request``), the worker runs ``progress_export_build`` as the person who
asked, and only that person downloads the file, while ``progress_export_may_access`` still
holds for them.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.permissions import Capability, can
from exports.kinds import ExportKind
from exports.selectors import latest_export_job
from exports.services import export_job_request
from netral.spreadsheets import xlsx_sheet
from prevention import checklist
from prevention.checklist import ITEMS, ProgressRow, ProgressTotals
from prevention.models import ChecklistItem

if TYPE_CHECKING:
    from accounts.models import User
    from exports.models import ExportJob

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXPORT_KIND = "prevention.checklist_progress"
# Rows written between two reports of progress.
PROGRESS_EVERY = 250


def _percent(value):
    return "" if value is None else float(value)


def _item_cells(cell) -> list:
    if not cell:
        return [_("No"), None]
    return [_("Yes") if cell["done"] else _("No"), cell["done_on"] if cell["done"] else None]


def progress_xlsx(*, election, agency, rows: list[ProgressRow], totals: ProgressTotals, today,
                  progress=None) -> bytes:
    """The workbook; ``progress(share)`` (0 to 1) is called every PROGRESS_EVERY rows if given."""
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
    for index, row in enumerate(rows):
        if progress is not None and index % PROGRESS_EVERY == 0:
            progress(index / len(rows))
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


# --- In the background (the exports app) ---------------------------------------------------

def _scope(user) -> list:
    """What decides which units ``user`` reads: a file built for one scope is not for another."""
    return [user.role, user.bawaslu_office_id, user.agency_id, user.unit_id]


def _params(user, *, election, agency) -> dict:
    return {"election": election.pk, "agency": agency.pk if agency is not None else None, "scope": _scope(user)}


def progress_export_may_access(user, params: dict) -> bool:
    """Still a reader of the units' progress, in the same role and jurisdiction, and of the agency chosen."""
    if not can(user, Capability.SEE_UNIT_PROGRESS) or params.get("scope") != _scope(user):
        return False
    agency = params.get("agency")
    return agency is None or checklist.progress_agencies(user).filter(pk=agency).exists()


def progress_export_build(*, user, params: dict, out, progress) -> None:
    """The workbook as ``user`` reads the units now (the worker's run), written into ``out``."""
    election = checklist.checklist_elections().filter(pk=params.get("election")).first()
    if election is None:
        raise ValidationError(_("This election has no unit checklists any more."))
    agency = None
    if params.get("agency") is not None:
        agency = checklist.progress_agencies(user).filter(pk=params["agency"]).first()
        if agency is None:
            raise PermissionDenied
    units = checklist.progress_units(user, agency=agency)
    rows = checklist.progress_rows(units, election=election)
    progress(15)
    totals = checklist.progress_totals(units, election=election)
    progress(20)
    out.write(progress_xlsx(election=election, agency=agency, rows=rows, totals=totals, today=timezone.localdate(),
                            progress=lambda share: progress(20 + 75 * share)))


def _filename(params: dict) -> str:
    return f"daftar-periksa-unit-{params.get('election')}.xlsx"


def _source_url(params: dict) -> str:
    query = {"election": params.get("election")}
    if params.get("agency") is not None:
        query["agency"] = params["agency"]
    return f"{reverse('prevention:checklist_progress')}?{urlencode(query)}"


PROGRESS_EXPORT = ExportKind(key=EXPORT_KIND, label=gettext_lazy("Unit checklists' progress (Excel)"),
                             content_type=XLSX_TYPE, build=progress_export_build,
                             may_access=progress_export_may_access, filename=_filename, source_url=_source_url)


def progress_export_request(*, actor: "User", election, agency) -> "ExportJob":
    """Queue the workbook for ``actor`` (the job already running for the same figures if any)."""
    return export_job_request(actor=actor, kind=EXPORT_KIND, params=_params(actor, election=election, agency=agency))


def progress_export_latest(*, user, election, agency) -> "ExportJob | None":
    """The last export of these figures ``user`` asked for and may still have (the page shows it)."""
    return latest_export_job(user, kind=EXPORT_KIND, params=_params(user, election=election, agency=agency))
