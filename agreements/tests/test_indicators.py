"""Each indicator against hand counts of data built through the other apps' real services."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from agreements import indicators
from agreements.services import agreement_record, check_indicator, target_edit

YEAR = (date(2024, 1, 1), date(2024, 12, 31))


# --- pure parts --------------------------------------------------------------------------------

def test_codes_are_split_into_family_and_theme():
    assert indicators.split("events_held:asn-neutrality") == ("events_held", "asn-neutrality")
    assert indicators.split("pledges_signed") == ("pledges_signed", "")
    themes = {"asn-neutrality"}
    assert indicators.parse("asn_reached:asn-neutrality", themes=themes).unit == indicators.PERCENT
    assert indicators.parse("data_exchanges", themes=themes).unit == indicators.COUNT
    for bad in ("nonsense", "events_held", "events_held:astrology", "pledges_signed:x", ""):
        with pytest.raises(indicators.UnknownIndicator):
            indicators.parse(bad, themes=themes)


def test_percent_has_two_decimals_and_nothing_for_zero():
    assert indicators.percent(2, 7) == Decimal("28.57")
    assert indicators.percent(1, 3) == Decimal("33.33")
    assert indicators.percent(0, 0) is None


# --- validation --------------------------------------------------------------------------------

@pytest.mark.django_db
def test_unknown_codes_are_refused(offices, agencies, staff_beltim, seed_data, mou):
    seed_data["work_plan"][0]["outputs"][0]["indicator"] = "events_held:astrology"
    with pytest.raises(ValidationError):
        agreement_record(actor=staff_beltim, data=seed_data)
    target = mou.work_plan.get(number="3").targets.get(kind="outcome")
    with pytest.raises(ValidationError) as error:
        target_edit(target=target, actor=staff_beltim, indicator="made_up", target_value=None)
    assert "indicator" in error.value.message_dict
    target_edit(target=target, actor=staff_beltim, indicator="pledges_signed", target_value=Decimal(10))
    check_indicator(code="")  # by hand


# --- prevention and registry ------------------------------------------------------------------

@pytest.mark.django_db
def test_prevention_and_exchange_indicators_match_hand_counts(mou, register, themes, election, staff_beltim,
                                                              pemda_beltim, staff_bangka, agencies, time_machine):
    from prevention.services import attendance_check_in, event_create, pledge_sign
    from registry.models import ExchangeLog
    from registry.services.exchange import exchange_log_record

    time_machine.move_to("2024-10-20 10:00 +07:00")

    def event(actor, theme, held_on):
        return event_create(actor=actor, theme=themes[theme], title="Sosialisasi", held_on=held_on, place="Aula",
                            election=election)

    first = event(staff_beltim, "asn-neutrality", date(2024, 10, 1))
    second = event(pemda_beltim, "asn-neutrality", date(2024, 10, 5))
    event(staff_beltim, "anti-money-politics", date(2024, 10, 8))
    event(staff_bangka, "asn-neutrality", date(2024, 10, 2))  # another regency
    event(staff_beltim, "asn-neutrality", date(2023, 12, 31))  # before the period
    for evt, person in ((first, "ani"), (first, "budi"), (second, "ani")):  # Ani twice: counts once
        attendance_check_in(event=evt, employee=register[person], method="desk", actor=staff_beltim)
    pledge_sign(employee=register["cici"], election=election, typed_name=register["cici"].name)
    pledge_sign(employee=register["indra"], election=election, typed_name=register["indra"].name)  # Bangka
    exchange_log_record(direction=ExchangeLog.Direction.IMPORT, dataset="asn-register", partner="SIMPEG", rows=3,
                        agency=agencies["beltim"])
    exchange_log_record(direction=ExchangeLog.Direction.EXPORT, dataset="asn-register", partner="SIMPEG", rows=3,
                        agency=agencies["bangka"])

    def value(code, period=YEAR):
        return indicators.compute(code, mou, *period)

    assert value("events_held:asn-neutrality") == 2
    assert value("events_held:anti-money-politics") == 1
    assert value("events_held:anti-black-campaign") == 0
    assert value("events_held:asn-neutrality", (date(2023, 1, 1), date(2023, 12, 31))) == 1
    assert value("asn_reached:asn-neutrality") == Decimal("28.57")  # Ani and Budi of 7 active ASN of Beltim
    assert value("asn_reached:anti-money-politics") == Decimal("0.00")
    assert value("pledges_signed") == 1
    assert value("data_exchanges") == 1
    assert value("data_exchanges", (date(2024, 10, 21), date(2024, 12, 31))) == 0


# --- cases and follow-up -----------------------------------------------------------------------

@pytest.mark.django_db
def test_followup_indicators_match_hand_counts(mou, rules, places, offices, agencies, staff_beltim, lead_beltim,
                                              staff_bangka, authority_bkn, ppk_beltim, time_machine):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from followup.models import Recommendation
    from followup.sanctions import Grade
    from followup.services import decision_record, recommendation_issue
    from followup.tests.conftest import forward_case
    from followup.tests.test_services import pdf_bytes
    from registry.factories import EmployeeFactory
    from reports.services import ReportedPersonInput
    from rules.models import Election

    time_machine.move_to("2024-12-02 10:00 +07:00")
    election = Election.objects.get(pk="pilkada-2024")
    people = [EmployeeFactory(agency=agencies["beltim"], unit=agencies["camat_manggar"], name=name,
                              position="Kepala Seksi") for name in ("Rudi Hartono", "Sari Dewi")]
    recommendations = []
    for person in people:
        case = forward_case(region=places["manggar"], election=election, staff=staff_beltim, lead=lead_beltim,
                            persons=[ReportedPersonInput(name=person.name, position=person.position,
                                                         employee=person)])
        forwarding = Recommendation.objects.get(case=case, stage="authority")
        recommendations.append(recommendation_issue(
            forwarding=forwarding, actor=authority_bkn, person=case.persons.get(), addressee=agencies["beltim"],
            employee_kind="pns", position_class="pengawas", violations=forwarding.violations.all(),
            grade=Grade("moral", ""), considerations="Terlapor mengakui perbuatannya."))
    upload = SimpleUploadedFile("sk.pdf", pdf_bytes(), content_type="application/pdf")
    decision_record(recommendation=recommendations[0], actor=ppk_beltim, outcome="imposed",
                    sanction="moral-statement-open", letter_number="800/123/BKPSDM/2024",
                    letter_date=date(2024, 12, 2), upload=upload)

    def value(code, period=YEAR):
        return indicators.compute(code, mou, *period)

    assert value("cases_forwarded") == 2
    assert value("cases_forwarded", (date(2025, 1, 1), date(2025, 12, 31))) == 0
    assert value("sanctions_imposed") == 1
    assert value("recommendations_in_time") == Decimal("100.00")  # the second is not yet due: not counted
    day_after = recommendations[1].due_on + timedelta(days=1)
    time_machine.move_to(f"{day_after.isoformat()} 10:00 +07:00")
    assert value("recommendations_in_time") == Decimal("50.00")  # one in time, one ignored past its deadline
