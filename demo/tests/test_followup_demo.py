"""The demo follow-up (demo/followup.py): one recommendation in each state, through the services."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from followup.models import Decision, Recommendation, Reminder


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_the_demo_has_an_open_a_sanctioned_and_an_overdue_escalated_recommendation(seeded):
    from django.utils import timezone

    ppk = Recommendation.objects.filter(stage="ppk", addressee__name="Pemerintah Kabupaten Belitung Timur")
    assert ppk.filter(status="issued").exists()
    sanctioned = ppk.get(status="sanctioned")
    decision = Decision.objects.get(recommendation=sanctioned)
    assert decision.file.name.endswith(".pdf") and len(decision.sha256) == 64
    overdue = ppk.get(status="acknowledged")
    assert overdue.due_on < timezone.localdate() and overdue.escalation_level == 1
    assert Reminder.objects.filter(recommendation=overdue, escalated=False).count() == 2
    assert not Recommendation.objects.filter(stage="authority", status="issued").exists()


@pytest.mark.django_db
def test_running_the_demo_again_takes_no_follow_up_step(seeded):
    before = (Recommendation.objects.count(), Reminder.objects.count(), Decision.objects.count())
    output = StringIO()
    call_command("seed_demo", stdout=output)
    assert (Recommendation.objects.count(), Reminder.objects.count(), Decision.objects.count()) == before
    assert "followup_steps" not in output.getvalue()
