import pytest

from registry.factories import EmployeeFactory
from registry.models import Employee
from registry.nip import parse_pns_nip, parse_pppk_ni


@pytest.mark.parametrize(("traits", "parse"), [
    pytest.param({}, parse_pns_nip, id="pns"),
    pytest.param({"pppk": True}, parse_pppk_ni, id="pppk"),
])
def test_a_thousand_generated_numbers_are_valid_and_unique(traits, parse):
    employees = EmployeeFactory.build_batch(1000, **traits)
    nips = [employee.nip for employee in employees]
    assert len(set(nips)) == 1000
    for employee in employees:
        parts = parse(employee.nip)
        assert (parts.birth_date, parts.gender) == (employee.birth_date, employee.gender)


def test_generated_pns_and_pppk_numbers_do_not_collide():
    nips = [e.nip for e in EmployeeFactory.build_batch(500)] + [
        e.nip for e in EmployeeFactory.build_batch(500, pppk=True)
    ]
    assert len(set(nips)) == 1000


def test_contract_staff_are_built_without_a_number():
    employee = EmployeeFactory.build(contract=True)
    assert employee.kind == Employee.Kind.CONTRACT
    assert employee.nip is None
    assert employee.birth_date is not None


@pytest.mark.django_db
@pytest.mark.parametrize("traits", [
    pytest.param({}, id="pns"),
    pytest.param({"pppk": True}, id="pppk"),
    pytest.param({"contract": True}, id="contract"),
])
def test_a_created_employee_passes_the_model_validation(traits):
    employee = EmployeeFactory(**traits)
    employee.full_clean()
    assert employee.unit.agency == employee.agency
    assert employee.agency.region.parent.parent.code == "ID"


@pytest.mark.django_db
def test_the_factory_reuses_the_cast_places_and_agency(agencies):
    employee = EmployeeFactory()
    assert employee.agency == agencies["beltim"]
