import pytest
from django.core.exceptions import ValidationError

from accounts.models import User

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("user", "region"), [
    pytest.param("staff_beltim", "beltim", id="regency-staff"),
    pytest.param("lead_beltim", "beltim", id="regency-lead"),
    pytest.param("staff_bangka", "bangka", id="other-regency"),
    pytest.param("staff_babel", "babel", id="province"),
    pytest.param("pemda_beltim", "beltim", id="pemda-by-its-agency"),
])
def test_the_jurisdiction_is_the_region_of_the_office_or_agency(request, places, user, region):
    assert request.getfixturevalue(user).jurisdiction == places[region]


def test_an_account_with_neither_office_nor_agency_has_no_jurisdiction(db):
    assert User(username="admin", role=User.Role.ADMIN).jurisdiction is None


def test_a_national_office_sees_the_whole_country(places):
    from organizations.models import BawasluOffice

    ri = BawasluOffice.objects.create(region=places["country"], name="Bawaslu RI", short_name="Bawaslu RI",
                                      number_code="RI")
    user = User.objects.create_user("staf.ri", password="kata-sandi-uji-123", bawaslu_office=ri)
    assert user.jurisdiction.is_country
    assert all(user.jurisdiction.contains(region) for region in places.values())


def test_jurisdictions_nest(staff_babel, staff_beltim, staff_bangka, places):
    assert staff_babel.jurisdiction.contains(places["manggar"])
    assert staff_beltim.jurisdiction.contains(places["manggar"])
    assert not staff_bangka.jurisdiction.contains(places["manggar"])
    assert not staff_beltim.jurisdiction.contains(staff_babel.jurisdiction)


@pytest.mark.parametrize(("role", "field"), [
    pytest.param(User.Role.BAWASLU_STAFF, "bawaslu_office", id="bawaslu-staff"),
    pytest.param(User.Role.BAWASLU_LEAD, "bawaslu_office", id="bawaslu-lead"),
    pytest.param(User.Role.PEMDA_STAFF, "agency", id="pemda"),
    pytest.param(User.Role.PPK, "agency", id="ppk"),
    pytest.param(User.Role.AUTHORITY, "agency", id="authority"),
])
def test_a_role_without_its_office_or_agency_is_refused(db, role, field):
    with pytest.raises(ValidationError) as error:
        User(username="x", role=role).clean()
    assert field in error.value.message_dict


def test_a_unit_head_must_name_a_unit_of_its_agency(agencies):
    head = User(username="kadis", role=User.Role.UNIT_HEAD)
    with pytest.raises(ValidationError) as error:
        head.clean()
    assert "unit" in error.value.message_dict
    head.agency, head.unit = agencies["bangka"], agencies["dinkes_beltim"]
    with pytest.raises(ValidationError):
        head.clean()


def test_a_unit_head_takes_its_unit_s_agency_and_jurisdiction(agencies, places):
    head = User(username="kadis", role=User.Role.UNIT_HEAD, unit=agencies["dinkes_beltim"])
    head.clean()
    assert head.agency == agencies["beltim"] and head.jurisdiction == places["beltim"]


def test_only_a_unit_head_belongs_to_a_unit(agencies):
    staff = User(username="staf", role=User.Role.PEMDA_STAFF, agency=agencies["beltim"], unit=agencies["dinkes_beltim"])
    with pytest.raises(ValidationError):
        staff.clean()
