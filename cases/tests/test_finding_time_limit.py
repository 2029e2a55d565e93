"""Issue 19: a finding (temuan) is set within the finding time limit from its discovery.

The time is frozen on 12 November 2024 (cases/tests/conftest.py), during the 2024 Pilkada.
"""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEntry
from cases.models import Case, RequirementCheck
from cases.requirements import FindingTimeLimit, finding_time_limit_refusal
from cases.services import case_register_finding
from cases.tests.conftest import file_report

REGISTERED = date(2024, 11, 12)


def limit(found, due, registered=REGISTERED):
    return FindingTimeLimit(found_on=found, registered_on=registered, due=due, citation="UU 1/2015 Pasal 134 ayat (4)",
                            explanation="Temuan ditetapkan paling lama 7 hari sejak ditemukan.")


@pytest.mark.parametrize(("found", "due", "refused"), [
    pytest.param(date(2024, 11, 5), date(2024, 11, 12), False, id="on-the-last-day"),
    pytest.param(date(2024, 11, 12), date(2024, 11, 19), False, id="on-the-day-of-discovery"),
    pytest.param(date(2024, 11, 4), date(2024, 11, 11), True, id="a-day-late"),
    pytest.param(date(2024, 11, 13), date(2024, 11, 20), True, id="discovered-after-registration"),
])
def test_the_finding_time_limit_refuses_only_a_late_or_impossible_date(found, due, refused):
    assert bool(finding_time_limit_refusal(limit(found, due))) is refused


def test_a_late_finding_is_refused_with_the_dates_and_the_citation():
    refusal = finding_time_limit_refusal(limit(date(2024, 11, 4), date(2024, 11, 11)))
    assert "4 November 2024" in refusal and "11 November 2024" in refusal
    assert "UU 1/2015 Pasal 134 ayat (4)" in refusal and "paling lama 7 hari" in refusal



@pytest.mark.django_db
@pytest.mark.parametrize(("election_id", "found", "registered"), [
    pytest.param("pilkada-2024", date(2024, 11, 5), True, id="pilkada-7-calendar-days"),
    pytest.param("pilkada-2024", date(2024, 11, 4), False, id="pilkada-a-day-late"),
    pytest.param("pemilu-2024", date(2024, 11, 1), True, id="pemilu-7-working-days-skip-the-weekend"),
    pytest.param("pemilu-2024", date(2024, 10, 31), False, id="pemilu-a-working-day-late"),
])
def test_registration_checks_the_finding_time_limit_of_the_elections_regime(places, offices, staff_beltim,
                                                                            election_id, found, registered):
    from rules.models import Election

    election = Election.objects.get(pk=election_id)

    def register():
        return case_register_finding(actor=staff_beltim, election=election, region=places["manggar"],
                                     summary="Camat hadir dalam kampanye terbuka pasangan calon.", place="Manggar",
                                     known_on=found)

    if registered:
        assert register().kind == Case.Kind.FINDING
    else:
        with pytest.raises(ValidationError) as refused:
            register()
        assert refused.value.code == "finding_time_limit"
        assert "Pasal 134 ayat (4)" in refused.value.messages[0] or "Pasal 454 ayat (5)" in refused.value.messages[0]
        assert not Case.objects.exists() and not AuditEntry.objects.filter(action="case.finding_registered").exists()


@pytest.mark.django_db
def test_a_registered_finding_keeps_its_discovery_date_and_the_checked_time_limit(places, offices, staff_beltim,
                                                                                   election, client):
    case = case_register_finding(actor=staff_beltim, election=election, region=places["manggar"],
                                 summary="Camat hadir dalam kampanye terbuka pasangan calon.", place="Manggar",
                                 known_on=date(2024, 11, 8))
    assert case.known_on == date(2024, 11, 8)
    check = RequirementCheck.objects.get(case=case)
    assert check.requirement == "within-time-limit" and check.met
    assert "2024-11-08" in check.note and "2024-11-15" in check.note and "Pasal 134 ayat (4)" in check.note
    entry = AuditEntry.objects.get(action="case.finding_registered")
    assert entry.data["found_on"] == "2024-11-08" and entry.data["finding_due"] == "2024-11-15"
    client.force_login(staff_beltim)
    assert "2024-11-15" in client.get(case.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_the_finding_form_explains_a_refusal_and_keeps_what_was_typed(client, places, offices, staff_beltim, election):
    client.force_login(staff_beltim)
    summary = "Kepala dinas memasang baliho calon bupati di kantor."
    response = client.post(reverse("cases:new_finding"), {
        "election": election.pk, "region": places["manggar"].pk, "place": "Manggar", "known_on": "2024-11-01",
        "summary": summary, "person_name": "Budi"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Pasal 134 ayat (4)" in page and "1 November 2024" in page
    assert summary in page and 'value="2024-11-01"' in page
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_a_finding_from_anonymous_information_starts_its_clock_when_the_information_arrived(
        client, places, offices, staff_beltim, election, time_machine):
    time_machine.move_to("2024-11-03 10:00 +07:00")
    report = file_report(places["manggar"], election, anonymous=True, known_on=date(2024, 11, 2))
    time_machine.move_to("2024-11-12 10:00 +07:00")
    client.force_login(staff_beltim)
    url = reverse("cases:finding_from_report", args=[report.pk])
    assert client.get(url).context["form"].initial["known_on"] == date(2024, 11, 3)
    response = client.post(url, {"election": election.pk, "region": places["manggar"].pk, "place": "Manggar",
                                 "known_on": "2024-11-03", "summary": report.description, "person_name": "Budi"})
    assert response.status_code == 400  # discovered on 3 November: the 7 days ended on 10 November
    report.refresh_from_db()
    assert report.status == "received"
