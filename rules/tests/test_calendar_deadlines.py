"""Deadlines across 2026-2027: a year without a read decree is counted with the package's days
and marked provisional until an administrator confirms it.

Every expected date was counted by hand on a printed calendar: 28 December 2026 is a Monday,
1 January 2027 (New Year) a Friday, 5 January 2027 (Isra Mikraj, per the package) a Tuesday.
"""

import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from audit.models import AuditEntry
from rules.models import CalendarDay, CalendarYear
from rules.selectors import calendar_confirmed_years, deadline_compute, holiday_calendar

pytestmark = pytest.mark.django_db

KNOWN_ON = date(2026, 12, 28)  # Monday; a Pemilu report may be filed within 7 working days


def confirm(year, decree="SKB contoh (uji)"):
    return CalendarYear.objects.create(year=year, decree=decree, confirmed_at=timezone.now())


def pemilu_report(start=KNOWN_ON, language="id"):
    with translation.override(language):
        return deadline_compute("pemilu", "report", start)


def test_a_report_known_at_the_end_of_2026_skips_new_year_2027_and_is_provisional():
    # 29, 30, 31 Dec are days 1-3; Fri 1 Jan (New Year), the weekend and Tue 5 Jan (Isra Mikraj)
    # are skipped; 4, 6, 7, 8 Jan are days 4-7.
    answer = pemilu_report()
    assert answer.due == date(2027, 1, 8)
    assert answer.skipped == ["1 Januari 2027 (Tahun Baru Masehi)", "2 Januari 2027 (Sabtu)",
                              "3 Januari 2027 (Minggu)", "5 Januari 2027 (Isra Mikraj Nabi Muhammad)"]
    assert answer.provisional is True and answer.provisional_years == (2027,)
    assert answer.explanation.endswith(
        "Batas akhir: Jumat, 8 Januari 2027. Sementara: hari libur tahun 2027 belum dikonfirmasi dengan SKB 3 "
        "Menteri tentang hari libur nasional dan cuti bersama, sehingga tanggal ini dapat berubah.")


def test_the_provisional_answer_explains_itself_in_english_too():
    answer = pemilu_report(language="en")
    assert "1 January 2027 (New Year's Day)" in answer.skipped
    assert answer.explanation.endswith("Provisional: the days off of 2027 are not yet confirmed against the joint "
                                       "ministerial decree on national holidays and collective leave, so this "
                                       "date may change.")


def test_a_report_wholly_in_2026_is_not_provisional():
    # Tue 1 Dec 2026 is day 0: 2-4 and 7-10 Dec are days 1-7.
    answer = pemilu_report(date(2026, 12, 1))
    assert answer.due == date(2026, 12, 10)
    assert answer.provisional is False and answer.provisional_years == ()
    assert "Sementara" not in answer.explanation


def test_a_count_ending_on_the_last_working_day_of_2026_is_not_provisional():
    # Tue 22 Dec is day 0: 23 Dec is day 1, 24-27 Dec are skipped (leave, Christmas, weekend),
    # 28-31 Dec are days 2-5 of the 5 of this check.
    calendar = holiday_calendar("id")
    assert calendar.provisional_years(date(2026, 12, 23), date(2026, 12, 31)) == ()


def test_a_calendar_day_rule_into_2027_is_not_provisional():
    # Pilkada study: 3 calendar days from Wed 30 Dec 2026; no day off moves it.
    answer = deadline_compute("pilkada", "study", date(2026, 12, 30))
    assert answer.due == date(2027, 1, 2)
    assert answer.provisional is False


def test_an_administrator_confirming_2027_makes_the_same_answer_not_provisional():
    confirm(2027)
    answer = pemilu_report()
    assert answer.due == date(2027, 1, 8)  # the same days off, now confirmed
    assert answer.provisional is False and answer.provisional_years == ()
    assert "Sementara" not in answer.explanation
    assert calendar_confirmed_years() >= {2024, 2025, 2026, 2027}


def test_a_confirmed_2027_uses_the_days_the_administrator_removed_and_added():
    confirm(2027)
    # The decree (in this test) has no holiday on 5 Jan but collective leave on Mon 4 Jan.
    CalendarDay.objects.create(date=date(2027, 1, 5), name_id="Isra Mikraj", name_en="Isra Mi'raj", removed=True,
                               source="SKB contoh (uji)")
    CalendarDay.objects.create(date=date(2027, 1, 4), name_id="Cuti bersama Tahun Baru",
                               name_en="Collective leave, New Year", source="SKB contoh (uji)")
    answer = pemilu_report()
    # 29-31 Dec days 1-3; 1 Jan, the weekend and 4 Jan skipped; 5-8 Jan days 4-7.
    assert answer.due == date(2027, 1, 8)
    assert answer.skipped == ["1 Januari 2027 (Tahun Baru Masehi)", "2 Januari 2027 (Sabtu)",
                              "3 Januari 2027 (Minggu)", "4 Januari 2027 (Cuti bersama Tahun Baru)"]
    assert answer.provisional is False


def test_a_removed_package_day_moves_the_deadline():
    CalendarDay.objects.create(date=date(2027, 1, 5), name_id="Isra Mikraj", name_en="Isra Mi'raj", removed=True,
                               source="SKB contoh (uji)")
    answer = pemilu_report()
    assert answer.due == date(2027, 1, 7)  # 5 Jan counts again
    assert answer.provisional is True  # a correction alone does not confirm the year


def test_the_calendar_is_assembled_in_two_queries(django_assert_num_queries):
    with django_assert_num_queries(2):
        calendar = holiday_calendar("id")
    with django_assert_num_queries(0):
        assert date(2027, 1, 1) in calendar


# --- The faces --------------------------------------------------------------------------


def test_the_api_answer_carries_provisional(client):
    body = client.get("/api/v1/deadlines", {"regime": "pemilu", "step": "report", "start": "2026-12-28"}).json()
    assert body["due"] == "2027-01-08"
    assert body["provisional"] is True and body["provisional_years"] == [2027]
    assert "Sementara: hari libur tahun 2027" in body["summary"]
    assert "calendar_missing_years" not in body


def test_the_api_answer_is_not_provisional_in_a_confirmed_year(client):
    body = client.get("/api/v1/deadlines", {"regime": "pemilu", "step": "report", "start": "2026-12-01"}).json()
    assert body["provisional"] is False and body["provisional_years"] == []


def test_the_api_schema_documents_provisional(client):
    schema = client.get("/api/v1/openapi.json").json()
    properties = schema["components"]["schemas"]["DeadlineOut"]["properties"]
    assert properties["provisional"]["type"] == "boolean"
    assert "calendar_missing_years" not in properties


def test_the_public_calculator_marks_a_provisional_date(client):
    response = client.get(reverse("portal:deadline_calculator"),
                          {"regime": "pemilu", "step": "report", "start": "2026-12-28"})
    html = response.content.decode()
    assert 'id="deadline-provisional"' in html
    assert "Sementara: hari libur tahun 2027" in html  # the explanation, shown under the date


def test_the_public_calculator_does_not_mark_a_confirmed_date(client):
    response = client.get(reverse("portal:deadline_calculator"),
                          {"regime": "pemilu", "step": "report", "start": "2026-12-01"})
    assert 'id="deadline-provisional"' not in response.content.decode()


# --- The admin --------------------------------------------------------------------------


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser(username="admin", password="kata-sandi-uji-123",
                                                      email="admin@example.org")


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def test_confirming_a_year_in_the_admin_records_who_and_audits_it(admin_client, superuser):
    response = admin_client.post(reverse("admin:rules_calendaryear_add"),
                                 {"year": "2027", "decree": "SKB Nomor 1 Tahun 2026 (uji)"})
    assert response.status_code == 302
    year = CalendarYear.objects.get()
    assert (year.year, year.confirmed_by) == (2027, superuser) and year.confirmed_at
    entry = AuditEntry.objects.get(action="rules.calendar_year_confirmed")
    assert (entry.actor, entry.target_type, entry.target_id) == (superuser, "rules.calendaryear", "2027")
    assert entry.data == {"year": 2027, "decree": "SKB Nomor 1 Tahun 2026 (uji)"}
    assert pemilu_report().provisional is False


def test_unconfirming_a_year_in_the_admin_is_audited(admin_client):
    year = confirm(2027)
    response = admin_client.post(reverse("admin:rules_calendaryear_delete", args=[year.pk]), {"post": "yes"})
    assert response.status_code == 302 and not CalendarYear.objects.exists()
    assert AuditEntry.objects.filter(action="rules.calendar_year_unconfirmed", target_id="2027").count() == 1
    assert pemilu_report().provisional is True


def test_a_year_of_the_data_files_cannot_be_confirmed_again_in_the_admin(admin_client):
    response = admin_client.post(reverse("admin:rules_calendaryear_add"), {"year": "2026", "decree": "SKB"})
    assert response.status_code == 200 and not CalendarYear.objects.exists()
    assert not AuditEntry.objects.filter(action="rules.calendar_year_confirmed").exists()


def warnings(response) -> list[str]:
    """The admin's warning messages (Django renders them as <li class="warning">)."""
    return re.findall(r'<li class="warning">(.*?)</li>', response.content.decode(), re.S)


@pytest.mark.parametrize("model", ["calendaryear", "calendarday"])
def test_the_calendar_pages_of_the_admin_warn_from_october_while_next_year_is_unconfirmed(admin_client, time_machine,
                                                                                         model):
    url = reverse(f"admin:rules_{model}_changelist")
    time_machine.move_to("2026-09-30 10:00 +07:00")
    assert warnings(admin_client.get(url)) == []
    time_machine.move_to("2026-10-01 10:00 +07:00")
    [warning] = warnings(admin_client.get(url))
    assert "2027" in warning
    confirm(2027)
    assert warnings(admin_client.get(url)) == []
