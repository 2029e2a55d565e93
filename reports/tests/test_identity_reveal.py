"""Two people to open a reporter's identity (issue 16): ask with a reason, leadership approves.

The cast: staff and leadership of Belitung Timur (the report's office), the province above it,
and Bangka beside it. Set-up goes through the real pages and services.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from accounts.tests.otp import confirmed_totp_device
from audit.models import AuditEntry
from organizations.models import BawasluOffice
from reports.identity import identity_request_create, identity_request_decide, report_reveal_identity
from reports.models import IdentityDisclosure, IdentityRequest
from reports.services import ReportedPersonInput, ReporterIdentity, ReportSubmission, report_submit
from reports.tracking import new_submission_token

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")
REASON = "Mengundang pelapor untuk klarifikasi pada hari Senin."
REPORTER = "Siti Aminah"


def person(username, role, office, **names):
    user = User.objects.create_user(username=username, password="kata-sandi-uji-123", role=role,
                                    bawaslu_office=office, **names)
    confirmed_totp_device(user)
    return user


@pytest.fixture
def filed(places, offices, election):
    """A report with identity at Belitung Timur, and its tracking code."""
    submission = ReportSubmission(
        election=election, region=places["manggar"], place="Kantor camat", known_on=date(2024, 11, 11),
        description="ASN ikut kampanye terbuka pasangan calon.",
        reporter=ReporterIdentity(name=REPORTER, address="Manggar", phone="0812 3456 7890"),
        reported=[ReportedPersonInput(name="Budi Santoso", position="Camat")],
    )
    receipt = report_submit(submission=submission, submission_token=new_submission_token())
    return receipt.report, receipt.code


@pytest.fixture
def report(filed):
    return filed[0]


@pytest.fixture
def asker(offices):
    return person("andi.beltim", "bawaslu_staff", offices["beltim"], first_name="Andi", last_name="Wijaya")


@pytest.fixture
def lead(offices):
    return person("ketua.beltim.2", "bawaslu_lead", offices["beltim"], first_name="Rahmat", last_name="Hidayat",
                  email="ketua@bawaslu-beltim.example")


@pytest.fixture
def lead_babel(offices):
    return person("ketua.babel", "bawaslu_lead", offices["babel"])


@pytest.fixture
def lead_bangka(offices):
    return person("ketua.bangka", "bawaslu_lead", offices["bangka"])


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def ask(user, report, reason=REASON):
    return as_user(user).post(reverse("reports:identity_request", args=[report.pk]), {"reason": reason})


def decide(user, asked, decision="approve", note=""):
    return as_user(user).post(reverse("reports:identity_decide", args=[asked.report_id, asked.pk]),
                              {"decision": decision, "note": note})


def reveal(user, report):
    return as_user(user).post(reverse("reports:reveal_identity", args=[report.pk]))


def actions():
    return list(AuditEntry.objects.filter(action__startswith="report.identity").values_list("action", flat=True))


# --- The flow -----------------------------------------------------------------------------------

def test_an_office_asks_for_two_people_by_default(offices):
    assert all(office.identity_reveal_needs_approval for office in BawasluOffice.objects.all())


def test_without_an_approval_the_identity_stays_closed(asker, report):
    page = as_user(asker).get(report.get_absolute_url())
    assert b'id="identity-request"' in page.content and REPORTER.encode() not in page.content
    assert reveal(asker, report).status_code == 403
    assert actions() == [] and not IdentityDisclosure.objects.exists()


def test_an_approved_request_lets_the_requester_see_the_identity(asker, lead, report):
    assert ask(asker, report).status_code == 302
    asked = IdentityRequest.objects.get()
    assert (asked.status, asked.requested_by, asked.reason) == ("pending", asker, REASON)
    assert b'id="identity-waiting"' in as_user(asker).get(report.get_absolute_url()).content
    assert f'id="identity-decide-{asked.pk}"'.encode() in as_user(lead).get(report.get_absolute_url()).content

    assert decide(lead, asked).status_code == 302
    asked.refresh_from_db()
    assert (asked.status, asked.decided_by) == ("approved", lead)
    page = reveal(asker, report)
    assert page.status_code == 200 and REPORTER in page.content.decode()
    assert actions() == ["report.identity_requested", "report.identity_request_approved", "report.identity_viewed"]
    viewed = AuditEntry.objects.get(action="report.identity_viewed")
    assert viewed.actor == asker and viewed.data == {"request": asked.pk}
    assert AuditEntry.objects.get(action="report.identity_requested").data == {"request": asked.pk, "reason": REASON}
    assert REPORTER not in str(list(AuditEntry.objects.values_list("data", flat=True)))


def test_the_approval_is_for_the_requester_alone(asker, lead, report, staff_beltim):
    ask(asker, report)
    decide(lead, IdentityRequest.objects.get())
    assert reveal(staff_beltim, report).status_code == 403
    assert reveal(lead, report).status_code == 403  # approving is not seeing


def test_an_approval_lasts_until_the_end_of_the_day(asker, lead, report, time_machine):
    time_machine.move_to(datetime(2024, 11, 12, 10, 0, tzinfo=WIB))
    ask(asker, report)
    decide(lead, IdentityRequest.objects.get())
    assert IdentityRequest.objects.get().valid_until == datetime(2024, 11, 13, 0, 0, tzinfo=WIB)
    time_machine.move_to(datetime(2024, 11, 12, 23, 59, tzinfo=WIB))
    assert reveal(asker, report).status_code == 200
    time_machine.move_to(datetime(2024, 11, 13, 0, 1, tzinfo=WIB))
    assert reveal(asker, report).status_code == 403
    assert b'id="identity-request"' in as_user(asker).get(report.get_absolute_url()).content  # ask again


def test_a_refused_request_opens_nothing(asker, lead, report):
    ask(asker, report)
    assert decide(lead, IdentityRequest.objects.get(), "refuse", note="Belum perlu.").status_code == 302
    assert IdentityRequest.objects.get().status == "refused"
    assert reveal(asker, report).status_code == 403
    assert actions() == ["report.identity_requested", "report.identity_request_refused"]


def test_a_request_is_decided_once(asker, lead, lead_babel, report):
    ask(asker, report)
    asked = IdentityRequest.objects.get()
    decide(lead, asked)
    decide(lead_babel, asked, "refuse")
    asked.refresh_from_db()
    assert (asked.status, asked.decided_by) == ("approved", lead)
    assert actions().count("report.identity_request_refused") == 0


def test_asking_twice_makes_one_request(asker, report):
    ask(asker, report)
    ask(asker, report)
    assert IdentityRequest.objects.count() == 1 and actions() == ["report.identity_requested"]


def test_a_request_needs_a_reason(asker, report):
    response = ask(asker, report, reason="perlu")
    assert response.status_code == 400 and response.context["identity_request_form"].errors["reason"]
    assert not IdentityRequest.objects.exists() and actions() == []


def test_an_anonymous_report_has_no_identity_to_ask_for(asker, places, offices, election):
    anonymous = report_submit(submission=ReportSubmission(
        election=election, region=places["manggar"], place="Kantor camat", known_on=date(2024, 11, 11),
        description="ASN ikut kampanye terbuka pasangan calon.", reporter=None,
        reported=[ReportedPersonInput(name="Budi Santoso")]), submission_token=new_submission_token()).report
    assert ask(asker, anonymous).status_code == 400
    assert not IdentityRequest.objects.exists()


def test_the_leadership_is_told_by_mail_and_in_the_inbox(asker, lead, report, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ask(asker, report)
    assert [mail.to for mail in mailoutbox] == [[lead.email]]
    assert report.number in mailoutbox[0].body and REPORTER not in mailoutbox[0].body
    inbox = as_user(lead).get(reverse("reports:inbox"))
    assert b'id="identity-requests-waiting"' in inbox.content
    listing = as_user(lead).get(reverse("reports:identity_requests"))
    assert list(listing.context["to_decide"]) == [IdentityRequest.objects.get()]
    assert REPORTER not in listing.content.decode()


# --- Who decides ----------------------------------------------------------------------------------

def test_the_requester_never_approves_their_own_request(lead, report):
    ask(lead, report)
    asked = IdentityRequest.objects.get()
    assert decide(lead, asked).status_code == 403
    assert IdentityRequest.objects.get().status == "pending"
    assert list(as_user(lead).get(reverse("reports:identity_requests")).context["to_decide"]) == []


def test_staff_who_are_not_leadership_cannot_approve(asker, staff_beltim, report):
    ask(asker, report)
    assert decide(staff_beltim, IdentityRequest.objects.get()).status_code == 403
    assert IdentityRequest.objects.get().status == "pending"


def test_leadership_of_a_higher_office_may_approve(asker, lead_babel, report):
    ask(asker, report)
    assert decide(lead_babel, IdentityRequest.objects.get()).status_code == 302
    assert reveal(asker, report).status_code == 200


def test_leadership_of_a_lower_office_cannot_approve_a_higher_office_s_request(staff_babel, lead, report):
    ask(staff_babel, report)
    assert decide(lead, IdentityRequest.objects.get()).status_code == 403
    assert IdentityRequest.objects.get().status == "pending"


# --- Another jurisdiction: neither ask, nor approve, nor see ------------------------------------------

def test_staff_of_another_regency_cannot_ask(staff_bangka, report):
    assert ask(staff_bangka, report).status_code == 404
    with pytest.raises(PermissionDenied):
        identity_request_create(report=report, actor=staff_bangka, reason=REASON)
    assert not IdentityRequest.objects.exists() and actions() == []


def test_leadership_of_another_regency_cannot_approve(asker, lead_bangka, report):
    ask(asker, report)
    asked = IdentityRequest.objects.get()
    assert decide(lead_bangka, asked).status_code == 404
    with pytest.raises(PermissionDenied):
        identity_request_decide(request=asked, actor=lead_bangka, approve=True)
    assert IdentityRequest.objects.get().status == "pending"
    assert list(as_user(lead_bangka).get(reverse("reports:identity_requests")).context["to_decide"]) == []


def test_staff_of_another_regency_cannot_see_even_with_an_approval_elsewhere(asker, lead, staff_bangka, report):
    ask(asker, report)
    decide(lead, IdentityRequest.objects.get())
    assert reveal(staff_bangka, report).status_code == 404
    with pytest.raises(PermissionDenied):
        report_reveal_identity(report=report, actor=staff_bangka)
    assert "report.identity_viewed" not in actions()


# --- What the reporter sees -------------------------------------------------------------------------

def test_the_reporter_s_page_shows_the_opening_by_role_and_date_never_by_name(asker, lead, filed, time_machine):
    report, code = filed
    time_machine.move_to(datetime(2024, 11, 12, 10, 0, tzinfo=WIB))
    ask(asker, report)
    decide(lead, IdentityRequest.objects.get())
    reveal(asker, report)
    reveal(asker, report)  # a second look the same day is audited, not listed again
    reporter = Client()
    reporter.post(reverse("reports:track"), {"code": code})
    page = reporter.get(reverse("reports:tracking_status")).content.decode()
    with translation.override("id"):
        staff_role, lead_role = str(User.Role.BAWASLU_STAFF.label), str(User.Role.BAWASLU_LEAD.label)
    assert page.count('id="identity-openings"') == 1 and "12 November 2024" in page
    assert f"“{staff_role}”" in page and f"“{lead_role}”" in page
    for name in ("Andi", "Wijaya", "andi.beltim", "Rahmat", "Hidayat", "ketua.beltim"):
        assert name not in page
    assert IdentityDisclosure.objects.count() == 1
    assert AuditEntry.objects.filter(action="report.identity_viewed").count() == 2


def test_before_any_opening_the_reporter_reads_that_no_one_opened_it(filed):
    report, code = filed
    reporter = Client()
    reporter.post(reverse("reports:track"), {"code": code})
    page = reporter.get(reverse("reports:tracking_status"))
    assert page.context["identity_disclosures"] == [] and b'id="identity-openings"' in page.content


# --- An office that turned the second person off ------------------------------------------------------

def test_without_the_second_person_the_one_step_audited_reveal_applies(asker, filed):
    report, code = filed
    BawasluOffice.objects.filter(pk=report.office_id).update(identity_reveal_needs_approval=False)
    assert ask(asker, report).status_code == 400 and not IdentityRequest.objects.exists()
    page = reveal(asker, report)
    assert page.status_code == 200 and REPORTER in page.content.decode()
    reveal(asker, report)
    assert actions() == ["report.identity_viewed", "report.identity_viewed"]
    opening = IdentityDisclosure.objects.get()  # one line per person and day
    assert (opening.viewer_role, opening.approver_role, opening.request) == ("bawaslu_staff", "", None)
    reporter = Client()
    reporter.post(reverse("reports:track"), {"code": code})
    with translation.override("id"):
        assert f"“{User.Role.BAWASLU_STAFF.label}”" in reporter.get(reverse("reports:tracking_status")).content.decode()


def test_the_requests_page_is_paged_and_its_query_count_does_not_grow(asker, lead, places, offices, election):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def file_and_ask(count):
        for n in range(count):
            submission = ReportSubmission(
                election=election, region=places["manggar"], place="Kantor camat", known_on=date(2024, 11, 11),
                description=f"ASN ikut kampanye terbuka pasangan calon, laporan {n}.",
                reporter=ReporterIdentity(name=REPORTER, address="Manggar"),
                reported=[ReportedPersonInput(name="Budi Santoso", position="Camat")],
            )
            ask(asker, report_submit(submission=submission, submission_token=new_submission_token()).report)

    def queries(user):
        client = as_user(user)
        client.get(reverse("reports:identity_requests"))  # session and caches warm
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("reports:identity_requests"))
        return len(captured), response

    file_and_ask(2)
    few, _response = queries(lead)
    few_mine, _response = queries(asker)
    file_and_ask(28)
    many, response = queries(lead)
    many_mine, mine_response = queries(asker)
    assert (many, many_mine) == (few, few_mine)
    assert len(response.context["to_decide"]) == 25 and response.context["page"].paginator.count == 30
    assert len(mine_response.context["mine"]) == 25
    assert len(as_user(lead).get(reverse("reports:identity_requests"), {"page": 2}).context["to_decide"]) == 5
