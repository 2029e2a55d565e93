"""The staff landing page ("/staf/"): Bawaslu staff and leadership, administrators, the login's
landing, the header's log-out, each regency seeing only its own, and a fixed number of queries."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.services import case_propose, case_register_report, case_start_study
from cases.tests.conftest import all_met, election, file_report  # noqa: F401 (election: a fixture)
from reports.services import report_change_status

pytestmark = pytest.mark.django_db
HOME = reverse("portal:staff_home")


@pytest.fixture(autouse=True)
def _during_the_pilkada(time_machine):
    time_machine.move_to("2024-11-12 10:00 +07:00")


def _case(places, election, staff, region="manggar", name="Budi Santoso"):
    report = report_change_status(report=file_report(places[region], election, name=name), actor=staff,
                                  to_status="in_review")
    return case_register_report(report=report, actor=staff, checks=all_met())


@pytest.fixture
def beltim_work(places, election, staff_beltim):
    """In Belitung Timur: a new report, an open case (due soon, then overdue) and a proposed decision."""
    new = file_report(places["manggar"], election, name="Andi Wijaya")
    case = _case(places, election, staff_beltim, name="Citra Lestari")
    proposed = case_start_study(case=_case(places, election, staff_beltim, name="Dedi Kurnia"), actor=staff_beltim)
    proposed = case_propose(case=proposed, actor=staff_beltim, outcome="not_violation", legal_analysis="Analisis.",
                            conclusion="Tidak terbukti.", violations=[], reason="Bukan ASN.")
    return {"new": new, "case": case, "proposed": proposed}


@pytest.fixture
def bangka_work(places, election, staff_bangka):
    return {"new": file_report(places["sungailiat"], election, name="Eko Prasetyo"),
            "case": _case(places, election, staff_bangka, region="sungailiat", name="Fajar Nugraha")}


@pytest.mark.parametrize("username", ["staf.beltim", "ketua.beltim", "bkpsdm.beltim", "ppk.beltim", "bkn",
                                      "admin.nasional"])
def test_every_role_lands_on_the_summary_after_logging_in(client, cast, username):
    client.force_login(cast[username])
    response = client.get(reverse("accounts:home"))
    assert response.status_code == 302 and response["Location"] == HOME
    assert client.get(HOME).status_code == 200


def test_the_summary_needs_a_login(client):
    response = client.get(HOME)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))


def test_bawaslu_staff_see_new_reports_due_cases_and_decisions_awaiting_approval(
        client, staff_beltim, beltim_work, time_machine):
    case = beltim_work["case"]
    time_machine.move_to(f"{case.due_on:%Y-%m-%d} 09:00 +07:00")
    client.force_login(staff_beltim)
    blocks = {block.id: block for block in client.get(HOME).context["summary"].blocks}
    assert list(blocks) == ["new-reports", "cases-due-soon", "cases-overdue", "decisions-awaiting"]
    assert [row.title for row in blocks["new-reports"].rows] == [beltim_work["new"].number]
    assert case.number in [row.title for row in blocks["cases-due-soon"].rows]
    assert blocks["cases-overdue"].count == 0
    assert [row.title for row in blocks["decisions-awaiting"].rows] == [beltim_work["proposed"].number]


def test_a_case_past_its_deadline_is_counted_and_its_link_opens_the_same_cases(
        client, staff_beltim, beltim_work, time_machine):
    case = beltim_work["case"]
    time_machine.move_to(f"{case.due_on:%Y-%m-%d} 09:00 +07:00")
    time_machine.shift(3 * 24 * 3600)
    client.force_login(staff_beltim)
    page = client.get(HOME)
    overdue = next(block for block in page.context["summary"].blocks if block.id == "cases-overdue")
    # The proposed decision's study clock runs too (same registration day): both are late.
    assert overdue.count == 2 and case.number in [row.title for row in overdue.rows]
    assert "3 days late" in page.content.decode() or "lewat 3 hari" in page.content.decode()
    listed = client.get(overdue.url)
    assert [row.number for row in listed.context["page"]] == [row.title for row in overdue.rows]


def test_a_regency_sees_none_of_another_regency_s_work(client, staff_bangka, beltim_work, bangka_work):
    client.force_login(staff_bangka)
    page = client.get(HOME)
    html = page.content.decode()
    for item in (beltim_work["new"], beltim_work["case"], beltim_work["proposed"]):
        assert item.number not in html
    blocks = {block.id: block for block in page.context["summary"].blocks}
    assert [row.title for row in blocks["new-reports"].rows] == [bangka_work["new"].number]
    assert blocks["decisions-awaiting"].count == 0


def test_the_province_sees_its_regencies_work(client, staff_babel, beltim_work, bangka_work):
    client.force_login(staff_babel)
    blocks = {block.id: block for block in client.get(HOME).context["summary"].blocks}
    assert blocks["new-reports"].count == 2


def test_a_block_shows_five_rows_and_the_count_of_all(client, staff_beltim, places, election):
    for number in range(7):
        file_report(places["manggar"], election, name=f"Orang {number}")
    client.force_login(staff_beltim)
    page = client.get(HOME)
    block = page.context["summary"].blocks[0]
    assert block.count == 7 and len(block.rows) == 5
    assert block.url.replace("&", "&amp;") in page.content.decode()


def test_the_summary_takes_the_same_queries_for_many_rows_as_for_one(client, staff_beltim, places, election):
    client.force_login(staff_beltim)
    file_report(places["manggar"], election)
    _case(places, election, staff_beltim)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(HOME).status_code == 200
        return len(queries)

    one = count()
    for number in range(6):
        file_report(places["manggar"], election, name=f"Orang {number}")
        _case(places, election, staff_beltim, name=f"Terlapor {number}")
    assert count() == one


def test_an_administrator_sees_a_nationwide_summary(client, admin_national, beltim_work, bangka_work):
    client.force_login(admin_national)
    page = client.get(HOME)
    figures = {figure.label: figure.value for figure in page.context["summary"].figures}
    # The labels as an Indonesian administrator reads them: "Open cases", "New reports, not yet registered".
    assert figures["Kasus terbuka"] == 3 and figures["Laporan baru, belum diregistrasi"] == 2
    assert page.context["summary"].blocks == []


def test_every_staff_page_has_log_out_in_its_header(client, staff_beltim):
    client.force_login(staff_beltim)
    for url in (HOME, reverse("reports:inbox"), reverse("cases:list"), reverse("followup:list")):
        html = client.get(url).content.decode()
        header = html[html.index("<header"):html.index("</header>")]
        assert f'action="{reverse("accounts:logout")}" method="post"' in header, url


def test_logging_out_from_the_header_ends_the_session(client, staff_beltim):
    client.force_login(staff_beltim)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302 and SESSION_KEY not in client.session
    assert client.get(HOME).status_code == 302
