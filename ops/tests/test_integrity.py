"""verify_integrity: the audit chain and every stored file against its recorded SHA-256, on real files."""

import hashlib
import io
from datetime import date

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from PIL import Image

from audit.models import AuditEntry
from ops.integrity import integrity_check
from reports.models import EvidenceBlob
from reports.services import ReportedPersonInput, ReporterIdentity, ReportSubmission, report_submit
from reports.tests.conftest import mp4_bytes
from reports.tracking import new_submission_token
from storage.prepare import prepare_upload

# A small real MP4 (reports checks videos as containers): a video keeps its bytes, so its public
# copy is hashed too.
VIDEO = mp4_bytes()


def photo_bytes(color="red") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), color).save(out, "JPEG")
    return out.getvalue()


def evidence_uploads() -> list:
    files = [("foto.jpg", photo_bytes()), ("video.mp4", VIDEO)]
    return [prepare_upload(SimpleUploadedFile(name, data), max_bytes=10**7) for name, data in files]


def submit_report_with_evidence(places, election):
    """A named report with a photo and a video, through the public intake service."""
    submission = ReportSubmission(
        election=election, region=places["manggar"], place="Balai Desa", known_on=date(2024, 11, 11),
        occurred_on=date(2024, 11, 10), description="Kepala dinas memasang baliho calon bupati.",
        reporter=ReporterIdentity(name="Siti Aminah", address="Manggar", nik="1906014107850001"),
        reported=[ReportedPersonInput(name="Budi Santoso", position="Kepala Dinas")],
        files=evidence_uploads(),
    )
    return report_submit(submission=submission, submission_token=new_submission_token()).report


@pytest.fixture
def election(rules):
    from rules.models import Election

    return Election.objects.get(pk="pilkada-2024")


@pytest.fixture
def report(places, offices, election):
    return submit_report_with_evidence(places, election)


def test_an_intact_installation_passes_with_counts_per_kind(report):
    result = integrity_check()
    assert result.ok
    assert result.audit_entries == AuditEntry.objects.count() > 0
    assert result.files["evidence (sealed original)"] == 2
    assert result.files["evidence (public copy)"] == 2
    assert result.files["register files"] == 0


def test_the_sealed_original_is_checked_decrypted_against_the_recorded_hash(report):
    blob = EvidenceBlob.objects.get(content_type="image/jpeg")
    assert blob.sha256 == hashlib.sha256(photo_bytes()).hexdigest()  # the original's hash, not the copy's
    assert storages["sealed"].open(blob.sealed_name).read()[:4] != photo_bytes()[:4]  # stored encrypted


def test_a_replaced_evidence_file_is_named_and_the_command_fails(report, capsys):
    blob = EvidenceBlob.objects.get(content_type="video/mp4")
    path = blob.public_file.path
    with open(path, "r+b") as handle:
        handle.seek(30)
        handle.write(b"X")
    with pytest.raises(CommandError, match="1 file problem"):
        call_command("verify_integrity")
    assert f"evidence (public copy): mismatch: {blob.public_file.name} (reports.evidenceblob:{blob.pk})" \
        in capsys.readouterr().err


def test_a_sealed_file_encrypted_with_another_key_or_damaged_is_reported(report):
    blob = EvidenceBlob.objects.get(content_type="image/jpeg")
    sealed = storages["sealed"]
    sealed.delete(blob.sealed_name)
    sealed.save(blob.sealed_name, io.BytesIO(b"not a fernet token"))
    problems = integrity_check().problems
    assert [(p.kind, p.issue, p.name) for p in problems] == [
        ("evidence (sealed original)", "undecryptable", blob.sealed_name)]


def test_a_missing_file_is_named(report):
    blob = EvidenceBlob.objects.get(content_type="image/jpeg")
    blob.public_file.storage.delete(blob.public_file.name)
    problems = integrity_check().problems
    assert [(p.kind, p.issue) for p in problems] == [("evidence (public copy)", "missing")]


def test_an_edited_audit_entry_breaks_the_chain(report):
    entry = AuditEntry.objects.filter(action="report.submitted").get()
    AuditEntry.objects.filter(pk=entry.pk).update(data={**entry.data, "files": 0})
    result = integrity_check()
    assert not result.ok and f"entry {entry.pk}" in result.audit_broken_at


def test_removing_the_newest_audit_entries_is_detected_by_the_chain_head(report):
    AuditEntry.objects.filter(pk=AuditEntry.objects.order_by("-id").first().pk).delete()
    result = integrity_check()
    assert not result.ok and "newest entries were removed" in result.audit_broken_at


def test_letters_are_checked_as_stored(report, staff_beltim):
    from django.utils import timezone

    from cases import requirements as reqs
    from cases.services import Check, case_register_report, case_schedule_clarification
    from letters.models import Letter
    from reports.services import report_change_status

    report_change_status(report=report, actor=staff_beltim, to_status="in_review")
    checks = [Check(r.id, True) for r in reqs.for_regime(report.election.regime)]
    case = case_register_report(report=report, actor=staff_beltim, checks=checks)
    case_schedule_clarification(case=case, actor=staff_beltim, party="witness", name="Saksi", place="Kantor",
                                scheduled_at=timezone.now())
    assert integrity_check().files["case and follow-up letters"] == 1
    letter = Letter.objects.get()
    Letter.objects.filter(pk=letter.pk).update(sha256="0" * 64)
    assert [(p.kind, p.issue) for p in integrity_check().problems] == [("case and follow-up letters", "mismatch")]
