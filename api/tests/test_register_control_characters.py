"""A control character in a partner's register row is a 400 problem naming the cell, never a 500 (issue 16).

PostgreSQL cannot store a NUL in text or JSON: a batch holding one failed half-way with a server error.
"""

import pytest
from django.urls import reverse

from api.tokens import token_create
from registry.models import ImportJob

pytestmark = pytest.mark.django_db


@pytest.fixture
def pemda_token(pemda_beltim, admin_national):
    return token_create(actor=admin_national, user=pemda_beltim, name="SIMPEG Beltim", scopes=["register:write"],
                        days=30)[1]


@pytest.mark.parametrize("name", ["Ani\x00", "Ani\x1b[31m"])
def test_a_control_character_in_a_row_refuses_the_batch_and_names_the_cell(client, agencies, pemda_token, name):
    row = {"nip": "198503152010012002", "name": name, "birth_date": "15-03-1985", "kind": "PNS", "gender": "P"}
    response = client.post(reverse("api:partner_register_batch"), {"rows": [row]}, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {pemda_token}")
    assert response.status_code == 400 and response["Content-Type"].startswith("application/problem+json")
    assert [error["field"] for error in response.json()["errors"]] == ["rows[1].name"]
    assert not ImportJob.objects.exists()
