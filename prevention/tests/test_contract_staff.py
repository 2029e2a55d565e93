"""Issue 19: contract staff (non-ASN, seed 001 items 1-3) check in and sign the pledge without an NIP.

They prove who they are with the register number their agency gave them, or their NIK, and
their birth date: the same protections as the NIP (one answer for any mismatch, a shared
budget of wrong tries, an audit entry), and the figures count them apart from ASN.
"""

from datetime import date

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from prevention import services
from prevention.models import Attendance, Pledge
from prevention.selectors import coverage_for, event_figures, pledge_list_for
from prevention.tests.conftest import signature_data_url
from registry import identity
from registry.factories import EmployeeFactory

pytestmark = pytest.mark.django_db
START = reverse("prevention:pledge_start")
SIGN = reverse("prevention:pledge_sign")
SITI_NIK = "1904015503900001"  # born 15 March 1990, a woman


@pytest.fixture
def siti(agencies):
    """A contract employee of Dinkes Beltim who has a NIK in the register."""
    return EmployeeFactory(
        contract=True,
        name="Siti Rahma",
        agency=agencies["beltim"],
        unit=agencies["dinkes_beltim"],
        birth_date=date(1990, 3, 15),
        gender="F",
        nik=SITI_NIK,
    )


@pytest.fixture
def rudi(agencies):
    """A contract employee of Dinkes Beltim without a NIK: his register number only."""
    return EmployeeFactory(
        contract=True,
        name="Rudi Hartono",
        agency=agencies["beltim"],
        unit=agencies["dinkes_beltim"],
        birth_date=date(1988, 1, 2),
        gender="M",
    )


def _printed(employee):
    return identity.format_register_number(employee.register_number)


def _checkin_url(event):
    return reverse("prevention:checkin", args=[event.checkin_token])


# --- Who they are -----------------------------------------------------------------------------


def test_the_register_number_or_the_nik_with_the_birth_date_finds_the_contract_employee(siti, rudi):
    assert services.employee_verify(identity=_printed(rudi), birth_date=rudi.birth_date) == rudi
    assert services.employee_verify(identity=rudi.register_number.lower(), birth_date=rudi.birth_date) == rudi
    assert services.employee_verify(identity="1904 0155 0390 0001", birth_date=siti.birth_date) == siti
    assert services.employee_verify(identity=_printed(siti), birth_date=siti.birth_date) == siti


@pytest.mark.parametrize(
    "case", ["wrong-birth-date", "unknown-number", "unknown-nik", "inactive", "nik-of-another"]
)
def test_any_mismatch_finds_nobody(case, siti, rudi):
    identity_typed, born = {
        "wrong-birth-date": (_printed(rudi), date(1988, 1, 3)),
        "unknown-number": ("ZZZZZ-ZZZZZ", rudi.birth_date),
        "unknown-nik": ("1904010201880002", rudi.birth_date),
        "inactive": (_printed(rudi), rudi.birth_date),
        "nik-of-another": (SITI_NIK, rudi.birth_date),
    }[case]
    if case == "inactive":
        rudi.active = False
        rudi.save()
    assert services.employee_verify(identity=identity_typed, birth_date=born) is None


def test_a_wrong_birth_date_and_an_unknown_register_number_get_the_same_answer(client, rudi, election):
    base = {"election": election.pk, "identity": _printed(rudi)}
    wrong_date = client.post(START, {**base, "birth_date": "1988-01-03"})
    unknown = client.post(START, {**base, "identity": "ZZZZZ-ZZZZZ", "birth_date": "1988-01-02"})
    unknown_nik = client.post(START, {**base, "identity": "1904010201880002", "birth_date": "1988-01-02"})
    assert wrong_date.status_code == unknown.status_code == unknown_nik.status_code == 400
    errors = wrong_date.context["form"].non_field_errors()
    assert (
        errors == unknown.context["form"].non_field_errors() == unknown_nik.context["form"].non_field_errors()
    )


def test_guessing_register_numbers_and_niks_shares_the_budget_of_wrong_tries(
    client, rudi, siti, election, settings
):
    settings.NETRAL_PREVENTION_FAILURES_PER_SESSION = "3/10m"
    tries = [{"identity": "ZZZZZ-ZZZZ" + str(n), "birth_date": "1988-01-02"} for n in range(2)]
    tries.append({"identity": SITI_NIK, "birth_date": "1990-03-16"})
    for typed in tries:
        assert client.post(START, {"election": election.pk, **typed}).status_code == 400
    right = {"election": election.pk, "identity": _printed(rudi), "birth_date": "1988-01-02"}
    assert client.post(START, right).status_code == 429


def test_a_malformed_identity_is_explained_on_the_field(client, election):
    response = client.post(START, {"election": election.pk, "identity": "12345", "birth_date": "1988-01-02"})
    assert response.status_code == 400 and "identity" in response.context["form"].errors


# --- The pledge -------------------------------------------------------------------------------


def test_a_contract_employee_signs_the_pledge_with_the_register_number(client, rudi, election):
    response = client.post(
        START, {"election": election.pk, "identity": _printed(rudi), "birth_date": "1988-01-02"}
    )
    assert response["Location"] == SIGN
    assert client.post(SIGN, {"drawn": signature_data_url(), "agree": "on"}).status_code == 302
    pledge = Pledge.objects.get(employee=rudi, election=election)
    assert (pledge.name, pledge.unit_name) == ("Rudi Hartono", "Dinas Kesehatan")
    entry = AuditEntry.objects.get(action="pledge.signed")
    assert entry.data["kind"] == "contract" and entry.data["identified_by"] == "register_number"
    assert entry.data["by"] == "asn" and SITI_NIK not in str(entry.data)


def test_a_contract_employee_signs_with_the_nik_and_it_is_never_shown_or_logged(client, siti, election):
    response = client.post(START, {"election": election.pk, "identity": SITI_NIK, "birth_date": "1990-03-15"})
    assert response.status_code == 302
    page = client.get(SIGN).content.decode()
    assert SITI_NIK not in page
    assert client.post(SIGN, {"typed_name": "Siti Rahma", "agree": "on"}).status_code == 302
    entry = AuditEntry.objects.get(action="pledge.signed")
    assert entry.data["identified_by"] == "nik" and SITI_NIK not in str(entry.data)


# --- Attendance --------------------------------------------------------------------------------


def test_a_contract_employee_checks_in_on_a_phone_with_the_nik(client, event_pemda, siti):
    response = client.post(_checkin_url(event_pemda), {"identity": SITI_NIK, "birth_date": "1990-03-15"})
    assert response.status_code == 302
    attendance = Attendance.objects.get(event=event_pemda)
    assert attendance.employee == siti and attendance.method == "phone"
    entry = AuditEntry.objects.get(action="event.checked_in")
    assert (entry.data["kind"], entry.data["identified_by"], entry.data["by"]) == ("contract", "nik", "asn")


def test_staff_check_a_contract_employee_in_at_the_desk_by_register_number(
    client, pemda_beltim, event_pemda, rudi
):
    client.force_login(pemda_beltim)
    url = reverse("prevention:event_checkin", args=[event_pemda.pk])
    assert client.post(url, {"identity": _printed(rudi)}).status_code == 302
    assert Attendance.objects.get(event=event_pemda).employee == rudi
    page = client.get(event_pemda.get_absolute_url()).content.decode()
    assert _printed(rudi) in page and "Rudi Hartono" in page


def test_staff_of_another_regency_cannot_check_in_a_contract_employee_at_their_event(
    event_bangka, staff_bangka, rudi
):
    with pytest.raises(services.CheckInError):
        services.attendance_check_in_by_identity(
            event=event_bangka, identity=_printed(rudi), actor=staff_bangka
        )
    assert not Attendance.objects.exists()


def test_another_regency_s_staff_get_404_on_the_event_where_contract_staff_checked_in(
    client, staff_bangka, event_pemda, rudi
):
    services.attendance_check_in(event=event_pemda, employee=rudi, method="phone")
    client.force_login(staff_bangka)
    assert client.get(event_pemda.get_absolute_url()).status_code == 404


# --- The figures count them apart --------------------------------------------------------------


def test_event_figures_count_asn_and_contract_staff_apart(event_pemda, register, rudi, siti):
    for employee in (register["ani"], register["budi"], rudi):
        services.attendance_check_in(event=event_pemda, employee=employee, method="phone")
    figures = event_figures(event_pemda)
    assert (figures.attended, figures.attended_asn, figures.attended_contract) == (3, 2, 1)


def test_coverage_counts_contract_staff_apart_and_the_list_marks_them(
    client, register, rudi, siti, election, pemda_beltim, django_assert_num_queries
):
    for employee in (register["ani"], rudi):
        services.pledge_sign(employee=employee, election=election, typed_name=employee.name)
    with django_assert_num_queries(1):  # counted live: one grouping
        units, agencies = coverage_for(pemda_beltim, election=election)
    dinkes = next(row for row in units if row.label == "Dinas Kesehatan")
    assert (dinkes.active, dinkes.signed) == (6, 2)  # 4 ASN and 2 contract staff
    assert (dinkes.asn_active, dinkes.asn_signed, dinkes.contract_active, dinkes.contract_signed) == (
        4,
        1,
        2,
        1,
    )
    assert str(dinkes.contract_share) == "50.0"
    marked = {
        pledge.name: pledge.employee_kind for pledge in pledge_list_for(pemda_beltim, election=election)
    }
    assert marked == {"Ani": "pns", "Rudi Hartono": "contract"}
    client.force_login(pemda_beltim)
    page = client.get(reverse("prevention:pledges"), {"election": election.pk}).content.decode()
    assert "coverage-units" in page and "Rudi Hartono" in page


def test_reach_counts_contract_staff_apart(
    client, event_pemda, register, rudi, siti, pemda_beltim, django_assert_num_queries
):
    from prevention.selectors import reach_for

    for employee in (register["ani"], rudi):
        services.attendance_check_in(event=event_pemda, employee=employee, method="phone")
    with django_assert_num_queries(4):  # themes, units, totals, reach: as without contract staff
        themes, rows = reach_for(pemda_beltim)
    dinkes = next(row for row in rows if row.unit.name == "Dinas Kesehatan")
    assert (dinkes.active, dinkes.contract_active) == (6, 2)
    assert (dinkes.attended["asn-neutrality"], dinkes.contract_attended["asn-neutrality"]) == (2, 1)
    client.force_login(pemda_beltim)
    assert client.get(reverse("prevention:reach")).status_code == 200
