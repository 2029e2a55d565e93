"""Files left by a web process killed between writing evidence and committing the report.

bench/faults.py kills gunicorn workers with SIGKILL in the middle of submissions; such a
request leaves its files and no record. The daily purge removes them once they are old.
"""

import os
import time
from datetime import timedelta
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.core.management import call_command
from django.urls import reverse

from reports.models import EvidenceBlob, StagedFile
from reports.services import evidence_orphans_purge

pytestmark = pytest.mark.django_db
DAY = 24 * 3600


def age(storage, name, seconds):
    path = storage.path(name)
    then = time.time() - seconds
    os.utime(path, (then, then))


def left_by_a_killed_request(sha="ab" * 32):
    """What _store_blob writes before the transaction that would have named the files."""
    sealed = storages["sealed"].save(f"{sha[:2]}/{sha}_killed.bin", ContentFile(b"encrypted original"))
    public = default_storage.save(f"evidence/{sha[:2]}/{sha}_killed.jpg", ContentFile(b"public copy"))
    return sealed, public


def test_old_evidence_files_without_a_record_are_removed_and_recorded_ones_stay(client, report_data, photo):
    assert client.post(reverse("reports:submit"), {**report_data, "evidence": [photo]}).status_code == 200
    blob = EvidenceBlob.objects.get()
    sealed, public = left_by_a_killed_request()
    for storage, name in ((storages["sealed"], sealed), (default_storage, public),
                          (storages["sealed"], blob.sealed_name), (default_storage, blob.public_file.name)):
        age(storage, name, 2 * DAY)

    assert evidence_orphans_purge(older_than=timedelta(days=1)) == 2
    assert not storages["sealed"].exists(sealed) and not default_storage.exists(public)
    assert storages["sealed"].exists(blob.sealed_name) and default_storage.exists(blob.public_file.name)


def test_young_files_without_a_record_stay_their_request_may_still_commit(db):
    sealed, public = left_by_a_killed_request()
    assert evidence_orphans_purge(older_than=timedelta(days=1)) == 0
    assert storages["sealed"].exists(sealed) and default_storage.exists(public)


def test_staged_files_of_a_form_sent_back_are_not_orphans(db):
    name = storages["sealed"].save("staging/cd/" + "cd" * 32 + "-x.bin", ContentFile(b"staged"))
    StagedFile.objects.create(submission_hash="cd" * 32, name="foto.jpg", sha256="ef" * 32, size=6, sealed_name=name)
    age(storages["sealed"], name, 2 * DAY)
    assert evidence_orphans_purge(older_than=timedelta(days=1)) == 0
    assert storages["sealed"].exists(name)


def test_the_daily_purge_command_removes_orphans_too(db):
    sealed, public = left_by_a_killed_request()
    age(storages["sealed"], sealed, 2 * DAY)
    age(default_storage, public, 2 * DAY)
    out = StringIO()
    call_command("purge_staged_files", stdout=out)
    assert "Removed 2 evidence files without a record" in out.getvalue()
    assert not storages["sealed"].exists(sealed)
