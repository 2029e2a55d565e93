"""The CSRF check with Referrer-Policy: no-referrer (netral/csrf.py).

Our own pages post with ``Origin: null`` (and no Referer over HTTPS) and
``Sec-Fetch-Site: same-origin``; anything from another site, or without the token, is refused.
The posts go to the language switch, a public form that needs no other set-up.
"""

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db

SETLANG = "/i18n/setlang/"


@pytest.fixture
def browser():
    """A client that enforces CSRF, as a browser meets it, with the token of a page it opened."""
    client = Client(enforce_csrf_checks=True)
    client.get("/lacak/")
    return client


def post(client, *, token=True, secure=False, **headers):
    data = {"language": "en", "next": "/"}
    if token:
        data["csrfmiddlewaretoken"] = client.cookies[settings.CSRF_COOKIE_NAME].value
    return client.post(SETLANG, data, secure=secure, headers=headers)


def test_our_own_form_posted_with_a_null_origin_is_accepted(browser):
    response = post(browser, origin="null", sec_fetch_site="same-origin")
    assert response.status_code == 302
    assert browser.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_over_https_our_own_form_without_referer_is_accepted(browser):
    response = post(browser, secure=True, sec_fetch_site="same-origin")
    assert response.status_code == 302


@pytest.mark.parametrize("fetch_site", ["cross-site", "same-site", "none", None])
def test_a_null_origin_from_anywhere_but_our_own_pages_is_refused(browser, fetch_site):
    headers = {"origin": "null"} | ({"sec_fetch_site": fetch_site} if fetch_site else {})
    assert post(browser, **headers).status_code == 403


def test_a_null_origin_from_our_own_pages_still_needs_the_token(browser):
    assert post(browser, token=False, origin="null", sec_fetch_site="same-origin").status_code == 403


def test_another_site_s_origin_is_refused_whatever_sec_fetch_site_claims(browser):
    response = post(browser, origin="https://jahat.example", sec_fetch_site="same-origin")
    assert response.status_code == 403


@pytest.mark.parametrize("fetch_site", ["cross-site", None])
def test_over_https_a_post_without_referer_from_elsewhere_is_refused(browser, fetch_site):
    headers = {"sec_fetch_site": fetch_site} if fetch_site else {}
    assert post(browser, secure=True, **headers).status_code == 403


def test_over_https_another_site_s_referer_is_refused(browser):
    response = post(browser, secure=True, referer="https://jahat.example/", sec_fetch_site="same-origin")
    assert response.status_code == 403


def test_the_real_origin_of_our_site_is_still_accepted(browser):
    assert post(browser, origin="http://testserver").status_code == 302
