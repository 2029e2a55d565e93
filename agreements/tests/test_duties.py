"""Each party's duties: status set by its own staff with an audit entry, evidence of four kinds, the pages."""

import io
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image

from agreements import indicators
from agreements.models import Document, Duty, DutyEvidence
from agreements.services import document_upload, duty_evidence_add, duty_status_set
from audit.models import AuditEntry
from followup.tests.test_services import pdf_bytes
from reports.tests.conftest import jpeg_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _late_2024(time_machine):
    time_machine.move_to("2024-11-24 10:00 +07:00")


@pytest.fixture
def duty_bawaslu(mou):
    """Row 1.a, the first party's first duty: socialization to ASN."""
    return Duty.objects.get(item__agreement=mou, item__number="1.a", party__position=1, order=1)


@pytest.fixture
def duty_pemda(mou):
    return Duty.objects.get(item__agreement=mou, item__number="1.a", party__position=2, order=1)


def test_only_the_owner_partys_staff_set_a_duty_status_and_it_is_audited(duty_bawaslu, duty_pemda, staff_beltim,
                                                                        pemda_beltim, staff_bangka):
    for outsider in (pemda_beltim, staff_bangka):  # the other party, and another regency's office
        with pytest.raises(PermissionDenied):
            duty_status_set(duty=duty_bawaslu, actor=outsider, status="in_progress")
    with pytest.raises(PermissionDenied):
        duty_status_set(duty=duty_pemda, actor=staff_beltim, status="in_progress")
    duty = duty_status_set(duty=duty_bawaslu, actor=staff_beltim, status="in_progress",
                           period_start=date(2023, 1, 1), period_end=date(2024, 12, 31))
    assert (duty.status, duty.period_start, duty.status_changed_by) == ("in_progress", date(2023, 1, 1), staff_beltim)
    entry = AuditEntry.objects.get(action="agreement.duty_status_changed")
    assert entry.data["before"]["status"] == "not_started" and entry.data["after"]["status"] == "in_progress"
    assert entry.data["item"] == "1.a" and entry.data["party"] == 1


def test_a_duty_is_done_only_with_evidence_and_not_done_only_with_a_reason(duty_pemda, pemda_beltim):
    with pytest.raises(ValidationError) as refused:
        duty_status_set(duty=duty_pemda, actor=pemda_beltim, status="done")
    assert "status" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        duty_status_set(duty=duty_pemda, actor=pemda_beltim, status="not_done", note=" ")
    assert "note" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        duty_status_set(duty=duty_pemda, actor=pemda_beltim, status="in_progress", period_start=date(2024, 5, 1),
                        period_end=date(2024, 4, 1))
    assert "period_end" in refused.value.message_dict
    assert not AuditEntry.objects.filter(action="agreement.duty_status_changed").exists()
    duty_evidence_add(duty=duty_pemda, actor=pemda_beltim, kind="link", url="https://belitungtimurkab.go.id/berita/1")
    assert duty_status_set(duty=duty_pemda, actor=pemda_beltim, status="done").status == "done"
    assert duty_status_set(duty=duty_pemda, actor=pemda_beltim, status="not_done",
                           note="Ruang rapat tidak tersedia").status_note == "Ruang rapat tidak tersedia"


def test_evidence_of_each_kind_is_kept_with_its_hash_and_audited(mou, duty_bawaslu, staff_beltim):
    signed = document_upload(agreement=mou, actor=staff_beltim, kind="guidelines", name="Juklak sosialisasi",
                             upload=SimpleUploadedFile("juklak.pdf", pdf_bytes()))
    with translation.override("en"):
        assert signed.get_kind_display() == "Implementation guidelines (juklak)"
    duty_evidence_add(duty=duty_bawaslu, actor=staff_beltim, kind="document", document=signed)
    new_pdf = duty_evidence_add(duty=duty_bawaslu, actor=staff_beltim, kind="document",
                                upload=SimpleUploadedFile("undangan.pdf", pdf_bytes("Undangan")))
    assert new_pdf.document.kind == "evidence" and new_pdf.document.agreement == mou
    photo = duty_evidence_add(duty=duty_bawaslu, actor=staff_beltim, kind="photo", caption="Sosialisasi di Manggar",
                              upload=SimpleUploadedFile("foto.jpg", jpeg_bytes(gps=True)))
    stored = Image.open(io.BytesIO(photo.photo.read()))
    assert not stored.getexif()  # the GPS position of the phone is not kept
    assert len(photo.sha256) == 64
    duty_evidence_add(duty=duty_bawaslu, actor=staff_beltim, kind="link", url="https://instagram.com/p/abc")
    duty_evidence_add(duty=duty_bawaslu, actor=staff_beltim, kind="figure", indicator="events_held:asn-neutrality")
    assert list(duty_bawaslu.evidence.values_list("kind", flat=True)) == ["document", "document", "photo", "link",
                                                                          "figure"]
    assert AuditEntry.objects.filter(action="agreement.duty_evidence_added").count() == 5


@pytest.mark.parametrize(("kind", "values", "field"), [
    pytest.param("link", {"url": "javascript:alert(1)"}, "url", id="link-not-web"),
    pytest.param("link", {"url": "instagram.com/p/abc"}, "url", id="link-without-scheme"),
    pytest.param("figure", {"indicator": "cases_invented"}, "indicator", id="unknown-figure"),
    pytest.param("photo", {"upload": "pdf"}, "upload", id="a-pdf-is-not-a-photo"),
    pytest.param("document", {}, "document", id="document-without-file"),
])
def test_evidence_that_shows_nothing_is_refused(duty_bawaslu, staff_beltim, kind, values, field):
    if values.get("upload") == "pdf":
        values = {"upload": SimpleUploadedFile("foto.jpg", pdf_bytes())}
    with pytest.raises(ValidationError) as refused:
        duty_evidence_add(duty=duty_bawaslu, actor=staff_beltim, kind=kind, **values)
    assert field in refused.value.message_dict
    assert not DutyEvidence.objects.exists() and not Document.objects.exists()


def test_a_document_of_another_agreement_is_not_evidence(mou, duty_bawaslu, staff_beltim, seed_data):
    from agreements.services import agreement_record

    seed_data["parties"][0]["number"] = "2/HK"
    other = agreement_record(actor=staff_beltim, data=seed_data)
    foreign = document_upload(agreement=other, actor=staff_beltim, kind="signed",
                              upload=SimpleUploadedFile("nk.pdf", pdf_bytes()))
    with pytest.raises(PermissionDenied):
        duty_evidence_add(duty=duty_bawaslu, actor=staff_beltim, kind="document", document=foreign)


# --- Pages ----------------------------------------------------------------------------------------

def page(mou, duty, name="duty"):
    return reverse(f"agreements:{name}", args=[mou.pk, duty.pk])


def test_the_agreement_page_shows_each_duty_with_status_and_evidence(client, mou, duty_bawaslu, staff_beltim,
                                                                     pemda_beltim, themes):
    duty_evidence_add(duty=duty_bawaslu, actor=staff_beltim, kind="figure", indicator="events_held:asn-neutrality")
    duty_status_set(duty=duty_bawaslu, actor=staff_beltim, status="in_progress")
    client.force_login(pemda_beltim)  # the other party sees them too
    html = client.get(reverse("agreements:detail", args=[mou.pk])).content.decode()
    assert html.count('class="duty duty-') == 41
    assert html.count("duty duty-in_progress") == 1 and "<td>Berjalan</td>" in html  # "In progress"
    with translation.override("id"):  # the page's language
        label = indicators.label("events_held:asn-neutrality")
    assert f"{label}: <strong>0</strong>" in html and page(mou, duty_bawaslu) in html


def test_the_owner_changes_the_status_on_the_duty_page_and_a_refusal_keeps_what_was_typed(client, mou, duty_pemda,
                                                                                          pemda_beltim):
    client.force_login(pemda_beltim)
    assert client.get(page(mou, duty_pemda)).status_code == 200
    refused = client.post(page(mou, duty_pemda, "duty_status"), {"status": "done", "note": "Fasilitas aula disiapkan",
                                                                 "period_start": "2024-01-01"})
    html = refused.content.decode()
    assert refused.status_code == 400 and "Fasilitas aula disiapkan" in html and 'value="2024-01-01"' in html
    assert "Tambahkan bukti tugas (dokumen, foto, tautan, atau angka langsung) sebelum menandainya selesai." in html
    added = client.post(page(mou, duty_pemda, "duty_evidence"),
                        {"kind": "link", "url": "https://belitungtimurkab.go.id/a"})
    assert added.status_code == 302
    saved = client.post(page(mou, duty_pemda, "duty_status"), {"status": "done", "note": "", "period_start": "",
                                                               "period_end": ""})
    assert saved.status_code == 302 and Duty.objects.get(pk=duty_pemda.pk).status == "done"


def test_a_duty_page_is_404_outside_the_parties_and_403_for_the_other_party(client, mou, duty_pemda, staff_beltim,
                                                                            staff_bangka):
    client.force_login(staff_bangka)
    assert client.get(page(mou, duty_pemda)).status_code == 404
    assert client.post(page(mou, duty_pemda, "duty_status"), {"status": "in_progress"}).status_code == 404
    client.force_login(staff_beltim)
    assert client.get(page(mou, duty_pemda)).status_code == 200
    assert client.post(page(mou, duty_pemda, "duty_status"), {"status": "in_progress"}).status_code == 403
    assert client.post(page(mou, duty_pemda, "duty_evidence"),
                       {"kind": "link", "url": "https://example.org"}).status_code == 403
    assert Duty.objects.get(pk=duty_pemda.pk).status == "not_started" and not DutyEvidence.objects.exists()


def test_a_duty_photo_is_served_only_to_the_parties(client, mou, duty_bawaslu, staff_beltim, pemda_beltim,
                                                    staff_bangka):
    photo = duty_evidence_add(duty=duty_bawaslu, actor=staff_beltim, kind="photo",
                              upload=SimpleUploadedFile("foto.jpg", jpeg_bytes()))
    url = reverse("agreements:duty_photo", args=[mou.pk, duty_bawaslu.pk, photo.pk])
    client.force_login(pemda_beltim)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    client.force_login(staff_bangka)
    assert client.get(url).status_code == 404
