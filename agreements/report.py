"""The M&E report of a period: every output and outcome with its indicator or value by hand,
target and value; each party's duties with their status and evidence; the costs (budget and
spending per party and activity, in Rupiah as written here); the posts and broadcasts of
neutrality material; the outcome indicators (pre/post-test gains, violations per 1,000 ASN
across elections); and the evaluation meetings of the period with their decisions.

PDF: a Django template printed by WeasyPrint through the letters app's local-only fetcher.
Excel: openpyxl in write-only mode. Both are Indonesian documents, like the letters.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date

from django.template.loader import render_to_string
from django.utils import translation

from agreements import selectors
from agreements.models import Agreement, Duty
from agreements.obligations import rupiah
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
    duties: list = field(default_factory=list)  # (item, [Duty]) per work-plan row
    costs: selectors.Costs | None = None
    spendings: list = field(default_factory=list)
    posts: list = field(default_factory=list)
    understanding: list = field(default_factory=list)
    elections: list = field(default_factory=list)


STATUS = {"not_started": "Belum", "in_progress": "Berjalan", "done": "Selesai", "not_done": "Tidak dilaksanakan"}
CHANNEL = {"radio": "Radio", "tv": "Televisi", "website": "Situs web", "other": "Lainnya"}


def build(agreement: Agreement, start: date, end: date) -> Report:
    with translation.override("id"):
        items = selectors.monitoring(agreement, start, end)
        duties = selectors.duties_of(agreement, start, end)
        understanding = selectors.understanding(agreement, start, end)
        elections = selectors.neutrality_by_election(agreement, until=end)
    return Report(agreement, start, end, items, list(selectors.meetings_in(agreement, start, end)),
                  duties=[(item, duties.get(item.pk, [])) for item, _rows in items],
                  costs=selectors.costs_of(agreement, end=end),
                  spendings=list(selectors.spending_list(agreement, start=start, end=end)),
                  posts=list(selectors.dissemination_list(agreement, start=start, end=end)
                             .order_by("published_on", "id")),
                  understanding=understanding, elections=elections)


def evidence_text(duty: Duty) -> str:
    """Each piece of evidence of a duty in one line: documents by name, links, photos, live figures."""
    parts = []
    for evidence in duty.evidence.all():
        if evidence.kind == "document":
            parts.append(f"Dokumen: {evidence.document.name}")
        elif evidence.kind == "photo":
            parts.append("Foto" + (f": {evidence.caption}" if evidence.caption else ""))
        elif evidence.kind == "link":
            parts.append(f"Tautan: {evidence.url}")
        elif evidence.figure is not None:
            parts.append(f"{evidence.figure.label}: {value_text(evidence.figure.value, evidence.figure.unit)}")
    return "; ".join(parts) or "—"


def duty_rows(report: Report):
    """(number, party, duty, period, status, evidence) per duty, in the work plan's order."""
    for item, duties in report.duties:
        for duty in duties:
            period = (f"{format_date(duty.period_start) if duty.period_start else '…'} s.d. "
                      f"{format_date(duty.period_end) if duty.period_end else '…'}"
                      if duty.period_start or duty.period_end else item.schedule)
            status = STATUS.get(duty.status, duty.status)
            if duty.status_note:
                status = f"{status} ({duty.status_note})"
            yield item.number, f"Pihak {duty.party.position}", duty.text, period, status, evidence_text(duty)


def channel_text(channel: str) -> str:
    return CHANNEL.get(channel, {"x": "X", "tiktok": "TikTok", "youtube": "YouTube", "whatsapp": "WhatsApp"}.get(
        channel, channel.capitalize()))


def value_text(value, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "percent":
        return f"{value:.2f}%"
    if unit == "points":
        return f"{value:.2f} poin"
    if unit == "per_thousand":
        return f"{value:.2f} per 1.000 ASN"
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
        "duty_rows": list(duty_rows(report)),
        "cost_lines": [(row.line.item.number, row.line.item.activity, row.line.party.position, row.line.source,
                        rupiah(row.line.amount), rupiah(row.spent), rupiah(row.remaining))
                       for row in report.costs.lines],
        "cost_parties": [(party.position, party.name, rupiah(budget), rupiah(spent))
                         for party, budget, spent in report.costs.by_party],
        "cost_items": [(item.number, item.activity, rupiah(budget), rupiah(spent))
                       for item, budget, spent in report.costs.by_item],
        "cost_total": (rupiah(report.costs.budget), rupiah(report.costs.spent)),
        "spendings": [(format_date(s.spent_on), s.line.item.number, s.line.party.position, s.description,
                       rupiah(s.amount), s.evidence.name) for s in report.spendings],
        "posts": [(format_date(p.published_on), p.party.position, channel_text(p.channel), p.title, p.url,
                   p.reach) for p in report.posts],
        "understanding": [(row.theme, value_text(row.mean_gain, "points"), value_text(row.improved, "percent"),
                           row.tested) for row in report.understanding],
        "elections": [(row.election.title_id, format_date(row.election.voting_day), row.decided, row.sanctioned,
                       row.active_asn, value_text(row.per_thousand, "per_thousand"),
                       "—" if row.change is None else f"{row.change:+.2f}") for row in report.elections],
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
    duties = xlsx_sheet(book.create_sheet("Tugas"))
    duties.append(["No.", "Pihak", "Tugas", "Jangka waktu", "Status", "Bukti"])
    for row in duty_rows(report):
        duties.append(list(row))
    costs = xlsx_sheet(book.create_sheet("Biaya"))
    costs.append([f"Realisasi s.d. {format_date(report.end)} (Rupiah)"])
    costs.append(["No.", "Kegiatan", "Pihak", "Sumber dana", "Anggaran (Rp)", "Realisasi (Rp)", "Sisa (Rp)"])
    for row in report.costs.lines:
        costs.append([row.line.item.number, row.line.item.activity, row.line.party.position, row.line.source,
                      int(row.line.amount), int(row.spent), int(row.remaining)])
    costs.append([])
    costs.append(["Jumlah per pihak", "", "Pihak", "", "Anggaran (Rp)", "Realisasi (Rp)"])
    for party, budget, spent in report.costs.by_party:
        costs.append(["", party.name, party.position, "", int(budget), int(spent)])
    costs.append(["Jumlah per kegiatan", "", "", "", "Anggaran (Rp)", "Realisasi (Rp)"])
    for item, budget, spent in report.costs.by_item:
        costs.append([item.number, item.activity, "", "", int(budget), int(spent)])
    costs.append(["Jumlah", "", "", "", int(report.costs.budget), int(report.costs.spent)])
    costs.append([])
    costs.append(["Belanja pada periode", "Tanggal", "Pihak", "Uraian", "Jumlah (Rp)", "Bukti"])
    for spending in report.spendings:
        costs.append([spending.line.item.number, spending.spent_on, spending.line.party.position,
                      spending.description, int(spending.amount), spending.evidence.name])
    posts = xlsx_sheet(book.create_sheet("Publikasi"))
    posts.append(["Tanggal", "Pihak", "Kanal", "Materi", "Tautan", "Jangkauan"])
    for post in report.posts:
        posts.append([post.published_on, post.party.position, channel_text(post.channel), post.title, post.url,
                      post.reach])
    outcomes = xlsx_sheet(book.create_sheet("Indikator hasil"))
    outcomes.append(["Pemahaman ASN (pre-test dan post-test pada periode)"])
    outcomes.append(["Tema", "Rata-rata kenaikan (poin)", "Peserta yang meningkat (%)", "Peserta dengan dua tes"])
    for row in report.understanding:
        outcomes.append([row.theme, float(row.mean_gain) if row.mean_gain is not None else None,
                         float(row.improved) if row.improved is not None else None, row.tested])
    outcomes.append([])
    outcomes.append(["Netralitas ASN antar pemilihan (pelanggaran per 1.000 ASN aktif)"])
    outcomes.append(["Pemilihan", "Hari pemungutan suara", "Pelanggaran diputus", "Dijatuhi sanksi", "ASN aktif",
                     "Per 1.000 ASN", "Perubahan"])
    for row in report.elections:
        outcomes.append([row.election.title_id, row.election.voting_day, row.decided, row.sanctioned,
                         row.active_asn, float(row.per_thousand) if row.per_thousand is not None else None,
                         float(row.change) if row.change is not None else None])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
