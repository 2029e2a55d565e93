"""The daily reminder run killed half-way, then run again (PostgreSQL).

A row lock held by the test stops ``manage.py followup_remind`` at the third overdue
recommendation, inside its transaction; the process is killed there with SIGKILL. Run again,
it reminds the ones it had not reached and none of the others a second time: one reminder,
one letter, one notice and one e-mail per recommendation.
"""

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from django.conf import settings as django_settings
from django.db import connection

from followup.models import Notice, Recommendation, Reminder
from followup.tests.conftest import forward_case
from reports.services import ReportedPersonInput

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks and a second process need PostgreSQL"),
]

OVERDUE = 5


def database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgresql://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def remind(log: Path) -> subprocess.Popen:
    """The daily job as cron runs it, on today's real date (the recommendations are from 2024)."""
    env = {**os.environ, "DATABASE_URL": database_url(), "NETRAL_DATA_DIR": str(django_settings.DATA_DIR),
           "NETRAL_MEDIA_ROOT": str(django_settings.MEDIA_ROOT), "NETRAL_DEBUG": "0",
           "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    with open(log, "ab") as out:
        return subprocess.Popen([sys.executable, "manage.py", "followup_remind"], cwd=django_settings.BASE_DIR,
                                env=env, stdout=out, stderr=subprocess.STDOUT)


def test_an_interrupted_reminder_run_sends_nothing_twice(tmp_path, places, election, staff_beltim, lead_beltim,
                                                          authority_bkn, camat):
    authority_bkn.email = "bkn@example.go.id"
    authority_bkn.save(update_fields=["email"])
    person = [ReportedPersonInput(name=camat.name, position=camat.position, employee=camat)]
    for _ in range(OVERDUE):
        forward_case(region=places["manggar"], election=election, staff=staff_beltim, lead=lead_beltim,
                     persons=person)
    overdue = list(Recommendation.objects.order_by("due_on", "pk"))  # the job's order
    assert len(overdue) == OVERDUE

    log = tmp_path / "remind.log"
    blocker = psycopg.connect(database_url())
    blocker.execute("SELECT id FROM followup_recommendation WHERE id = %s FOR UPDATE", [overdue[2].pk])
    job = remind(log)
    try:
        deadline = time.monotonic() + 120
        while Reminder.objects.count() < 2:  # the first two committed; the third waits for the lock
            assert job.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.05)
        job.send_signal(signal.SIGKILL)
        job.wait()
    finally:
        blocker.rollback()
        blocker.close()
    assert Reminder.objects.count() == 2

    assert remind(log).wait(timeout=120) == 0, log.read_text()

    # Header lines longer than 78 characters are folded (a line break before a space): unfolded here,
    # since a longer letter number (higher sequence values in a full test run) folds the subject.
    written = re.sub(r"\r?\n(?=[ \t])", "", log.read_text())
    for recommendation in overdue:
        assert Reminder.objects.filter(recommendation=recommendation).count() == 1
        assert Notice.objects.filter(recommendation=recommendation, user=authority_bkn,
                                     kind=Notice.Kind.REMINDER).count() == 1
        mails = [line for line in written.splitlines()
                 if line.startswith("Subject:") and line.endswith(recommendation.number)]
        assert len(mails) == 1, (recommendation.number, mails, log.read_text()[-4000:])
    assert len({reminder.letter_id for reminder in Reminder.objects.all()} - {None}) == OVERDUE
