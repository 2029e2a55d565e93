"""Seed 000's agreement recorded from its transcription; early end and addenda by the parties' staff."""

from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from agreements import terms
from agreements.models import Target
from agreements.services import (
    addendum_approve,
    addendum_propose,
    agreement_state,
    agreement_terminate,
)
from audit.models import AuditEntry

pytestmark = pytest.mark.django_db
SEED = Path(__file__).resolve().parent.parent / "data" / "mou_beltim_2022.yaml"


def test_seed_000_is_transcribed_faithfully(mou, offices, agencies):
    assert mou.signed_on == date(2022, 8, 23) and mou.ends_on == date(2025, 8, 22) and mou.place == "Manggar"
    first, second = mou.parties.all()
    assert (first.office, first.number, first.signatory_name) == (
        offices["beltim"], "019/HK.02/K.BB-06/08/2022", "Wahyu Epan Yudhistira")
    assert (second.agency, second.number, second.signatory_name) == (
        agencies["beltim"], "007/NK/I/BT/2022", "Burhanudin")
    assert mou.scope == ["Pencegahan dan Pengawasan", "Tindak Lanjut dan Pengawasan Rekomendasi",
                         "Penyediaan data dan informasi"]
    assert len(mou.legal_bases) == 15
    assert [item.number for item in mou.work_plan.all()] == ["1.a", "1.b", "1.c", "2", "3"]
    item = mou.work_plan.get(number="1.a")
    assert item.activity == "Sosialisasi Netralitas ASN" and item.funding == "PARA PIHAK"
    assert item.schedule == "2022 s.d 2025 (Tahapan Pemilu dan Pemilihan)"
    assert item.duties.filter(party=first).count() == 6 and item.duties.filter(party=second).count() == 6
    assert item.duties.filter(party=first).first().text.startswith("Melakukan sosialisasi kepada ASN")
    assert set(item.duties.values_list("status", flat=True)) == {"not_started"}
    assert Target.objects.filter(item__agreement=mou, kind="output").count() == 8
    assert Target.objects.filter(item__agreement=mou, kind="outcome").count() == 9
    assert AuditEntry.objects.filter(action="agreement.recorded").count() == 1


def test_the_state_follows_the_calendar(mou):
    assert agreement_state(agreement=mou, today=date(2024, 11, 24)).status == terms.ACTIVE
    assert agreement_state(agreement=mou, today=date(2025, 7, 1)).warning
    assert agreement_state(agreement=mou, today=date(2025, 8, 23)).status == terms.EXPIRED


def test_an_early_end_needs_thirty_days_and_the_leadership(mou, staff_beltim, lead_beltim, time_machine):
    time_machine.move_to("2024-03-01 10:00 +07:00")
    with pytest.raises(PermissionDenied):  # staff, not the leadership
        agreement_terminate(agreement=mou, actor=staff_beltim, notice_on=date(2024, 3, 1),
                            effective_on=date(2024, 4, 15), reasons="Tugas pengawasan dialihkan.")
    with pytest.raises(ValidationError) as error:
        agreement_terminate(agreement=mou, actor=lead_beltim, notice_on=date(2024, 3, 1),
                            effective_on=date(2024, 3, 20), reasons="Tugas pengawasan dialihkan.")
    assert "31-03-2024" in str(error.value)
    termination = agreement_terminate(agreement=mou, actor=lead_beltim, notice_on=date(2024, 3, 1),
                                      effective_on=date(2024, 3, 31), reasons="Tugas pengawasan dialihkan.")
    assert termination.party.position == 1
    mou.refresh_from_db()
    assert agreement_state(agreement=mou, today=date(2024, 3, 30)).status == terms.ACTIVE
    assert agreement_state(agreement=mou, today=date(2024, 3, 31)).status == terms.TERMINATED


def test_an_addendum_takes_effect_when_the_second_party_approves(mou, staff_beltim, lead_beltim, ppk_beltim,
                                                                 staff_bangka, time_machine):
    time_machine.move_to("2023-01-05 10:00 +07:00")
    addendum = addendum_propose(agreement=mou, actor=staff_beltim, number="01/ADD/2023",
                                title="Penambahan kegiatan ikrar netralitas", text="Para pihak menambah ...")
    with pytest.raises(PermissionDenied):
        addendum_approve(addendum=addendum, actor=staff_bangka)  # not a party
    addendum = addendum_approve(addendum=addendum, actor=lead_beltim)
    assert addendum.first_approved_on == date(2023, 1, 5) and addendum.in_force_on is None
    time_machine.move_to("2023-01-09 10:00 +07:00")
    addendum = addendum_approve(addendum=addendum, actor=ppk_beltim)
    assert addendum.in_force_on == date(2023, 1, 9)
    assert addendum_approve(addendum=addendum, actor=ppk_beltim).second_approved_on == date(2023, 1, 9)


def test_the_demo_records_seed_000_once(places, offices, agencies, staff_beltim):
    from accounts.models import User
    from agreements.models import Agreement, EvaluationMeeting
    from demo.agreements import seed_agreements

    User.objects.filter(pk=staff_beltim.pk).update(username="staf.beltim")
    assert seed_agreements() == {"agreements_created": 1, "evaluation_meetings_created": 1, "duties_created": 41}
    assert seed_agreements() == {}
    agreement = Agreement.objects.get()
    assert agreement.work_plan.count() == 5 and EvaluationMeeting.objects.filter(agreement=agreement).count() == 1
