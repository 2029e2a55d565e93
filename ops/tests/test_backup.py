"""Backup and restore: a real backup of real data, restored into a new database and new folders
by a separate process with the restored installation's environment, then verified there.

Runs on the suite's database (SQLite, or PostgreSQL when DATABASE_URL says so): pg_dump and
the SQLite backup API read committed data only, hence the transactional test.
"""

import io
import json
import os
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from audit.models import AuditEntry
from ops.backup import FILES_ARCHIVE, MANIFEST, sha256_file
from ops.tests.test_integrity import submit_report_with_evidence
from reports.models import EvidenceBlob, Report


@pytest.fixture
def election(rules):
    from rules.models import Election

    return Election.objects.get(pk="pilkada-2024")


def _backup(tmp_path) -> Path:
    call_command("backup", tmp_path / "backups", stdout=io.StringIO())
    (backup,) = (tmp_path / "backups").iterdir()
    return backup


@pytest.fixture
def fresh_database_url(tmp_path):
    """A new, empty database of the suite's kind; dropped afterwards."""
    db = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    import psycopg

    name = f"netral_restore_{uuid.uuid4().hex[:10]}"
    params = {"dbname": "postgres", "host": db["HOST"] or None, "port": db["PORT"] or None,
              "user": db["USER"] or None, "password": db["PASSWORD"] or None}
    with psycopg.connect(**params, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    auth = f"{db['USER']}:{db['PASSWORD']}@" if db["PASSWORD"] else f"{db['USER']}@"
    try:
        yield f"postgres://{auth}{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{name}"
    finally:
        with psycopg.connect(**params, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _manage(*args, env) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_a_fresh_database_with_its_audit_chain_and_evidence(
        tmp_path, places, offices, election, staff_beltim, fresh_database_url):
    from cases import requirements as reqs
    from cases.services import Check, case_register_report
    from reports.services import report_change_status

    report = submit_report_with_evidence(places, election)
    report_change_status(report=report, actor=staff_beltim, to_status="in_review")
    case = case_register_report(report=report, actor=staff_beltim,
                                checks=[Check(r.id, True) for r in reqs.for_regime(election.regime)])
    backup = _backup(tmp_path)
    manifest = json.loads((backup / MANIFEST).read_text())
    assert "encryption keys" in manifest["not_included"]
    assert "reports.0001_initial" in manifest["migrations"]
    sealed_names = {blob.sealed_name for blob in EvidenceBlob.objects.all()}
    assert sealed_names <= {f["name"] for f in manifest["files"] if f["storage"] == "sealed"}

    data_dir = tmp_path / "restored-data"
    data_dir.mkdir()
    env = {key: value for key, value in os.environ.items()
           if key not in {"NETRAL_MEDIA_ROOT", "NETRAL_SEALED_ROOT", "DATABASE_URL"}}
    env.update(DATABASE_URL=fresh_database_url, NETRAL_DATA_DIR=str(data_dir),
               NETRAL_ENCRYPTION_KEYS=",".join(settings.ENCRYPTION_KEYS), SECRET_KEY=settings.SECRET_KEY)
    restored = _manage("restore", str(backup), env=env)
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert f"Audit chain intact: {AuditEntry.objects.count()} entries." in restored.stdout
    assert "evidence (sealed original): 2 checked" in restored.stdout
    assert "evidence (public copy): 2 checked" in restored.stdout

    # The restored installation, read on its own: the same report, case and evidence hashes.
    script = ("import json; from reports.models import Report, EvidenceBlob; from cases.models import Case; "
              "r = Report.objects.get(); print(json.dumps([r.number, r.reporter['name'], Case.objects.get().number, "
              "sorted(EvidenceBlob.objects.values_list('sha256', flat=True))]))")
    shown = _manage("shell", "-c", script, env=env)
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout.strip().splitlines()[-1]) == [report.number, "Siti Aminah", case.number,
                                        sorted(EvidenceBlob.objects.values_list("sha256", flat=True))]
    assert (data_dir / "sealed").is_dir() and not (data_dir / "encryption_key").exists()


@pytest.fixture
def backup(tmp_path, places, offices, election):
    submit_report_with_evidence(places, election)
    return _backup(tmp_path)


def _rewrite_member(backup: Path, suffix: str, content: bytes) -> str:
    """Replace one file inside files.tar (and, as a careful forger would, the archive's hash)."""
    source = backup / FILES_ARCHIVE
    rebuilt = backup / "rebuilt.tar"
    with tarfile.open(source) as old, tarfile.open(rebuilt, "w") as new:
        for member in old:
            data = old.extractfile(member).read()
            if member.name.endswith(suffix):
                data, target = content, member.name
                member.size = len(data)
            new.addfile(member, io.BytesIO(data))
    rebuilt.replace(source)
    manifest = json.loads((backup / MANIFEST).read_text())
    manifest["files_archive"]["sha256"] = sha256_file(source)
    (backup / MANIFEST).write_text(json.dumps(manifest))
    return target


def _flip_last_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[-1] ^= 0xFF
    path.write_bytes(bytes(data))


def test_a_tampered_database_dump_is_refused_before_anything_is_touched(backup):
    manifest = json.loads((backup / MANIFEST).read_text())
    _flip_last_byte(backup / manifest["database"]["file"])
    with pytest.raises(CommandError, match=f"{manifest['database']['file']} does not match its SHA-256"):
        call_command("restore", str(backup), stdout=io.StringIO())
    assert Report.objects.count() == 1  # the (non-empty) target was not reached


def test_a_tampered_archive_is_refused(backup):
    _flip_last_byte(backup / FILES_ARCHIVE)
    with pytest.raises(CommandError, match="files.tar does not match its SHA-256"):
        call_command("restore", str(backup), stdout=io.StringIO())


def test_a_replaced_file_inside_the_archive_is_named_even_when_the_archive_hash_was_updated(backup):
    blob = EvidenceBlob.objects.get(content_type="image/jpeg")
    name = _rewrite_member(backup, blob.sealed_name, b"forged")
    with pytest.raises(CommandError, match=f"{name} does not match its SHA-256 in the manifest"):
        call_command("restore", str(backup), stdout=io.StringIO())


def test_a_sound_backup_is_not_restored_over_existing_data_without_force(backup):
    with pytest.raises(CommandError, match="The target is not empty"):
        call_command("restore", str(backup), stdout=io.StringIO())
    assert Report.objects.count() == 1
