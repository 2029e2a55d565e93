"""The M&E report of a period: every output and outcome with its indicator or value by hand,
target and value, and the evaluation meetings of the period with their decisions.

PDF: a Django template printed by WeasyPrint through the letters app's local-only fetcher.
Excel: openpyxl in write-only mode. Both are Indonesian documents, like the letters.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from django.template.loader import render_to_string
from django.utils import translation

from agreements import selectors
from agreements.models import Agreement
from letters.dates import format_date
from letters.render import html_to_pdf
from netral.spreadsheets import xlsx_sheet


@dataclass
class Report:
    agreement: Agreement
    start: date
    end: date
    items: list
    meetings: list


def build(agreement: Agreement, start: date, end: date) -> Report:
    with translation.override("id"):
        items = selectors.monitoring(agreement, start, end)
    return Report(agreement, start, end, items, list(selectors.meetings_in(agreement, start, end)))


def value_text(value, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "percent":
        return f"{value:.2f}%"
    if value == value.to_integral_value():
        return str(int(value))
    return f"{value:.2f}"


def rows(report: Report):
    """(number, activity, kind, text, measure, target, value) per output and outcome."""
    for item, item_rows in report.items:
        for row in item_rows:
            measure = row.label or "Dicatat manual"
            kind = "Output" if row.target.kind == "output" else "Outcome"
            target = value_text(row.target.target_value, row.unit) if row.target.target_value is not None else "—"
            yield item.number, item.activity, kind, row.target.text, measure, target, value_text(row.value, row.unit)


def pdf(report: Report) -> bytes:
    numbers = " / ".join(party.number for party in report.agreement.parties.all())
    html = render_to_string("agreements/pdf/report.html", {
        "report": report, "agreement": report.agreement, "numbers": numbers, "rows": list(rows(report)),
        "start": format_date(report.start), "end": format_date(report.end),
        "meetings": [(format_date(m.held_on), m) for m in report.meetings],
    })
    return html_to_pdf(html)


def xlsx(report: Report) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    # Activities, minutes and decisions are typed by staff of both parties: text cells, never formulas.
    sheet = xlsx_sheet(book.create_sheet("Monev"))
    sheet.append(["Laporan Pemantauan dan Evaluasi"])
    sheet.append([report.agreement.title])
    sheet.append(["Nomor", " / ".join(party.number for party in report.agreement.parties.all())])
    sheet.append(["Periode", report.start, report.end])
    sheet.append([])
    sheet.append(["No.", "Kegiatan", "Jenis", "Output/Outcome", "Indikator", "Target", "Capaian"])
    for item, item_rows in report.items:
        for row in item_rows:
            sheet.append([item.number, item.activity, "Output" if row.target.kind == "output" else "Outcome",
                          row.target.text, row.label or "Dicatat manual",
                          float(row.target.target_value) if row.target.target_value is not None else None,
                          float(row.value) if row.value is not None else None])
    meetings = xlsx_sheet(book.create_sheet("Rapat evaluasi"))
    meetings.append(["Tanggal", "Tempat", "Peserta", "Notulen", "Keputusan"])
    for meeting in report.meetings:
        meetings.append([meeting.held_on, meeting.place, meeting.attendees, meeting.minutes,
                         "\n".join(meeting.decisions)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
