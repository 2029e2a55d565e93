"""Notices and circulars from the Pemda to the ASN of chosen units (issue 19, work plan 3)."""

import io

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.mail.backends.locmem import EmailBackend
from pypdf import PdfWriter

from audit.models import AuditEntry
from organizations.models import Unit
from prevention.models import AsnNotice, NoticeDelivery
from prevention.notices import notice_deliver_run, notice_progress, notice_send
from registry.factories import EmployeeFactory

pytestmark = pytest.mark.django_db


class RefusingBackend(EmailBackend):
    """The outside world's mail server: refuses addresses at refused.example, keeps the rest in the outbox."""

    def send_messages(self, messages):
        for message in messages:
            if any(address.endswith("@refused.example") for address in message.to):
                raise OSError("550 mailbox unavailable")
        return super().send_messages(messages)


@pytest.fixture(autouse=True)
def _mail_and_tasks(settings):
    settings.EMAIL_BACKEND = "prevention.tests.test_notices.RefusingBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def staff_units(agencies):
    """Dinkes: two with e-mail (one refused), one without, one inactive; Kecamatan Manggar: one; Bangka: one."""
    dinkes, camat = agencies["dinkes_beltim"], agencies["camat_manggar"]
    bangka_unit = Unit.objects.create(agency=agencies["bangka"], name="Dinas Pendidikan Bangka")
    people = {
        "ok": EmployeeFactory(agency=agencies["beltim"], unit=dinkes, email="siti@beltim.example"),
        "refused": EmployeeFactory(agency=agencies["beltim"], unit=dinkes, email="budi@refused.example"),
        "none": EmployeeFactory(agency=agencies["beltim"], unit=dinkes, email=""),
        "inactive": EmployeeFactory(agency=agencies["beltim"], unit=dinkes, email="x@beltim.example", active=False),
        "camat": EmployeeFactory(agency=agencies["beltim"], unit=camat, email="camat@beltim.example"),
        "bangka": EmployeeFactory(agency=agencies["bangka"], unit=bangka_unit, email="b@bangka.example"),
    }
    return {"dinkes": dinkes, "camat": camat, "bangka": bangka_unit, "people": people}


def _pdf() -> bytes:
    writer, out = PdfWriter(), io.BytesIO()
    writer.add_blank_page(width=200, height=200)
    writer.write(out)
    return out.getvalue()


def test_a_notice_reaches_the_chosen_units_active_asn_and_records_each_delivery(
        staff_units, pemda_beltim, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notice = notice_send(actor=pemda_beltim, kind="circular", subject="Netralitas ASN", body="Isi edaran.",
                             units=[staff_units["dinkes"]], uploaded=SimpleUploadedFile("se.pdf", _pdf()))
    notice.refresh_from_db()
    people = staff_units["people"]
    statuses = dict(notice.deliveries.values_list("employee_id", "status"))
    assert statuses == {people["ok"].pk: "sent", people["refused"].pk: "failed", people["none"].pk: "no_email"}
    assert notice.state == "done" and notice.finished_at is not None
    [message] = mail.outbox
    assert message.to == ["siti@beltim.example"] and message.subject == "Netralitas ASN"
    assert message.attachments[0][1].startswith(b"%PDF")
    progress = notice_progress(notice)
    assert (progress["sent"], progress["failed"], progress["no_email"], progress["pending"]) == (1, 1, 1, 0)
    assert list(AuditEntry.objects.filter(target_id=str(notice.pk), action__startswith="asn_notice.")
                .order_by("id").values_list("action", flat=True)) == ["asn_notice.queued", "asn_notice.sent"]


def test_running_the_task_twice_sends_nobody_twice(staff_units, pemda_beltim, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notice = notice_send(actor=pemda_beltim, kind="notice", subject="Apel", body="Apel pagi.",
                             units=[staff_units["dinkes"], staff_units["camat"]])
    assert len(mail.outbox) == 2
    notice_deliver_run(notice_id=notice.pk)
    assert len(mail.outbox) == 2
    assert AuditEntry.objects.filter(action="asn_notice.sent", target_id=str(notice.pk)).count() == 1


def test_a_queued_notice_waits_until_the_worker_runs(staff_units, pemda_beltim):
    notice = notice_send(actor=pemda_beltim, kind="notice", subject="Apel", body="Apel pagi.",
                         units=[staff_units["camat"]])  # no commit in the test: the task is not run yet
    assert notice.state == "queued" and notice_progress(notice)["pending"] == 1 and mail.outbox == []
    notice_deliver_run(notice_id=notice.pk)
    assert notice_progress(notice)["sent"] == 1


def test_a_unit_of_another_agency_is_refused(staff_units, pemda_beltim):
    with pytest.raises(ValidationError):
        notice_send(actor=pemda_beltim, kind="notice", subject="S", body="B", units=[staff_units["bangka"]])
    assert not AsnNotice.objects.exists()


def test_a_file_that_is_not_a_pdf_is_refused_and_nothing_is_kept(staff_units, pemda_beltim):
    with pytest.raises(ValidationError):
        notice_send(actor=pemda_beltim, kind="notice", subject="S", body="B", units=[staff_units["dinkes"]],
                    uploaded=SimpleUploadedFile("a.pdf", b"not a pdf at all"))
    assert not AsnNotice.objects.exists() and not NoticeDelivery.objects.exists()


@pytest.mark.parametrize("who", ["ppk_beltim", "staff_beltim", "unit_head_dinkes"])
def test_only_the_pemdas_personnel_staff_send(staff_units, who, request):
    with pytest.raises(PermissionDenied):
        notice_send(actor=request.getfixturevalue(who), kind="notice", subject="S", body="B",
                    units=[staff_units["dinkes"]])


def test_the_page_keeps_what_was_typed_on_error_and_sends(staff_units, client, pemda_beltim,
                                                          django_capture_on_commit_callbacks):
    client.force_login(pemda_beltim)
    page = client.get("/staf/pencegahan/pemberitahuan/")
    assert page.status_code == 200 and 'name="units"' in page.content.decode()
    page = client.post("/staf/pencegahan/pemberitahuan/", {"kind": "notice", "subject": "Ikrar netralitas",
                                                            "body": "Teks pemberitahuan."})
    assert page.status_code == 400 and "Ikrar netralitas" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post("/staf/pencegahan/pemberitahuan/", {
            "kind": "notice", "subject": "Ikrar netralitas", "body": "Teks pemberitahuan.",
            "units": staff_units["camat"].name})
    notice = AsnNotice.objects.get()
    assert sent.status_code == 302 and sent["Location"] == notice.get_absolute_url()
    detail = client.get(notice.get_absolute_url()).content.decode()
    assert 'data-count="sent">1<' in detail and "camat@beltim.example" in detail
    fragment = client.get(notice.get_absolute_url(), headers={"HX-Request": "true"}).content.decode()
    assert fragment.startswith('<div id="notice-progress"') and "hx-trigger" not in fragment


def test_another_agencys_staff_cannot_see_the_notice(staff_units, client, pemda_beltim, agencies):
    from conftest import _user

    notice = notice_send(actor=pemda_beltim, kind="notice", subject="S", body="B", units=[staff_units["camat"]])
    client.force_login(_user("bkpsdm.bangka", "pemda_staff", agency=agencies["bangka"]))
    assert client.get(notice.get_absolute_url()).status_code == 404
    assert "S</a>" not in client.get("/staf/pencegahan/pemberitahuan/").content.decode()


@pytest.mark.parametrize(("who", "status"), [("staff_beltim", 403), ("ppk_beltim", 403), ("unit_head_dinkes", 403)])
def test_other_roles_are_refused_the_page(staff_units, client, who, status, request):
    client.force_login(request.getfixturevalue(who))
    assert client.get("/staf/pencegahan/pemberitahuan/").status_code == status
