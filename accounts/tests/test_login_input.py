"""The login's password step takes any input without a server error (found by portal/tests/test_public_fuzz.py)."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_an_over_long_username_is_refused_by_the_form_before_any_login_attempt(client, staff_beltim):
    response = client.post(reverse("accounts:login"), {"login_view-current_step": "auth",
                                                       "auth-username": "a" * 300, "auth-password": "x"})
    assert response.status_code == 200
    assert response.context["form"].errors["username"]
    # Nothing reached authenticate(): django-axes stores usernames in a varchar(255) (a 500 on PostgreSQL).
    assert not AccessAttempt.objects.exists()
