"""The admin shows the stored law and offers no way to change it: the files are the source."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser(username="admin", password="kata-sandi-uji-123",
                                                      email="admin@example.org")
    client.force_login(user)
    return client


@pytest.mark.parametrize("model", ["ruleset", "violation", "election"])
def test_the_admin_lists_the_stored_rules(admin_client, model):
    assert admin_client.get(reverse(f"admin:rules_{model}_changelist")).status_code == 200


@pytest.mark.parametrize("model", ["ruleset", "violation", "election"])
def test_the_admin_cannot_add_rules(admin_client, model):
    assert admin_client.get(reverse(f"admin:rules_{model}_add")).status_code == 403


def test_the_admin_shows_a_violation_without_a_save_button(admin_client):
    response = admin_client.get(reverse("admin:rules_violation_change", args=["banner-support"]))
    assert response.status_code == 200
    assert b'name="_save"' not in response.content
