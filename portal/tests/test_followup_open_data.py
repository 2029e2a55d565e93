"""Open data: the page with its data dictionary and the Frictionless data package, checked by hand.

The descriptor is checked against the Data Package and Table Schema specs for what we use
(https://specs.frictionlessdata.io/data-package/, /table-schema/): required properties,
absolute resource paths that resolve, and every CSV header and cell against its field.
"""

import csv
import io
import re
from datetime import date
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils.html import escape

from followup import opendata

pytestmark = pytest.mark.django_db

NAME = re.compile(r"^[a-z0-9._-]+$")  # Data Package "name": lower case, digits, ".", "_", "-"


def test_the_page_lists_the_datasets_with_their_dictionary_in_both_languages(client, rules):
    page = client.get(reverse("portal:open_data")).content.decode()
    for dataset in opendata.DATASETS:
        assert f'id="dictionary-{dataset.slug}"' in page
        for field in dataset.fields:
            assert f"<code>{field.name}</code>" in page
            assert escape(field.description_en) in page and escape(field.description_id) in page
    assert reverse("portal:datapackage") in page and "CC-BY-4.0" in page
    assert reverse("portal:open_data_register", args=["csv"]) in page
    assert reverse("portal:open_data_statistics", args=["json"]) in page


def _cell_ok(value: str, kind: str) -> bool:
    if value == "":  # the missing value
        return True
    if kind == "integer":
        return re.fullmatch(r"-?\d+", value) is not None
    if kind == "date":
        try:
            date.fromisoformat(value)
        except ValueError:
            return False
        return len(value) == 10
    if kind == "boolean":
        return value in {"true", "false"}
    return kind == "string"


def test_the_data_package_describes_the_csv_files_exactly(client, published):
    response = client.get(reverse("portal:datapackage"))
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    package = response.json()
    assert NAME.match(package["name"]) and package["title"] and package["profile"] == "tabular-data-package"
    assert package["licenses"] == [{"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0",
                                    "path": "https://creativecommons.org/licenses/by/4.0/"}]
    assert {resource["name"] for resource in package["resources"]} == {"follow-up-register", "statistics"}
    for resource in package["resources"]:
        assert NAME.match(resource["name"])
        assert resource["format"] == "csv" and resource["mediatype"] == "text/csv"
        url = urlsplit(resource["path"])
        assert url.scheme == "http" and url.netloc == "testserver"  # absolute
        fields = resource["schema"]["fields"]
        assert all({"name", "type", "description"} <= set(field) for field in fields)
        download = client.get(url.path)
        assert download.status_code == 200 and download["Content-Type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode())))
        assert rows[0] == [field["name"] for field in fields]
        assert len(rows) > 1
        for row in rows[1:]:
            assert len(row) == len(fields)
            for value, field in zip(row, fields):
                assert _cell_ok(value, field["type"]), (resource["name"], field["name"], value)


def test_the_licence_is_an_installation_setting(client, rules, settings):
    settings.NETRAL_OPEN_DATA_LICENSE = "CC0-1.0"
    package = client.get(reverse("portal:datapackage")).json()
    assert package["licenses"][0]["name"] == "CC0-1.0" and "publicdomain/zero" in package["licenses"][0]["path"]
    settings.NETRAL_OPEN_DATA_LICENSE = "Lisensi-Daerah-1"
    assert client.get(reverse("portal:datapackage")).json()["licenses"] == [
        {"name": "Lisensi-Daerah-1", "title": "Lisensi-Daerah-1"}]


def test_downloads_are_streamed_attachments_readable_by_other_sites(client, published):
    for name in ("portal:open_data_register", "portal:open_data_statistics"):
        for fmt in ("csv", "json"):
            response = client.get(reverse(name, args=[fmt]))
            assert response.streaming, (name, fmt)
            assert response["Content-Disposition"].endswith(f'.{fmt}"')
            assert response["Access-Control-Allow-Origin"] == "*"


def test_an_unknown_format_is_not_found(client, rules):
    assert client.get("/data/tindak-lanjut.xml").status_code == 404
    assert client.get("/data/statistik.exe").status_code == 404


def test_an_empty_register_downloads_as_a_header_and_an_empty_list(client, rules):
    response = client.get(reverse("portal:open_data_register", args=["csv"]))
    assert b"".join(response.streaming_content).decode().strip() == ",".join(opendata.REGISTER.header)
    response = client.get(reverse("portal:open_data_register", args=["json"]))
    assert b"".join(response.streaming_content).decode().strip() == "[\n]"


def test_the_pages_render_before_anything_is_published(client, rules):
    for name in ("portal:followup_register", "portal:statistics", "portal:open_data"):
        assert client.get(reverse(name)).status_code == 200, name
    assert client.get(reverse("portal:followup_register")).context["page"].paginator.count == 0


def test_labels_follow_the_reader_language_and_codes_stay(client, published, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    rows = client.get(reverse("portal:followup_register"), {"status": "sanctioned"}).context["rows"]
    assert {row.status_label for row in rows} == {"Sanction imposed"}
    assert {row.status for row in rows} == {"sanctioned"}
    late = next(row for row in rows if row.recommended_level == "heavy")
    assert late.recommended_sanction == "Disciplinary sanction (heavy)"
    assert late.imposed_sanction == "Demotion by one level for 12 months"
