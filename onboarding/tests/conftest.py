import pytest

from organizations.models import Agency, BawasluOffice
from regions.models import Region


@pytest.fixture
def riau(places):
    """Another province, with a city government and its Bawaslu office."""
    province = Region.objects.create(code="21", name="Kepulauan Riau", level=1, parent=places["country"])
    batam = Region.objects.create(code="21.71", name="Kota Batam", level=2, parent=province)
    BawasluOffice.objects.create(region=province, name="Bawaslu Provinsi Kepulauan Riau", short_name="Kepri",
                                 number_code="K.KR")
    return Agency.objects.create(name="Pemerintah Kota Batam", region=batam, ppk_title="Wali Kota Batam")


@pytest.fixture
def lead_babel(offices):
    from conftest import _user

    return _user("ketua.babel", "bawaslu_lead", bawaslu_office=offices["babel"])
