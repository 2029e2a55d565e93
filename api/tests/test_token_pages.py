import pytest
from django.urls import reverse

from api.models import PartnerToken
from api.tokens import token_create

pytestmark = pytest.mark.django_db
LIST = reverse("api_tokens:list")


def test_an_administrator_makes_a_token_for_a_partner_and_sees_it_once(client, admin_national, ppk_beltim):
    client.force_login(admin_national)
    response = client.post(LIST, {"name": "SIMPEG Beltim", "user": ppk_beltim.pk,
                                  "scopes": ["recommendations:read", "recommendations:write"], "days": 90})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    raw = response.context["created"]["raw"]
    assert raw in response.content.decode()
    token = PartnerToken.objects.get()
    assert token.user == ppk_beltim and raw not in client.get(LIST).content.decode()  # never shown again


def test_scopes_beyond_the_account_are_refused_and_the_form_keeps_its_input(client, admin_national, ppk_beltim):
    client.force_login(admin_national)
    response = client.post(LIST, {"name": "SIMPEG Beltim", "user": ppk_beltim.pk, "scopes": ["cases:read"],
                                  "days": 90})
    assert response.status_code == 400 and "SIMPEG Beltim" in response.content.decode()
    assert not PartnerToken.objects.exists()


def test_others_see_and_revoke_only_their_own_tokens(client, admin_national, ppk_beltim, pemda_beltim):
    theirs, _raw = token_create(actor=admin_national, user=pemda_beltim, name="Aplikasi Kepegawaian Daerah",
                                scopes=["recommendations:read"], days=30)
    client.force_login(ppk_beltim)
    assert "Aplikasi Kepegawaian Daerah" not in client.get(LIST).content.decode()
    assert client.post(reverse("api_tokens:revoke", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None
    client.force_login(pemda_beltim)
    assert client.post(reverse("api_tokens:revoke", args=[theirs.pk])).status_code == 302
    theirs.refresh_from_db()
    assert theirs.revoked_at is not None
