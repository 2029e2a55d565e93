from datetime import date

import pytest
from django.core import mail

from cases.models import Case, Notification
from cases.notifications import deadlines_notify
from cases.services import case_register_report
from cases.tests.conftest import all_met
from netral.clock import due_soon_until

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(report_beltim, staff_beltim, lead_beltim, staff_bangka):
    staff_beltim.email, lead_beltim.email = "staf@beltim.example", "ketua@beltim.example"
    staff_beltim.save(), lead_beltim.save()
    return case_register_report(report=report_beltim, actor=staff_beltim, checks=all_met())  # due 15 Nov 2024


def test_nothing_is_sent_while_the_deadline_is_far(case, django_capture_on_commit_callbacks):
    Case.objects.filter(pk=case.pk).update(due_on=date(2024, 11, 18))  # Tue 12 Nov + 3 working days = Fri 15
    with django_capture_on_commit_callbacks(execute=True):
        assert deadlines_notify() == 0
    assert not mail.outbox


def test_due_soon_is_the_lists_rule_of_three_working_days(case, time_machine, django_capture_on_commit_callbacks):
    """Due Monday 18 Nov: the lists say "due soon" from Wednesday 13 Nov (three working days ahead,
    the weekend skipped), and so does the e-mail; two calendar days would have waited for Saturday."""
    Case.objects.filter(pk=case.pk).update(due_on=date(2024, 11, 18))
    time_machine.move_to("2024-11-12 07:00 +07:00")
    assert deadlines_notify() == 0
    time_machine.move_to("2024-11-13 07:00 +07:00")
    assert due_soon_until() == date(2024, 11, 18)
    with django_capture_on_commit_callbacks(execute=True):
        assert deadlines_notify() == 2
    assert set(Notification.objects.values_list("kind", flat=True)) == {"due_soon"}


def test_due_soon_notifies_the_office_s_staff_once_a_day(case, time_machine, django_capture_on_commit_callbacks):
    time_machine.move_to("2024-11-13 07:00 +07:00")
    with django_capture_on_commit_callbacks(execute=True):
        assert deadlines_notify() == 2
        assert deadlines_notify() == 0
    assert sorted(m.to[0] for m in mail.outbox) == ["ketua@beltim.example", "staf@beltim.example"]
    assert case.number in mail.outbox[0].subject
    assert not Notification.objects.filter(user__username="staf.bangka").exists()


def test_an_overdue_case_is_flagged_as_overdue(case, time_machine, django_capture_on_commit_callbacks):
    time_machine.move_to("2024-11-16 07:00 +07:00")
    with django_capture_on_commit_callbacks(execute=True):
        deadlines_notify()
    assert set(Notification.objects.values_list("kind", flat=True)) == {"overdue"}


def test_notices_show_on_the_case_list_until_the_case_is_opened(client, case, staff_beltim, time_machine):
    from django.urls import reverse

    time_machine.move_to("2024-11-16 07:00 +07:00")
    deadlines_notify()
    client.force_login(staff_beltim)
    assert [n.case for n in client.get(reverse("cases:list")).context["notifications"]] == [case]
    client.get(case.get_absolute_url())
    assert client.get(reverse("cases:list")).context["notifications"] == []
