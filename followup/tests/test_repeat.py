"""Repeat offenders (issue 19, seed 003): the same person reported in the cases of two elections."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Case, CasePerson
from cases.person_key import name_key, person_key
from followup.repeat import repeat_of_case, repeat_offenders_for
from followup.tests.conftest import forward_case
from netral.tests.growth import assert_page_does_not_grow
from reports.services import ReportedPersonInput
from rules.models import Election


def _key(*, entry=None, name, unit="", links=None):
    return person_key(employee_id=entry, folded_name=name_key(name), unit=unit, links=links or {})


@pytest.mark.parametrize(("one", "other", "same"), [
    pytest.param(dict(entry=7, name="Rudi"), dict(entry=7, name="Budi"), True, id="same-entry-same-nip"),
    pytest.param(dict(name="Dr. H. Rudi  Hartono, S.E.", unit="Dinas Kesehatan"),
                 dict(name="rudi hartono", unit="dinas kesehatan."), True, id="name-and-unit-folded"),
    pytest.param(dict(name="Rudi Hartono", unit="Dinas Kesehatan"),
                 dict(name="Rudi Hartono", unit="Dinas Pendidikan"), False, id="another-unit"),
    pytest.param(dict(name="Rudi Hartono"), dict(name="Rudi Hartono"), False, id="a-name-alone-is-too-weak"),
    pytest.param(dict(entry=7, name="Rudi Hartono", unit="Dinkes"), dict(entry=8, name="Rudi Hartono", unit="Dinkes"),
                 False, id="two-entries-are-two-persons"),
    pytest.param(dict(entry=7, name="Rudi Hartono"),
                 dict(name="Rudi Hartono", unit="Dinas Kesehatan", links={"n:rudi hartono|dinas kesehatan": "e:7"}),
                 True, id="typed-through-the-register"),
])
def test_person_keys_say_who_is_the_same_person(one, other, same):
    one_key, other_key = _key(**one), _key(**other)
    assert (bool(one_key) and one_key == other_key) is same


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
    assert list(repeat_offenders_for(staff_beltim)) == []


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


def test_the_list_query_count_does_not_grow_with_more_offenders(two_elections, places, election, pemilu, client, staff_beltim,
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
    them, 500 ms with 20,000 cases); it now finds the stored person key by "=" on an index."""
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
    lookup = [q["sql"] for q in many if '"cases_caseperson"."person_key" IN' in q["sql"]]
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


def test_typed_persons_join_the_registered_one_whatever_comes_first(places, election, pemilu, staff_beltim,
                                                                    lead_beltim, authority_bkn, camat, agencies):
    """Typed by hand with the register's agency before anyone linked them to the entry, then reported
    from the register, then typed with the unit: one person (cases.person_key re-resolves the name)."""
    typed_first = _case(places, election, staff_beltim, lead_beltim,
                        [ReportedPersonInput(name=f"Drs. {camat.name}", unit=agencies["beltim"].name)], moved_to=pemilu)
    registered = _case(places, election, staff_beltim, lead_beltim,
                       [ReportedPersonInput(name=camat.name, position=camat.position, employee=camat)])
    typed_later = _case(places, election, staff_beltim, lead_beltim,
                        [ReportedPersonInput(name=camat.name.upper(), unit="kecamatan  manggar")])
    keys = set(CasePerson.objects.filter(case__in=[typed_first, registered, typed_later])
               .values_list("person_key", flat=True))
    assert keys == {f"e:{camat.pk}"}
    offenders = list(repeat_offenders_for(staff_beltim))
    assert [(o.nip, o.elections, len(o.appearances)) for o in offenders] == [(camat.nip, 2, 3)]
    panel = repeat_of_case(staff_beltim, typed_first)
    assert [sorted(item.number for item in o.appearances) for o in panel] == [
        sorted([registered.number, typed_later.number])]


def test_two_register_entries_of_one_name_and_unit_are_two_persons(places, election, pemilu, staff_beltim,
                                                                   lead_beltim, authority_bkn, camat, agencies):
    """Namesakes in one unit, with two NIPs: the earlier grouping joined them through the name and the
    unit; two register entries are two persons."""
    from registry.factories import EmployeeFactory

    namesake = EmployeeFactory(agency=camat.agency, unit=camat.unit, name=camat.name, position="Staf")
    _case(places, election, staff_beltim, lead_beltim,
          [ReportedPersonInput(name=camat.name, employee=camat)], moved_to=pemilu)
    later = _case(places, election, staff_beltim, lead_beltim,
                  [ReportedPersonInput(name=namesake.name, employee=namesake)])
    assert list(repeat_offenders_for(staff_beltim)) == []
    assert repeat_of_case(staff_beltim, later) == []


def _many_offenders(offices, places, staff, elections, first: int, count: int) -> None:
    """``count`` typed persons, each reported once in each of two elections (bulk: 2 x count cases)."""
    from datetime import date

    cases = Case.objects.bulk_create([
        Case(number=f"{number:05d}-{side}/Reg/LP/PB/Kab/19.06/TEST/2024", kind=Case.Kind.REPORT,
             office=offices["beltim"], region=places["manggar"], election=elections[side], status=Case.Status.DECIDED,
             is_open=False, summary="ASN ikut kampanye.", place="Manggar", known_on=date(2024, 11, 1),
             registered_on=date(2024, 11, 1), registered_by=staff, outcome=Case.Outcome.FORWARDED_AUTHORITY)
        for number in range(first, first + count) for side in (0, 1)])
    CasePerson.objects.bulk_create([CasePerson(case=case, name=f"Pegawai Ulang {case.number[:5]}",
                                               unit="Dinas Pendidikan") for case in cases])


def test_the_list_is_paged_and_its_page_does_not_grow(two_elections, offices, places, election, pemilu, client,
                                                      staff_beltim):
    """Issue 20: the database groups and orders the persons and the page reads only its own 50; more
    offenders change neither the page's size nor its query count."""
    from followup.repeat_views import PER_PAGE

    _many_offenders(offices, places, staff_beltim, (election, pemilu), 0, PER_PAGE + 5)
    client.force_login(staff_beltim)
    url = "/staf/pelanggar-berulang/"
    assert_page_does_not_grow(client, url, grow=lambda: _many_offenders(offices, places, staff_beltim,
                                                                        (election, pemilu), 1000, 150))
    with CaptureQueriesContext(connection) as queries:
        first = client.get(url).content.decode()
    assert first.count('<tr><th scope="row">') == PER_PAGE and "Pegawai Ulang 00000" in first
    # The grouping of the jurisdiction's persons runs once: the page's keys and the count together.
    assert len([q for q in queries.captured_queries if "GROUP BY" in q["sql"]]) == 1
    # Most elections first, then by name: the camat of two_elections (R) after the Pegawai (P).
    total = PER_PAGE + 5 + 150 + 1
    last = client.get(f"{url}?page={-(-total // PER_PAGE)}").content.decode()
    assert last.count('<tr><th scope="row">') == total % PER_PAGE and "Rudi Hartono" in last
    with CaptureQueriesContext(connection) as queries:
        past = client.get(f"{url}?page=999").content.decode()  # past the end: the last page
    # ... read with the same one grouping, moved to the last page in the query (not a count, then the page).
    assert len([q for q in queries.captured_queries if "GROUP BY" in q["sql"]]) == 1
    table = '<table id="repeat-offenders">'
    assert past[past.index(table):past.index("</table>")] == last[last.index(table):last.index("</table>")]


def test_more_elections_come_first(two_elections, offices, places, election, pemilu, staff_beltim):
    from datetime import date

    third = Election.objects.get(pk=pemilu.pk)
    third.pk, third.voting_day = "pemilu-2029-test", date(2029, 2, 14)
    third.save()
    _many_offenders(offices, places, staff_beltim, (election, pemilu), 0, 1)
    case = Case.objects.get(number__startswith="00000-1")
    case.pk, case.number, case.election = None, "00000-2/Reg/LP/PB/Kab/19.06/TEST/2024", third
    case.save()
    CasePerson.objects.create(case=case, name="Pegawai  Ulang 00000.", unit="dinas pendidikan")
    assert [(o.name, o.elections) for o in repeat_offenders_for(staff_beltim)] == [
        ("Pegawai  Ulang 00000.", 3), (two_elections["later"].persons.get().name, 2)]


def test_a_read_without_a_page_groups_once(two_elections, offices, places, election, pemilu, staff_beltim):
    _many_offenders(offices, places, staff_beltim, (election, pemilu), 0, 3)
    with CaptureQueriesContext(connection) as queries:
        offenders = repeat_offenders_for(staff_beltim)
        assert len(offenders) == 4
        everyone = list(offenders)
        assert [o.name for o in offenders[1:3]] == [o.name for o in everyone[1:3]]
    assert [o.elections for o in everyone] == [2] * 4 and everyone[-1].name == two_elections["later"].persons.get().name
    assert len([q for q in queries.captured_queries if "GROUP BY" in q["sql"]]) == 1


def test_the_list_reads_the_stored_figures(two_elections, staff_beltim):
    """The groups come from cases.models.PersonElection (kept by the writes, cases.person_elections):
    without its rows nobody is listed, after a rebuild the camat is back."""
    from cases.models import PersonElection
    from cases.person_elections import person_elections_rebuild

    assert [o.elections for o in repeat_offenders_for(staff_beltim)] == [2]
    PersonElection.objects.all().delete()
    assert list(repeat_offenders_for(staff_beltim)) == []
    person_elections_rebuild()
    assert [o.elections for o in repeat_offenders_for(staff_beltim)] == [2]
