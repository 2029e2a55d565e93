"""Deadlines, reminders and escalation of ignored recommendations, with frozen dates."""

from datetime import date

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from followup.models import Notice, Recommendation, Reminder
from followup.services import decision_record, reminders_send

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _installation(settings):
    settings.NETRAL_REMINDER_INTERVAL_DAYS = 3
    settings.NETRAL_REMINDERS_BEFORE_ESCALATION = 2


def on(time_machine, day: str) -> dict:
    time_machine.move_to(f"{day} 06:15 +07:00")
    return reminders_send()


def pdf_text(letter) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(letter.file.path).pages).split())


def notified(recommendation, kind):
    return {notice.user.username for notice in Notice.objects.filter(recommendation=recommendation, kind=kind)}


def test_a_ppk_recommendation_is_reminded_then_escalated_to_the_authority_head(
        time_machine, pemda_beltim, ppk_beltim, staff_beltim, lead_beltim, authority_bkn, recommended):
    # Issued on Monday 2 December 2024: 3 calendar days, due on Thursday 5 December.
    assert recommended.issued_on == date(2024, 12, 2) and recommended.due_on == date(2024, 12, 5)
    assert on(time_machine, "2024-12-05") == {"reminders": 0, "escalations": 0}

    assert on(time_machine, "2024-12-06") == {"reminders": 1, "escalations": 0}
    first = Reminder.objects.get(recommendation=recommended)
    assert (first.sequence, first.sent_on, first.escalated) == (1, date(2024, 12, 6), False)
    assert first.addressee == "Bupati Belitung Timur"
    assert first.letter.file.read(5) == b"%PDF-" and "Bupati Belitung Timur" in pdf_text(first.letter)
    assert notified(recommended, "reminder") == {"bkpsdm.beltim", "ppk.beltim"}

    assert on(time_machine, "2024-12-07") == {"reminders": 0, "escalations": 0}  # every 3 days, not daily
    assert on(time_machine, "2024-12-08") == {"reminders": 0, "escalations": 0}
    assert on(time_machine, "2024-12-09") == {"reminders": 1, "escalations": 0}
    assert on(time_machine, "2024-12-12") == {"reminders": 0, "escalations": 1}
    escalation = Reminder.objects.get(recommendation=recommended, sequence=3)
    assert escalation.escalated and escalation.level == 1
    assert escalation.addressee == "Kepala Badan Kepegawaian Negara"
    assert escalation.letter.kind == "followup-escalation" and escalation.letter.file.read(5) == b"%PDF-"
    assert notified(recommended, "escalated") == {"bkn", "staf.beltim", "ketua.beltim"}
    recommended.refresh_from_db()
    assert (recommended.escalation_level, recommended.escalated_on) == (1, date(2024, 12, 12))

    # Past the last level the owner is still reminded, but nothing climbs further.
    assert on(time_machine, "2024-12-15") == {"reminders": 1, "escalations": 0}
    assert on(time_machine, "2024-12-18") == {"reminders": 1, "escalations": 0}
    recommended.refresh_from_db()
    assert recommended.escalation_level == 1 and recommended.reminders_sent == 5
    assert Reminder.objects.filter(recommendation=recommended, escalated=True).count() == 1


def test_running_the_job_twice_a_day_sends_nothing_twice(time_machine, pemda_beltim, ppk_beltim, recommended):
    assert on(time_machine, "2024-12-06") == {"reminders": 1, "escalations": 0}
    time_machine.move_to("2024-12-06 18:00 +07:00")
    call_command("followup_remind", verbosity=0)
    assert reminders_send() == {"reminders": 0, "escalations": 0}
    assert Reminder.objects.filter(recommendation=recommended).count() == 1
    assert Notice.objects.filter(recommendation=recommended, kind="reminder").count() == 2


def test_a_decided_recommendation_is_never_reminded(time_machine, pemda_beltim, recommended):
    decision_record(recommendation=recommended, actor=pemda_beltim, outcome="refused",
                    reason="Terlapor telah pensiun sebelum rekomendasi diterima.")
    for day in ("2024-12-06", "2024-12-09", "2024-12-12", "2024-12-30"):
        assert on(time_machine, day) == {"reminders": 0, "escalations": 0}
    assert not Reminder.objects.exists()


def test_the_reminder_interval_and_the_escalation_threshold_are_settings(time_machine, settings, pemda_beltim,
                                                                         recommended):
    settings.NETRAL_REMINDER_INTERVAL_DAYS, settings.NETRAL_REMINDERS_BEFORE_ESCALATION = 1, 1
    assert on(time_machine, "2024-12-06") == {"reminders": 1, "escalations": 0}
    assert on(time_machine, "2024-12-07") == {"reminders": 0, "escalations": 1}


def test_an_unanswered_forwarding_escalates_to_the_bawaslu_office_above(time_machine, authority_bkn, staff_babel,
                                                                       staff_beltim, forwarded):
    # 14 working days from Monday 2 December 2024: Friday 20 December.
    assert forwarded.due_on == date(2024, 12, 20)
    assert on(time_machine, "2024-12-20") == {"reminders": 0, "escalations": 0}
    assert on(time_machine, "2024-12-21") == {"reminders": 1, "escalations": 0}
    first = Reminder.objects.get(recommendation=forwarded)
    assert first.addressee == "Kepala Badan Kepegawaian Negara" and notified(forwarded, "reminder") == {"bkn"}
    assert on(time_machine, "2024-12-24") == {"reminders": 1, "escalations": 0}
    assert on(time_machine, "2024-12-27") == {"reminders": 0, "escalations": 1}
    escalation = Reminder.objects.get(recommendation=forwarded, escalated=True)
    assert escalation.addressee == "Ketua Bawaslu Provinsi Kepulauan Bangka Belitung"
    assert notified(forwarded, "escalated") == {"staf.babel"}
    assert on(time_machine, "2024-12-30") == {"reminders": 1, "escalations": 0}
    assert Reminder.objects.filter(recommendation=forwarded, escalated=True).count() == 1


def test_a_case_forwarded_in_the_kasn_period_gets_the_kasn_limits(time_machine, places, election, staff_beltim,
                                                                 lead_beltim, camat):
    from followup.tests.conftest import forward_case
    from reports.services import ReportedPersonInput

    time_machine.move_to("2024-07-15 10:00 +07:00")  # Monday; KASN until 23 August 2024
    case = forward_case(region=places["manggar"], election=election, staff=staff_beltim, lead=lead_beltim,
                        persons=[ReportedPersonInput(name=camat.name, position=camat.position, employee=camat)],
                        known_on=date(2024, 7, 12))
    forwarding = Recommendation.objects.get(case=case, stage="authority")
    assert forwarding.authority == "kasn" and forwarding.limit_id == "authority-kasn"
    assert forwarding.addressee.authority_code == "kasn"
    assert not forwarding.limit_verified and "UU 5/2014" in forwarding.limit_citation
    # 14 working days from Monday 15 July 2024 (no holiday in between): Friday 2 August.
    assert forwarding.issued_on == date(2024, 7, 15) and forwarding.due_on == date(2024, 8, 2)
    from accounts.models import User
    from followup.sanctions import Grade
    from followup.services import recommendation_issue

    kasn = User.objects.create_user(username="kasn", password="kata-sandi-uji-123", role="authority",
                                    agency=forwarding.addressee)
    time_machine.move_to("2024-07-22 10:00 +07:00")
    recommended = recommendation_issue(forwarding=forwarding, actor=kasn, person=case.persons.get(),
                                       addressee=camat.agency, employee_kind="pns", position_class="pengawas",
                                       violations=forwarding.violations.all(), grade=Grade("moral", ""))
    assert recommended.authority == "kasn" and recommended.limit_id == "ppk-kasn"
    assert recommended.due_on == date(2024, 7, 25)
