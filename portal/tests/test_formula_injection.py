"""A formula typed by a reporter reaches the open data as text, never as a cell a spreadsheet runs."""

import csv
import io
import json

import pytest
from django.urls import reverse

from followup.tests.conftest import forward_case
from portal.tests.conftest import _recommend

pytestmark = pytest.mark.django_db

PAYLOAD = "=cmd|' /C calc'!A0"
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def refused_with_a_formula(time_machine, places, offices, agencies, rules, staff_beltim, lead_beltim, ppk_beltim,
                           authority_bkn, settings):
    """A refused recommendation about a person whose name and unit the reporter typed as a formula."""
    from followup.models import Recommendation
    from followup.services import decision_record
    from organizations.models import Unit
    from registry.factories import EmployeeFactory
    from reports.services import ReportedPersonInput
    from rules.models import Election

    settings.NETRAL_PUBLISH_NAMES = True
    # The unit is published only where the register has enough holders of the class there (one, here).
    settings.NETRAL_PUBLIC_K_ANONYMITY = 1
    EmployeeFactory(agency=agencies["beltim"], unit=Unit.objects.create(agency=agencies["beltim"], name=PAYLOAD),
                    position="Staf")
    time_machine.move_to("2024-12-02 10:00 +07:00")
    case = forward_case(region=places["manggar"], election=Election.objects.get(pk="pilkada-2024"),
                        staff=staff_beltim, lead=lead_beltim,
                        persons=[ReportedPersonInput(name=PAYLOAD, position="Staf", unit=PAYLOAD)])
    recommendation = _recommend(Recommendation.objects.get(case=case, stage="authority"), authority_bkn,
                                agencies["beltim"])
    decision_record(recommendation=recommendation, actor=ppk_beltim, outcome="refused",
                    reason="Alasan penolakan PPK yang cukup panjang untuk dicatat.")
    time_machine.move_to("2024-12-06 10:00 +07:00")
    return recommendation


def test_a_reporter_s_formula_is_a_text_cell_in_the_open_data_csv(client, refused_with_a_formula):
    response = client.get(reverse("portal:open_data_register", args=["csv"]))
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 1
    assert rows[0]["reported_person"] == "'" + PAYLOAD and rows[0]["unit"] == "'" + PAYLOAD
    assert not [value for row in rows for value in row.values() if value.startswith(TRIGGERS)]


def test_the_json_keeps_what_was_typed(client, refused_with_a_formula):
    response = client.get(reverse("portal:open_data_register", args=["json"]))
    data = json.loads(b"".join(response.streaming_content))
    assert data[0]["unit"] == PAYLOAD
