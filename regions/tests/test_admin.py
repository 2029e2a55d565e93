import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", password="kata-sandi-uji-123", role="admin")
    client.force_login(admin)
    return client


def test_regions_can_be_searched_by_code_in_the_admin(admin_client_, places):
    response = admin_client_.get(reverse("admin:regions_region_changelist"), {"q": "19.06"})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [places["beltim"], places["manggar"]]


def test_a_region_change_page_opens(admin_client_, places):
    response = admin_client_.get(reverse("admin:regions_region_change", args=[places["manggar"].pk]))
    assert response.status_code == 200
