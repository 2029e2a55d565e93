"""NUL and other control characters get a clear 400 on every path, never a 500 (issue 16, item 5).

PostgreSQL refuses a NUL in any text: ``/lapor/cari-asn/?q=%00abc`` reached a query and was
a server error. This walks every URL pattern of the project (each with sample path
arguments, kept when they resolve), as a visitor and as staff, with every query parameter
the views read; run it on both databases.
"""

import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

pytestmark = pytest.mark.django_db

# Every name a view reads from request.GET (grep "request.GET"), and the forms' filters.
PARAMETERS = ("q", "page", "target", "index", "election", "unit", "status", "stage", "state", "region", "agency",
              "kind", "theme", "due", "order", "unread", "issued_from", "issued_until", "start", "end", "regime",
              "step", "known_on", "next", "format", "page_size")
SAMPLES = {"int": "1", "str": "x", "slug": "x", "path": "x", "uuid": "00000000-0000-0000-0000-000000000000"}
REGEX_SAMPLES = {"fmt": "csv", "file_format": "csv"}


def _patterns(patterns, prefix=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def _concrete(pattern: str) -> str:
    url = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: REGEX_SAMPLES.get(m.group(1), "1"), pattern)
    url = re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLES.get(m.group(1) or "str", "x"), url)
    url = url.replace("^", "").replace("$", "").replace("\\", "")
    return "/" + url


def _urls() -> list[str]:
    urls = set()
    for pattern in _patterns(get_resolver().url_patterns):
        url = _concrete(pattern)
        try:
            resolve(url)
        except Resolver404:
            continue
        if not url.startswith(("/static/", "/admin/")):  # the admin is walked below, by its index
            urls.add(url)
    return sorted(urls) + ["/admin/", "/admin/registry/employee/"]


URLS = _urls()


def test_the_walk_covers_the_public_pages():
    assert {"/", "/lapor/", "/lapor/cari-asn/", "/lacak/", "/tindak-lanjut/", "/statistik/",
            "/data/tindak-lanjut.csv"} <= set(URLS)


@pytest.fixture
def compiled_catalog(tmp_path, settings):
    """The current locale/id catalog compiled into a temporary folder, whatever `make` built."""
    target = tmp_path / "locale" / "id" / "LC_MESSAGES"
    target.mkdir(parents=True)
    po = Path(django_settings.BASE_DIR) / "locale" / "id" / "LC_MESSAGES" / "django.po"
    subprocess.run(["msgfmt", "-o", str(target / "django.mo"), str(po)], check=True)
    settings.LOCALE_PATHS = [tmp_path / "locale"]


def test_a_nul_in_the_register_search_is_a_clear_400_in_indonesian(client, rules, compiled_catalog):
    response = client.get("/lapor/cari-asn/?q=%00abc")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Permintaan tidak dapat dipahami" in page and "karakter kontrol" in page


@pytest.mark.parametrize("value", ["%00abc", "abc%01", "%1b[31m", "a%7fb"])
def test_control_characters_in_any_parameter_of_any_page_are_refused(client, rules, value):
    query = "&".join(f"{name}={value}" for name in PARAMETERS)
    answers = {url: client.get(f"{url}?{query}").status_code for url in URLS}
    assert {url: status for url, status in answers.items() if status != 400} == {}


def test_a_nul_in_a_path_argument_is_refused(client, rules):
    for url in ("/hadir/%00abc/", "/ikrar/cek/%00abc/", "/larangan/%00abc/"):
        assert client.get(url).status_code == 400, url


def test_a_nul_in_a_form_field_is_refused(client, staff_beltim, offices):
    client.force_login(staff_beltim)
    response = client.post("/staf/kasus/temuan-baru/", {"place": "Manggar\x00", "summary": "x"})
    assert response.status_code == 400


@pytest.mark.parametrize("who", [None, "staff_beltim", "pemda_beltim", "admin_national"])
@pytest.mark.parametrize("value", ["abc", "-1", "99999999999999999999", "%E2%80%AE", "'%22<>"])
def test_odd_parameter_values_are_never_a_server_error(client, rules, request, who, value):
    if who:
        client.force_login(request.getfixturevalue(who))
    query = "&".join(f"{name}={value}" for name in PARAMETERS)
    errors = [url for url in URLS if client.get(f"{url}?{query}").status_code >= 500]
    assert errors == []


def test_the_api_answers_with_its_own_problem_detail_naming_the_parameter(client, rules):
    response = client.get("/api/v1/regions?parent=19%00&page=1", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and response["Content-Type"].startswith("application/problem+json")
    assert [error["field"] for error in response.json()["errors"]] == ["parent"]
