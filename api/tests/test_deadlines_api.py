"""GET /api/v1/deadlines: the deadline engine of the cases, public, as JSON.

Expected dates are counted by hand from rules/data/holidays.yaml and deadlines.yaml.
"""

import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

pytestmark = pytest.mark.django_db

URL = "/api/v1/deadlines"


def get(client, language=None, **params):
    headers = {"HTTP_ACCEPT_LANGUAGE": language} if language else {}
    return client.get(URL, params, **headers)


@pytest.mark.parametrize(("regime", "step", "start", "due", "day_kind", "days", "skipped"), [
    # Fri 22 Nov 2024 is day 0; Sat 23, Sun 24, Wed 27 (Pilkada voting day, a holiday), Sat 30
    # and Sun 1 Dec are skipped: 25, 26, 28, 29 Nov, 2, 3, 4 Dec are days 1 to 7.
    ("pemilu", "report", "2024-11-22", "2024-12-04", "working", 7, [
        "23 November 2024 (Sabtu)", "24 November 2024 (Minggu)",
        "27 November 2024 (Pemungutan suara Pilkada serentak)",
        "30 November 2024 (Sabtu)", "1 Desember 2024 (Minggu)",
    ]),
    # Fri 5 Apr 2024 is day 0; the weekend, Eid (10-11 Apr) and its collective leave (8, 9, 12,
    # 15 Apr) and the next weekend are skipped: 16-19 Apr are days 1-4, 22-24 Apr days 5-7.
    ("pemilu", "report", "2024-04-05", "2024-04-24", "working", 7, [
        "6 April 2024 (Sabtu)", "7 April 2024 (Minggu)",
        "8 April 2024 (Cuti bersama Idulfitri)", "9 April 2024 (Cuti bersama Idulfitri)",
        "10 April 2024 (Idulfitri)", "11 April 2024 (Idulfitri (hari kedua))",
        "12 April 2024 (Cuti bersama Idulfitri)", "13 April 2024 (Sabtu)", "14 April 2024 (Minggu)",
        "15 April 2024 (Cuti bersama Idulfitri)", "20 April 2024 (Sabtu)", "21 April 2024 (Minggu)",
    ]),
    # Calendar days: nothing is skipped, not even the weekend of 16-17 Nov 2024.
    ("pilkada", "study", "2024-11-12", "2024-11-15", "calendar", 3, []),
    ("pilkada", "study_extended", "2024-11-12", "2024-11-17", "calendar", 5, []),
])
def test_the_deadline_is_counted_like_the_cases_count_it(client, regime, step, start, due, day_kind, days,
                                                         skipped):
    response = get(client, regime=regime, step=step, start=start)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["regime"] == regime and body["step"] == step and body["start"] == start
    assert body["due"] == due
    assert body["day_kind"] == day_kind
    assert body["days"] == days
    assert body["explanation"] == skipped
    assert body["verified"] is True
    assert body["citation"] and body["title"]


def test_the_answer_cites_the_rule_and_sums_up_the_count_in_indonesian(client):
    body = get(client, regime="pemilu", step="report", start="2024-11-22").json()
    assert body["citation"] == "UU 7/2017 Pasal 454 ayat (6)"
    assert body["title"] == "Batas waktu menyampaikan laporan (Pemilu)"
    assert body["summary"].endswith("Batas akhir: Rabu, 4 Desember 2024.")


def test_the_answer_is_in_english_when_the_client_asks_for_it(client):
    response = get(client, "en-GB,en;q=0.9,id;q=0.5", regime="pemilu", step="report", start="2024-11-22")
    body = response.json()
    assert response["Content-Language"] == "en"
    assert body["title"] == "Time limit to file a report (general election)"
    assert "27 November 2024 (Simultaneous regional election voting day)" in body["explanation"]
    assert body["summary"].endswith("Due: Wednesday, 4 December 2024.")


@pytest.mark.parametrize("regime", ["pemilu", "pilkada"])
def test_the_completion_step_is_marked_as_not_verified(client, regime):
    body = get(client, regime=regime, step="completion", start="2024-11-22").json()
    assert body["verified"] is False


BAD_REQUESTS = [
    # (parameters, field, Indonesian message, English message)
    ({"regime": "pemilihan", "step": "report", "start": "2024-11-22"}, "regime",
     "Rezim pemilihan tidak dikenal: gunakan pemilu, pilkada.",
     "Unknown election regime: use pemilu, pilkada."),
    ({"regime": "pemilu", "step": "appeal", "start": "2024-11-22"}, "step",
     "Tahap tidak dikenal: gunakan report, finding, initial_study, completion, study, study_extended.",
     "Unknown step: use report, finding, initial_study, completion, study, study_extended."),
    ({"regime": "pemilu", "step": "report", "start": "2024-02-30"}, "start",
     "Tanggal tidak valid: berikan tanggal yang ada di kalender dengan format YYYY-MM-DD, "
     "misalnya 2024-11-22.",
     "Not a valid date: give a real calendar day as YYYY-MM-DD, for example 2024-11-22."),
    ({"regime": "pemilu", "step": "report"}, "start",
     "Berikan tanggal mulai (hari ke-0) dengan format YYYY-MM-DD.",
     "Give the start date (day 0) as YYYY-MM-DD."),
]


@pytest.mark.parametrize(("params", "field", "indonesian", "english"), BAD_REQUESTS)
@pytest.mark.parametrize("language", [None, "en"])
def test_a_bad_parameter_answers_a_400_problem_detail_in_the_clients_language(client, params, field, indonesian,
                                                                              english, language):
    response = get(client, language, **params)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert set(body) >= {"type", "title", "status", "detail", "errors"}
    assert body["status"] == 400
    assert body["type"] == "about:blank"
    assert body["title"] == ("Bad Request" if language == "en" else "Permintaan Tidak Valid")
    message = english if language == "en" else indonesian
    assert body["errors"] == [{"field": field, "message": message}]
    assert message in body["detail"]
    assert response["Content-Language"] == (language or "id")


@pytest.mark.parametrize("start", ["20241122", "1732233600", "2024-11-22T00:00:00", "22-11-2024", "2024-11-22\n"])
def test_a_start_date_in_any_other_form_than_yyyy_mm_dd_is_refused(client, start):
    response = get(client, regime="pemilu", step="report", start=start)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "start"


def test_a_date_too_late_to_count_from_answers_a_400_not_a_500(client):
    response = get(client, regime="pilkada", step="report", start="9999-12-30")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "start"


def test_every_bad_parameter_is_listed_at_once(client):
    body = client.get(URL).json()
    assert [error["field"] for error in body["errors"]] == ["regime", "step", "start"]


def test_the_endpoint_needs_no_login_no_session_and_sets_no_cookie(client):
    response = get(client, regime="pemilu", step="report", start="2024-11-22")
    assert response.status_code == 200
    assert not response.cookies
    assert "Accept-Language" in response["Vary"]


def test_the_endpoint_is_read_only(client):
    response = client.post(f"{URL}?regime=pemilu&step=report&start=2024-11-22")
    assert response.status_code == 405


def test_the_openapi_schema_is_served_and_lists_the_endpoint(client):
    response = client.get(reverse("api:openapi-json"))
    assert response.status_code == 200
    assert response.request["PATH_INFO"] == "/api/v1/openapi.json"
    schema = response.json()
    assert schema["info"]["title"] == "Netral API"
    assert schema["info"]["version"] == "1"
    operation = schema["paths"]["/api/v1/deadlines"]["get"]
    assert {parameter["name"] for parameter in operation["parameters"]} == {"regime", "step", "start"}
    assert "application/problem+json" in operation["responses"]["400"]["content"]


def test_the_docs_page_loads_every_asset_from_this_site(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]*)"', page)
    assert assets, "the docs page loads Swagger UI"
    for asset in assets:
        assert asset.startswith("/static/"), f"{asset} does not come from our own static files"
        assert finders.find(asset.removeprefix("/static/")), f"{asset} is not among our static files"
    assert "http://" not in page and "https://" not in page and "//cdn" not in page
    assert '"validatorUrl": null' in page  # no validator badge from swagger.io
