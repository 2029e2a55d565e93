"""The compliance dashboard against hand-counted recommendations built through the real services.

On 9 December 2024 Belitung Timur's PPK has four recommendations from BKN, all from one
case reported on 28 November and registered on 29 November:

    A  issued 2 Dec, due 5 Dec, open statement imposed by a letter of 4 Dec   in time (2 days)
    B  issued 2 Dec, due 5 Dec, closed statement imposed by a letter of 9 Dec late (7 days)
    C  issued 2 Dec, due 5 Dec, nothing done                                  ignored
    D  issued 9 Dec, due 12 Dec, nothing done yet                             not yet due

Bangka's PPK has one, from a Bangka case reported and registered on 2 December:

    E  issued 2 Dec, due 5 Dec, refused with reasons on 3 Dec                 in time
"""

import csv
import io
from datetime import date
from functools import cache

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.translation import gettext
from openpyxl import load_workbook

from followup.compliance import Figures
from followup.dashboard import DashboardFilter, dashboard_for
from followup.models import Decision, Recommendation
from followup.sanctions import FAMILY_LABELS, Grade
from followup.services import decision_record, recommendation_issue
from followup.tallies import tallies_rebuild
from followup.tests.conftest import forward_case, mark_civil_servants
from reports.services import ReportedPersonInput, ReporterIdentity, ReportSubmission, report_submit
from reports.tracking import new_submission_token

pytestmark = pytest.mark.django_db

ON = date(2024, 12, 9)
FIGURES = ("received", "in_time", "late", "ignored", "pending",
           "in_time_percent", "late_percent", "ignored_percent")


def _user(username, role, **kwargs):
    from accounts.models import User
    from accounts.tests.otp import confirmed_totp_device

    user = User.objects.create_user(username=username, password="kata-sandi-uji-123", role=role, **kwargs)
    confirmed_totp_device(user)
    return user


@pytest.fixture
def pemda_bangka(agencies):
    return _user("bkpsdm.bangka", "pemda_staff", agency=agencies["bangka"])


@pytest.fixture
def lead_bangka(offices):
    return _user("ketua.bangka", "bawaslu_lead", bawaslu_office=offices["bangka"])


@cache
def _decision_pdf() -> bytes:
    from letters.render import render_letter
    from letters.tests.samples import followup_reminder

    return render_letter("followup-reminder", followup_reminder())


def _upload():
    return SimpleUploadedFile("sk.pdf", _decision_pdf(), content_type="application/pdf")


def _beltim_case(*, time_machine, places, election, staff, lead, names):
    """Reported on 28 November, registered, studied and forwarded on 29 November."""
    from cases.services import case_approve, case_propose, case_register_report, case_start_study
    from cases.tests.conftest import all_met
    from reports.services import report_change_status
    from rules.models import Violation

    time_machine.move_to("2024-11-28 10:00 +07:00")
    submission = ReportSubmission(
        election=election, region=places["manggar"], place="Manggar", known_on=date(2024, 11, 27),
        occurred_on=date(2024, 9, 10), description="ASN mengunggah foto bersama calon dengan simbol jari.",
        reporter=ReporterIdentity(name="Siti Aminah", address="Manggar", nik="1906014107850001"),
        reported=[ReportedPersonInput(name=name, position="Kepala Seksi") for name in names],
        links=["https://example.org/post/1"],
    )
    report = report_submit(submission=submission, submission_token=new_submission_token()).report
    time_machine.move_to("2024-11-29 09:00 +07:00")
    report = report_change_status(report=report, actor=staff, to_status="in_review")
    case = case_register_report(report=report, actor=staff, checks=all_met())
    case = case_start_study(case=case, actor=staff)
    mark_civil_servants(case, staff)
    case = case_propose(case=case, actor=staff, outcome="forwarded_authority", legal_analysis="Analisis.",
                        conclusion="Terbukti melanggar netralitas.",
                        violations=list(Violation.objects.filter(pk="partisan-photo")))
    case = case_approve(case=case, actor=lead, announcement="Diteruskan kepada Badan Kepegawaian Negara.")
    return Recommendation.objects.get(case=case, stage="authority")


def _recommend(forwarding, person, addressee, authority):
    return recommendation_issue(forwarding=forwarding, actor=authority, person=person, addressee=addressee,
                                employee_kind="pns", position_class="pelaksana",
                                violations=forwarding.violations.all(), grade=Grade("moral", ""))


@pytest.fixture
def scenario(time_machine, places, offices, agencies, election, staff_beltim, lead_beltim, staff_bangka,
             lead_bangka, authority_bkn, ppk_beltim, pemda_bangka):
    """The five recommendations of the module's docstring; the clock left on 9 December 2024."""
    forwarding = _beltim_case(time_machine=time_machine, places=places, election=election, staff=staff_beltim,
                              lead=lead_beltim, names=["Ani", "Budi", "Citra", "Dedi"])
    persons = list(forwarding.case.persons.order_by("id"))
    time_machine.move_to("2024-12-02 10:00 +07:00")
    a, b, c = (_recommend(forwarding, person, agencies["beltim"], authority_bkn) for person in persons[:3])
    bangka_case = forward_case(region=places["sungailiat"], election=election, staff=staff_bangka,
                               lead=lead_bangka, persons=[ReportedPersonInput(name="Eko", position="Staf")])
    bangka_forwarding = Recommendation.objects.get(case=bangka_case, stage="authority")
    e = _recommend(bangka_forwarding, bangka_case.persons.get(), agencies["bangka"], authority_bkn)
    time_machine.move_to("2024-12-03 10:00 +07:00")
    decision_record(recommendation=e, actor=pemda_bangka, outcome="refused",
                    reason="Terlapor telah pensiun sebelum rekomendasi diterima.")
    time_machine.move_to("2024-12-04 10:00 +07:00")
    decision_record(recommendation=a, actor=ppk_beltim, outcome="imposed", sanction="moral-statement-open",
                    letter_number="800/1/BKPSDM/2024", letter_date=date(2024, 12, 4), upload=_upload())
    time_machine.move_to("2024-12-09 10:00 +07:00")
    decision_record(recommendation=b, actor=ppk_beltim, outcome="imposed", sanction="moral-statement-closed",
                    letter_number="800/2/BKPSDM/2024", letter_date=date(2024, 12, 9), upload=_upload())
    d = _recommend(forwarding, persons[3], agencies["beltim"], authority_bkn)
    return {"a": a, "b": b, "c": c, "d": d, "e": e}


def _figures(row):
    f = row.figures
    return (f.received, f.in_time, f.late, f.ignored, f.pending)


def test_the_fixture_is_what_the_docstring_says(scenario):
    a, b, c, d, e = (Recommendation.objects.get(pk=scenario[k].pk) for k in "abcde")
    assert (a.issued_on, a.due_on, a.closed_on, a.status) == (date(2024, 12, 2), date(2024, 12, 5),
                                                             date(2024, 12, 4), "sanctioned")
    assert (b.closed_on, b.status) == (date(2024, 12, 9), "sanctioned")
    assert c.is_open and c.due_on == date(2024, 12, 5)
    assert d.is_open and (d.issued_on, d.due_on) == (date(2024, 12, 9), date(2024, 12, 12))
    assert (e.closed_on, e.status) == (date(2024, 12, 3), "refused")
    assert a.case.registered_on == date(2024, 11, 29)


def test_belitung_timur_ppk_sees_every_figure_of_its_four_recommendations(scenario, ppk_beltim):
    board = dashboard_for(ppk_beltim, today=ON)
    assert [(row.name, _figures(row)) for row in board.agencies] == [
        ("Pemerintah Kabupaten Belitung Timur", (4, 1, 1, 1, 1))]
    assert board.total == Figures(received=4, in_time=1, late=1, ignored=1, pending=1)
    total = board.total
    assert (total.in_time_percent, total.late_percent, total.ignored_percent) == (33.3, 33.3, 33.3)
    assert [(row.code, row.agencies, _figures(row)) for row in board.regions] == [
        ("19", 1, (4, 1, 1, 1, 1)), ("19.06", 1, (4, 1, 1, 1, 1))]
    assert [(row.sanction, row.outcome, row.count, row.share_percent) for row in board.sanctions] == [
        ("moral-statement-closed", "imposed", 1, 50.0), ("moral-statement-open", "imposed", 1, 50.0)]
    assert board.families == [(str(FAMILY_LABELS["moral"]), 2)]
    m = board.medians
    # Report 28 Nov -> registered 29 Nov; registered -> issued 2, 2, 2 and 9 Dec; issued -> letter: 2 and 7.
    assert (m.report_to_registration, m.report_to_registration_count) == (1.0, 1)
    assert (m.registration_to_recommendation, m.registration_to_recommendation_count) == (3.0, 4)
    assert (m.recommendation_to_sanction, m.recommendation_to_sanction_count) == (4.5, 2)


def test_the_same_day_a_week_earlier_nothing_was_late_yet(scenario, ppk_beltim):
    board = dashboard_for(ppk_beltim, today=date(2024, 12, 5))
    # On the deadline day C is still within time; B was not decided yet then, but the
    # figures read today's state: B is closed (late), D exists (not yet due).
    assert board.total == Figures(received=4, in_time=1, late=1, ignored=0, pending=2)


def test_the_province_sees_both_regencies_and_their_medians(scenario, staff_babel):
    board = dashboard_for(staff_babel, today=ON)
    assert [(row.name, _figures(row)) for row in board.agencies] == [
        ("Pemerintah Kabupaten Bangka", (1, 1, 0, 0, 0)),
        ("Pemerintah Kabupaten Belitung Timur", (4, 1, 1, 1, 1))]
    assert [(row.code, _figures(row)) for row in board.regions] == [
        ("19", (5, 2, 1, 1, 1)), ("19.01", (1, 1, 0, 0, 0)), ("19.06", (4, 1, 1, 1, 1))]
    assert [(row.outcome, row.count) for row in board.sanctions] == [
        ("imposed", 1), ("imposed", 1), ("refused", 1)]
    m = board.medians
    assert (m.report_to_registration, m.report_to_registration_count) == (0.5, 2)  # 1 and 0 days
    assert (m.registration_to_recommendation, m.registration_to_recommendation_count) == (3.0, 5)
    assert (m.recommendation_to_sanction, m.recommendation_to_sanction_count) == (4.5, 2)


@pytest.mark.parametrize("who", ["admin_national", "authority_bkn"])
def test_the_authority_and_the_administrator_see_the_country_by_province(scenario, who, request):
    board = dashboard_for(request.getfixturevalue(who), today=ON)
    assert board.national and board.total == Figures(received=5, in_time=2, late=1, ignored=1, pending=1)
    assert [(row.code, _figures(row)) for row in board.regions] == [("19", (5, 2, 1, 1, 1))]


def test_the_forwarding_stage_counts_bawaslus_forwardings_to_the_authority(scenario, admin_national):
    board = dashboard_for(admin_national, DashboardFilter(stage="authority"), today=ON)
    # Both forwardings were answered (every person recommended) within BKN's 14 working days.
    assert [(row.name, _figures(row)) for row in board.agencies] == [
        ("Badan Kepegawaian Negara", (2, 2, 0, 0, 0))]
    assert board.regions == [] and board.sanctions == []


def test_the_period_filter_counts_by_day_of_issue(scenario, staff_beltim, places):
    board = dashboard_for(staff_beltim, DashboardFilter(issued_from=date(2024, 12, 9)), today=ON)
    assert board.total == Figures(received=1, pending=1)
    board = dashboard_for(staff_beltim, DashboardFilter(issued_until=date(2024, 12, 8)), today=ON)
    assert board.total == Figures(received=3, in_time=1, late=1, ignored=1)
    board = dashboard_for(staff_beltim, DashboardFilter(region=places["bangka"]), today=ON)
    assert board.total == Figures()


# --- who sees what ------------------------------------------------------------------------------

@pytest.mark.parametrize(("who", "received"), [
    ("ppk_beltim", 4), ("staff_beltim", 4), ("pemda_bangka", 1), ("staff_bangka", 1), ("staff_babel", 5),
])
def test_each_user_counts_only_the_recommendations_of_their_jurisdiction(scenario, who, received, request):
    assert dashboard_for(request.getfixturevalue(who), today=ON).total.received == received


def test_a_belitung_timur_agency_user_cannot_see_bangkas_figures(scenario, client, pemda_beltim, agencies):
    board = dashboard_for(pemda_beltim, DashboardFilter(agency=agencies["bangka"]), today=ON)
    assert board.total.received == 0  # even asked directly through the selector
    client.force_login(pemda_beltim)
    page = client.get("/staf/kepatuhan/").content.decode()
    assert "Pemerintah Kabupaten Belitung Timur" in page and "Pemerintah Kabupaten Bangka" not in page
    for query in (f"agency={agencies['bangka'].pk}", "region=19.01"):
        response = client.get(f"/staf/kepatuhan/?{query}")
        assert response.status_code == 400
        assert "Pemerintah Kabupaten Bangka</th>" not in response.content.decode()
        export = client.get(f"/staf/kepatuhan/unduh.csv?{query}")
        assert export.status_code == 400 and "attachment" not in export.get("Content-Disposition", "")


def test_an_account_without_office_or_agency_is_refused(client, places):
    from django.contrib.auth.models import AnonymousUser

    from followup.dashboard import dashboard_q

    loose = _user("tanpa.kantor", "pemda_staff")
    with pytest.raises(PermissionDenied):
        dashboard_q(loose)
    with pytest.raises(PermissionDenied):
        dashboard_q(AnonymousUser())
    client.force_login(loose)
    assert client.get("/staf/kepatuhan/").status_code == 403
    client.logout()
    assert client.get("/staf/kepatuhan/").status_code == 302  # to the login page


# --- the page and its exports --------------------------------------------------------------------

def _cells(html: str, row: str) -> dict[str, str]:
    """The data-figure cells of the table row with data-row="..." (tiny parser, enough for our markup)."""
    from html.parser import HTMLParser

    class Row(HTMLParser):
        def __init__(self):
            super().__init__()
            self.inside, self.figure, self.cells = False, None, {}

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "tr":
                self.inside = attrs.get("data-row") == row
            elif self.inside and tag == "td" and "data-figure" in attrs:
                self.figure = attrs["data-figure"]
                self.cells[self.figure] = ""

        def handle_endtag(self, tag):
            if tag == "td":
                self.figure = None

        def handle_data(self, data):
            if self.inside and self.figure:
                self.cells[self.figure] += data.strip()

    parser = Row()
    parser.feed(html)
    return parser.cells


def _number(text: str):
    text = text.rstrip("%").replace(",", ".")
    return "" if text in {"", "—"} else float(text)


def test_the_page_shows_the_figures_with_bars_and_no_script(scenario, client, staff_babel, agencies):
    client.force_login(staff_babel)
    response = client.get("/staf/kepatuhan/")
    assert response.status_code == 200
    html = response.content.decode()
    beltim = _cells(html, f"agency-{agencies['beltim'].pk}")
    assert {k: _number(v) for k, v in beltim.items()} == {
        "received": 4, "in_time": 1, "late": 1, "ignored": 1, "pending": 1,
        "in_time_percent": 33.3, "late_percent": 33.3, "ignored_percent": 33.3}
    assert _number(_cells(html, "region-19")["received"]) == 5
    assert _number(_cells(html, "median-recommendation_to_sanction")["median"]) == 4.5
    assert '<rect x="0.0" y="0" width="25.0"' in html  # Belitung Timur: a quarter in time
    assert "<script>" not in html and " onclick=" not in html
    assert 'href="/staf/kepatuhan/"' in html  # the nav link


def _export_rows(tables, title):
    """The rows of one section of the CSV export (after its title and header)."""
    index = next(i for i, row in enumerate(tables) if row == [title])
    rows = []
    for row in tables[index + 2:]:
        if not row:
            break
        rows.append(row)
    return tables[index + 1], rows


def test_the_csv_export_has_the_pages_figures_under_the_same_filters(scenario, client, staff_babel, agencies):
    client.force_login(staff_babel)
    query = "stage=ppk&issued_until=2024-12-08"
    html = client.get(f"/staf/kepatuhan/?{query}").content.decode()
    response = client.get(f"/staf/kepatuhan/unduh.csv?{query}")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="kepatuhan-tindak-lanjut-2024-12-09.csv"'
    text = response.content.decode("utf-8-sig")
    tables = list(csv.reader(io.StringIO(text), delimiter=";"))
    _header, agencies_rows = _export_rows(tables, gettext("Per agency"))
    by_name = {row[0]: row for row in agencies_rows}
    page = _cells(html, f"agency-{agencies['beltim'].pk}")
    exported = by_name["Pemerintah Kabupaten Belitung Timur"]
    # Until 8 December: A (in time), B (late), C (ignored); D was issued on the 9th.
    assert [float(x) if x else "" for x in exported[2:10]] == [_number(page[k]) for k in FIGURES] == [
        3, 1, 1, 1, 0, 33.3, 33.3, 33.3]


def test_the_excel_export_has_the_pages_figures(scenario, client, staff_babel, agencies):
    client.force_login(staff_babel)
    html = client.get("/staf/kepatuhan/").content.decode()
    response = client.get("/staf/kepatuhan/unduh.xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="kepatuhan-tindak-lanjut-2024-12-09.xlsx"'
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    sheets = workbook.sheetnames
    assert len(sheets) == 5
    agencies_sheet = list(workbook[sheets[1]].iter_rows(values_only=True))
    beltim = next(row for row in agencies_sheet if row[0] == "Pemerintah Kabupaten Belitung Timur")
    page = _cells(html, f"agency-{agencies['beltim'].pk}")
    assert list(beltim[2:10]) == [_number(page[k]) for k in FIGURES]
    total = agencies_sheet[-1]
    assert list(total[2:7]) == [5, 2, 1, 1, 1]
    regions = list(workbook[sheets[2]].iter_rows(values_only=True))
    assert [(row[0], row[3]) for row in regions[1:]] == [("19", 5), ("19.01", 1), ("19.06", 4)]
    sanctions = list(workbook[sheets[3]].iter_rows(values_only=True))
    assert [row[3] for row in sanctions[1:]] == [1, 1, 1]
    medians = list(workbook[sheets[4]].iter_rows(values_only=True))
    assert [(row[1], row[2]) for row in medians[1:]] == [(0.5, 2), (3.0, 5), (4.5, 2)]
    assert _number(_cells(html, "median-report_to_registration")["median"]) == 0.5


def test_an_unknown_export_format_is_not_found(client, staff_beltim):
    client.force_login(staff_beltim)
    assert client.get("/staf/kepatuhan/unduh.pdf").status_code == 404


def test_a_reversed_period_is_refused_with_what_was_typed(client, staff_beltim):
    client.force_login(staff_beltim)
    response = client.get("/staf/kepatuhan/?issued_from=2024-12-09&issued_until=2024-12-01")
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="2024-12-09"' in html and 'value="2024-12-01"' in html
    assert response.context["form"].errors["issued_until"]


# --- query count ---------------------------------------------------------------------------------

def _more(recommendation, count):
    """``count`` more recommendations like ``recommendation`` (a person each, every other one decided)."""
    from cases.models import CasePerson

    persons = CasePerson.objects.bulk_create([CasePerson(case=recommendation.case, name=f"Terlapor {i}")
                                              for i in range(count)])
    fields = {f.attname: getattr(recommendation, f.attname) for f in Recommendation._meta.concrete_fields
              if f.attname not in {"id", "person_id", "number", "created_at"}}
    rows = Recommendation.objects.bulk_create(
        [Recommendation(**{**fields, "person_id": person.pk, "number": f"X/{person.pk}"})
         for person in persons])
    for row in rows[::2]:
        Decision.objects.create(recommendation=row, outcome="refused", recorded_by=recommendation.created_by,
                                reason="Alasan penolakan yang cukup panjang.")
    tallies_rebuild()  # rows written past the services: the precomputed figures as after a bulk load
    return rows


def test_the_query_count_does_not_grow_with_the_recommendations(recommended, client, admin_national,
                                                                django_assert_num_queries):
    _more(recommended, 1)  # 2 recommendations
    client.force_login(admin_national)
    with CaptureQueriesContext(connection) as few_figures:
        dashboard_for(admin_national)
    with CaptureQueriesContext(connection) as few_page:
        assert client.get("/staf/kepatuhan/").status_code == 200
    with CaptureQueriesContext(connection) as few_export:
        client.get("/staf/kepatuhan/unduh.xlsx")
    _more(recommended, 28)  # 30
    with django_assert_num_queries(len(few_figures)):
        board = dashboard_for(admin_national)
    assert board.total.received == 30
    with django_assert_num_queries(len(few_page)):
        assert client.get("/staf/kepatuhan/").status_code == 200
    with django_assert_num_queries(len(few_export)):
        client.get("/staf/kepatuhan/unduh.xlsx")


@pytest.mark.parametrize("moment", ["2024-11-28 00:00 +07:00", "2024-11-28 03:00 +07:00",
                                    "2024-11-28 23:59 +07:00"])
def test_the_local_day_of_a_report_is_the_same_as_djangos(moment, time_machine, places, offices, election):
    from django.db.models.functions import TruncDate

    from followup.dashboard import LocalDate
    from reports.models import Report

    time_machine.move_to(moment)
    submission = ReportSubmission(
        election=election, region=places["manggar"], place="Manggar", known_on=date(2024, 11, 27),
        occurred_on=date(2024, 9, 10), description="ASN mengunggah foto bersama calon dengan simbol jari.",
        reporter=None, reported=[ReportedPersonInput(name="Ani", position="Staf")], links=[])
    report_submit(submission=submission, submission_token=new_submission_token())
    assert list(Report.objects.values_list(LocalDate("created_at"), TruncDate("created_at"))) == [
        (date(2024, 11, 28), date(2024, 11, 28))]
