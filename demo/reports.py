"""Demo reports in every status, filed and moved through the real services."""

import hashlib
import io
from datetime import timedelta

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from accounts.models import User
from cases import requirements
from cases import services as case_services
from regions.models import Region
from registry.models import Employee
from reports import services
from reports.models import Report
from reports.tracking import derive_code, format_code
from rules.models import Election, Violation
from storage.prepare import prepare_upload

# (district code, reported employee index or None, anonymous, statuses to walk through, story)
STORIES = [
    ("19.06.01", 0, False, [], "Kepala dinas memasang baliho bergambar calon bupati di pagar kantor dinas."),
    ("19.06.02", 1, True, [], "Seorang guru PNS mengunggah foto bersama pasangan calon dengan simbol jari di Facebook."),
    ("19.06.03", 2, False, ["in_review"], "Camat hadir dalam deklarasi pasangan calon dan ikut berorasi."),
    ("19.06.04", 3, False, ["in_review"], "Pegawai kontrak membagikan ajakan memilih calon di grup WhatsApp warga."),
    ("19.06.01", 4, False, ["in_review", "needs_completion"], "Kepala sekolah mengumpulkan fotokopi KTP guru untuk dukungan calon."),
    ("19.06.05", 5, False, ["in_review", "registered"], "Lurah membagikan sembako bergambar pasangan calon kepada warga."),
    ("19.06.06", 6, False, ["in_review", "registered", "decided"], "ASN dinas kesehatan menjadi pembawa acara kampanye terbuka."),
    ("19.06.07", None, False, ["in_review", "not_registered"], "Ada pegawai ikut kampanye, tetapi pelapor tidak tahu siapa."),
    ("19.06.02", 7, True, ["in_review", "information"], "Sekretaris camat memberi komentar dukungan pada akun tim pemenangan."),
    ("19.06.03", 8, False, ["withdrawn"], "Pegawai memasang stiker calon di mobil dinas."),
    ("19.01", None, False, [], "Seorang ASN Kabupaten Bangka memasang spanduk calon di depan kantornya."),
]

NOTES = {
    "needs_completion": "Mohon lengkapi alamat lengkap dan kirim foto kegiatan. Batas waktu 3 hari.",
    "not_registered": "Laporan tidak memenuhi syarat materiel: terlapor tidak dapat diidentifikasi.",
}


def _photo(seed: int):
    image = Image.new("RGB", (640, 480), (30 + seed * 20 % 200, 90, 60))
    ImageDraw.Draw(image).text((20, 20), f"Bukti demo {seed}", fill=(255, 255, 255))
    exif = Image.Exif()
    exif[0x8825] = {1: "S", 2: (2.0, 50.0, 0.0), 3: "E", 4: (108.0, 17.0, 0.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    upload = SimpleUploadedFile(f"bukti-{seed}.jpg", out.getvalue())
    return prepare_upload(upload, max_bytes=settings.NETRAL_EVIDENCE_MAX_BYTES)


def _token(index: int) -> str:
    # Deterministic, so the demo can print each report's code on every run.
    return hashlib.sha256(f"netral-demo-report-{index}".encode()).hexdigest()[:43]


def seed_reports(stdout) -> int:
    """File the demo reports through the real services; a report already filed is skipped."""
    election = Election.objects.get(pk="pilkada-2024")
    violations = list(Violation.objects.filter(active=True).order_by("position")[:8])
    staff = {"19.06": User.objects.get(username="staf.beltim"), "19.01": User.objects.get(username="staf.bangka")}
    employees = list(Employee.objects.filter(agency__region__code="19.06", active=True).exclude(kind="contract")
                     .select_related("unit").order_by("nip")[:9])
    regions = {r.code: r for r in Region.objects.filter(code__in={s[0] for s in STORIES})}
    created = 0
    for index, (code, person, anonymous, walk, story) in enumerate(STORIES):
        token = _token(index)
        if Report.objects.filter(submission_hash=hashlib.sha256(token.encode()).hexdigest()).exists():
            continue
        employee = employees[person] if person is not None and person < len(employees) else None
        reported = [services.ReportedPersonInput(
            name=employee.name if employee else "Tidak diketahui",
            position=employee.position if employee else "",
            unit=employee.unit.name if employee and employee.unit else "",
            employee=employee,
        )]
        known = timezone.localdate() - timedelta(days=index % 5)
        submission = services.ReportSubmission(
            election=election, region=regions[code], place="Manggar" if code.startswith("19.06") else "Sungailiat",
            known_on=known, occurred_on=_during_the_campaign(election, index), description=story,
            reporter=None if anonymous else services.ReporterIdentity(
                name=f"Pelapor Demo {index + 1}", address="Jl. Demo No. %d" % (index + 1),
                phone="0812000000%02d" % index),
            reported=reported, violations=violations[index % len(violations):][:1],
            links=["https://facebook.com/demo/post/%d" % index] if index % 2 else [],
            files=[_photo(index)] if index % 3 == 0 else [],
        )
        receipt = services.report_submit(submission=submission, submission_token=token)
        actor = staff[code[:5]]
        report = receipt.report
        _walk(report, walk, actor, Violation.objects.get(pk="campaign-participation"))
        if "needs_completion" in walk or index == 2:
            services.report_reply(report=report, actor=actor, body="Terima kasih atas laporannya. " + NOTES["needs_completion"])
            services.report_add_reporter_message(report=report, body="Baik, foto akan saya kirim besok.")
        created += 1
    return created


def _walk(report, walk, actor, violation):
    """Move a demo report the way staff would: through the case-handling services."""
    lead = User.objects.filter(role=User.Role.BAWASLU_LEAD, bawaslu_office=actor.bawaslu_office).first()
    case = None
    for status in walk:
        if status == "withdrawn":
            services.report_withdraw(report=report, reason="Saya salah melihat orangnya.")
        elif status == "registered":
            checks = [case_services.Check(r.id, True) for r in requirements.for_regime(report.election.regime)]
            case = case_services.case_register_report(report=report, actor=actor, checks=checks)
        elif status == "needs_completion":
            checks = [case_services.Check(r.id, r.id != "evidence", "Foto kegiatan" if r.id == "evidence" else "")
                      for r in requirements.for_regime(report.election.regime)]
            case_services.report_request_completion(report=report, actor=actor, checks=checks,
                                                    note=NOTES["needs_completion"])
        elif status == "information":
            case_services.case_register_finding(
                actor=actor, election=report.election, region=report.region, summary=report.description,
                place=report.place, known_on=timezone.localdate(), source_report=report)
        elif status == "decided" and case is not None and lead is not None:
            case = case_services.case_start_study(case=case, actor=actor)
            for person in case.persons.filter(employee__isnull=True, subject=""):
                case_services.case_person_set_subject(person=person, actor=actor, subject="pns")
            case = case_services.case_propose(
                case=case, actor=actor, outcome="forwarded_authority", violations=[violation],
                legal_analysis="Terlapor menjadi pembawa acara kampanye terbuka pasangan calon: memenuhi unsur "
                               "PP 94/2021 Pasal 5 huruf n angka 1.",
                conclusion="Terbukti melanggar netralitas ASN.")
            case_services.case_approve(case=case, actor=lead,
                                       announcement="Diteruskan kepada Badan Kepegawaian Negara untuk ditindaklanjuti.")
        else:
            report = services.report_change_status(report=report, actor=actor, to_status=status,
                                                   public_note=NOTES.get(status, ""))


def demo_tracking_codes(count: int = 3) -> list[tuple[str, str]]:
    """(code, story) of the first demo reports: the codes follow from the secret key."""
    return [(format_code(derive_code(_token(index), settings.SECRET_KEY)), STORIES[index][4])
            for index in range(min(count, len(STORIES)))]


def _during_the_campaign(election, index):
    """A day within the election's stages (issue 19: an event outside them is not a report)."""
    return election.voting_day - timedelta(days=7 + index % 5)
