"""The M&E report's workbook holds what both parties typed as text cells, never formulas."""

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db

PAYLOAD = "=cmd|' /C calc'!A0"


def test_meeting_minutes_and_decisions_typed_as_formulas_are_text_in_the_workbook(client, mou, staff_beltim,
                                                                                 pemda_beltim):
    from agreements.services import meeting_record

    meeting_record(agreement=mou, actor=staff_beltim, held_on=date(2024, 11, 20), place="+Aula", attendees="@semua",
                   minutes=PAYLOAD, decisions=["-hapus", "Lanjutkan sosialisasi"],
                   period_start=date(2024, 1, 1), period_end=date(2024, 10, 31))
    client.force_login(pemda_beltim)
    response = client.get(reverse("agreements:report_xlsx", args=[mou.pk]) + "?start=2024-01-01&end=2024-12-31")
    book = load_workbook(io.BytesIO(response.content))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
             if isinstance(cell.value, str)]
    assert cells and {cell.data_type for cell in cells} == {"s"}  # not one formula cell
    meeting = next(book["Rapat evaluasi"].iter_rows(min_row=2, max_row=2, values_only=True))
    assert meeting[1:] == ("'+Aula", "'@semua", "'" + PAYLOAD, "'-hapus\nLanjutkan sosialisasi")
