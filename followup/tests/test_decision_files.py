"""A PPK decision's letter lives and dies with the decision (storage.files)."""

from datetime import date

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, transaction

from followup.models import Decision
from followup.services import decision_record
from storage.tests.faults import files_under, refuse_inserts

pytestmark = pytest.mark.django_db


def pdf_bytes() -> bytes:
    from letters.render import render_letter
    from letters.tests.samples import followup_reminder

    return render_letter("followup-reminder", followup_reminder())


def record(recommended, ppk_beltim):
    upload = SimpleUploadedFile("sk.pdf", pdf_bytes(), content_type="application/pdf")
    return decision_record(recommendation=recommended, actor=ppk_beltim, outcome="imposed",
                           sanction="moral-statement-open", letter_number="800/123/BKPSDM/2024",
                           letter_date=date(2024, 12, 2), upload=upload)


def test_a_decision_whose_recording_fails_after_the_pdf_is_written_leaves_no_file(recommended, ppk_beltim,
                                                                                  tmp_path):
    # The decision row and its PDF are written; the audit entry that follows is refused.
    with refuse_inserts("audit_auditentry"), pytest.raises(DatabaseError):
        record(recommended, ppk_beltim)
    assert not Decision.objects.exists()
    assert files_under(tmp_path / "media" / "decisions") == []
    recommended.refresh_from_db()
    assert recommended.is_open


def test_a_decision_rolled_back_by_its_callers_transaction_leaves_no_file(recommended, ppk_beltim, tmp_path):
    """The failure comes after decision_record returned: only the transaction knows the file must go."""
    class LaterStepFailed(Exception):
        pass

    with pytest.raises(LaterStepFailed), transaction.atomic():
        decision = record(recommended, ppk_beltim)
        assert default_storage.exists(decision.file.name)
        raise LaterStepFailed
    assert not Decision.objects.exists()
    assert files_under(tmp_path / "media" / "decisions") == []


def test_the_same_decision_recorded_again_keeps_one_file(recommended, ppk_beltim, tmp_path):
    with refuse_inserts("audit_auditentry"), pytest.raises(DatabaseError):
        record(recommended, ppk_beltim)
    decision = record(recommended, ppk_beltim)
    assert ["decisions/" + name for name in files_under(tmp_path / "media" / "decisions")] == [decision.file.name]


def test_a_decision_sent_to_a_full_disk_is_a_form_error_that_keeps_what_was_typed(client, recommended, ppk_beltim,
                                                                                   settings, tmp_path):
    from django.urls import reverse
    from django.utils.html import escape

    from storage.files import StorageFull
    from storage.tests.faults import full_disk_storages

    full_disk_storages(settings)
    client.force_login(ppk_beltim)
    upload = SimpleUploadedFile("sk.pdf", pdf_bytes(), content_type="application/pdf")
    response = client.post(reverse("followup:decide", args=[recommended.pk]), {
        "outcome": "imposed", "sanction": "moral-statement-open", "letter_number": "800/777/BKPSDM/2024",
        "letter_date": "2024-12-02", "upload": upload, "reason": ""})
    assert response.status_code == 400
    form = response.context["decision_form"]
    assert [error.code for error in form.non_field_errors().as_data()] == ["storage_full"]
    page = response.content.decode()
    assert escape(str(StorageFull.message_text)) in page and "800/777/BKPSDM/2024" in page
    assert not Decision.objects.exists() and files_under(tmp_path / "media" / "decisions") == []
