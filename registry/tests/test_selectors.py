import pytest

from registry.factories import EmployeeFactory, UnitFactory
from registry.selectors import PUBLIC_SEARCH_LIMIT, employee_public_search

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(agencies):
    dinkes, camat = agencies["dinkes_beltim"], agencies["camat_manggar"]
    return {
        "rina": EmployeeFactory(name="Rina Oktaviani, S.Kep.", agency=agencies["beltim"], unit=dinkes),
        "rudi": EmployeeFactory(name="Rudi Hartono", agency=agencies["beltim"], unit=camat, pppk=True),
        "budi": EmployeeFactory(name="Budi Santoso", agency=agencies["beltim"], unit=camat, contract=True),
        "gone": EmployeeFactory(name="Rina Pensiun", agency=agencies["beltim"], unit=dinkes, active=False),
    }


def names(results):
    return [employee.name for employee in results]


def test_a_part_of_a_name_finds_the_employee_whatever_the_case(register):
    assert names(employee_public_search("oktaviani")) == ["Rina Oktaviani, S.Kep."]
    assert names(employee_public_search("RINA")) == ["Rina Oktaviani, S.Kep."]


def test_a_whole_nip_finds_its_employee_even_with_spaces(register):
    nip = register["rudi"].nip
    spaced = f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"
    assert names(employee_public_search(nip)) == ["Rudi Hartono"]
    assert names(employee_public_search(spaced)) == ["Rudi Hartono"]


def test_part_of_a_nip_finds_nobody(register):
    assert names(employee_public_search(register["rudi"].nip[:10])) == []


def test_a_unit_name_or_its_short_name_finds_its_active_staff(register):
    assert names(employee_public_search("Kecamatan Manggar")) == ["Budi Santoso", "Rudi Hartono"]
    assert names(employee_public_search("dinkes")) == ["Rina Oktaviani, S.Kep."]


@pytest.mark.parametrize("query", [
    pytest.param("", id="empty"),
    pytest.param("ri", id="two-letters"),
    pytest.param("  ri  ", id="two-letters-padded"),
    pytest.param(None, id="none"),
])
def test_a_query_shorter_than_three_characters_finds_nothing(register, query):
    assert names(employee_public_search(query)) == []


def test_an_inactive_employee_is_not_found_by_name_nor_nip(register):
    assert "Rina Pensiun" not in names(employee_public_search("Rina"))
    assert names(employee_public_search(register["gone"].nip)) == []


def test_at_most_ten_are_returned_in_name_order(agencies):
    unit = UnitFactory(agency=agencies["beltim"], name="SD Negeri 1 Manggar")
    EmployeeFactory.create_batch(12, agency=agencies["beltim"], unit=unit)
    results = list(employee_public_search("SD Negeri 1 Manggar"))
    assert PUBLIC_SEARCH_LIMIT == 10
    assert len(results) == 10
    assert names(results) == sorted(names(results))


def test_the_search_takes_two_queries(register, django_assert_num_queries):
    # The units named like the text, then the employees (both conditions indexable: issue 20).
    with django_assert_num_queries(2):
        results = list(employee_public_search("Rina"))
        [(employee.unit.name, employee.agency.name) for employee in results]
