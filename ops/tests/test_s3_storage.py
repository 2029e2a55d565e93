"""Evidence in object storage, against a real S3-compatible server (``make s3-check``: moto in
server mode, ops/s3check.py): a report filed through the public form lands in the bucket, staff
download it through the access-checked view, a backup holds the bucket's files and a restore
puts them back into an emptied bucket, byte for byte, and the integrity check reads the bucket.

The storages are the ones netral/settings.py builds from the NETRAL_S3_* variables of the
process (read at start-up, which is why ops/s3check.py runs pytest in a subprocess with them);
without them the module is skipped, and ``make s3-check`` fails when anything here is skipped.
The bucket is emptied before each test; the tests run one after another (-n 0).
"""

import hashlib
import importlib
import io
import json
import os
import subprocess
import sys
import tarfile
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from PIL import Image

from netral.crypto import decrypt_bytes, encrypt_bytes
from ops.backup import FILES_ARCHIVE, MANIFEST
from ops.tests.test_backup import fresh_database_url  # noqa: F401 (fixture)
from reports.tests.conftest import election, jpeg_bytes, mp4_bytes, report_data  # noqa: F401 (fixtures)

S3_VARIABLES = ("NETRAL_S3_BUCKET", "NETRAL_S3_ENDPOINT_URL")

# Skipped whole at collection (not test by test: conftest's teardown hook would reload the rules
# after each skipped transactional test, into a test database never set up).
if not all(os.environ.get(name) for name in S3_VARIABLES):
    pytest.skip("no S3 endpoint: run `make s3-check`", allow_module_level=True)

pytestmark = pytest.mark.s3

PHOTO = jpeg_bytes(gps=True)  # with the reporter's phone model and a GPS position in its EXIF
VIDEO = mp4_bytes()  # a video keeps its bytes: its public copy is the original, hashed


def _client():
    import boto3

    return boto3.client("s3", endpoint_url=os.environ["NETRAL_S3_ENDPOINT_URL"],
                        region_name=os.environ.get("NETRAL_S3_REGION") or "us-east-1",
                        aws_access_key_id=os.environ.get("NETRAL_S3_ACCESS_KEY_ID"),
                        aws_secret_access_key=os.environ.get("NETRAL_S3_SECRET_ACCESS_KEY"))


BUCKET = os.environ.get("NETRAL_S3_BUCKET", "")
STORAGE_OF = {"media": "default", "sealed": "sealed"}  # the bucket's folder of each storage (settings.py)


def bucket_objects() -> dict[str, bytes]:
    """Every object of the bucket with its bytes, read with boto3 (not through Netral)."""
    s3, objects = _client(), {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=BUCKET):
        for item in page.get("Contents", []):
            objects[item["Key"]] = s3.get_object(Bucket=BUCKET, Key=item["Key"])["Body"].read()
    return objects


def empty_bucket() -> None:
    s3 = _client()
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=BUCKET):
        keys = [{"Key": item["Key"]} for item in page.get("Contents", [])]
        if keys:
            s3.delete_objects(Bucket=BUCKET, Delete={"Objects": keys})


@pytest.fixture(autouse=True)
def _object_storage(_media_in_tmp, settings):
    """The storages of the settings module (S3 for media and sealed), not the suite's temporary
    folders (conftest's ``_media_in_tmp``), in an emptied bucket."""
    configured = importlib.import_module(os.environ["DJANGO_SETTINGS_MODULE"]).STORAGES
    assert configured["default"]["BACKEND"] == configured["sealed"]["BACKEND"] == "storages.backends.s3.S3Storage"
    settings.STORAGES = configured
    empty_bucket()
    yield
    empty_bucket()


def _file_post(data):
    files = [SimpleUploadedFile("foto bukti.jpg", PHOTO, content_type="image/jpeg"),
             SimpleUploadedFile("rekaman.mp4", VIDEO, content_type="video/mp4")]
    return {**data, "evidence": files}


@pytest.fixture
def filed(client, report_data):  # noqa: F811
    """A report with a photo and a video, filed through the public form."""
    from reports.models import Report

    response = client.post(reverse("reports:submit"), _file_post(report_data))
    assert response.status_code == 200 and b'id="tracking-code"' in response.content  # the receipt
    return Report.objects.get()


def _blobs(report):
    from reports.models import EvidenceBlob

    blobs = {blob.content_type: blob for blob in EvidenceBlob.objects.filter(attachments__report=report)}
    assert set(blobs) == {"image/jpeg", "video/mp4"}
    return blobs["image/jpeg"], blobs["video/mp4"]


def test_evidence_sent_with_the_public_form_lands_in_the_bucket_sealed_and_stripped(filed):
    photo, video = _blobs(filed)
    objects = bucket_objects()
    assert set(objects) == {f"sealed/{photo.sealed_name}", f"sealed/{video.sealed_name}",
                            f"media/{photo.public_file.name}", f"media/{video.public_file.name}"}
    assert photo.public_file.name.startswith("evidence/") and video.public_file.name.startswith("evidence/")

    # The originals are sealed: only the installation's keys open them, and they give back the bytes sent.
    for blob, original in ((photo, PHOTO), (video, VIDEO)):
        sealed = objects[f"sealed/{blob.sealed_name}"]
        assert original[:64] not in sealed and decrypt_bytes(sealed) == original

    # The public copy of the photo is re-encoded without the EXIF (phone model, GPS position).
    public = objects[f"media/{photo.public_file.name}"]
    assert public != PHOTO and photo.metadata_removed
    assert b"Phone of the reporter" in PHOTO and b"Phone of the reporter" not in public
    with Image.open(io.BytesIO(public)) as image:
        assert image.size == (64, 48) and not image.getexif()
    assert objects[f"media/{video.public_file.name}"] == VIDEO

    # Private objects: the owner alone has a grant, nobody else (no public-read).
    s3 = _client()
    for key in objects:
        grants = s3.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
        assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]
        assert all(grant["Grantee"]["Type"] == "CanonicalUser" for grant in grants)


@pytest.mark.django_db
def test_staff_download_the_evidence_from_the_bucket_and_another_regency_cannot(client, filed, staff_beltim,
                                                                                staff_bangka):
    photo_blob, video_blob = _blobs(filed)
    objects = bucket_objects()
    for blob in (photo_blob, video_blob):
        attachment = filed.attachments.get(blob=blob)
        url = reverse("reports:staff_file", args=[filed.pk, attachment.pk])
        client.force_login(staff_beltim)
        response = client.get(url)
        assert response.status_code == 200
        body = b"".join(response.streaming_content)
        assert body == objects[f"media/{blob.public_file.name}"] and int(response["Content-Length"]) == len(body)
        assert response["Content-Type"] == blob.content_type
        assert response["X-Content-Type-Options"] == "nosniff"
        client.force_login(staff_bangka)
        assert client.get(url).status_code in (403, 404)


def _manage(*args, env) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=env,
                          capture_output=True, text=True, timeout=180)


@pytest.mark.django_db(transaction=True)
def test_a_backup_holds_the_bucket_and_a_restore_puts_it_back_byte_for_byte(tmp_path, filed,
                                                                             fresh_database_url):  # noqa: F811
    before = bucket_objects()
    assert len(before) == 4
    call_command("backup", tmp_path / "backups", stdout=io.StringIO())
    (backup,) = (tmp_path / "backups").iterdir()
    manifest = json.loads((backup / MANIFEST).read_text())
    # Each object of the bucket is one file of the backup (storage alias/name), with its SHA-256.
    in_backup = {f"{STORAGE_OF[key.split('/', 1)[0]]}/{key.split('/', 1)[1]}": data for key, data in before.items()}
    assert {f"{f['storage']}/{f['name']}": f["sha256"] for f in manifest["files"]} == {
        name: hashlib.sha256(data).hexdigest() for name, data in in_backup.items()}
    with tarfile.open(backup / FILES_ARCHIVE) as archive:
        assert {member.name: archive.extractfile(member).read() for member in archive if member.isfile()} == in_backup

    data_dir = tmp_path / "restored-data"
    data_dir.mkdir()
    env = {key: value for key, value in os.environ.items()
           if key not in {"NETRAL_MEDIA_ROOT", "NETRAL_SEALED_ROOT", "DATABASE_URL"}}
    env.update(DATABASE_URL=fresh_database_url, NETRAL_DATA_DIR=str(data_dir),
               NETRAL_ENCRYPTION_KEYS=",".join(settings.ENCRYPTION_KEYS), SECRET_KEY=settings.SECRET_KEY)

    # A bucket that still holds files is not a restore target (its files are counted through S3).
    refused = _manage("restore", str(backup), env=env)
    assert refused.returncode != 0 and "The target is not empty (0 tables, 4 files)" in refused.stderr

    empty_bucket()
    assert bucket_objects() == {}
    restored = _manage("restore", str(backup), env=env)
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert "4 files restored." in restored.stdout
    assert "evidence (sealed original): 2 checked" in restored.stdout
    assert "evidence (public copy): 2 checked" in restored.stdout
    assert "All 4 files match their records." in restored.stdout
    assert bucket_objects() == before  # the same keys, byte-identical
    assert [path for path in data_dir.rglob("*") if path.is_file()] == []  # nothing went to the local disk


@pytest.mark.django_db
def test_the_integrity_check_reads_the_bucket_and_names_a_tampered_or_missing_object(filed, capsys):
    photo, video = _blobs(filed)
    out = io.StringIO()
    call_command("verify_integrity", stdout=out)
    assert "evidence (sealed original): 2 checked" in out.getvalue()
    assert "All 4 files match their records." in out.getvalue()

    s3 = _client()
    # The video's public copy changed in the bucket; the photo's original replaced by other sealed bytes.
    tampered = bytearray(VIDEO)
    tampered[30] ^= 0xFF
    s3.put_object(Bucket=BUCKET, Key=f"media/{video.public_file.name}", Body=bytes(tampered))
    s3.put_object(Bucket=BUCKET, Key=f"sealed/{photo.sealed_name}", Body=encrypt_bytes(b"another photo"))
    with pytest.raises(CommandError, match="2 file problem"):
        call_command("verify_integrity", stdout=io.StringIO())
    err = capsys.readouterr().err
    assert f"evidence (public copy): mismatch: {video.public_file.name} (reports.evidenceblob:{video.pk})" in err
    assert f"evidence (sealed original): mismatch: {photo.sealed_name} (reports.evidenceblob:{photo.pk})" in err

    s3.delete_object(Bucket=BUCKET, Key=f"media/{photo.public_file.name}")
    s3.put_object(Bucket=BUCKET, Key=f"sealed/{video.sealed_name}", Body=b"not a fernet token")
    with pytest.raises(CommandError, match="4 file problem"):
        call_command("verify_integrity", stdout=io.StringIO())
    err = capsys.readouterr().err
    assert f"evidence (public copy): missing: {photo.public_file.name} (reports.evidenceblob:{photo.pk})" in err
    assert f"evidence (sealed original): undecryptable: {video.sealed_name}" in err


def test_the_module_really_runs_against_object_storage():
    """Nothing here passes on the file system by accident: the storages are S3 on the endpoint."""
    from django.core.files.storage import storages

    for alias, location in (("default", "media"), ("sealed", "sealed")):
        storage = storages[alias]
        assert type(storage).__name__ == "S3Storage" and storage.location == location
        assert storage.bucket_name == BUCKET and storage.endpoint_url == os.environ["NETRAL_S3_ENDPOINT_URL"]
        assert storage.max_memory_size == settings.FILE_UPLOAD_MAX_MEMORY_SIZE
    assert not Path(settings.MEDIA_ROOT).exists() or not any(Path(settings.MEDIA_ROOT).rglob("*.*"))


@pytest.mark.django_db(transaction=True)
def test_a_file_written_in_a_transaction_that_rolls_back_leaves_no_object():
    from django.core.files.storage import storages
    from django.db import transaction

    from storage import files as stored_files

    with pytest.raises(RuntimeError), transaction.atomic():
        kept = stored_files.save(storages["sealed"], "ab/rolled-back.bin", encrypt_bytes(b"x"))
        assert f"sealed/{kept}" in bucket_objects()
        raise RuntimeError("the row is not committed")
    assert bucket_objects() == {}


@pytest.mark.django_db
def test_the_orphan_purge_lists_the_bucket_and_removes_only_unrecorded_objects(filed):
    from storage.cleanup import orphans_purge

    recorded = bucket_objects()
    s3 = _client()
    s3.put_object(Bucket=BUCKET, Key="media/evidence/ab/left-by-a-killed-process.jpg", Body=b"orphan")
    s3.put_object(Bucket=BUCKET, Key="sealed/ab/left-by-a-killed-process.bin", Body=b"orphan")
    assert orphans_purge(older_than=timedelta(days=1)) == 0  # young files stay: their request may still commit
    assert len(bucket_objects()) == 6
    time.sleep(1.1)  # S3 keeps the time of an object to the second
    assert orphans_purge(older_than=timedelta(seconds=0)) == 2
    assert bucket_objects() == recorded


def test_a_large_file_read_from_the_bucket_goes_to_a_temporary_file_on_disk_not_memory():
    """Downloads, backups and integrity checks open files through the storage, which fetches the
    object into a temporary file: past FILE_UPLOAD_MAX_MEMORY_SIZE it is on disk."""
    from django.core.files.storage import storages

    storage = storages["default"]
    large = os.urandom(settings.FILE_UPLOAD_MAX_MEMORY_SIZE + 1024)
    _client().put_object(Bucket=BUCKET, Key="media/registry-imports/large.xlsx", Body=large)
    with storage.open("registry-imports/large.xlsx", "rb") as handle:
        assert handle.read(10) == large[:10]
        assert handle.file._rolled  # the SpooledTemporaryFile spilled over to disk
        handle.seek(0)
        assert hashlib.sha256(handle.read()).hexdigest() == hashlib.sha256(large).hexdigest()
