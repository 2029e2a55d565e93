"""Gzip only where it cannot leak a secret (BREACH, netral/compression.py), and pre-compressed static files."""

import gzip
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import resolve, reverse

from netral.compression import compressible
from reports.tests.conftest import election, report_data  # noqa: F401  (the report form's valid POST)

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}
CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def _request(path, *, method="get", user=None):
    request = getattr(RequestFactory(), method)(path)
    request.resolver_match = resolve(path)
    request.user = user or AnonymousUser()
    return request


@pytest.mark.parametrize(
    ("path", "method", "status", "content_type", "expected"),
    [
        pytest.param("/", "get", 200, "text/html; charset=utf-8", True, id="public-page"),
        pytest.param("/", "head", 200, "text/html; charset=utf-8", True, id="head"),
        pytest.param("/lapor/", "get", 200, "text/html; charset=utf-8", True, id="report-form"),
        pytest.param("/manifest.webmanifest", "get", 200, "application/manifest+json", True, id="manifest"),
        pytest.param(
            "/lapor/", "post", 200, "text/html; charset=utf-8", False, id="receipt-is-a-post-answer"
        ),
        pytest.param("/lapor/", "get", 400, "text/html; charset=utf-8", False, id="not-a-200"),
        pytest.param("/lacak/status/", "get", 200, "text/html; charset=utf-8", False, id="tracking-status"),
        pytest.param("/staf/laporan/", "get", 200, "text/html; charset=utf-8", False, id="staff-page"),
        pytest.param("/data/tindak-lanjut.csv", "get", 200, "text/csv", True, id="open-data"),
        pytest.param("/pengumuman/1/surat.pdf", "get", 200, "application/pdf", False, id="a-file"),
    ],
)
def test_compression_rule(path, method, status, content_type, expected):
    response = HttpResponse(status=status, content_type=content_type)
    assert compressible(_request(path, method=method), response) is expected


def test_nothing_is_compressed_for_a_logged_in_user(staff_beltim):
    response = HttpResponse(content_type="text/html")
    assert compressible(_request("/", user=staff_beltim), response) is False


@pytest.mark.django_db
def test_a_public_page_is_gzipped_with_random_padding(client):
    first, second = client.get("/", **GZIP), client.get("/", **GZIP)
    assert first["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in first["Vary"]
    assert b"<html" in gzip.decompress(first.content)
    # Heal the Breach (Django's GZipMiddleware): the length varies from response to response.
    sizes = {len(client.get("/", **GZIP).content) for _ in range(8)} | {
        len(first.content),
        len(second.content),
    }
    assert len(sizes) > 1


@pytest.mark.django_db
def test_the_report_form_is_gzipped_and_its_tokens_differ_in_every_response(client, places, offices):
    pages = [gzip.decompress(client.get(reverse("reports:submit"), **GZIP).content) for _ in range(2)]
    # What makes compressing the form safe: its secrets are new in each response (Django masks
    # the CSRF token anew for each response; the submission token is new on each GET).
    tokens = [CSRF_FIELD.findall(page) for page in pages]
    assert tokens[0] and tokens[1] and not set(tokens[0]) & set(tokens[1])
    submission = [re.search(rb'name="submission_token" value="([^"]+)"', page).group(1) for page in pages]
    assert submission[0] != submission[1]


@pytest.mark.django_db
def test_the_receipt_with_the_tracking_code_is_not_compressed(client, report_data):
    response = client.post(reverse("reports:submit"), report_data, **GZIP)
    assert response.status_code == 200 and response.context["code"]
    assert "Content-Encoding" not in response
    first_group = response.context["code"].split("-")[0]
    assert f'<span class="code-group">{first_group}</span>'.encode() in response.content


@pytest.mark.django_db
def test_a_staff_page_and_a_public_page_seen_by_staff_are_not_compressed(client, staff_beltim):
    client.force_login(staff_beltim)
    for name in ("reports:inbox", "portal:home"):
        response = client.get(reverse(name), **GZIP)
        assert response.status_code == 200
        assert "Content-Encoding" not in response, name


@pytest.mark.django_db
def test_a_browser_that_does_not_ask_for_gzip_gets_plain_html(client):
    response = client.get("/")
    assert "Content-Encoding" not in response and b"<html" in response.content


def test_production_static_files_are_served_precompressed(settings, tmp_path):
    """NETRAL_STATIC_MANIFEST=1's storage writes .br and .gz beside each hashed file, and WhiteNoise
    serves the smaller one the browser accepts (our own files only: collecting every app's is slow)."""
    from whitenoise.middleware import WhiteNoiseMiddleware

    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.WHITENOISE_USE_FINDERS = False
    settings.WHITENOISE_AUTOREFRESH = False
    call_command("collectstatic", interactive=False, verbosity=0)
    hashed = next((tmp_path / "static" / "css").glob("netral.*.css"))
    assert hashed.with_name(hashed.name + ".br").exists() and hashed.with_name(hashed.name + ".gz").exists()

    whitenoise = WhiteNoiseMiddleware(lambda request: HttpResponse(status=404))
    path = f"/static/css/{hashed.name}"
    brotli = whitenoise(RequestFactory().get(path, HTTP_ACCEPT_ENCODING="gzip, deflate, br"))
    plain = whitenoise(RequestFactory().get(path))
    assert brotli.status_code == plain.status_code == 200
    assert brotli["Content-Encoding"] == "br"
    assert int(brotli["Content-Length"]) < int(plain["Content-Length"]) / 3
    assert "immutable" in brotli["Cache-Control"]
