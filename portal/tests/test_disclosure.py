"""Issue 18 item 10: a position held by fewer than K people is not published with its unit.

"Kepala Desa, Pemerintah Desa Lalang" names one man, masked name or not. The register's
page, its CSV/JSON and the announcements show the class of position and the unit only
where K people of the register share them (registry/disclosure.py has the ladder's table).
"""

import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from followup import public
from organizations.models import Agency, Unit
from registry.factories import EmployeeFactory

pytestmark = pytest.mark.django_db

REGISTER = reverse("portal:followup_register")


def _rows(client):
    return {row.id: row for row in client.get(REGISTER).context["rows"]}


def _downloads(client):
    csv_body = b"".join(client.get(reverse("portal:open_data_register", args=["csv"])).streaming_content)
    json_body = b"".join(client.get(reverse("portal:open_data_register", args=["json"])).streaming_content)
    return list(csv.DictReader(io.StringIO(csv_body.decode()))), json.loads(json_body)


def _supervisors(unit, count):
    """``count`` more heads of section (class "pengawas") in ``unit``."""
    for _number in range(count):
        EmployeeFactory(agency=unit.agency, unit=unit, position="Kepala Seksi Umum")


def test_a_position_held_by_one_person_in_its_unit_and_agency_is_withheld_everywhere(client, published):
    # Rudi is the only "pengawas" of Kecamatan Manggar, and of the whole agency's register.
    row = _rows(client)[published["sanctioned"].pk]
    assert (row.disclosure, row.unit, row.position_class) == ("withheld", "", "")
    page = client.get(REGISTER).content.decode()
    assert "Kecamatan Manggar" not in page and "Supervisor" not in page
    records, data = _downloads(client)
    record = next(record for record in records if int(record["id"]) == published["sanctioned"].pk)
    assert (record["unit"], record["position_class"], record["disclosure"]) == ("", "", "withheld")
    assert "Kecamatan Manggar" not in json.dumps(data)


def test_k_holders_in_the_unit_show_the_class_and_the_unit(client, published, agencies):
    _supervisors(agencies["camat_manggar"], 4)  # with Rudi: five
    row = _rows(client)[published["sanctioned"].pk]
    assert (row.disclosure, row.unit, row.position_class) == ("unit", "Kecamatan Manggar", "pengawas")


def test_k_holders_in_the_agency_only_show_the_class_without_the_unit(client, published, agencies):
    _supervisors(agencies["dinkes_beltim"], 4)
    row = _rows(client)[published["sanctioned"].pk]
    assert (row.disclosure, row.unit, row.position_class) == ("agency", "", "pengawas")
    assert row.agency == "Pemerintah Kabupaten Belitung Timur"  # the addressee stays: it is held to account
    assert "Kecamatan Manggar" not in client.get(REGISTER).content.decode()


def test_inactive_employees_and_other_agencies_do_not_count(client, published, agencies):
    for _number in range(4):
        EmployeeFactory(agency=agencies["beltim"], unit=agencies["camat_manggar"], position="Kasi Umum",
                        active=False)
    _supervisors(Unit.objects.create(agency=agencies["bangka"], name="Kecamatan Manggar"), 5)
    assert _rows(client)[published["sanctioned"].pk].disclosure == "withheld"


def test_an_agency_whose_register_was_never_imported_is_withheld(client, published):
    # Bangka's register holds nobody: its non-ASN row cannot be counted, so it shows neither.
    row = _rows(client)[published["overdue"].pk]
    assert Agency.objects.get(name="Pemerintah Kabupaten Bangka").employees.count() == 0
    assert (row.disclosure, row.unit, row.position_class) == ("withheld", "", "")


def test_k_is_a_setting(client, published, settings):
    settings.NETRAL_PUBLIC_K_ANONYMITY = 1
    assert _rows(client)[published["sanctioned"].pk].disclosure == "unit"


def test_a_page_of_rows_reads_the_counts_in_one_query_whatever_its_agencies(published, agencies):
    queryset = public.register_queryset()
    recommendations = list(queryset)
    assert len({recommendation.addressee_id for recommendation in recommendations}) == 2
    with CaptureQueriesContext(connection) as queries:
        public.public_rows(recommendations)
    assert len(queries) == 1
    _supervisors(agencies["camat_manggar"], 30)
    _supervisors(agencies["dinkes_beltim"], 30)
    with CaptureQueriesContext(connection) as queries:
        rows = public.public_rows(recommendations)
    assert len(queries) == 1 and {row.disclosure for row in rows} >= {"unit"}


def test_the_download_reads_the_counts_once_per_chunk(published):
    queryset = public.register_queryset()
    with CaptureQueriesContext(connection) as queries:
        rows = list(public.register_iter(queryset, chunk_size=2))
    assert len(rows) == 4
    # One query streams the rows; per chunk of two rows: their violations, the register's counts.
    assert len(queries) == 1 + 2 * 2


# --- the announcements ---------------------------------------------------------------------------

@pytest.fixture
def announced(places, offices, rules, staff_beltim, lead_beltim, agencies, time_machine):
    """A decided case whose reported person is a head of section in the register."""
    from cases.services import case_approve, case_propose, case_register_report, case_start_study
    from cases.tests.conftest import all_met, file_report
    from reports.services import report_change_status
    from rules.models import Election

    time_machine.move_to("2024-11-12 10:00 +07:00")
    report = file_report(places["manggar"], Election.objects.get(pk="pilkada-2024"))
    report = report_change_status(report=report, actor=staff_beltim, to_status="in_review")
    case = case_register_report(report=report, actor=staff_beltim, checks=all_met())
    kasi = EmployeeFactory(agency=agencies["beltim"], unit=agencies["camat_manggar"], name="Budi Santoso",
                           position="Kepala Seksi Ketenteraman")
    case.persons.update(employee=kasi)  # as staff link the reported person to the register
    case = case_start_study(case=case, actor=staff_beltim)
    case = case_propose(case=case, actor=staff_beltim, outcome="not_violation", legal_analysis="a", conclusion="b",
                        reason="Terlapor bukan ASN.")
    return case_approve(case=case, actor=lead_beltim, announcement="Laporan bukan pelanggaran netralitas ASN.")


def _announcement(client, case):
    page = client.get(reverse("portal:announcements")).content.decode()
    return page.split(f'id="case-{case.pk}"')[1].split("</article>")[0]


def test_an_announcement_withholds_a_one_person_position(client, announced):
    article = _announcement(client, announced)
    assert "Kecamatan Manggar" not in article and "Kepala Seksi" not in article and "Camat" not in article


def test_an_announcement_shows_the_class_and_unit_when_k_share_them(client, announced, agencies):
    _supervisors(agencies["camat_manggar"], 4)
    article = _announcement(client, announced)
    assert "Kecamatan Manggar" in article
    assert "Kepala Seksi" not in article  # the title as typed, never


def test_the_announcements_take_as_many_queries_for_many_cases_with_persons(client, announced, agencies):
    from cases.models import Case

    _supervisors(agencies["camat_manggar"], 4)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("portal:announcements"))
    original = Case.objects.get(pk=announced.pk)
    person = original.persons.get()
    for number in range(5):
        copy = Case.objects.get(pk=announced.pk)
        copy.pk, copy.number = None, f"{original.number}-{number}"
        copy.save()
        person.pk, person.case = None, copy
        person.save()
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("portal:announcements")).content.decode()
    assert page.count("Kecamatan Manggar") == 6
    assert len(many) == len(one)
