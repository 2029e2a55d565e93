"""GET /api/v1/assessment: the fixed contract of what the law says about one act, person and date."""

import pytest

from rules.assessment import assess
from rules.catalog import default_catalog

pytestmark = pytest.mark.django_db

URL = "/api/v1/assessment"


def get(client, language=None, **params):
    headers = {"HTTP_ACCEPT_LANGUAGE": language} if language else {}
    return client.get(URL, params, **headers)


def test_a_pppk_banner_after_the_candidates_are_determined_is_a_discipline_breach_for_bkn(client):
    body = get(client, act="banner-support", subject="pppk", date="2024-10-01", regime="pilkada").json()
    assert body["family"] == "discipline" and body["route"] == "bkn" and body["applicable"] is True
    assert {"id", "title", "level"} <= set(body["sanctions"][0])
    assert "pppk-contract-termination" in [sanction["id"] for sanction in body["sanctions"]]
    assert body["stage"] == {"id": "candidate_determination", "start": "2024-09-22", "before": False}
    assert body["legal_bases"] and body["verified"] is False
    assert body["explanation"].startswith("Bagi Pegawai Pemerintah dengan Perjanjian Kerja (PPPK)")


def test_the_same_banner_before_the_candidates_are_determined_is_an_ethics_breach(client):
    body = get(client, "en", act="banner-support", subject="pppk", date="2024-09-01", regime="pilkada").json()
    assert body["family"] == "ethics"
    assert [sanction["id"] for sanction in body["sanctions"]] == ["moral-statement-closed", "moral-statement-open"]
    assert body["explanation"].startswith("For Government employee on contract (PPPK)")


def test_a_village_head_goes_to_the_regent_never_to_bkn(client):
    body = get(client, act="village-campaign-involvement", subject="village_head", date="2024-10-01",
               regime="pilkada").json()
    assert body["route"] == "regional-head" and body["route_outcome"] == "forwarded_other"
    body = get(client, act="social-media-campaign", subject="village_head", date="2024-10-01",
               regime="pilkada").json()
    assert body["applicable"] is False and body["route"] is None and body["sanctions"] == []


def test_the_decision_date_picks_kasn_or_bkn(client):
    common = {"act": "campaign-with-attributes", "subject": "pns", "date": "2024-08-01", "regime": "pilkada"}
    assert get(client, **common, on="2024-08-23").json()["route"] == "kasn"
    assert get(client, **common).json()["route"] == "kasn"  # on defaults to date
    assert get(client, **common, on="2024-08-24").json()["route"] == "bkn"


def test_the_endpoint_answers_exactly_what_the_staff_function_answers(client):
    for act in ("party-membership", "partisan-photo", "money-politics"):
        body = get(client, act=act, subject="pppk", date="2024-10-01", regime="pilkada").json()
        answer = assess(default_catalog(), act=act, subject="pppk", regime="pilkada",
                        act_date=__import__("datetime").date(2024, 10, 1))
        assert [sanction["id"] for sanction in body["sanctions"]] == [sanction.id for sanction in answer.sanctions]


@pytest.mark.parametrize(("params", "field"), [
    ({"act": "no-such-act", "subject": "pns", "date": "2024-10-01", "regime": "pilkada"}, "act"),
    ({"act": "banner-support", "subject": "mayor", "date": "2024-10-01", "regime": "pilkada"}, "subject"),
    ({"act": "banner-support", "subject": "pns", "date": "2024-10-01", "regime": "pemilihan"}, "regime"),
    ({"act": "banner-support", "subject": "pns", "date": "2024-02-30", "regime": "pilkada"}, "date"),
    ({"act": "banner-support", "subject": "pns", "date": "2024-10-01T00:00", "regime": "pilkada"}, "date"),
    ({"act": "banner-support", "subject": "pns", "regime": "pilkada"}, "date"),
    ({"subject": "pns", "date": "2024-10-01", "regime": "pilkada"}, "act"),
    ({"act": "banner-support", "subject": "pns", "date": "2024-10-01", "regime": "pilkada", "on": "x"}, "on"),
])
def test_a_bad_or_missing_parameter_is_a_400_problem_detail(client, params, field):
    response = get(client, **params)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert [error["field"] for error in response.json()["errors"]] == [field]


def test_the_endpoint_is_in_the_openapi_schema(client):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/assessment"]["get"]
    assert {parameter["name"] for parameter in operation["parameters"]} == {"act", "subject", "date", "regime", "on"}
    assert "400" in operation["responses"]
