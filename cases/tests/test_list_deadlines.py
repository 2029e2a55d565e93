"""The case list's age and next-deadline columns: "due soon" counts working days (the Pilkada
voting day of 27 November 2024 is a day off), and the words say how far the deadline is."""

import pytest
from django.urls import reverse

from cases.models import Case
from cases.services import case_register_report
from cases.tests.conftest import all_met, file_report
from reports.services import report_change_status

pytestmark = pytest.mark.django_db
LIST = reverse("cases:list")


def _case(places, election, staff, name):
    report = report_change_status(report=file_report(places["manggar"], election, name=name), actor=staff,
                                  to_status="in_review")
    return case_register_report(report=report, actor=staff, checks=all_met())


@pytest.fixture
def due_friday_and_monday(places, election, staff_beltim, time_machine):
    """Two open cases whose study deadline is Friday 29 November and Monday 2 December 2024, seen on
    Monday 25 November: three working days ahead are the 26th, 28th and 29th (the 27th is voting day)."""
    friday, monday = _case(places, election, staff_beltim, "Andi"), _case(places, election, staff_beltim, "Budi")
    Case.objects.filter(pk=friday.pk).update(due_on="2024-11-29")
    Case.objects.filter(pk=monday.pk).update(due_on="2024-12-02")
    time_machine.move_to("2024-11-25 09:00 +07:00")
    return Case.objects.get(pk=friday.pk), Case.objects.get(pk=monday.pk)


def test_due_soon_is_three_working_days_past_the_voting_day(client, staff_beltim, due_friday_and_monday):
    friday, monday = due_friday_and_monday
    client.force_login(staff_beltim)
    assert list(client.get(LIST, {"status": "open", "due": "soon"}).context["page"]) == [friday]
    rows = {case.pk: case for case in client.get(LIST).context["page"]}
    assert (rows[friday.pk].flag, rows[monday.pk].flag) == ("soon", "")


def test_the_list_shows_age_and_days_left_in_words_not_colour_alone(client, staff_beltim, due_friday_and_monday):
    client.force_login(staff_beltim)
    html = client.get(LIST).content.decode()
    assert ">Umur<" in html or ">Age<" in html
    assert ">Tenggat berikutnya<" in html or ">Next deadline<" in html
    assert "4 days left" in html or "sisa 4 hari" in html  # Friday, flagged soon
    assert "7 days left" in html or "sisa 7 hari" in html  # Monday
    assert "13 days" in html or "13 hari" in html  # registered on 12 November


def test_a_late_case_says_by_how_many_days(client, staff_beltim, due_friday_and_monday, time_machine):
    time_machine.move_to("2024-12-01 09:00 +07:00")
    client.force_login(staff_beltim)
    html = client.get(LIST).content.decode()
    assert "2 days late" in html or "lewat 2 hari" in html
    assert "1 day left" in html or "sisa 1 hari" in html
