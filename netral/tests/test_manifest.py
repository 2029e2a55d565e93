"""The web app manifest (netral/pwa.py): valid, linked from every page, its icons there and served."""

import json
import re
from pathlib import Path

import pytest
from django.urls import reverse
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent.parent
pytestmark = pytest.mark.django_db


@pytest.fixture
def manifest(client):
    response = client.get(reverse("web_manifest"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/manifest+json")
    return json.loads(response.content)


def test_the_manifest_names_netral_and_opens_the_home_page_standalone(manifest):
    assert manifest["name"] == manifest["short_name"] == "Netral"
    assert manifest["start_url"] == "/" and manifest["display"] == "standalone"
    assert manifest["lang"] == "id"


def test_the_theme_colour_is_the_stylesheet_s_brand_colour(manifest):
    css = (ROOT / "static" / "css" / "netral.css").read_text(encoding="utf-8")
    assert manifest["theme_color"] == re.search(r"--brand:\s*(#[0-9a-f]{6})", css).group(1)


def test_every_icon_is_a_png_of_its_declared_size_and_is_served(manifest, client):
    assert {icon["sizes"] for icon in manifest["icons"]} >= {"192x192", "512x512"}
    assert any(icon["purpose"] == "maskable" for icon in manifest["icons"])
    for icon in manifest["icons"]:
        path = ROOT / "static" / icon["src"].removeprefix("/static/")
        with Image.open(path) as image:
            assert image.format == "PNG" and f"{image.width}x{image.height}" == icon["sizes"]
        assert path.stat().st_size < 8_000  # small: a phone fetches them on a slow connection
        response = client.get(icon["src"])
        assert response.status_code == 200 and response["Content-Type"] == "image/png"


def test_every_page_links_the_manifest(client):
    page = client.get(reverse("portal:home")).content.decode()
    assert f'<link rel="manifest" href="{reverse("web_manifest")}">' in page
    assert '<meta name="theme-color" content="#0b5d3b">' in page
