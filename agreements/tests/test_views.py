"""Staff pages: only the parties' staff, actions through the services, files and the M&E report."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from agreements.models import Document, EvaluationMeeting, ManualValue
from agreements.services import agreement_record
from audit.models import AuditEntry
from followup.tests.test_services import pdf_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _late_2024(time_machine):
    time_machine.move_to("2024-11-24 10:00 +07:00")


def detail(mou):
    return reverse("agreements:detail", args=[mou.pk])


def test_only_the_parties_staff_see_the_agreement(client, mou, staff_beltim, lead_beltim, pemda_beltim, ppk_beltim,
                                                  staff_bangka, authority_bkn, admin_national):
    for user in (staff_beltim, lead_beltim, pemda_beltim, ppk_beltim):
        client.force_login(user)
        page = client.get(reverse("agreements:list"))
        assert page.status_code == 200 and mou.title in page.content.decode()
        page = client.get(detail(mou))
        assert page.status_code == 200 and "019/HK.02/K.BB-06/08/2022" in page.content.decode()
    for user in (staff_bangka, authority_bkn, admin_national):
        client.force_login(user)
        assert client.get(detail(mou)).status_code == 404
        assert client.get(reverse("agreements:report_pdf", args=[mou.pk])).status_code == 404
        response = client.post(reverse("agreements:meeting_new", args=[mou.pk]), {"place": "x"})
        assert response.status_code == 404
    client.force_login(staff_bangka)
    assert mou.title not in client.get(reverse("agreements:list")).content.decode()
    assert not EvaluationMeeting.objects.exists()


def test_the_list_takes_the_same_queries_for_one_or_three(client, mou, staff_beltim, seed_data):
    client.force_login(staff_beltim)
    client.get(reverse("agreements:list"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("agreements:list"))
    for number in ("2", "3"):
        seed_data["parties"][0]["number"] = f"{number}/HK"
        agreement_record(actor=staff_beltim, data=seed_data)
    with CaptureQueriesContext(connection) as three:
        page = client.get(reverse("agreements:list"))
    assert page.content.decode().count("/staf/kesepakatan/") >= 3
    assert len(three) == len(one)


def test_an_evaluation_meeting_once_and_bad_input_kept(client, mou, staff_beltim):
    client.force_login(staff_beltim)
    url = reverse("agreements:meeting_new", args=[mou.pk])
    data = {"held_on": "2024-11-20", "place": "Kantor Bawaslu Beltim", "attendees": "Para pihak",
            "minutes": "Membahas capaian sosialisasi.", "decisions": "Tambah sosialisasi\nPerbarui data ASN",
            "period_start": "2024-01-01", "period_end": "2024-10-31"}
    assert client.post(url, {**data, "minutes": ""}).status_code == 400
    page = client.post(url, {**data, "minutes": ""})
    assert "Kantor Bawaslu Beltim" in page.content.decode()
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # a double submit
    meeting = EvaluationMeeting.objects.get()
    assert meeting.decisions == ["Tambah sosialisasi", "Perbarui data ASN"]
    assert AuditEntry.objects.filter(action="agreement.meeting_recorded").count() == 1


def test_only_the_leadership_ends_early(client, mou, staff_beltim, ppk_beltim):
    url = reverse("agreements:terminate", args=[mou.pk])
    data = {"notice_on": "2024-11-24", "effective_on": "2024-12-01", "reasons": "Tugas dialihkan."}
    client.force_login(staff_beltim)
    assert client.post(url, data).status_code == 403
    client.force_login(ppk_beltim)
    page = client.post(url, data)
    assert page.status_code == 400 and "24-12-2024" in page.content.decode()
    assert client.post(url, {**data, "effective_on": "2024-12-24"}).status_code == 302
    mou.refresh_from_db()
    assert mou.termination.party.position == 2


def test_a_signed_pdf_is_stored_with_its_hash_and_served_to_the_parties_only(client, mou, staff_beltim,
                                                                           staff_bangka):
    import hashlib

    client.force_login(staff_beltim)
    url = reverse("agreements:document_new", args=[mou.pk])
    content = pdf_bytes("Nota Kesepakatan")
    bad = client.post(url, {"kind": "signed", "upload": SimpleUploadedFile("a.pdf", b"not a pdf at all")})
    assert bad.status_code == 400 and not Document.objects.exists()
    assert client.post(url, {"kind": "signed", "name": "NK bertanda tangan",
                             "upload": SimpleUploadedFile("nk.pdf", content)}).status_code == 302
    assert client.post(url, {"kind": "signed", "upload": SimpleUploadedFile("nk.pdf", content)}).status_code == 302
    document = Document.objects.get()  # the double submit made one record
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    file_url = reverse("agreements:document_file", args=[mou.pk, document.pk])
    response = client.get(file_url)
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == content
    client.force_login(staff_bangka)
    assert client.get(file_url).status_code == 404


def test_the_report_pdf_and_excel_carry_every_target_and_the_meetings(client, mou, staff_beltim, pemda_beltim,
                                                                      register, themes, election):
    from agreements.services import manual_value_record, meeting_record
    from prevention.services import attendance_check_in, event_create

    event = event_create(actor=staff_beltim, theme=themes["asn-neutrality"], title="Sosialisasi",
                         held_on=date(2024, 10, 1), place="Aula", election=election)
    event_create(actor=pemda_beltim, theme=themes["asn-neutrality"], title="Sosialisasi 2",
                 held_on=date(2024, 10, 9), place="Aula", election=election)
    for person in ("ani", "budi", "cici"):
        attendance_check_in(event=event, employee=register[person], method="desk", actor=staff_beltim)
    by_hand = mou.work_plan.get(number="3").targets.get(kind="outcome")
    manual_value_record(target=by_hand, actor=staff_beltim, period_start=date(2024, 1, 1),
                        period_end=date(2024, 6, 30), value="4", note="Empat kali",
                        upload=SimpleUploadedFile("bukti.pdf", pdf_bytes("Bukti")))
    meeting_record(agreement=mou, actor=staff_beltim, held_on=date(2024, 11, 20), place="Manggar",
                   attendees="Para pihak", minutes="Capaian dibahas.", decisions=["Sosialisasi ditambah"],
                   period_start=date(2024, 1, 1), period_end=date(2024, 10, 31))
    assert ManualValue.objects.get().evidence.kind == "evidence"
    client.force_login(pemda_beltim)
    query = "?start=2024-01-01&end=2024-12-31"
    pdf = client.get(reverse("agreements:report_pdf", args=[mou.pk]) + query)
    assert pdf["Content-Type"] == "application/pdf"
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "007/NK/I/BT/2022" in text and "Sosialisasi ditambah" in text
    assert "Sosialisasi Netralitas ASN" in text
    xlsx = client.get(reverse("agreements:report_xlsx", args=[mou.pk]) + query)
    book = load_workbook(io.BytesIO(xlsx.content))
    rows = list(book["Monev"].iter_rows(values_only=True))
    table = {(row[0], row[3]): row for row in rows[6:]}
    assert len(table) == 17  # 8 outputs and 9 outcomes
    assert table[("1.a", "Terlaksananya kegiatan sosialisasi Netralitas ASN")][6] == 2
    # Understanding is read from the pre/post-tests (issue 19): nobody took both at these events.
    assert table[("1.a", "ASN Kabupaten Belitung Timur memahami hak dan kewajiban yang berkenaan dengan "
                         "Netralitas ASN")][6] is None
    assert table[("3", by_hand.text)][6] == 4 and table[("3", by_hand.text)][4] == "Dicatat manual"
    meetings = list(book["Rapat evaluasi"].iter_rows(values_only=True))
    assert meetings[1][1] == "Manggar" and meetings[1][4] == "Sosialisasi ditambah"


def test_a_party_records_a_new_agreement_and_adds_its_work_plan(client, offices, agencies, staff_beltim,
                                                                pemda_beltim):
    from agreements.models import Agreement

    client.force_login(staff_beltim)
    data = {
        "kind": "mou", "title": "Nota Kesepakatan Pengawasan Netralitas ASN Pemilihan 2029", "place": "Manggar",
        "signed_on": "2024-11-01", "term_years": 3, "notice_days": 30, "purpose": "Pengawasan bersama.",
        "scope": "Pencegahan dan Pengawasan\nPenyediaan data dan informasi", "legal_bases": "UU 5/2014\nUU 7/2017",
        "office": offices["beltim"].pk, "first_number": "021/HK.02/K.BB-06/11/2024",
        "first_signatory": "Ketua Bawaslu", "first_position": "Ketua Bawaslu Kabupaten Belitung Timur",
        "agency": agencies["beltim"].pk, "second_number": "010/NK/XI/BT/2024", "second_signatory": "Bupati",
        "second_position": "Bupati Belitung Timur",
    }
    refused = client.post(reverse("agreements:new"), {**data, "agency": agencies["bangka"].pk})
    assert refused.status_code == 400 and "021/HK.02/K.BB-06/11/2024" in refused.content.decode()  # kept
    response = client.post(reverse("agreements:new"), data)
    agreement = Agreement.objects.get(title__endswith="2029")
    assert response.status_code == 302 and agreement.ends_on.isoformat() == "2027-10-31"
    assert [p.number for p in agreement.parties.all()] == ["021/HK.02/K.BB-06/11/2024", "010/NK/XI/BT/2024"]
    assert agreement.scope == ["Pencegahan dan Pengawasan", "Penyediaan data dan informasi"]
    item = client.post(reverse("agreements:item_new", args=[agreement.pk]), {
        "number": "1.a", "programme": "Pencegahan dan Pengawasan", "activity": "Sosialisasi Netralitas ASN",
        "location": "Kab. Belitung Timur", "funding": "PARA PIHAK", "schedule": "2025 s.d 2027",
        "duties_first": "Melakukan sosialisasi.\nMenjadi narasumber.", "duties_second": "Menyediakan fasilitas.",
        "outputs": "Terlaksananya sosialisasi", "outcomes": "Terciptanya netralitas ASN",
    })
    assert item.status_code == 302
    row = agreement.work_plan.get()
    assert [(duty.party.position, duty.text) for duty in row.duties.all()] == [
        (1, "Melakukan sosialisasi."), (1, "Menjadi narasumber."), (2, "Menyediakan fasilitas.")]
    assert sorted(row.targets.values_list("kind", "text")) == [("outcome", "Terciptanya netralitas ASN"),
                                                              ("output", "Terlaksananya sosialisasi")]
    client.force_login(pemda_beltim)  # the other party sees it too
    assert client.get(reverse("agreements:detail", args=[agreement.pk])).status_code == 200
