import pytest

from regions.models import Region

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("region", "inside", "outside"), [
    pytest.param("country", {"ID", "19", "19.06", "19.01", "19.06.01", "19.01.01"}, set(), id="country"),
    pytest.param("babel", {"19", "19.06", "19.01", "19.06.01", "19.01.01"}, {"ID"}, id="province"),
    pytest.param("beltim", {"19.06", "19.06.01"}, {"ID", "19", "19.01", "19.01.01"}, id="regency"),
    pytest.param("manggar", {"19.06.01"}, {"ID", "19", "19.06", "19.01", "19.01.01"}, id="district"),
])
def test_a_region_contains_itself_and_what_lies_below_it(places, region, inside, outside):
    region = places[region]
    assert set(Region.objects.filter(region.subtree_q()).values_list("code", flat=True)) == inside
    for other in Region.objects.all():
        assert region.contains(other) == (other.code in inside), other.code
    assert not inside & outside


def test_a_code_that_merely_starts_with_the_same_digits_is_not_inside(places):
    # "19.06" must not take in a regency "19.061..." nor a province "190".
    odd = Region.objects.create(code="19.061", name="Not a child", level=Region.Level.REGENCY,
                                parent=places["babel"])
    assert not places["beltim"].contains(odd)
    assert not Region.objects.filter(places["beltim"].subtree_q(), code="19.061").exists()


def test_subtree_q_filters_through_a_relation(places, offices):
    from organizations.models import BawasluOffice

    offices_in_babel = BawasluOffice.objects.filter(places["babel"].subtree_q("region"))
    offices_in_beltim = BawasluOffice.objects.filter(places["beltim"].subtree_q("region"))
    assert set(offices_in_babel) == set(offices.values())
    assert list(offices_in_beltim) == [offices["beltim"]]
