import pytest
from django.contrib import admin
from django.urls import reverse

from organizations.models import Unit
from registry.admin import EmployeeAdminForm
from registry.factories import EmployeeFactory
from registry.models import Employee

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", password="kata-sandi-uji-123",
                                                                  role="admin"))
    return client


def form_data(agencies, **overrides):
    return {"kind": "pns", "nip": "19850315 201001 1 002", "name": "Andi Wijaya", "birth_date": "",
            "gender": "", "rank": "Penata Muda (III/a)", "position": "Analis Kebijakan Ahli Pertama",
            "agency": agencies["beltim"].pk, "unit": agencies["dinkes_beltim"].pk, "active": "on", "nik": "",
            **overrides}


def test_the_admin_form_stores_the_nip_as_18_digits_with_its_birth_date_and_gender(agencies):
    form = EmployeeAdminForm(data=form_data(agencies))
    assert form.is_valid(), form.errors
    employee = form.save()
    assert employee.nip == "198503152010011002"
    assert (str(employee.birth_date), employee.gender) == ("1985-03-15", "M")


@pytest.mark.parametrize(("overrides", "field"), [
    pytest.param({"nip": "198502302010011002"}, "nip", id="february-30"),
    pytest.param({"nip": "198503152010131002"}, "nip", id="appointment-month-13"),
    pytest.param({"nip": "19850315201001100"}, "nip", id="17-digits"),
    pytest.param({"nip": ""}, "nip", id="pns-without-nip"),
    pytest.param({"kind": "pppk", "nip": "198503152010001002"}, "nip", id="pppk-zero-agreements"),
    pytest.param({"kind": "contract"}, "nip", id="contract-with-nip"),
])
def test_the_admin_form_refuses_an_impossible_nip(agencies, overrides, field):
    form = EmployeeAdminForm(data=form_data(agencies, **overrides))
    assert not form.is_valid()
    assert field in form.errors


def test_the_admin_form_refuses_a_unit_of_another_agency(agencies):
    unit = Unit.objects.create(agency=agencies["bangka"], name="Dinas Kesehatan")
    form = EmployeeAdminForm(data=form_data(agencies, unit=unit.pk))
    assert not form.is_valid()
    assert "unit" in form.errors


def test_the_admin_form_refuses_a_nip_already_in_the_register(agencies):
    EmployeeFactory(nip="198503152010011002", birth_date="1985-03-15", gender="M", agency=agencies["beltim"])
    form = EmployeeAdminForm(data=form_data(agencies))
    assert not form.is_valid()
    assert "nip" in form.errors


def test_contract_staff_are_saved_without_a_nip(agencies):
    form = EmployeeAdminForm(data=form_data(agencies, kind="contract", nip="", birth_date="1990-01-02",
                                            gender="F"))
    assert form.is_valid(), form.errors
    assert form.save().nip is None


@pytest.mark.parametrize(("nik", "stored"), [
    pytest.param("", None, id="none"),
    pytest.param("1906 0145 0790 0001", "1906014507900001", id="grouped"),
])
def test_a_contract_staff_nik_is_stored_as_16_digits_or_nothing(agencies, nik, stored):
    form = EmployeeAdminForm(data=form_data(agencies, kind="contract", nip="", nik=nik))
    assert form.is_valid(), form.errors
    employee = form.save()
    employee.refresh_from_db()
    assert employee.nik == stored


@pytest.mark.parametrize("nik", ["19060145079000", "19060145079000011", "190601450790000A"])
def test_a_malformed_nik_is_refused(agencies, nik):
    form = EmployeeAdminForm(data=form_data(agencies, kind="contract", nip="", nik=nik))
    assert not form.is_valid()
    assert "nik" in form.errors


def test_the_employee_admin_uses_the_validating_form():
    assert admin.site._registry[Employee].form is EmployeeAdminForm


def test_a_pasted_nip_with_spaces_finds_its_employee_in_the_admin(superuser_client, agencies):
    andi = EmployeeFactory(name="Andi Wijaya", agency=agencies["beltim"])
    EmployeeFactory(name="Budi Santoso", agency=agencies["beltim"])
    nip = andi.nip
    response = superuser_client.get(reverse("admin:registry_employee_changelist"),
                                    {"q": f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"})
    assert list(response.context["cl"].result_list) == [andi]


def test_employees_can_be_searched_by_name_and_filtered_by_kind(superuser_client, agencies):
    EmployeeFactory(name="Andi Wijaya", agency=agencies["beltim"])
    EmployeeFactory(name="Andi Saputra", agency=agencies["beltim"], contract=True)
    response = superuser_client.get(reverse("admin:registry_employee_changelist"),
                                    {"q": "andi", "kind__exact": "contract", "active__exact": "1",
                                     "agency__id__exact": agencies["beltim"].pk})
    assert [e.name for e in response.context["cl"].result_list] == ["Andi Saputra"]


def test_the_employee_add_page_opens(superuser_client):
    assert superuser_client.get(reverse("admin:registry_employee_add")).status_code == 200
