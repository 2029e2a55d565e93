"""Published follow-up built through the real services (followup/tests/conftest.py's helper).

``published`` holds five recommendations to PPKs, seen on Friday 6 December 2024:

- ``sanctioned``: Rudi Hartono (register entry, NIP), Belitung Timur, moral sanction on 2 Dec (in time);
- ``refused``: Belitung Timur, refused on 2 Dec (in time);
- ``overdue``: Bangka (Sungailiat), issued 2 Dec, due 5 Dec, no decision (published as overdue);
- ``late``: Belitung Timur, heavy discipline, issued 2 Dec, sanction letter of 6 Dec (late);
- ``pending``: Belitung Timur, issued 6 Dec, due 9 Dec: never published.

Each case was reported by "Siti Aminah" (NIK 1906014107850001), who must never appear.
"""

from datetime import date

import pytest

from followup.tests.conftest import forward_case

REPORTER_NAME = "Siti Aminah"
REPORTER_NIK = "1906014107850001"


@pytest.fixture
def lead_bangka(offices):
    from accounts.models import User
    from accounts.tests.otp import confirmed_totp_device

    user = User.objects.create_user(username="ketua.bangka", password="kata-sandi-uji-123", role="bawaslu_lead",
                                    bawaslu_office=offices["bangka"])
    confirmed_totp_device(user)
    return user


def _pdf_upload(name="sk.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from letters.render import render_letter
    from letters.tests.samples import followup_reminder

    return SimpleUploadedFile(name, render_letter("followup-reminder", followup_reminder()),
                              content_type="application/pdf")


def _recommend(forwarded, actor, addressee, *, kind="pns", position_class="pelaksana", grade=("moral", "")):
    from followup.sanctions import Grade
    from followup.services import recommendation_issue

    return recommendation_issue(forwarding=forwarded, actor=actor, person=forwarded.case.persons.get(),
                                addressee=addressee, employee_kind=kind, position_class=position_class,
                                violations=forwarded.violations.all(), grade=Grade(*grade),
                                considerations="Pertimbangan internal yang tidak boleh terbit.")


def _forwarded(*, region, election, staff, lead, name, position, employee=None, violations=("partisan-photo",)):
    from followup.models import Recommendation
    from reports.services import ReportedPersonInput

    case = forward_case(region=region, election=election, staff=staff, lead=lead, violations=violations,
                        persons=[ReportedPersonInput(name=name, position=position, employee=employee)])
    return Recommendation.objects.get(case=case, stage="authority")


@pytest.fixture
def published(time_machine, places, offices, agencies, rules, staff_beltim, lead_beltim, staff_bangka, lead_bangka,
              pemda_beltim, ppk_beltim, authority_bkn):
    """The five recommendations above (see the module's docstring); time left on 6 December 2024."""
    from followup.services import decision_record
    from registry.factories import EmployeeFactory
    from rules.models import Election

    time_machine.move_to("2024-12-02 10:00 +07:00")
    election = Election.objects.get(pk="pilkada-2024")
    camat = EmployeeFactory(agency=agencies["beltim"], unit=agencies["camat_manggar"], name="Rudi Hartono",
                            position="Kepala Seksi Pemerintahan")
    beltim = {"region": places["manggar"], "election": election, "staff": staff_beltim, "lead": lead_beltim}

    sanctioned = _recommend(_forwarded(**beltim, name=camat.name, position=camat.position, employee=camat),
                            authority_bkn, agencies["beltim"], position_class="pengawas")
    decision_record(recommendation=sanctioned, actor=ppk_beltim, outcome="imposed", sanction="moral-statement-open",
                    letter_number="800/123/BKPSDM/2024", letter_date=date(2024, 12, 2), upload=_pdf_upload())

    refused = _recommend(_forwarded(**beltim, name="Bambang Sutrisno", position="Guru SD"),
                         authority_bkn, agencies["beltim"], position_class="fungsional")
    decision_record(recommendation=refused, actor=ppk_beltim, outcome="refused",
                    reason="Alasan penolakan yang menyebut nama Bambang Sutrisno secara rinci.")

    overdue = _recommend(_forwarded(region=places["sungailiat"], election=election, staff=staff_bangka,
                                    lead=lead_bangka, name="Dewi Lestari", position="Staf Kecamatan"),
                         authority_bkn, agencies["bangka"], kind="contract", position_class="non_asn",
                         grade=("contract", ""))

    late = _recommend(_forwarded(**beltim, name="Agus Salim", position="Kepala Dinas Pendidikan",
                                 violations=("campaign-mobilising-pns",)),
                      authority_bkn, agencies["beltim"], position_class="jpt", grade=("discipline", "heavy"))

    time_machine.move_to("2024-12-06 10:00 +07:00")
    decision_record(recommendation=late, actor=ppk_beltim, outcome="imposed", sanction="pns-demotion-12-months",
                    letter_number="800/200/BKPSDM/2024", letter_date=date(2024, 12, 6), upload=_pdf_upload())
    pending = _recommend(_forwarded(**beltim, name="Joko Widodo Santoso", position="Lurah Kurnia Jaya"),
                         authority_bkn, agencies["beltim"], position_class="pengawas")
    return {"sanctioned": sanctioned, "refused": refused, "overdue": overdue, "late": late, "pending": pending,
            "camat": camat, "election": election}
