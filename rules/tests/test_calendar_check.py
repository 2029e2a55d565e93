"""``manage.py calendar_check``: from 1 October administrators are asked, once, to confirm next year."""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from audit.models import AuditEntry
from rules.models import CalendarYear

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrators(admin_national, staff_beltim, django_user_model):
    """Who should be told: the administrator role and a superuser; not staff, not inactive accounts."""
    admin_national.email = "admin.nasional@example.org"
    admin_national.save(update_fields=["email"])
    staff_beltim.email = "staf.beltim@example.org"
    staff_beltim.save(update_fields=["email"])
    root = django_user_model.objects.create_superuser(username="root", password="kata-sandi-uji-123",
                                                      email="root@example.org")
    django_user_model.objects.create_superuser(username="gone", password="kata-sandi-uji-123",
                                               email="gone@example.org", is_active=False)
    return [admin_national, root]


def run() -> str:
    out = StringIO()
    call_command("calendar_check", stdout=out, stderr=out)
    return out.getvalue()


def notices():
    return AuditEntry.objects.filter(action="rules.calendar_confirmation_requested")


def test_before_1_october_nothing_is_sent(administrators, time_machine):
    time_machine.move_to("2026-09-30 06:15 +07:00")
    assert "confirmed" in run()
    assert mail.outbox == [] and not notices().exists()


def test_from_1_october_each_administrator_gets_one_mail(administrators, time_machine):
    time_machine.move_to("2026-10-01 06:15 +07:00")
    output = run()
    assert "2027" in output
    assert sorted(message.to[0] for message in mail.outbox) == ["admin.nasional@example.org", "root@example.org"]
    assert all(len(message.to) == 1 and "2027" in message.subject for message in mail.outbox)
    assert "2027" in mail.outbox[0].body
    entry = notices().get()
    assert (entry.target_type, entry.target_id, entry.actor) == ("rules.calendaryear", "2027", None)
    assert entry.data == {"year": 2027, "on": "2026-10-01", "recipients": 2}


def test_a_second_run_sends_nothing_more(administrators, time_machine):
    time_machine.move_to("2026-10-01 06:15 +07:00")
    run()
    time_machine.move_to("2026-10-02 06:15 +07:00")
    assert "already told" in run()
    time_machine.move_to("2026-12-31 06:15 +07:00")
    run()
    assert len(mail.outbox) == 2 and notices().count() == 1


def test_a_confirmed_year_sends_nothing(administrators, time_machine):
    CalendarYear.objects.create(year=2027, decree="SKB contoh (uji)", confirmed_at=timezone.now())
    time_machine.move_to("2026-10-01 06:15 +07:00")
    run()
    assert mail.outbox == [] and not notices().exists()


def test_without_an_administrator_to_tell_nothing_is_recorded_and_the_next_run_tries_again(admin_national,
                                                                                          time_machine):
    time_machine.move_to("2026-10-01 06:15 +07:00")
    assert "no active administrator" in run()  # admin_national has no e-mail address
    assert mail.outbox == [] and not notices().exists()
    admin_national.email = "admin.nasional@example.org"
    admin_national.save(update_fields=["email"])
    run()
    assert len(mail.outbox) == 1 and notices().count() == 1

