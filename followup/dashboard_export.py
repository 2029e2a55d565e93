"""The compliance dashboard as tables, written to CSV or Excel: the same figures as the page."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from followup import compliance
from followup.dashboard import Dashboard
from followup.models import Recommendation
from netral.spreadsheets import csv_writer, xlsx_sheet

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"


@dataclass
class Table:
    sheet: str  # an Excel sheet name: at most 31 characters
    title: str
    headers: list[str]
    rows: list[list]


def percent(rate: float | None):
    """A rate as a percentage with one decimal, or empty when there is no base."""
    value = compliance.percent(rate)
    return "" if value is None else value


def days(value: float | None):
    return "" if value is None else round(value, 1)


def _figure_cells(figures: compliance.Figures) -> list:
    return [figures.received, figures.in_time, figures.late, figures.ignored, figures.pending,
            percent(figures.in_time_rate), percent(figures.late_rate), percent(figures.ignored_rate)]


def _figure_headers() -> list[str]:
    return [_("Received"), _("Acted on in time"), _("Acted on late"), _("Ignored"), _("Not yet due"),
            _("In time (%)"), _("Late (%)"), _("Ignored (%)")]


def filter_lines(dashboard: Dashboard) -> list[list[str]]:
    flt = dashboard.filter
    return [
        [_("Stage"), str(Recommendation.Stage(flt.stage).label)],
        [_("Issued from"), date_format(flt.issued_from, "j F Y") if flt.issued_from else ""],
        [_("Issued until"), date_format(flt.issued_until, "j F Y") if flt.issued_until else ""],
        [_("Region"), flt.region.name if flt.region else _("All regions")],
        [_("Agency"), flt.agency.name if flt.agency else _("All agencies")],
        [_("Election"), flt.election.title if flt.election else _("All elections")],
        [_("Figures as of"), date_format(dashboard.today, "j F Y")],
    ]


def dashboard_tables(dashboard: Dashboard) -> list[Table]:
    """The page's figures as tables, in the page's order."""
    agencies = [[row.name, row.region_name, *_figure_cells(row.figures)] for row in dashboard.agencies]
    agencies.append([_("Total"), "", *_figure_cells(dashboard.total)])
    regions = [[row.code, row.name, row.agencies, *_figure_cells(row.figures)] for row in dashboard.regions]
    sanctions = [[row.title, row.outcome_label, row.grade_label, row.count, percent(row.share)]
                 for row in dashboard.sanctions]
    medians = [[label, days(value), count] for (name, value, count), label in
               zip(dashboard.medians.as_list(), median_labels())]
    return [
        Table(_("Filters"), _("Compliance with recommendations"), [_("Filtered by"), _("Value")],
              filter_lines(dashboard)),
        Table(_("Agencies"), _("Per agency"), [_("Agency"), _("Region"), *_figure_headers()], agencies),
        Table(_("Regions"), _("Per region"), [_("Code"), _("Region"), _("Agencies"), *_figure_headers()],
              regions),
        Table(_("Sanctions"), _("Decisions of the PPK"),
              [_("Sanction"), _("Decision"), _("Family and level"), _("Number of decisions"), _("Share (%)")],
              sanctions),
        Table(_("Medians"), _("Median days"), [_("Step"), _("Median (days)"), _("Counted")], medians),
    ]


def median_labels() -> list[str]:
    return [_("From report to registration"), _("From registration to recommendation"),
            _("From recommendation to sanction")]


def write_csv(tables: list[Table]) -> bytes:
    """One file, one section per table (its title, its header, its rows, a blank line).

    Semicolon-separated with a byte-order mark, as the register's exports, so that a
    spreadsheet set to Indonesian opens it in columns.
    """
    text = io.StringIO()
    writer = csv_writer(text, delimiter=";", lineterminator="\r\n")  # agency names: never formulas
    for table in tables:
        writer.writerow([table.title])
        writer.writerow(table.headers)
        writer.writerows(table.rows)
        writer.writerow([])
    return text.getvalue().encode("utf-8-sig")


def write_xlsx(tables: list[Table]) -> bytes:
    """One sheet per table, header first (openpyxl's write-only mode: rows stream out)."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for table in tables:
        sheet = xlsx_sheet(workbook.create_sheet(table.sheet[:31]))
        sheet.append(table.headers)
        for row in table.rows:
            sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
