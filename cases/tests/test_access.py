"""Who may open what: every role against every case and report page, across two regencies and a province."""

import pytest
from django.urls import reverse

from cases.services import case_register_report
from cases.tests.conftest import all_met, file_report

pytestmark = pytest.mark.django_db

# username -> expected status for a case or report of Belitung Timur.
EXPECTED = {
    "staf.beltim": 200,       # the regency's own staff
    "ketua.beltim": 200,      # its leadership
    "staf.babel": 200,        # the province above it
    "staf.bangka": 404,       # another regency: as if it did not exist
    "bkpsdm.beltim": 403,     # Pemda personnel staff: not Bawaslu's case file
    "ppk.beltim": 403,        # the PPK sees recommendations (follow-up issue), not cases
    "bkn": 403,               # the civil-service authority likewise
    "admin.nasional": 403,    # an administrator without an office handles no case
}


@pytest.fixture
def case(cast, report_beltim, staff_beltim):
    return case_register_report(report=report_beltim, actor=staff_beltim, checks=all_met())


@pytest.mark.parametrize(("username", "expected"), EXPECTED.items())
@pytest.mark.parametrize("page", ["case_detail", "report_detail", "register", "finding"])
def test_every_role_reaches_only_what_its_jurisdiction_allows(client, cast, case, places, election, page,
                                                             username, expected):
    anonymous = file_report(places["manggar"], election, anonymous=True)
    url = {
        "case_detail": case.get_absolute_url(),
        "report_detail": case.case_reports.get().report.get_absolute_url(),
        "register": reverse("cases:register_report", args=[file_report(places["manggar"], election).pk]),
        "finding": reverse("cases:finding_from_report", args=[anonymous.pk]),
    }[page]
    client.force_login(cast[username])
    assert client.get(url).status_code == expected


@pytest.mark.parametrize(("username", "expected"), EXPECTED.items())
def test_every_role_sees_only_its_jurisdiction_in_the_lists(client, cast, case, username, expected):
    client.force_login(cast[username])
    for url in (reverse("cases:list"), reverse("reports:inbox")):
        response = client.get(url)
        if expected == 403:
            assert response.status_code == 403
        else:
            assert response.status_code == 200
            assert (case.number in response.content.decode() or
                    case.case_reports.get().report.number in response.content.decode()) is (expected == 200)
