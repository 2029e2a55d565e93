import pytest
from django.urls import reverse

from accounts.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    client.force_login(User.objects.create_superuser("root", password="kata-sandi-uji-123", role="admin"))
    return client


def add(superuser_client, **fields):
    data = {"username": "staf.baru", "password1": "kata-sandi-uji-123", "password2": "kata-sandi-uji-123",
            "usable_password": "true", "role": "bawaslu_staff", "bawaslu_office": "", "agency": "", **fields}
    return superuser_client.post(reverse("admin:accounts_user_add"), data)


def test_an_account_is_added_with_its_role_and_office(superuser_client, offices):
    response = add(superuser_client, bawaslu_office=offices["beltim"].pk)
    assert response.status_code == 302, response.context["adminform"].form.errors
    user = User.objects.get(username="staf.baru")
    assert (user.role, user.bawaslu_office) == ("bawaslu_staff", offices["beltim"])
    assert user.check_password("kata-sandi-uji-123")


def test_bawaslu_staff_without_an_office_is_refused(superuser_client, offices):
    response = add(superuser_client)
    assert response.status_code == 200
    assert "bawaslu_office" in response.context["adminform"].form.errors
    assert not User.objects.filter(username="staf.baru").exists()


def test_the_user_list_shows_and_filters_by_role(superuser_client, staff_beltim, pemda_beltim):
    response = superuser_client.get(reverse("admin:accounts_user_changelist"), {"role__exact": "pemda_staff"})
    assert list(response.context["cl"].result_list) == [pemda_beltim]


def test_the_change_page_has_the_role_and_jurisdiction_fields(superuser_client, staff_beltim):
    response = superuser_client.get(reverse("admin:accounts_user_change", args=[staff_beltim.pk]))
    form = response.context["adminform"].form
    assert {"role", "bawaslu_office", "agency"} <= set(form.fields)
