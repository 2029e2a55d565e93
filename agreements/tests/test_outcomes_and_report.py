"""Outcome indicators that mean something (understanding from test gains, violations per 1,000 ASN across
elections) against hand counts, and the M&E report's PDF and Excel with duties, costs, posts and outcomes."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from agreements import indicators
from agreements.models import Duty
from agreements.services import (
    budget_line_set,
    check_indicator,
    dissemination_record,
    duty_evidence_add,
    duty_status_set,
    spending_record,
    target_edit,
)
from followup.tests.test_services import pdf_bytes

pytestmark = pytest.mark.django_db
YEAR = (date(2024, 1, 1), date(2024, 12, 31))


def _scores(event, employee, pre, post, actor):
    """An attendance with its pre- and post-test scores (percent), as the quiz leaves them."""
    from prevention.models import TestScore
    from prevention.services import attendance_check_in

    attendance = attendance_check_in(event=event, employee=employee, method="desk", actor=actor).attendance
    for phase, score in (("pre", pre), ("post", post)):
        if score is not None:
            TestScore.objects.create(attendance=attendance, phase=phase, correct=0, total=10, score=Decimal(score))


@pytest.fixture
def tests_taken(register, themes, election, staff_beltim, pemda_beltim, staff_bangka):
    """Beltim: Ani 40->80, Budi 60->60, Cici 70->65 at neutrality events; Dedi only a pre-test; Fajar 20->90
    at an anti money politics event; Indra (Bangka) 10->100 at Bangka's neutrality event."""
    from prevention.services import event_create

    def event(actor, theme, held_on):
        return event_create(actor=actor, theme=themes[theme], title="Sosialisasi", held_on=held_on, place="Aula",
                            election=election, with_tests=True)

    first, second = (event(staff_beltim, "asn-neutrality", date(2024, 10, 1)),
                     event(pemda_beltim, "asn-neutrality", date(2024, 10, 5)))
    _scores(first, register["ani"], 40, 80, staff_beltim)
    _scores(first, register["budi"], 60, 60, staff_beltim)
    _scores(second, register["cici"], 70, 65, pemda_beltim)
    _scores(second, register["dedi"], 50, None, pemda_beltim)
    _scores(event(pemda_beltim, "anti-money-politics", date(2024, 10, 8)), register["fajar"], 20, 90, pemda_beltim)
    _scores(event(staff_bangka, "asn-neutrality", date(2024, 10, 2)), register["indra"], 10, 100, staff_bangka)


def test_understanding_is_the_mean_gain_and_the_share_who_improved(mou, tests_taken, time_machine):
    time_machine.move_to("2024-11-24 10:00 +07:00")
    assert indicators.compute("test_gain:asn-neutrality", mou, *YEAR) == Decimal("11.67")  # (40 + 0 - 5) / 3
    assert indicators.compute("test_improved:asn-neutrality", mou, *YEAR) == Decimal("33.33")  # Ani of 3
    assert indicators.compute("test_gain:anti-money-politics", mou, *YEAR) == Decimal("70.00")
    assert indicators.compute("test_gain:anti-black-campaign", mou, *YEAR) is None  # nobody tested
    assert indicators.compute("test_gain:asn-neutrality", mou, date(2024, 10, 2), date(2024, 12, 31)) == Decimal(
        "-5.00")  # only the second event: Cici
    assert indicators.parse("test_gain:asn-neutrality").unit == indicators.POINTS
    check_indicator(code="test_improved:asn-neutrality")  # usable as a target


@pytest.fixture
def violations(mou, rules, places, agencies, staff_beltim, lead_beltim, authority_bkn, ppk_beltim, register,
               time_machine):
    """Two ASN of Beltim found in violation in the Pilkada 2024 (one sanctioned), none in the Pemilu 2024. The
    register has 7 active ASN, and one contract staff member who is not ASN and not counted."""
    from followup.models import Recommendation
    from followup.sanctions import Grade
    from followup.services import decision_record, recommendation_issue
    from followup.tests.conftest import forward_case
    from registry.factories import EmployeeFactory
    from reports.services import ReportedPersonInput
    from rules.models import Election

    time_machine.move_to("2024-12-02 10:00 +07:00")
    pilkada = Election.objects.get(pk="pilkada-2024")
    EmployeeFactory(agency=agencies["beltim"], unit=agencies["camat_manggar"], name="Tono Honorer", kind="contract",
                    nip=None, position="Staf")
    issued = []
    for person, kind in ((register["ani"], "pns"), (register["fajar"], "pns")):
        case = forward_case(region=places["manggar"], election=pilkada, staff=staff_beltim, lead=lead_beltim,
                            persons=[ReportedPersonInput(name=person.name, position=person.position,
                                                         employee=person)])
        forwarding = Recommendation.objects.get(case=case, stage="authority")
        issued.append(recommendation_issue(
            forwarding=forwarding, actor=authority_bkn, person=case.persons.get(), addressee=agencies["beltim"],
            employee_kind=kind, position_class="pelaksana", violations=forwarding.violations.all(),
            grade=Grade("moral", ""), considerations="Terbukti."))
    decision_record(recommendation=issued[0], actor=ppk_beltim, outcome="imposed", sanction="moral-statement-open",
                    letter_number="800/123/BKPSDM/2024", letter_date=date(2024, 12, 2),
                    upload=SimpleUploadedFile("sk.pdf", pdf_bytes()))
    return issued


def test_neutrality_is_violations_per_thousand_asn_compared_across_elections(mou, violations):
    from agreements.selectors import neutrality_by_election

    assert indicators.compute("violations_per_1000", mou, *YEAR) == Decimal("285.71")  # 2 of 7 active ASN
    assert indicators.compute("violations_per_1000:pilkada-2024", mou, date(2030, 1, 1),
                              date(2030, 1, 2)) == Decimal("285.71")  # an election's figure, whatever the period
    assert indicators.compute("violations_per_1000:pemilu-2024", mou, *YEAR) == Decimal("0.00")
    assert indicators.compute("violations_per_1000", mou, date(2025, 1, 1), date(2025, 12, 31)) == Decimal("0.00")
    with pytest.raises(indicators.UnknownIndicator):
        indicators.parse("violations_per_1000:pemilu-1955")
    assert indicators.label("violations_per_1000:pilkada-2024").endswith(
        ": Pemilihan Serentak Gubernur, Bupati dan Wali Kota 2024")
    rows = {row.election.pk: row for row in neutrality_by_election(mou, until=date(2024, 12, 31))}
    assert (rows["pemilu-2024"].decided, rows["pemilu-2024"].per_thousand) == (0, Decimal("0.00"))
    pilkada = rows["pilkada-2024"]
    assert (pilkada.decided, pilkada.sanctioned, pilkada.active_asn) == (2, 1, 7)
    assert pilkada.change == Decimal("285.71")  # from the Pemilu's 0
    assert "pilkada-2024" not in {row.election.pk for row in neutrality_by_election(mou, until=date(2024, 6, 30))}


def test_an_outcome_target_takes_a_new_indicator(mou, staff_beltim):
    outcome = mou.work_plan.get(number="1.a").targets.get(kind="outcome", order=1)
    assert outcome.indicator == "violations_per_1000"  # seed 000: neutrality achieved, no longer cases forwarded
    target = target_edit(target=outcome, actor=staff_beltim, indicator="violations_per_1000:pilkada-2024",
                         target_value=Decimal("1.00"))
    assert target.indicator == "violations_per_1000:pilkada-2024"


def test_the_report_pdf_and_excel_show_duties_costs_posts_and_the_outcomes(client, mou, staff_beltim,
                                                                          pemda_beltim, tests_taken, violations,
                                                                          time_machine):
    time_machine.move_to("2024-12-20 10:00 +07:00")
    duty = Duty.objects.get(item__agreement=mou, item__number="1.a", party__position=2, order=1)
    duty_evidence_add(duty=duty, actor=pemda_beltim, kind="link", url="https://belitungtimurkab.go.id/sosialisasi")
    duty_status_set(duty=duty, actor=pemda_beltim, status="done")
    other = Duty.objects.get(item__agreement=mou, item__number="2", party__position=1, order=2)
    duty_status_set(duty=other, actor=staff_beltim, status="not_done", note="Menunggu putusan BKN")
    line = budget_line_set(item=mou.work_plan.get(number="1.a"), actor=pemda_beltim, amount=Decimal(10000000),
                           source="APBD Kabupaten Belitung Timur 2024")
    spending_record(line=line, actor=pemda_beltim, spent_on=date(2024, 10, 5), amount=Decimal(1250000),
                    description="Sewa aula sosialisasi", upload=SimpleUploadedFile("kuitansi.pdf", pdf_bytes()))
    dissemination_record(agreement=mou, actor=staff_beltim, channel="instagram", title="Infografis netralitas ASN",
                         url="https://www.instagram.com/p/C1a2b3", published_on=date(2024, 9, 20), reach=1520)
    client.force_login(staff_beltim)
    query = "?start=2024-01-01&end=2024-12-31"
    pdf = client.get(reverse("agreements:report_pdf", args=[mou.pk]) + query)
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Pelaksanaan Tugas PARA PIHAK" in text and "Selesai" in text and "Tidak dilaksanakan" in text
    assert "Menunggu putusan BKN" in text
    assert "Tautan:https://belitungtimurkab.go.id/sosialisasi" in text.replace(" ", "")  # a long link wraps
    assert "Rp10.000.000" in text and "Rp1.250.000" in text and "Rp8.750.000" in text
    assert "APBD Kabupaten Belitung Timur 2024" in text and "Sewa aula sosialisasi" in text
    assert "Infografis netralitas ASN" in text and "Instagram" in text and "1520" in text
    assert "11.67 poin" in text and "33.33%" in text  # understanding, neutrality theme
    assert "285.71 per 1.000 ASN" in text and "+285.71" in text  # the Pilkada beside the Pemilu

    xlsx = client.get(reverse("agreements:report_xlsx", args=[mou.pk]) + query)
    book = load_workbook(io.BytesIO(xlsx.content))
    duties = list(book["Tugas"].iter_rows(values_only=True))
    assert len(duties) == 1 + 41
    done = next(row for row in duties if row[2] == duty.text)
    assert done[:2] == ("1.a", "Pihak 2") and done[4] == "Selesai"
    assert done[5] == "Tautan: https://belitungtimurkab.go.id/sosialisasi"
    costs = list(book["Biaya"].iter_rows(values_only=True))
    assert ("1.a", "Sosialisasi Netralitas ASN", 2, "APBD Kabupaten Belitung Timur 2024", 10000000, 1250000,
            8750000) in costs
    assert next(row for row in costs if row[0] == "Jumlah")[4:6] == (10000000, 1250000)
    posts = list(book["Publikasi"].iter_rows(values_only=True))
    assert posts[1][1:] == (1, "Instagram", "Infografis netralitas ASN", "https://www.instagram.com/p/C1a2b3", 1520)
    outcomes = list(book["Indikator hasil"].iter_rows(values_only=True))
    neutrality_theme = next(row for row in outcomes if row[3] == 3)
    assert neutrality_theme[1:3] == (pytest.approx(11.67), pytest.approx(33.33))
    pilkada = next(row for row in outcomes if row[0] == "Pemilihan Serentak Gubernur, Bupati dan Wali Kota 2024")
    assert pilkada[2:7] == (2, 1, 7, pytest.approx(285.71), pytest.approx(285.71))
    monev = {row[3]: row for row in book["Monev"].iter_rows(values_only=True) if row and row[0] == "1.a"}
    assert monev["Terciptanya Netralitas ASN di Kab. Belitung Timur pada Pemilu dan Pemilihan Tahun 2024"][6] == (
        pytest.approx(285.71))
