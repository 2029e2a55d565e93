"""The public follow-up register: what is published, masked, filtered, paginated and downloaded."""

import csv
import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from followup import opendata
from followup.models import Decision, Recommendation
from portal.tests.conftest import REPORTER_NAME, REPORTER_NIK

pytestmark = pytest.mark.django_db

REGISTER = reverse("portal:followup_register")


def _ids(rows):
    return {row.id for row in rows}


def _csv(client, query=""):
    response = client.get(reverse("portal:open_data_register", args=["csv"]) + query)
    assert response.status_code == 200 and response.streaming
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def _json(client, query=""):
    response = client.get(reverse("portal:open_data_register", args=["json"]) + query)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    return json.loads(b"".join(response.streaming_content))


def test_the_register_shows_decided_and_overdue_recommendations_only(client, published):
    response = client.get(REGISTER)
    assert response.status_code == 200
    shown = _ids(response.context["rows"])
    assert shown == {published[key].pk for key in ("sanctioned", "refused", "overdue", "late")}
    page = response.content.decode()
    assert f'id="row-{published["pending"].pk}"' not in page
    statuses = {row.id: row.status for row in response.context["rows"]}
    assert statuses[published["overdue"].pk] == "overdue" and statuses[published["refused"].pk] == "refused"


def test_a_row_carries_the_published_facts(client, published, settings):
    settings.NETRAL_PUBLIC_K_ANONYMITY = 1  # the unit and class shown (the rule: portal/tests/test_disclosure.py)
    rows = {row.id: row for row in client.get(REGISTER).context["rows"]}
    row = rows[published["sanctioned"].pk]
    assert row.agency == "Pemerintah Kabupaten Belitung Timur" and row.unit == "Kecamatan Manggar"
    assert row.position_class == "pengawas" and row.regency == "Kabupaten Belitung Timur"
    assert row.province == "Kepulauan Bangka Belitung"
    assert row.recommended_family == "moral" and row.imposed_sanction_id == "moral-statement-open"
    assert row.imposed_sanction and row.acted_in_time is True and row.decided_on.isoformat() == "2024-12-02"
    assert row.bawaslu_office == "Bawaslu Kabupaten Belitung Timur" and row.election_id == "pilkada-2024"
    late = rows[published["late"].pk]
    assert late.acted_in_time is False and late.imposed_sanction_id == "pns-demotion-12-months"
    assert late.recommended_family == "discipline" and late.recommended_level == "heavy"
    overdue = rows[published["overdue"].pk]
    assert overdue.days_overdue == 1 and overdue.decided_on is None and overdue.acted_in_time is None
    assert overdue.regency == "Kabupaten Bangka" and overdue.employee_kind == "contract"


def test_names_are_masked_by_default(client, published):
    page = client.get(REGISTER).content.decode()
    assert "R*** H******" in page and "Rudi Hartono" not in page and "Bambang" not in page
    assert _csv(client)[0]["reported_person"].count("*") > 0
    assert "Rudi Hartono" not in json.dumps(_json(client))


def test_names_are_published_in_full_when_the_installation_says_so(client, published, settings):
    settings.NETRAL_PUBLISH_NAMES = True
    page = client.get(REGISTER).content.decode()
    assert "Rudi Hartono" in page and "R*** H******" not in page
    assert "Rudi Hartono" in {row["reported_person"] for row in _csv(client)}


PUBLIC_URLS = [
    reverse("portal:home"), REGISTER, REGISTER + "?status=sanctioned", reverse("portal:statistics"),
    reverse("portal:open_data"), reverse("portal:open_data_register", args=["csv"]),
    reverse("portal:open_data_register", args=["json"]), reverse("portal:open_data_statistics", args=["csv"]),
    reverse("portal:open_data_statistics", args=["json"]), reverse("portal:datapackage"),
]


@pytest.mark.parametrize("publish_names", [False, True], ids=["masked", "names-published"])
def test_the_reporter_nip_file_and_internal_texts_never_appear_in_any_public_page_or_download(
        client, published, settings, publish_names):
    settings.NETRAL_PUBLISH_NAMES = publish_names
    decision = Decision.objects.get(recommendation=published["sanctioned"])
    never = [REPORTER_NAME, REPORTER_NIK, published["camat"].nip, decision.file.name, decision.sha256,
             "Pertimbangan internal", "Alasan penolakan", "800/123/BKPSDM/2024", "Joko"]
    for url in PUBLIC_URLS:
        response = client.get(url)
        assert response.status_code == 200, url
        body = (b"".join(response.streaming_content) if response.streaming else response.content).decode()
        for secret in never:
            assert secret not in body, (url, secret)


def test_a_recommendation_becomes_public_once_its_deadline_passes(client, published, time_machine):
    pending = published["pending"]
    assert pending.pk not in _ids(client.get(REGISTER).context["rows"])
    time_machine.move_to("2024-12-10 10:00 +07:00")  # due 9 December
    rows = {row.id: row for row in client.get(REGISTER).context["rows"]}
    assert rows[pending.pk].status == "overdue" and rows[pending.pk].days_overdue == 1


@pytest.mark.parametrize(("query", "expected"), [
    pytest.param("?status=sanctioned", {"sanctioned", "late"}, id="status-sanctioned"),
    pytest.param("?status=refused", {"refused"}, id="status-refused"),
    pytest.param("?status=overdue", {"overdue"}, id="status-overdue"),
    pytest.param("?region=19.01", {"overdue"}, id="regency-bangka"),
    pytest.param("?region=19.06", {"sanctioned", "refused", "late"}, id="regency-beltim"),
    pytest.param("?region=19", {"sanctioned", "refused", "late", "overdue"}, id="province"),
    pytest.param("?election=pilkada-2024&status=overdue", {"overdue"}, id="election-and-status"),
    pytest.param("?election=pemilu-2024", set(), id="other-election"),
])
def test_the_register_filters(client, published, query, expected):
    response = client.get(REGISTER + query)
    assert _ids(response.context["rows"]) == {published[key].pk for key in expected}
    assert {int(row["id"]) for row in _csv(client, query)} == {published[key].pk for key in expected}


def test_the_register_filters_by_agency(client, published, agencies):
    rows = client.get(REGISTER, {"agency": agencies["bangka"].pk}).context["rows"]
    assert _ids(rows) == {published["overdue"].pk}


def test_an_unknown_filter_value_is_explained_not_a_server_error(client, published):
    response = client.get(REGISTER, {"region": "99.99", "status": "hilang"})
    assert response.status_code == 200
    assert response.context["form"].errors and len(response.context["rows"]) == 4


def _copies(recommendation: Recommendation, count: int) -> None:
    """Copies of a real published recommendation (a query count needs many rows, not many cases)."""
    violations = list(recommendation.violations.all())
    decision = Decision.objects.filter(recommendation=recommendation).first()
    for _number in range(count):
        copy = Recommendation.objects.get(pk=recommendation.pk)
        copy.pk, copy.person = None, None
        copy.save()
        copy.violations.set(violations)
        if decision is not None:
            Decision.objects.create(recommendation=copy, outcome=decision.outcome, sanction=decision.sanction,
                                    sanction_family=decision.sanction_family, sanction_level=decision.sanction_level,
                                    letter_number=decision.letter_number, letter_date=decision.letter_date,
                                    recorded_by=decision.recorded_by)


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200
    return len(queries)


def test_the_register_page_query_count_does_not_grow_with_its_rows(client, published):
    two = REGISTER + "?status=sanctioned"
    few = _queries(client, two)
    assert len(client.get(two).context["rows"]) == 2
    _copies(published["sanctioned"], 14)
    _copies(published["late"], 14)
    assert len(client.get(two).context["rows"]) == 25  # a full page of 30 rows
    assert _queries(client, two) == few
    assert _queries(client, two + "&page=2") == few


def test_the_downloads_hold_the_same_rows_as_the_page(client, published):
    rows = client.get(REGISTER).context["rows"]
    expected = [{name: str(opendata.csv_cell(value)) for name, value in opendata.register_record(row).items()}
                for row in rows]
    assert _csv(client) == expected
    expected_json = [{name: opendata.json_value(value) for name, value in opendata.register_record(row).items()}
                     for row in rows]
    assert _json(client) == expected_json
    page = client.get(REGISTER).content.decode()
    for row in rows:
        assert row.name in page and row.agency in page and row.status_label in page


def test_the_register_is_paginated(client, published):
    _copies(published["refused"], 30)
    first = client.get(REGISTER)
    assert len(first.context["rows"]) == 25 and first.context["page"].paginator.count == 34
    second = client.get(REGISTER, {"page": 2})
    assert len(second.context["rows"]) == 9
    assert not _ids(first.context["rows"]) & _ids(second.context["rows"])
    assert len(_csv(client)) == 34  # the download is not paginated


def test_the_register_page_is_accessible_and_mobile_first(client, published):
    page = client.get(REGISTER).content.decode()
    assert "<caption>" in page and 'scope="col"' in page and 'scope="row"' in page
    assert 'data-label="' in page and 'name="viewport"' in page
    assert "<script>" not in page and " onclick=" not in page


def test_the_portal_links_the_new_pages(client, rules):
    home = client.get(reverse("portal:home")).content.decode()
    for name in ("portal:followup_register", "portal:statistics", "portal:open_data"):
        assert f'href="{reverse(name)}"' in home


def test_a_staff_session_without_its_second_factor_still_reads_the_public_pages(client, published, staff_beltim):
    from accounts.tests.otp import log_in

    log_in(client, "staf.beltim", REMOTE_ADDR="10.0.0.9")  # the password only, no code yet
    assert client.get(reverse("cases:list")).status_code == 302  # staff pages ask for the code
    for url in (REGISTER, reverse("portal:statistics"), reverse("portal:open_data"), reverse("portal:datapackage")):
        assert client.get(url).status_code == 200, url
