import hashlib
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from audit.models import AuditEntry
from followup.models import Decision, Notice, Recommendation
from followup.sanctions import Grade
from followup.services import decision_record, recommendation_acknowledge, recommendation_issue

pytestmark = pytest.mark.django_db


def pdf_bytes(text="SK Bupati") -> bytes:
    from letters.render import render_letter
    from letters.tests.samples import followup_reminder

    return render_letter("followup-reminder", followup_reminder())


def test_a_forwarded_case_becomes_the_authoritys_obligation(forwarded, authority_bkn):
    assert forwarded.addressee == authority_bkn.agency
    assert forwarded.authority == "bkn"
    assert forwarded.status == "issued" and forwarded.is_open
    assert forwarded.letter.kind == "forward-authority" and forwarded.number == forwarded.letter.number
    assert forwarded.limit_id == "authority-bkn" and not forwarded.limit_verified
    # 2 December 2024 is a Monday: 14 working days later, nothing off in between.
    assert forwarded.issued_on == date(2024, 12, 2) and forwarded.due_on == date(2024, 12, 20)
    assert Notice.objects.filter(user=authority_bkn, recommendation=forwarded, kind="received").exists()
    assert AuditEntry.objects.filter(action="followup.forwarding_opened").count() == 1


def test_the_authority_recommends_to_the_ppk_with_a_letter_and_a_deadline(pemda_beltim, ppk_beltim, recommended,
                                                                         forwarded, agencies):
    assert recommended.stage == "ppk" and recommended.addressee == agencies["beltim"]
    assert recommended.parent == forwarded and recommended.employee.name == "Rudi Hartono"
    # ppk-bkn: 3 calendar days from the letter's date.
    assert recommended.due_on == date(2024, 12, 5) and recommended.limit_id == "ppk-bkn"
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(recommended.letter.file.path).pages).split())
    assert "Yth. Bupati Belitung Timur" in text and "Menjatuhkan sanksi moral kepada Terlapor" in text
    assert "paling lambat tanggal 5 Desember 2024" in text
    forwarded.refresh_from_db()
    assert forwarded.status == "answered" and forwarded.closed_on == date(2024, 12, 2)
    assert {n.user for n in Notice.objects.filter(recommendation=recommended)} == {pemda_beltim, ppk_beltim}


def test_a_recommendation_for_the_same_person_is_made_once(recommended, forwarded, authority_bkn, agencies):
    with pytest.raises(ValidationError):
        recommendation_issue(forwarding=forwarded, actor=authority_bkn, person=recommended.person,
                             addressee=agencies["beltim"], employee_kind="pns", position_class="pengawas",
                             violations=forwarded.violations.all(), grade=Grade("moral", ""))
    assert Recommendation.objects.filter(stage="ppk").count() == 1


def test_only_the_addressee_acknowledges(recommended, pemda_beltim, staff_beltim, authority_bkn):
    for outsider in (staff_beltim, authority_bkn):
        with pytest.raises(PermissionDenied):
            recommendation_acknowledge(recommendation=recommended, actor=outsider)
    recommendation_acknowledge(recommendation=recommended, actor=pemda_beltim)
    recommendation_acknowledge(recommendation=recommended, actor=pemda_beltim)  # a double click
    recommended.refresh_from_db()
    assert recommended.status == "acknowledged" and recommended.acknowledged_by == pemda_beltim
    assert AuditEntry.objects.filter(action="followup.acknowledged").count() == 1


def test_the_ppk_records_an_allowed_sanction_with_its_letter(recommended, ppk_beltim, settings):
    upload = SimpleUploadedFile("sk.pdf", pdf_bytes(), content_type="application/pdf")
    decision = decision_record(recommendation=recommended, actor=ppk_beltim, outcome="imposed",
                               sanction="moral-statement-open", letter_number="800/123/BKPSDM/2024",
                               letter_date=date(2024, 12, 2), upload=upload)
    recommended.refresh_from_db()
    assert recommended.status == "sanctioned" and not recommended.is_open
    assert recommended.closed_on == date(2024, 12, 2)
    assert decision.sanction_family == "moral"
    stored = decision.file.read()
    assert stored.startswith(b"%PDF-") and decision.sha256 == hashlib.sha256(stored).hexdigest()


def test_a_disallowed_sanction_is_refused_and_nothing_is_written(recommended, ppk_beltim, tmp_path):
    upload = SimpleUploadedFile("sk.pdf", pdf_bytes(), content_type="application/pdf")
    with pytest.raises(ValidationError) as error:
        decision_record(recommendation=recommended, actor=ppk_beltim, outcome="imposed",
                        sanction="pns-demotion-12-months", letter_number="800/1/2024",
                        letter_date=date(2024, 12, 2), upload=upload)
    assert "sanction" in error.value.message_dict
    assert not Decision.objects.exists()
    assert not list((tmp_path / "media").glob("decisions/**/*.pdf"))


def test_a_refusal_needs_reasons(recommended, pemda_beltim):
    with pytest.raises(ValidationError):
        decision_record(recommendation=recommended, actor=pemda_beltim, outcome="refused", reason="tidak")
    decision_record(recommendation=recommended, actor=pemda_beltim, outcome="refused",
                    reason="Terlapor telah pensiun sebelum rekomendasi diterima.")
    recommended.refresh_from_db()
    assert recommended.status == "refused"
    with pytest.raises(ValidationError):  # a second decision is refused: acted on already
        decision_record(recommendation=recommended, actor=pemda_beltim, outcome="refused",
                        reason="Terlapor telah pensiun sebelum rekomendasi diterima.")
    assert Decision.objects.count() == 1


def test_a_reasoned_recommendation_where_the_catalog_names_no_sanction(forwarded, authority_bkn, agencies):
    from followup.sanctions import REASONED
    from rules.models import Violation

    person = forwarded.case.persons.get()
    common = {"forwarding": forwarded, "actor": authority_bkn, "person": person, "addressee": agencies["beltim"],
              "employee_kind": "pns", "position_class": "pengawas",
              "violations": Violation.objects.filter(pk="candidate-not-resigned"), "grade": REASONED}
    with pytest.raises(ValidationError) as error:
        recommendation_issue(**common, considerations="Tidak ada.")
    assert "considerations" in error.value.message_dict
    recommendation = recommendation_issue(**common, considerations=(
        "Terlapor ditetapkan sebagai calon dan belum mengundurkan diri: UU 10/2016 Pasal 7 ayat (2) huruf t; "
        "PPK diminta memberhentikan sementara dari jabatan sesuai peraturan."))
    assert recommendation.sanction_family == "reasoned"
