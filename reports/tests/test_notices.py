"""Opt-in e-mail notices (issue 18): "there is news on your report", never the news; once per change."""

import pytest
from django.core import mail
from django.db import connection, transaction
from django.urls import reverse

from audit.models import AuditEntry
from reports.models import Report, ReporterNotice
from reports.notices import notices_send
from reports.services import report_change_status, report_hand_over, report_reply
from reports.tasks import report_notices_send_task

pytestmark = pytest.mark.django_db
STATUS = reverse("reports:tracking_status")
ADDRESS = "siti@example.org"


@pytest.fixture(autouse=True)
def _tasks_run_immediately(settings):
    """The task runs in the test's own process when enqueued (as intake's tests do)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.NETRAL_PUBLIC_URL = "https://netral.example.id"


def file(client, report_data, **changes):
    response = client.post(reverse("reports:submit"), {**report_data, **changes})
    assert response.status_code == 200, response.context["form"].errors
    return Report.objects.get(number=response.context["report"].number), response.context["code"]


@pytest.fixture
def subscribed(client, report_data):
    return file(client, report_data, notify_by_email="on")


def staff_moves(report, staff, *, to_status="in_review", **kwargs):
    return report_change_status(report=report, actor=staff, to_status=to_status, **kwargs)


def test_the_box_without_an_e_mail_address_is_refused_with_a_message(client, report_data):
    response = client.post(reverse("reports:submit"), {**report_data, "reporter_email": "", "notify_by_email": "on"})
    assert response.status_code == 400 and "notify_by_email" in response.context["form"].errors
    assert not Report.objects.exists()


def test_the_consent_is_stored_in_clear_and_the_address_only_encrypted(subscribed):
    report, _code = subscribed
    assert report.notify_by_email is True and report.reporter["email"] == ADDRESS
    with connection.cursor() as cursor:
        cursor.execute("SELECT reporter FROM reports_report WHERE id = %s", [report.pk])
        assert ADDRESS not in str(cursor.fetchone()[0])
    assert AuditEntry.objects.get(action="report.submitted").data["email_notices"] is True


def test_an_anonymous_report_asks_for_nothing_whatever_the_hidden_box_said(client, report_data, staff_beltim,
                                                                           django_capture_on_commit_callbacks):
    report, _code = file(client, report_data, identity="anonymous", notify_by_email="on")
    assert report.notify_by_email is False and report.reporter is None
    with django_capture_on_commit_callbacks(execute=True):
        staff_moves(report, staff_beltim)
    assert mail.outbox == []


def test_a_status_change_sends_one_e_mail_that_says_nothing_of_the_report(subscribed, staff_beltim,
                                                                         django_capture_on_commit_callbacks):
    report, code = subscribed
    with django_capture_on_commit_callbacks(execute=True):
        staff_moves(report, staff_beltim)
    with django_capture_on_commit_callbacks(execute=True):
        staff_moves(report, staff_beltim, to_status="not_registered", public_note="Kejadian di luar Belitung Timur.")
    assert len(mail.outbox) == 2
    notice = mail.outbox[0]
    assert notice.to == [ADDRESS] and notice.extra_headers["Auto-Submitted"] == "auto-generated"
    text = notice.subject + notice.body
    assert "https://netral.example.id/lacak/" in notice.body
    for secret in (report.number, code, code.replace("-", ""), "Siti", "Budi Santoso", "Kepala Dinas",
                   "Belitung", "Kejadian di luar", "baliho"):
        assert secret.lower() not in text.lower()
    assert ReporterNotice.objects.filter(report=report, status_change__isnull=False).count() == 2


def test_the_task_run_twice_sends_once(subscribed, staff_beltim):
    report, _code = subscribed
    staff_moves(report, staff_beltim)  # no on-commit here: the task is run by hand below, twice
    report_notices_send_task.enqueue(report.pk)
    report_notices_send_task.enqueue(report.pk)
    assert len(mail.outbox) == 1
    assert notices_send(report_id=report.pk) == 0 and len(mail.outbox) == 1


def test_changes_of_one_moment_are_told_in_one_e_mail(subscribed, staff_beltim, django_capture_on_commit_callbacks):
    report, _code = subscribed
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():  # as a case registration does
        staff_moves(report, staff_beltim)
        report_reply(report=report, actor=staff_beltim, body="Mohon kirim foto baliho dari dekat.")
    assert len(mail.outbox) == 1 and "foto baliho" not in mail.outbox[0].body
    assert ReporterNotice.objects.filter(report=report).count() == 2  # the status change and the message


def test_a_handover_is_news_too(subscribed, staff_babel, offices, places, django_capture_on_commit_callbacks):
    report, _code = subscribed
    with django_capture_on_commit_callbacks(execute=True):
        report_hand_over(report=report, actor=staff_babel, to_office=offices["bangka"], to_region=places["sungailiat"],
                         reason="Kejadian berada di Kabupaten Bangka.")
    assert len(mail.outbox) == 1 and "Bangka" not in mail.outbox[0].body


def test_what_the_reporter_does_is_not_news_to_the_reporter(client, subscribed, django_capture_on_commit_callbacks):
    report, code = subscribed
    client.post(reverse("reports:track"), {"code": code})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("reports:tracking_message"), {"body": "Saya punya foto tambahan."})
        client.post(reverse("reports:tracking_withdraw"), {"reason": "Salah lapor.", "confirm": "on"})
    report.refresh_from_db()
    assert report.status == "withdrawn" and mail.outbox == []


def test_a_mail_server_error_records_nothing_and_the_next_run_tells_it(subscribed, staff_beltim, settings):
    report, _code = subscribed
    staff_moves(report, staff_beltim)
    # The outside world fails: an SMTP server that refuses the connection.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    with pytest.raises(OSError):
        notices_send(report_id=report.pk)
    assert not ReporterNotice.objects.exists()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert notices_send(report_id=report.pk) == 1 and len(mail.outbox) == 1


def test_the_notice_is_in_the_reporter_s_language(client, report_data, staff_beltim,
                                                  django_capture_on_commit_callbacks):
    client.cookies["netral_language"] = "en"
    report, _code = file(client, report_data, notify_by_email="on")
    assert report.language == "en"
    with django_capture_on_commit_callbacks(execute=True):
        staff_moves(report, staff_beltim)
    assert mail.outbox[0].subject == "There is news on your report"


def test_the_reporter_stops_the_notices_with_the_code_alone(client, subscribed, staff_beltim,
                                                           django_capture_on_commit_callbacks):
    report, code = subscribed
    client.post(reverse("reports:track"), {"code": code})
    assert 'id="notices"' in client.get(STATUS).content.decode()
    response = client.post(reverse("reports:tracking_notices_stop"))
    assert response.status_code == 302 and response["Location"] == STATUS
    report.refresh_from_db()
    assert report.notify_by_email is False
    entry = AuditEntry.objects.get(action="report.notices_stopped")
    assert entry.actor_kind == "reporter" and ADDRESS not in str(entry.data)
    assert 'id="notices"' not in client.get(STATUS).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        staff_moves(report, staff_beltim)
    assert mail.outbox == []


def test_without_the_tracking_session_nothing_is_stopped(client, subscribed):
    report, _code = subscribed
    response = client.post(reverse("reports:tracking_notices_stop"))
    assert response.status_code == 302 and response["Location"] == reverse("reports:track")
    report.refresh_from_db()
    assert report.notify_by_email is True
