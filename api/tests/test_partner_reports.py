"""Partner systems hand reports in (issue 17): POST /api/v1/reports, idempotency, refusals, public status."""

import hashlib
import json
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse

from api.models import PartnerReport
from api.tokens import token_create
from audit.models import AuditEntry
from reports.models import Attachment, Report
from reports.tests.conftest import jpeg_bytes
from reports.tracking import normalize_code, sha256_hex

URL = "/api/v1/reports"


def bearer(raw, key=None, **extra):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}", **extra}
    if key is not None:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    return headers


def pdf_bytes() -> bytes:
    from letters.render import render_letter
    from letters.tests.samples import followup_reminder

    return render_letter("followup-reminder", followup_reminder())


def fields(places, **changes):
    data = {
        "election": "pilkada-2024", "region": places["manggar"].code, "place": "Kantor Dinas Kesehatan Manggar",
        "known_on": "2024-11-11", "occurred_on": "2024-11-10",
        "description": "Kepala dinas mengajak pegawai memilih calon bupati dalam apel pagi.",
        "reported_persons": json.dumps([{"name": "Budi Santoso", "position": "Kepala Dinas", "unit": "Dinkes"},
                                        {"name": "Ani Lestari"}]),
        "links": ["https://facebook.com/post/123"], "violations": [],
        "reporter_name": "Siti Aminah", "reporter_address": "Jl. Merdeka 1, Manggar",
        "reporter_nik": "1906014107850001", "reporter_phone": "0812 3456 7890", "reporter_email": "siti@example.org",
    }
    data.update(changes)
    return data


def files():
    return [SimpleUploadedFile("foto.png", jpeg_bytes(), content_type="image/png"),  # a JPEG, whatever it says
            SimpleUploadedFile("surat", pdf_bytes(), content_type="application/octet-stream")]


@pytest.fixture
def bkpsdm_token(pemda_beltim, admin_national, offices, rules):
    return token_create(actor=admin_national, user=pemda_beltim, name="SILAPOR ASN Beltim",
                        scopes=["reports:submit"], days=30)[1]


@pytest.fixture
def bangka_token(staff_bangka, admin_national):
    return token_create(actor=admin_national, user=staff_bangka, name="Pengaduan Bangka",
                        scopes=["reports:submit"], days=30)[1]


def post(client, token, key, data, evidence=()):
    return client.post(URL, {**data, "evidence": list(evidence)}, **bearer(token, key))


def test_a_valid_report_with_two_files_is_filed_on_the_partner_channel(client, places, bkpsdm_token):
    response = post(client, bkpsdm_token, "4f9c2a1e-0001", fields(places), files())
    assert response.status_code == 201, response.content
    body = response.json()
    report = Report.objects.get(pk=body["id"])
    assert body["number"] == report.number and report.number.endswith("/LAP/K.BB-06/" + report.number[-4:])
    assert report.channel == "partner" and report.office.number_code == "K.BB-06"
    assert report.tracking_hash == sha256_hex(normalize_code(body["tracking_code"]))
    assert body["status_url"].endswith(reverse("api:partner_report", args=[report.pk]))
    assert [p.name for p in report.reported_persons.order_by("id")] == ["Budi Santoso", "Ani Lestari"]
    assert report.reporter["nik"] == "1906014107850001" and not report.anonymous
    kinds = {a.original_name: (a.blob.content_type, a.blob.sha256) for a in Attachment.objects.filter(report=report)}
    assert kinds["foto.png"][0] == "image/jpeg" and kinds["surat"][0] == "application/pdf"  # from the content
    assert kinds["surat"][1] == hashlib.sha256(pdf_bytes()).hexdigest()
    sent = PartnerReport.objects.get(report=report)
    assert sent.token.name == "SILAPOR ASN Beltim"
    received = AuditEntry.objects.get(action="api.report_received")
    assert received.data == {"prefix": sent.token.prefix, "number": report.number}
    assert "Siti" not in json.dumps(body) and "1906014107850001" not in response.content.decode()


def test_a_retry_returns_the_same_report_and_code_with_200(client, places, bkpsdm_token):
    first = post(client, bkpsdm_token, "retry-key-0001", fields(places), files())
    again = post(client, bkpsdm_token, "retry-key-0001", fields(places), files())
    assert (first.status_code, again.status_code) == (201, 200)
    assert {k: v for k, v in again.json().items() if k != "created"} == \
        {k: v for k, v in first.json().items() if k != "created"}
    assert Report.objects.count() == 1 and PartnerReport.objects.count() == 1


def test_a_late_retry_no_longer_shows_the_code(client, places, bkpsdm_token, time_machine):
    from datetime import timedelta

    from django.utils import timezone

    first = post(client, bkpsdm_token, "late-retry-01", fields(places))
    time_machine.move_to(timezone.now() + timedelta(hours=1))
    again = post(client, bkpsdm_token, "late-retry-01", fields(places))
    assert again.status_code == 200 and again.json()["number"] == first.json()["number"]
    assert first.json()["tracking_code"] and again.json()["tracking_code"] is None


def test_the_same_key_with_another_body_is_a_422_problem(client, places, bkpsdm_token):
    assert post(client, bkpsdm_token, "reused-key-01", fields(places)).status_code == 201
    other = post(client, bkpsdm_token, "reused-key-01", fields(places, place="Kantor Camat Manggar"))
    assert other.status_code == 422 and other["Content-Type"].startswith("application/problem+json")
    assert other.json()["status"] == 422 and "Idempotency-Key" in other.json()["detail"]
    other_file = post(client, bkpsdm_token, "reused-key-01", fields(places), files()[:1])
    assert other_file.status_code == 422
    assert Report.objects.count() == 1


def test_the_key_is_the_tokens_own(client, places, bkpsdm_token, pemda_beltim, admin_national):
    """Two systems that happen to pick the same key make two reports."""
    second = token_create(actor=admin_national, user=pemda_beltim, name="SIMPEG", scopes=["reports:submit"],
                          days=30)[1]
    assert post(client, bkpsdm_token, "same-key-0001", fields(places)).status_code == 201
    assert post(client, second, "same-key-0001", fields(places)).status_code == 201
    assert Report.objects.count() == 2


@pytest.mark.parametrize("key", [None, "short", "x" * 101])
def test_an_idempotency_key_is_required(client, places, bkpsdm_token, key):
    response = client.post(URL, fields(places), **bearer(bkpsdm_token, key, HTTP_ACCEPT_LANGUAGE="en"))
    assert response.status_code == 400 and response["Content-Type"].startswith("application/problem+json")
    assert response.json()["errors"][0]["field"] == "Idempotency-Key"
    assert "Idempotency-Key" in response.json()["detail"] and response["Content-Language"] == "en"
    assert not Report.objects.exists()


def test_a_token_without_the_scope_is_refused(client, places, pemda_beltim, admin_national, rules):
    raw = token_create(actor=admin_national, user=pemda_beltim, name="register", scopes=["register:read"],
                       days=30)[1]
    response = post(client, raw, "no-scope-0001", fields(places))
    assert response.status_code == 403 and "reports:submit" in response.json()["detail"]
    assert not Report.objects.exists()


def test_the_scope_goes_to_the_roles_that_run_complaint_systems(cast):
    from django.core.exceptions import ValidationError

    for username in ("staf.beltim", "ketua.beltim", "bkpsdm.beltim", "admin.nasional"):
        token_create(actor=cast["admin.nasional"], user=cast[username], name="x", scopes=["reports:submit"], days=1)
    for username in ("ppk.beltim", "bkn"):
        with pytest.raises(ValidationError):
            token_create(actor=cast["admin.nasional"], user=cast[username], name="x", scopes=["reports:submit"],
                         days=1)


def test_a_region_outside_the_jurisdiction_is_a_403_problem(client, places, bkpsdm_token):
    response = post(client, bkpsdm_token, "bangka-key-01", fields(places, region=places["sungailiat"].code))
    assert response.status_code == 403 and response.json()["status"] == 403
    assert "wilayah" in response.json()["detail"].lower() or "region" in response.json()["detail"].lower()
    unknown = post(client, bkpsdm_token, "bangka-key-02", fields(places, region="99.99"))
    assert unknown.status_code == 400 and unknown.json()["errors"][0]["field"] == "region"
    assert not Report.objects.exists()


def test_an_oversize_and_a_bad_file_are_refused_as_on_the_web(client, places, bkpsdm_token, settings):
    settings.NETRAL_EVIDENCE_MAX_BYTES = 1000
    big = post(client, bkpsdm_token, "oversize-0001", fields(places),
               [SimpleUploadedFile("besar.jpg", jpeg_bytes(size=(400, 400)) + b"\0" * 2000)])
    assert big.status_code == 400 and big.json()["errors"][0]["field"] == "evidence"
    settings.NETRAL_EVIDENCE_MAX_BYTES = 20 * 1024 * 1024
    bad = post(client, bkpsdm_token, "bad-type-0001", fields(places),
               [SimpleUploadedFile("bukti.jpg", b"MZ\x90\0 this is a program, not a photo")])
    assert bad.status_code == 400 and [e["field"] for e in bad.json()["errors"]] == ["evidence"]
    assert "bukti.jpg" in bad.json()["detail"]
    assert not Report.objects.exists() and not Attachment.objects.exists()


def test_the_forms_rules_are_the_apis_with_the_apis_field_names(client, places, bkpsdm_token):
    response = client.post(URL, fields(places, description="pendek", reporter_nik="123", reporter_name="",
                                       reported_persons=json.dumps([{"name": "x" * 200}])),
                           **bearer(bkpsdm_token, "form-rules-01", HTTP_ACCEPT_LANGUAGE="en"))
    assert response.status_code == 400
    named = {e["field"] for e in response.json()["errors"]}
    assert named == {"description", "reporter_nik", "reporter_name", "reported_persons[0].name"}
    assert response["Content-Language"] == "en"
    broken = post(client, bkpsdm_token, "form-rules-02", fields(places, reported_persons="Budi"))
    assert broken.status_code == 400 and broken.json()["errors"][0]["field"] == "reported_persons"


def test_an_anonymous_report_keeps_no_identity(client, places, bkpsdm_token):
    response = post(client, bkpsdm_token, "anonymous-01", fields(places, anonymous="true"))
    assert response.status_code == 201
    report = Report.objects.get()
    assert report.anonymous and report.reporter is None


def test_the_sender_reads_the_public_status_and_another_partner_gets_404(client, places, bkpsdm_token,
                                                                          bangka_token, staff_beltim):
    from reports.services import report_change_status

    created = post(client, bkpsdm_token, "status-key-01", fields(places)).json()
    report = Report.objects.get(pk=created["id"])
    report_change_status(report=report, actor=staff_beltim, to_status="in_review", public_note="Sedang diperiksa.")
    status = client.get(created["status_url"], **bearer(bkpsdm_token, HTTP_ACCEPT_LANGUAGE="en"))
    assert status.status_code == 200
    body = status.json()
    assert body["number"] == report.number and body["status"] == "in_review"
    assert body["explanation"].startswith("Bawaslu staff are checking")
    assert [(e["status"], e["note"]) for e in body["timeline"]] == [("received", ""),
                                                                    ("in_review", "Sedang diperiksa.")]
    assert "Siti" not in status.content.decode() and "reporter" not in body
    foreign = client.get(created["status_url"], **bearer(bangka_token))
    assert foreign.status_code == 404 and foreign["Content-Type"].startswith("application/problem+json")


@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_make_one_report(places, offices, pemda_beltim, admin_national, rules):
    """Eight threads send the same request at once (PostgreSQL: real concurrent transactions)."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent transactions need PostgreSQL (SQLite serialises every write)")
    raw = token_create(actor=admin_national, user=pemda_beltim, name="SILAPOR", scopes=["reports:submit"],
                       days=30)[1]
    data = fields(places)
    barrier, answers = threading.Barrier(8), []

    def send():
        try:
            barrier.wait()
            answers.append(post(Client(), raw, "concurrent-key-01", data, files()))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(a.status_code for a in answers) == [200] * 7 + [201]
    assert len({a.json()["number"] for a in answers}) == 1 and len({a.json()["tracking_code"] for a in answers}) == 1
    assert Report.objects.count() == 1 and PartnerReport.objects.count() == 1
    assert Attachment.objects.count() == 2
