"""Issue 20: an administrator types the partner account of a token, never a <select> of every account."""

import pytest
from django.urls import reverse

from accounts.models import User
from api.models import PartnerToken
from netral.tests.growth import assert_page_does_not_grow, search_queries

pytestmark = pytest.mark.django_db

PAGE = reverse("api_tokens:list")
SEARCH = reverse("api_tokens:account_search")


def many_accounts(count=300, prefix="mitra.contoh"):
    User.objects.bulk_create([User(username=f"{prefix}{number:03d}", role="pemda_staff", is_active=True)
                              for number in range(count)])


def test_the_token_page_does_not_grow_with_the_accounts(client, admin_national, pemda_beltim):
    client.force_login(admin_national)
    assert_page_does_not_grow(client, PAGE, grow=many_accounts)


def test_the_search_offers_at_most_ten_active_accounts_in_constant_queries(client, admin_national, pemda_beltim):
    client.force_login(admin_national)
    response, few = search_queries(client, SEARCH, {"user_name": "mitra"})
    assert response.status_code == 200 and response.context["rows"] == []
    many_accounts()
    User.objects.filter(username="mitra.contoh000").update(is_active=False)
    response, many = search_queries(client, SEARCH, {"user_name": "mitra"})
    assert len(response.context["rows"]) == 10 and many == few
    response, _queries = search_queries(client, SEARCH, {"user_name": "mitra.contoh000"})
    assert response.context["rows"] == []


def test_an_administrator_makes_a_token_for_an_account_typed_by_username(client, admin_national, pemda_beltim):
    client.force_login(admin_national)
    response = client.post(PAGE, {"name": "SIMPEG", "user_name": "bkpsdm.beltim", "scopes": ["register:read"],
                                  "days": 30})
    assert response.status_code == 200, response.context["form"].errors
    assert PartnerToken.objects.get().user == pemda_beltim


def test_an_unknown_or_inactive_account_is_refused(client, admin_national, pemda_beltim):
    pemda_beltim.is_active = False
    pemda_beltim.save(update_fields=["is_active"])
    client.force_login(admin_national)
    for data in ({"user_name": "nobody.here"}, {"user": pemda_beltim.pk}, {}):
        response = client.post(PAGE, {"name": "SIMPEG", "scopes": ["register:read"], "days": 30, **data})
        assert response.status_code == 400
        assert response.context["form"].errors["user_name"]
    assert not PartnerToken.objects.exists()


def test_other_accounts_neither_see_the_field_nor_may_search(client, pemda_beltim):
    client.force_login(pemda_beltim)
    assert 'name="user_name"' not in client.get(PAGE).content.decode()
    assert client.get(SEARCH, {"q": "admin"}).status_code == 403
