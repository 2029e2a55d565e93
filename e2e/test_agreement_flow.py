"""From the agreement to its M&E report: staff open seed 000, record an evaluation meeting, download the PDF."""

import io
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from e2e.conftest import staff_login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SEED = Path(__file__).resolve().parent.parent / "agreements" / "data" / "mou_beltim_2022.yaml"


@pytest.fixture
def agreement(live_server, offices, agencies, staff_beltim):
    from agreements.services import agreement_record

    return live_server.url, agreement_record(actor=staff_beltim, data=yaml.safe_load(SEED.read_text()))


def test_staff_record_a_meeting_and_download_the_report(agreement, desktop):
    base, mou = agreement
    staff_login(desktop, base, "staf.beltim")
    desktop.goto(base + "/staf/kesepakatan/")
    desktop.click(f"#agreement-list a[href='/staf/kesepakatan/{mou.pk}/']")
    assert "007/NK/I/BT/2022" in desktop.locator("#parties").inner_text()
    assert desktop.locator(".work-item").count() == 5

    desktop.fill("#id_held_on", "2024-01-15")
    desktop.fill("#id_place", "Kantor Bawaslu Belitung Timur")
    desktop.fill("#id_minutes", "Evaluasi capaian sosialisasi netralitas ASN.")
    desktop.fill("#id_decisions", "Sosialisasi dilanjutkan di setiap kecamatan")
    desktop.fill("#id_period_start", "2023-01-01")
    desktop.fill("#id_period_end", "2023-12-31")
    desktop.click("#meeting-save")
    desktop.wait_for_selector(".flash-success")
    assert "Sosialisasi dilanjutkan" in desktop.locator("#meeting-list").inner_text()

    desktop.fill("#id_start", "2023-01-01")
    desktop.fill("#id_end", "2024-06-30")
    desktop.click("#work-plan + form button[type=submit]")
    desktop.wait_for_url("**start=2023-01-01**")
    with desktop.expect_download() as download:
        desktop.click("#report-pdf")
    text = " ".join(" ".join((page.extract_text() or "").split())
                    for page in PdfReader(io.BytesIO(Path(download.value.path()).read_bytes())).pages)
    assert "LAPORAN PEMANTAUAN DAN EVALUASI" in text and "019/HK.02/K.BB-06/08/2022" in text
    assert "Sosialisasi dilanjutkan di setiap kecamatan" in text
    assert "Terlaksananya kegiatan sosialisasi Netralitas ASN" in text
