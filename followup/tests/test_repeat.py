"""Repeat offenders (issue 19, seed 003): the same person reported in the cases of two elections."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Case
from followup.repeat import group_people, person_keys, repeat_of_case, repeat_offenders_for
from followup.tests.conftest import forward_case
from reports.services import ReportedPersonInput
from rules.models import Election


@pytest.mark.parametrize(("one", "other", "same"), [
    pytest.param(dict(nip="198503302010011001", name="Rudi", places=()),
                 dict(nip="198503302010011001", name="Budi", places=()), True, id="same-nip"),
    pytest.param(dict(nip=None, name="Dr. H. Rudi  Hartono, S.E.", places=("Dinas Kesehatan",)),
                 dict(nip=None, name="rudi hartono", places=("dinas kesehatan.",)), True, id="name-and-unit-folded"),
    pytest.param(dict(nip=None, name="Rudi Hartono", places=("Dinas Kesehatan",)),
                 dict(nip=None, name="Rudi Hartono", places=("Dinas Pendidikan",)), False, id="another-unit"),
    pytest.param(dict(nip=None, name="Rudi Hartono", places=()),
                 dict(nip=None, name="Rudi Hartono", places=()), False, id="a-name-alone-is-too-weak"),
])
def test_person_keys_say_who_is_the_same_person(one, other, same):
    assert bool(person_keys(**one) & person_keys(**other)) is same


def test_people_are_grouped_transitively():
    people = [{"keys": {("nip", "1")}}, {"keys": {("nip", "1"), ("name", "rudi", "dinkes")}},
              {"keys": {("name", "rudi", "dinkes")}}, {"keys": {("name", "ani", "dinkes")}}]
    assert sorted(len(group) for group in group_people(people)) == [1, 3]


@pytest.fixture
def pemilu(rules):
    return Election.objects.get(pk="pemilu-2024")


def _case(places, election, staff, lead, persons, *, moved_to=None):
    case = forward_case(region=places["manggar"], election=election, staff=staff, lead=lead, persons=persons)
    if moved_to is not None:
        Case.objects.filter(pk=case.pk).update(election=moved_to)
        case.refresh_from_db()
    return case


@pytest.fixture
def two_elections(places, offices, election, pemilu, staff_beltim, lead_beltim, authority_bkn, camat, agencies):
    """The camat (in the register) reported in the Pilkada and, earlier, in the Pemilu; someone else once."""
    registered = [ReportedPersonInput(name=camat.name, position=camat.position, employee=camat)]
    earlier = _case(places, election, staff_beltim, lead_beltim, registered, moved_to=pemilu)
    later = _case(places, election, staff_beltim, lead_beltim, registered)
    once = _case(places, election, staff_beltim, lead_beltim, [ReportedPersonInput(name="Ani Lestari", unit="Dinkes")])
    return {"earlier": earlier, "later": later, "once": once}


pytestmark = pytest.mark.django_db


def test_the_person_of_two_elections_is_listed_with_both_cases(two_elections, staff_beltim, camat):
    offenders = repeat_offenders_for(staff_beltim)
    assert [(o.name, o.nip, o.elections) for o in offenders] == [(camat.name, camat.nip, 2)]
    assert [item.number for item in offenders[0].appearances] == [two_elections["earlier"].number,
                                                                   two_elections["later"].number]


def test_a_typed_person_without_nip_matches_by_name_and_unit(places, election, pemilu, staff_beltim, lead_beltim,
                                                             authority_bkn, agencies):
    _case(places, election, staff_beltim, lead_beltim,
          [ReportedPersonInput(name="Drs. Joko Susilo", unit="Kecamatan Manggar")], moved_to=pemilu)
    later = _case(places, election, staff_beltim, lead_beltim,
                  [ReportedPersonInput(name="JOKO SUSILO, M.Si.", unit="kecamatan manggar")])
    assert [o.elections for o in repeat_offenders_for(staff_beltim)] == [2]
    assert [o.name for o in repeat_of_case(staff_beltim, later)] == ["JOKO SUSILO, M.Si."]


def test_two_cases_of_one_election_are_not_a_repeat(places, election, staff_beltim, lead_beltim, authority_bkn,
                                                     camat):
    registered = [ReportedPersonInput(name=camat.name, position=camat.position, employee=camat)]
    _case(places, election, staff_beltim, lead_beltim, registered)
    _case(places, election, staff_beltim, lead_beltim, registered)
    assert repeat_offenders_for(staff_beltim) == []


def test_the_case_page_shows_the_other_elections_case(two_elections, client, staff_beltim):
    client.force_login(staff_beltim)
    page = client.get(two_elections["later"].get_absolute_url()).content.decode()
    assert 'id="repeat-panel"' in page and two_elections["earlier"].number in page
    assert 'id="repeat-panel"' not in client.get(two_elections["once"].get_absolute_url()).content.decode()


def test_the_list_page_is_staff_only_and_of_the_jurisdiction(two_elections, client, staff_beltim, staff_bangka,
                                                              staff_babel, pemda_beltim, camat):
    url = "/staf/pelanggar-berulang/"
    client.force_login(staff_beltim)
    assert camat.name in client.get(url).content.decode()
    client.force_login(staff_babel)  # the province sees the regencies below it
    assert camat.name in client.get(url).content.decode()
    client.force_login(staff_bangka)
    page = client.get(url)
    assert page.status_code == 200 and camat.name not in page.content.decode()
    assert repeat_of_case(staff_bangka, two_elections["later"]) == []
    client.force_login(pemda_beltim)
    assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302


def test_the_list_is_never_public(two_elections, client, camat):
    for url in ("/", "/statistik/", "/tindak-lanjut/"):
        response = client.get(url)
        assert camat.name not in response.content.decode()


def test_the_list_query_count_does_not_grow(two_elections, places, election, pemilu, client, staff_beltim,
                                            lead_beltim, agencies):
    from registry.factories import EmployeeFactory

    client.force_login(staff_beltim)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/staf/pelanggar-berulang/").status_code == 200
    for index in range(3):
        person = EmployeeFactory(agency=agencies["beltim"], name=f"Pegawai {index}")
        registered = [ReportedPersonInput(name=person.name, employee=person)]
        _case(places, election, staff_beltim, lead_beltim, registered, moved_to=pemilu)
        _case(places, election, staff_beltim, lead_beltim, registered)
    with CaptureQueriesContext(connection) as many:
        page = client.get("/staf/pelanggar-berulang/")
    assert page.content.decode().count("<tr><th scope=\"row\">") == 4
    assert len(many) == len(few)


def test_the_case_panel_reads_by_the_stored_key_and_does_not_grow(two_elections, places, election, pemilu, client,
                                                                  staff_beltim, lead_beltim, camat):
    """Issue 20: the panel looked up every namesake-ish person of the jurisdiction (LIKE over all of
    them, 500 ms with 20,000 cases); it now finds the name key or register entry by "=" on an index."""
    from cases.models import CasePerson

    later = two_elections["later"]
    client.force_login(staff_beltim)
    client.get(later.get_absolute_url())  # warm-up
    with CaptureQueriesContext(connection) as few:
        assert 'id="repeat-panel"' in client.get(later.get_absolute_url()).content.decode()
    # Other persons of both elections, some sharing a word of the name or the unit: never read.
    for index in range(4):
        case = _case(places, election, staff_beltim, lead_beltim,
                     [ReportedPersonInput(name=f"{camat.name.split()[0]} Lain {index}", unit="Kecamatan Manggar")],
                     moved_to=pemilu if index % 2 else None)
        assert CasePerson.objects.get(case=case).name_key
    with CaptureQueriesContext(connection) as many:
        page = client.get(later.get_absolute_url()).content.decode()
    assert len(many) == len(few)
    assert two_elections["earlier"].number in page
    lookup = [q["sql"] for q in many if '"cases_caseperson"."name_key" IN' in q["sql"]]
    assert lookup and not any("LIKE" in sql.upper() for sql in lookup)
    offenders = repeat_of_case(staff_beltim, later)
    assert [[item.number for item in o.appearances] for o in offenders] == [[two_elections["earlier"].number]]


def test_a_typed_person_is_found_by_the_stored_name_key(places, election, pemilu, staff_beltim, lead_beltim,
                                                         authority_bkn, camat, agencies):
    """Registered (with NIP) in an earlier election, typed by hand with the unit in a later one: one
    person by the stored name key and the unit, as before the key was stored."""
    registered = [ReportedPersonInput(name=camat.name, position=camat.position, employee=camat)]
    earlier = _case(places, election, staff_beltim, lead_beltim, registered, moved_to=pemilu)
    unit = camat.unit.name if camat.unit_id else camat.agency.name
    typed = _case(places, election, staff_beltim, lead_beltim, [ReportedPersonInput(name=camat.name, unit=unit)])
    offenders = repeat_of_case(staff_beltim, typed)
    assert [[item.number for item in o.appearances] for o in offenders] == [[earlier.number]]
