import pytest
from django.urls import reverse

from organizations.admin import UnitAdminForm
from organizations.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", password="kata-sandi-uji-123",
                                                                  role="admin"))
    return client


@pytest.mark.parametrize("name", ["bawasluoffice", "agency", "unit"])
def test_the_organization_lists_open_in_the_admin(superuser_client, offices, agencies, name):
    response = superuser_client.get(reverse(f"admin:organizations_{name}_changelist"))
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) >= 2


def test_offices_are_found_by_their_number_code(superuser_client, offices):
    response = superuser_client.get(reverse("admin:organizations_bawasluoffice_changelist"), {"q": "K.BB-06"})
    assert list(response.context["cl"].result_list) == [offices["beltim"]]


def test_units_are_filtered_by_agency(superuser_client, agencies):
    Unit.objects.create(agency=agencies["bangka"], name="Dinas Kesehatan")
    response = superuser_client.get(reverse("admin:organizations_unit_changelist"),
                                    {"agency__id__exact": agencies["beltim"].pk})
    assert {unit.agency for unit in response.context["cl"].result_list} == {agencies["beltim"]}


def test_a_unit_cannot_hang_under_a_unit_of_another_agency(agencies):
    parent = Unit.objects.create(agency=agencies["bangka"], name="Dinas Pendidikan")
    form = UnitAdminForm(data={"agency": agencies["beltim"].pk, "parent": parent.pk,
                               "name": "SD Negeri 1 Manggar"})
    assert not form.is_valid()
    assert "parent" in form.errors


def test_a_unit_cannot_be_its_own_parent(agencies):
    unit = agencies["dinkes_beltim"]
    form = UnitAdminForm(instance=unit, data={"agency": unit.agency_id, "parent": unit.pk, "name": unit.name})
    assert not form.is_valid()
    assert "parent" in form.errors


def test_a_school_under_its_education_office_is_accepted(agencies):
    disdik = Unit.objects.create(agency=agencies["beltim"], name="Dinas Pendidikan")
    form = UnitAdminForm(data={"agency": agencies["beltim"].pk, "parent": disdik.pk,
                               "name": "SD Negeri 1 Manggar", "region": agencies["camat_manggar"].region_id})
    assert form.is_valid(), form.errors
