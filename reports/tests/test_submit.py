"""The public form, end to end through the views, on the real database and real files."""

import io
import re

import pytest
from django.core.files.storage import default_storage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from audit.models import AuditEntry
from netral.crypto import decrypt_bytes
from reports.models import Attachment, EvidenceBlob, Report
from reports.tests.conftest import SCRIPT, jpeg_bytes
from reports.tracking import new_submission_token

pytestmark = pytest.mark.django_db
URL = reverse("reports:submit")


def code_from(response) -> str:
    return response.context["code"]


def test_the_form_page_opens_with_a_fresh_submission_token(client, places, offices):
    first = client.get(URL)
    second = client.get(URL)
    assert first.status_code == 200
    assert first.context["form"].initial["submission_token"] != second.context["form"].initial["submission_token"]
    assert first["Cache-Control"] == "no-store"


def test_a_full_report_is_stored_with_encrypted_identity_and_a_hashed_code(client, report_data, photo):
    response = client.post(URL, {**report_data, "evidence": [photo]})
    assert response.status_code == 200, response.context["form"].errors
    report = Report.objects.get()
    code = code_from(response)
    assert report.number == "0001/LAP/K.BB-06/" + str(report.created_at.year)
    assert report.office.number_code == "K.BB-06"
    assert report.reporter["name"] == "Siti Aminah" and not report.anonymous
    assert report.reported_persons.get().name == "Budi Santoso"
    assert report.links.get().url == "https://facebook.com/post/123"
    assert report.violations.count() == 1
    # Nothing readable about the reporter or the code is in the table.
    raw = Report.objects.filter(pk=report.pk).values_list("reporter", "tracking_hash").get()
    assert "Siti" not in raw[0] and code.replace("-", "") not in raw[1]
    assert code in re.sub(r"<[^>]+>", "", response.content.decode())  # the code's groups are spans
    entry = AuditEntry.objects.get(action="report.submitted")
    assert entry.actor is None and entry.actor_kind == "reporter" and "Siti" not in str(entry.data)


def test_evidence_is_stored_once_sealed_encrypted_and_public_without_gps(client, report_data):
    original = jpeg_bytes()
    response = client.post(URL, {**report_data, "evidence": [SimpleUploadedFile("a.jpg", original)]})
    assert response.status_code == 200
    blob = EvidenceBlob.objects.get()
    sealed = storages["sealed"].open(blob.sealed_name).read()
    assert sealed != original and decrypt_bytes(sealed) == original
    import hashlib
    assert blob.sha256 == hashlib.sha256(original).hexdigest()
    public = Image.open(default_storage.open(blob.public_file.name))
    assert not public.getexif().get_ifd(0x8825)
    # The same photo in another report is not stored again.
    again = {**report_data, "submission_token": new_submission_token(), "evidence": [SimpleUploadedFile("b.jpg", original)]}
    assert client.post(URL, again).status_code == 200
    assert EvidenceBlob.objects.count() == 1 and Attachment.objects.count() == 2


def test_an_anonymous_report_stores_no_identity_and_no_address(client, report_data):
    data = {**report_data, "identity": "anonymous", "reporter_name": "", "reporter_address": ""}
    response = client.post(URL, data, REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="Android Phone")
    assert response.status_code == 200
    report = Report.objects.get()
    assert report.anonymous and report.reporter is None
    stored = " ".join(str(v) for v in Report.objects.values().get().values())
    assert "203.0.113.9" not in stored and "Android" not in stored
    assert "203.0.113.9" not in str(list(AuditEntry.objects.values()))


def test_a_reporter_with_identity_must_give_name_and_address(client, report_data):
    response = client.post(URL, {**report_data, "reporter_name": "", "reporter_address": ""})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"reporter_name", "reporter_address"}
    assert not Report.objects.exists()


def test_a_pilkada_report_with_identity_needs_the_nik_that_its_rules_ask_for(client, report_data):
    # requirements.yaml: the reporter's ID card is a formal requirement of a Pilkada report only.
    response = client.post(URL, {**report_data, "reporter_nik": ""}, HTTP_ACCEPT_LANGUAGE="id")
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"reporter_nik"}
    assert "Pilkada" in response.context["form"].errors["reporter_nik"][0]
    assert response.context["form"]["reporter_name"].value() == "Siti Aminah"  # nothing typed is lost
    assert not Report.objects.exists()


def test_the_nik_stays_optional_for_an_anonymous_report_and_a_general_election(client, report_data):
    from rules.selectors import regimes_needing_reporter_nik

    assert regimes_needing_reporter_nik() == ["pilkada"]
    anonymous = {**report_data, "identity": "anonymous", "reporter_name": "", "reporter_address": "",
                 "reporter_nik": ""}
    assert client.post(URL, anonymous).status_code == 200
    assert Report.objects.get().anonymous


def test_missing_fields_keep_everything_the_reporter_typed(client, report_data):
    data = {**report_data, "description": "", "place": ""}
    response = client.post(URL, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Siti Aminah" in page and "Budi Santoso" in page and "Jl. Merdeka 1, Manggar" in page
    assert report_data["submission_token"] in page
    assert {"description", "place"} <= set(response.context["form"].errors)
    assert not Report.objects.exists()


def test_a_50_mb_file_is_refused_with_a_clear_message_and_nothing_is_stored(client, report_data, settings):
    big = SimpleUploadedFile("video.mp4", b"\0" * (50 * 1024 * 1024), content_type="video/mp4")
    response = client.post(URL, {**report_data, "evidence": [big]})
    assert response.status_code == 400
    assert "video.mp4" in " ".join(response.context["form"].errors["evidence"])
    assert not Report.objects.exists() and not EvidenceBlob.objects.exists()
    assert not (settings.MEDIA_ROOT / "evidence").exists()


def test_an_html_file_renamed_jpg_is_refused(client, report_data):
    fake = SimpleUploadedFile("foto.jpg", b"<!doctype html><script>alert(1)</script>", content_type="image/jpeg")
    response = client.post(URL, {**report_data, "evidence": [fake]})
    assert response.status_code == 400
    assert "foto.jpg" in " ".join(response.context["form"].errors["evidence"])
    assert not Report.objects.exists()


def test_a_double_submit_makes_one_report_and_shows_the_same_code(client, report_data, photo):
    first = client.post(URL, {**report_data, "evidence": [photo]})
    photo.seek(0)
    second = client.post(URL, {**report_data, "evidence": [photo]})
    assert Report.objects.count() == 1
    assert code_from(first) == code_from(second)
    assert second.context["repeated"]
    assert AuditEntry.objects.filter(action="report.submitted").count() == 1


def test_a_late_repeat_of_the_form_does_not_show_the_code_again(client, report_data, time_machine):
    time_machine.move_to("2024-11-12 09:00 +07:00")
    client.post(URL, report_data)
    time_machine.move_to("2024-11-12 10:00 +07:00")
    again = client.post(URL, report_data)
    assert again.context["code"] is None and Report.objects.count() == 1


def test_script_in_every_text_field_is_shown_escaped_to_staff(client, report_data, staff_beltim):
    data = {key: SCRIPT for key in ("reporter_name", "reporter_address", "place", "persons-0-name",
                                      "persons-0-position", "persons-0-unit")}
    data["description"] = SCRIPT + " memasang baliho di kantor"
    assert client.post(URL, {**report_data, **data}).status_code == 200
    report = Report.objects.get()
    report.office.identity_reveal_needs_approval = False  # the one-step reveal: one person suffices here
    report.office.save(update_fields=["identity_reveal_needs_approval"])
    client.force_login(staff_beltim)
    for page in (client.get(reverse("reports:inbox")), client.get(report.get_absolute_url()),
                 client.post(reverse("reports:reveal_identity", args=[report.pk]))):
        html = page.content.decode()
        assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html


def test_reports_in_the_same_year_are_numbered_in_sequence(client, report_data):
    client.post(URL, report_data)
    client.post(URL, {**report_data, "submission_token": new_submission_token()})
    numbers = sorted(Report.objects.values_list("number", flat=True))
    assert [n.split("/")[0] for n in numbers] == ["0001", "0002"]


def test_a_future_date_and_a_bad_link_are_explained(client, report_data):
    response = client.post(URL, {**report_data, "known_on": "2999-01-01", "links": "javascript:alert(1)"})
    assert response.status_code == 400
    assert {"known_on", "links"} <= set(response.context["form"].errors)


def test_register_search_shows_name_position_and_unit_but_never_the_nip(client, agencies):
    from registry.models import Employee

    Employee.objects.create(kind="pns", nip="198503152010011002", name="Budi Santoso", position="Kepala Dinas",
                            agency=agencies["beltim"], unit=agencies["dinkes_beltim"])
    page = client.get(reverse("reports:employee_search"), {"q": "budi", "target": "persons-0"}).content.decode()
    assert "Budi Santoso" in page and "Kepala Dinas" in page and "Dinas Kesehatan" in page
    assert "198503152010011002" not in page


def test_a_register_pick_links_the_report_to_the_employee(client, report_data, agencies):
    from registry.models import Employee

    employee = Employee.objects.create(kind="pns", nip="198503152010011002", name="Budi Santoso",
                                       agency=agencies["beltim"])
    response = client.post(URL, {**report_data, "persons-0-employee": str(employee.pk)})
    assert response.status_code == 200
    assert Report.objects.get().reported_persons.get().employee == employee


def test_up_to_five_reported_persons_can_be_added(client, report_data):
    data = dict(report_data, **{"persons-TOTAL_FORMS": "2", "persons-1-name": "Ani", "persons-1-employee": "",
                                "persons-1-position": "", "persons-1-unit": ""})
    assert client.post(URL, data).status_code == 200
    assert list(Report.objects.get().reported_persons.values_list("name", flat=True)) == ["Budi Santoso", "Ani"]
    row = client.get(reverse("reports:person_row"), {"index": 1})
    assert 'name="persons-1-name"' in row.content.decode()
    assert client.get(reverse("reports:person_row"), {"index": 5}).status_code == 404


def test_a_png_image_uploaded_with_a_pdf_name_is_accepted_as_png(client, report_data):
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, "PNG")
    response = client.post(URL, {**report_data, "evidence": [SimpleUploadedFile("x.pdf", out.getvalue())]})
    assert response.status_code == 200
    assert EvidenceBlob.objects.get().content_type == "image/png"


def test_a_damaged_form_token_is_replaced_so_the_next_try_works(client, report_data):
    response = client.post(URL, {**report_data, "submission_token": "x"})
    assert response.status_code == 400 and not Report.objects.exists()
    fresh = response.context["form"].data["submission_token"]
    assert fresh != "x" and client.post(URL, {**report_data, "submission_token": fresh}).status_code == 200


def test_the_form_and_the_receipt_are_never_kept_in_a_cache(client, report_data):
    # A shared phone: Back or a cached copy must not bring back the reporter's identity
    # (netral.middleware sends no-store on every page; static/js/report.js clears on Back).
    assert "no-store" in client.get(URL)["Cache-Control"]
    response = client.post(URL, report_data)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert 'id="tracking-qr"' in response.content.decode()


def test_the_form_says_what_the_contact_details_are_for(client, places, offices):
    form = client.get(URL, HTTP_ACCEPT_LANGUAGE="id").context["form"]
    assert "klarifikasi" in str(form["reporter_phone"].help_text)
    assert "terenkripsi" in str(form["reporter_email"].help_text)
