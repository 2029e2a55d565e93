"""The browser tab says which page it is, then the site, with a separator between them."""

import re

import pytest
from django.urls import reverse

from netral.pages import page_title


def test_a_page_title_and_the_site_are_separated():
    assert page_title("Statistik") == "Statistik · Netral"
    assert page_title("  Laporan\n  0001 ") == "Laporan 0001 · Netral"
    assert page_title("") == "Netral"


@pytest.mark.django_db
@pytest.mark.parametrize("name, expected", [("portal:statistics", "Statistik · Netral"),
                                            ("portal:home", "Jaga netralitas ASN · Netral")])
def test_the_public_pages_carry_the_separator(client, name, expected):
    html = client.get(reverse(name), HTTP_ACCEPT_LANGUAGE="id").content.decode()
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()
    assert title == expected
