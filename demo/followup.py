"""Demo follow-up: recommendations in every state, moved through the real services.

- The case demo.reports forwards to BKN today: BKN acknowledges it and recommends a
  sanction to the PPK of Belitung Timur (open, due in a few days).
- A case forwarded three weeks ago: recommended, and the PPK recorded the sanction with
  its decision letter (a published outcome).
- A case forwarded twelve days ago: recommended, acknowledged and then ignored, so it is
  overdue and the daily job has sent its reminders and escalated it.

The older stories happened in the past: they run with the clock set back (``_days_ago``)
so that letters, deadlines and reminders carry the dates they would have had. Idempotent:
a story whose report exists already is not filed again, and each later step runs only
when its recommendation is still at the step before.
"""

import hashlib
from contextlib import contextmanager
from datetime import timedelta
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import User
from cases import requirements
from cases import services as case_services
from followup import services
from followup.models import Recommendation
from followup.positions import guess_position_class
from followup.sanctions import ActContext, allowed_grades, allowed_sanctions
from regions.models import Region
from registry.models import Employee
from reports import services as report_services
from reports.models import Report
from reports.tracking import sha256_hex
from rules.models import Election, Violation
from rules.selectors import catalog

# (key, days ago it was forwarded, register index, violation, PPK decides?, story)
STORIES = [
    ("sanctioned", 21, 9, "partisan-photo", True,
     "Kepala seksi mengunggah foto bersama pasangan calon bupati dengan simbol jari di Instagram."),
    ("overdue", 12, 10, "campaign-mobilising-pns", False,
     "Kepala bidang mewajibkan stafnya menghadiri kampanye terbuka pasangan calon."),
]


@contextmanager
def _days_ago(days: int):
    """Run the services as if it were ``days`` days ago (the demo's older stories)."""
    real_now = timezone.now
    with mock.patch("django.utils.timezone.now", lambda: real_now() - timedelta(days=days)):
        yield


def _token(key: str) -> str:
    return hashlib.sha256(f"netral-demo-followup-{key}".encode()).hexdigest()[:43]


def _accounts() -> dict:
    names = ("bkn", "ppk.beltim", "bkpsdm.beltim", "staf.beltim", "ketua.beltim")
    return {user.username: user for user in User.objects.filter(username__in=names)}


def seed_followup(stdout=None) -> int:
    """Walk the demo recommendations; returns how many steps were taken."""
    users = _accounts()
    steps = 0
    forwarding = (Recommendation.objects.filter(stage=Recommendation.Stage.AUTHORITY, case__office__region__code="19.06")
                  .exclude(case__case_reports__report__submission_hash__in=[
                      sha256_hex(_token(key)) for key, *_rest in STORIES])
                  .order_by("id").first())
    if forwarding is not None:
        steps += _answer(forwarding, users)
    for key, days, index, violation, decides, story in STORIES:
        steps += _story(key, days, index, violation, decides, story, users)
    return steps


def _answer(forwarding, users) -> int:
    """BKN acknowledges a forwarding and recommends a sanction for each reported person."""
    steps = 0
    if forwarding.status == Recommendation.Status.ISSUED:
        services.recommendation_acknowledge(recommendation=forwarding, actor=users["bkn"])
        steps += 1
    for person in forwarding.case.persons.exclude(recommendations__stage=Recommendation.Stage.PPK):
        if person.employee is None:
            continue
        forwarding.refresh_from_db()
        if not forwarding.is_open:
            break
        violations = list(forwarding.violations.all())
        kind = person.employee.kind
        grades = allowed_grades(catalog(), [v.pk for v in violations], kind,
                                context=ActContext.of_case(forwarding.case))
        if not grades:
            continue
        services.recommendation_issue(
            forwarding=forwarding, actor=users["bkn"], person=person, addressee=person.employee.agency,
            employee_kind=kind, position_class=guess_position_class(person.position, kind), violations=violations,
            grade=grades[-1], considerations="Terlapor mengakui perbuatannya dalam klarifikasi.")
        steps += 1
    return steps


def _story(key, days, index, violation_id, decides, story, users) -> int:
    token = _token(key)
    report = Report.objects.filter(submission_hash=sha256_hex(token)).first()
    steps = 0
    if report is None:
        with _days_ago(days):
            _file_and_forward(token, index, violation_id, story, users)
        steps += 1
        report = Report.objects.get(submission_hash=sha256_hex(token))
    forwarding = Recommendation.objects.filter(case__case_reports__report=report,
                                               stage=Recommendation.Stage.AUTHORITY).first()
    if forwarding is None:
        return steps
    if forwarding.is_open:
        with _days_ago(days - 2):
            steps += _answer(forwarding, users)
    for recommendation in forwarding.children.filter(is_open__in=[True]).select_related("addressee"):
        if recommendation.status == Recommendation.Status.ISSUED:
            with _days_ago(days - 3):
                services.recommendation_acknowledge(recommendation=recommendation, actor=users["bkpsdm.beltim"])
            steps += 1
        if decides:
            with _days_ago(days - 4):
                _impose(recommendation, users["ppk.beltim"])
            steps += 1
        else:
            steps += _remind_until_today(recommendation)
    return steps


def _file_and_forward(token, index, violation_id, story, users):
    """A report about one employee of the register, studied and forwarded to BKN."""
    election = Election.objects.get(pk="pilkada-2024")
    employee = (Employee.objects.filter(agency__region__code="19.06", active=True, kind=Employee.Kind.PNS)
                .select_related("unit").order_by("nip")[index])
    known = timezone.localdate() - timedelta(days=1)
    submission = report_services.ReportSubmission(
        election=election, region=Region.objects.get(code="19.06.01"), place="Manggar", known_on=known,
        # Within the election's stages (issue 19: an event outside them is not a report).
        occurred_on=election.voting_day - timedelta(days=7), description=story,
        reporter=report_services.ReporterIdentity(name="Pelapor Demo Tindak Lanjut", address="Jl. Demo No. 1",
                                                  phone="081200000099"),
        reported=[report_services.ReportedPersonInput(name=employee.name, position=employee.position,
                                                      unit=employee.unit.name if employee.unit else "",
                                                      employee=employee)],
        links=["https://instagram.com/demo/post/1"],
    )
    report = report_services.report_submit(submission=submission, submission_token=token).report
    staff, lead = users["staf.beltim"], users["ketua.beltim"]
    report = report_services.report_change_status(report=report, actor=staff, to_status="in_review")
    checks = [case_services.Check(r.id, True) for r in requirements.for_regime(election.regime)]
    case = case_services.case_register_report(report=report, actor=staff, checks=checks)
    case = case_services.case_start_study(case=case, actor=staff)
    for person in case.persons.filter(employee__isnull=True, subject=""):
        case_services.case_person_set_subject(person=person, actor=staff, subject="pns")
    case = case_services.case_propose(
        case=case, actor=staff, outcome="forwarded_authority", violations=[Violation.objects.get(pk=violation_id)],
        legal_analysis="Hasil klarifikasi dan bukti tangkapan layar memenuhi unsur pelanggaran.",
        conclusion="Terbukti melanggar netralitas ASN.")
    case_services.case_approve(case=case, actor=lead,
                               announcement="Diteruskan kepada Badan Kepegawaian Negara untuk ditindaklanjuti.")


def _impose(recommendation, ppk):
    violation_ids = list(recommendation.violations.values_list("pk", flat=True))
    sanction = allowed_sanctions(catalog(), violation_ids, recommendation.employee_kind,
                                 context=ActContext.of_case(recommendation.case))[-1]
    services.decision_record(
        recommendation=recommendation, actor=ppk, outcome="imposed", sanction=sanction.id,
        letter_number=f"800.1.6.3/{recommendation.pk:03d}/BKPSDM/{timezone.localdate():%Y}",
        letter_date=timezone.localdate(), upload=SimpleUploadedFile("sk-bupati.pdf", _decision_pdf(recommendation),
                                                                    content_type="application/pdf"))


def _decision_pdf(recommendation) -> bytes:
    from django.utils.html import escape
    from weasyprint import HTML

    html = (f"<html><body style='font-family: Liberation Sans, sans-serif'><h1>Keputusan Bupati Belitung Timur</h1>"
            f"<p>Contoh keputusan untuk data demo Netral, menindaklanjuti rekomendasi "
            f"{escape(recommendation.number)}.</p></body></html>")
    return HTML(string=html).write_pdf()


def _remind_until_today(recommendation) -> int:
    """Run the daily job for each day since the deadline, as the server's cron would have."""
    sent = 0
    day = recommendation.due_on + timedelta(days=1)
    today = timezone.localdate()
    while day <= today:
        with _days_ago((today - day).days):
            counts = services.reminders_send(today=day)
        sent += counts["reminders"] + counts["escalations"]
        day += timedelta(days=1)
    return sent
