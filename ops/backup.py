"""One backup: the database, the files of every storage, and a manifest that vouches for both.

A backup is a directory ``netral-<UTC time>`` holding

- ``database.pgdump`` (PostgreSQL, ``pg_dump -Fc`` of the configured database) or
  ``database.sqlite3`` (SQLite, copied with SQLite's online backup API, safe while the
  application writes);
- ``files.tar``: every file in the folders of the kinds of file that storage/kinds.py
  declares as backed up (public evidence copies, letters, documents, photos, register
  files in the ``default`` storage, under ``default/``; evidence originals, encrypted, and
  staged uploads in the ``sealed`` storage, under ``sealed/``), read through Django's
  storage API so that object storage works like the file system;
- ``manifest.json``: when, which Netral revision, the applied migrations, the SHA-256 of the
  dump and of the archive, and every file with its size and SHA-256.

The encryption keys and the secret key are never in a backup: a stolen backup must not
open the sealed evidence or the reporters' identities. They are kept separately
(docs/operations.md), and a restore needs them to read anything encrypted.

The database is dumped before the files are read: every row in the dump was committed
after its file was written (the services write files first), so the archive holds every
file the dump names; files written later are merely extra.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from dataclasses import dataclass
from datetime import datetime
from datetime import timezone as dt_timezone
from pathlib import Path
from typing import Iterator

from django.conf import settings
from django.core.files import File
from django.core.files.storage import storages
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from storage import kinds
from storage.cleanup import walk

MANIFEST = "manifest.json"
FILES_ARCHIVE = "files.tar"
DUMPS = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}
FORMAT = 1
KEYS_NOTE = ("The encryption keys (NETRAL_ENCRYPTION_KEYS or the data folder's encryption_key) and the "
             "SECRET_KEY are not in this backup: back them up separately; without them the sealed evidence "
             "and the reporters' identities cannot be read.")
CHUNK = 1024 * 1024


class BackupError(Exception):
    pass


@dataclass(frozen=True)
class BackupResult:
    path: Path
    files: int
    bytes: int


# --- helpers --------------------------------------------------------------------------------------

def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


class _HashingReader:
    """Passes a file's bytes on (to tarfile or a storage) and hashes them on the way."""

    def __init__(self, handle, size: int | None = None):
        self.handle, self.digest, self.count = handle, hashlib.sha256(), 0
        if size is not None:
            self.size = size  # what django.core.files.File reports (object storage asks)

    # django.core.files.File asks these before an object storage reads it (django-storages'
    # S3Storage._save rewinds a seekable file): a stream read once, hashed on the way, is not.
    @property
    def closed(self) -> bool:
        return getattr(self.handle, "closed", False)

    def seekable(self) -> bool:
        return False

    def read(self, size=-1):
        data = self.handle.read(size)
        self.digest.update(data)
        self.count += len(data)
        return data


def backed_up_storages() -> tuple[str, ...]:
    """The storage aliases that hold a kind of file that is backed up (storage/kinds.py)."""
    return kinds.storage_aliases(backed_up_only=True)


def backed_up_files(alias: str) -> Iterator[str]:
    """Every file of a storage in the folders of its backed-up kinds, in a stable order."""
    storage = storages[alias]
    for folder in kinds.folders(alias, backed_up_only=True):
        yield from walk(storage, folder)


def netral_revision() -> str | None:
    """The git commit of the running code, if it is a checkout (or NETRAL_REVISION says)."""
    if os.environ.get("NETRAL_REVISION"):
        return os.environ["NETRAL_REVISION"]
    try:
        out = subprocess.run(["git", "-C", str(settings.BASE_DIR), "rev-parse", "HEAD"], capture_output=True,
                             text=True, timeout=10, check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in DUMPS:
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {vendor}.")
    return vendor


def _pg_env() -> dict:
    """libpq's variables for the configured database: no password on a command line."""
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    for key, name in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD"),
                      ("PGDATABASE", "NAME")):
        if db.get(name):
            env[key] = str(db[name])
    if (db.get("OPTIONS") or {}).get("sslmode"):
        env["PGSSLMODE"] = db["OPTIONS"]["sslmode"]
    return env


def _run(command: list[str], *, env=None) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip() or result.stdout.strip()}")


# --- backup ---------------------------------------------------------------------------------------

def _dump_database(engine: str, out: Path) -> None:
    if engine == "postgresql":
        _run(["pg_dump", "--format=custom", "--file", str(out)], env=_pg_env())
    else:
        source = sqlite3.connect(settings.DATABASES["default"]["NAME"])
        target = sqlite3.connect(out)
        try:
            with target:
                source.backup(target)
        finally:
            target.close()
            source.close()


def _archive_files(out: Path) -> tuple[list[dict], int]:
    entries, total = [], 0
    with tarfile.open(out, "w", format=tarfile.PAX_FORMAT) as archive:
        for alias in backed_up_storages():
            storage = storages[alias]
            for name in backed_up_files(alias):
                info = tarfile.TarInfo(f"{alias}/{name}")
                info.size, info.mode = storage.size(name), 0o600
                with storage.open(name, "rb") as handle:
                    reader = _HashingReader(handle)
                    archive.addfile(info, reader)
                if reader.count != info.size:
                    raise BackupError(f"{alias}/{name} changed while it was read.")
                entries.append({"storage": alias, "name": name, "size": info.size,
                                "sha256": reader.digest.hexdigest()})
                total += info.size
    return entries, total


def backup_create(directory: Path, *, now: datetime | None = None) -> BackupResult:
    """Write one complete backup under ``directory``; a half-written one never looks complete."""
    engine = _engine()
    now = now or datetime.now(dt_timezone.utc)
    final = Path(directory) / f"netral-{now:%Y%m%dT%H%M%SZ}"
    partial = final.with_name(final.name + ".partial")
    if final.exists():
        raise BackupError(f"{final} exists already.")
    partial.mkdir(parents=True)
    try:
        dump = partial / DUMPS[engine]
        _dump_database(engine, dump)
        migrations = sorted(f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations())
        files, total = _archive_files(partial / FILES_ARCHIVE)
        manifest = {
            "format": FORMAT,
            "created": now.isoformat(),
            "netral_revision": netral_revision(),
            "database": {"engine": engine, "file": dump.name, "size": dump.stat().st_size,
                         "sha256": sha256_file(dump)},
            "migrations": migrations,
            "files_archive": {"file": FILES_ARCHIVE, "size": (partial / FILES_ARCHIVE).stat().st_size,
                              "sha256": sha256_file(partial / FILES_ARCHIVE)},
            "files": files,
            "not_included": KEYS_NOTE,
        }
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
        partial.rename(final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return BackupResult(path=final, files=len(files), bytes=total)


# --- verification and restore ---------------------------------------------------------------------

def backup_verify(path: Path) -> dict:
    """The manifest, once the dump, the archive and every file in it match it; else BackupError."""
    path = Path(path)
    try:
        manifest = json.loads((path / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise BackupError(f"No readable manifest in {path}: {error}") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    problems = []
    for part in (manifest["database"], manifest["files_archive"]):
        file = path / part["file"]
        if not file.is_file():
            problems.append(f"{part['file']} is missing")
        elif sha256_file(file) != part["sha256"]:
            problems.append(f"{part['file']} does not match its SHA-256 in the manifest")
    if not problems:
        expected = {f"{f['storage']}/{f['name']}": f["sha256"] for f in manifest["files"]}
        seen = {}
        with tarfile.open(path / FILES_ARCHIVE) as archive:
            for member in archive:
                if not member.isfile():
                    continue
                reader = _HashingReader(archive.extractfile(member))
                while reader.read(CHUNK):
                    pass
                seen[member.name] = reader.digest.hexdigest()
        for name in sorted(expected.keys() | seen.keys()):
            if name not in seen:
                problems.append(f"{name} is missing from the archive")
            elif name not in expected:
                problems.append(f"{name} is in the archive but not in the manifest")
            elif seen[name] != expected[name]:
                problems.append(f"{name} does not match its SHA-256 in the manifest")
    if problems:
        raise BackupError("The backup is damaged: " + "; ".join(problems) + ".")
    return manifest


def target_contents() -> tuple[list[str], int]:
    """The tables of the configured database and the number of files in the storages."""
    tables = connection.introspection.table_names()
    files = sum(1 for alias in backed_up_storages() for _name in backed_up_files(alias))
    return tables, files


def _restore_database(engine: str, dump: Path, *, force: bool) -> None:
    connection.close()
    if engine == "postgresql":
        command = ["pg_restore", "--exit-on-error", "--single-transaction", "--no-owner", "--no-privileges",
                   "--dbname", settings.DATABASES["default"]["NAME"]]
        if force:
            command[1:1] = ["--clean", "--if-exists"]
        _run([*command, str(dump)], env=_pg_env())
    else:
        source = sqlite3.connect(dump)
        target = sqlite3.connect(settings.DATABASES["default"]["NAME"])
        try:
            with target:
                source.backup(target)  # replaces the whole target database
        finally:
            target.close()
            source.close()
    connection.close()


def _restore_files(archive_path: Path, manifest: dict, *, force: bool) -> int:
    expected = {f"{f['storage']}/{f['name']}": f["sha256"] for f in manifest["files"]}
    count = 0
    with tarfile.open(archive_path) as archive:
        for member in archive:
            if not member.isfile():
                continue
            alias, _sep, name = member.name.partition("/")
            if alias not in backed_up_storages():
                raise BackupError(f"{member.name} belongs to no storage.")
            storage = storages[alias]
            if force and storage.exists(name):
                storage.delete(name)
            reader = _HashingReader(archive.extractfile(member), size=member.size)
            saved = storage.save(name, File(reader, name=name))
            if saved != name:
                raise BackupError(f"{member.name} was stored as {saved}: the target storage is not empty.")
            if reader.digest.hexdigest() != expected[member.name]:
                raise BackupError(f"{member.name} changed while it was restored.")
            count += 1
    return count


def backup_restore(path: Path, *, force: bool = False, log=lambda line: None) -> dict:
    """Restore a verified backup into the configured, empty database and storages.

    Nothing is touched before the whole backup has been checked against its manifest, and
    nothing is touched when the target holds data, unless ``force``.
    """
    path = Path(path)
    manifest = backup_verify(path)
    log(f"Backup verified: database dump and {len(manifest['files'])} files match the manifest.")
    engine = _engine()
    if manifest["database"]["engine"] != engine:
        raise BackupError(f"This backup is of a {manifest['database']['engine']} database; the target is {engine}.")
    tables, files = target_contents()
    if (tables or files) and not force:
        raise BackupError(f"The target is not empty ({len(tables)} tables, {files} files): restore into a new "
                          "database and empty data folders, or pass --force to overwrite.")
    _restore_database(engine, path / manifest["database"]["file"], force=force)
    log("Database restored.")
    count = _restore_files(path / FILES_ARCHIVE, manifest, force=force)
    log(f"{count} files restored.")
    return manifest
