"""Issue 19: the partner API gets the stage rule of the one intake service."""

import pytest
from django.utils import translation

from api.tests.test_partner_reports import fields, post
from api.tokens import token_create
from reports.models import Report
from reports.states import OUTSIDE_STAGES_EXPLANATION

pytestmark = pytest.mark.django_db


@pytest.fixture
def token(pemda_beltim, admin_national, offices, rules):
    return token_create(actor=admin_national, user=pemda_beltim, name="SILAPOR ASN Beltim",
                        scopes=["reports:submit"], days=30)[1]


def test_an_event_outside_every_stage_is_refused_with_the_reason_on_its_field(client, places, token):
    response = post(client, token, "outside-0001", fields(places, occurred_on="2025-06-01", known_on="2025-06-02"))
    assert response.status_code == 400
    assert [error["field"] for error in response.json()["errors"]] == ["as_information"]
    assert not Report.objects.exists()


def test_sent_as_information_it_is_kept_and_its_status_says_why(client, places, token):
    response = post(client, token, "outside-0002",
                    fields(places, occurred_on="2025-06-01", known_on="2025-06-02", as_information="true"))
    assert response.status_code == 201, response.content
    report = Report.objects.get()
    assert report.status == "information" and report.outside_stages
    status = client.get(response.json()["status_url"], HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert status["status"] == "information"
    assert status["explanation"] in {explained(language) for language in ("id", "en")}


def explained(language):
    with translation.override(language):
        return str(OUTSIDE_STAGES_EXPLANATION)
