"""Integrity of what Netral keeps: the audit chain, and every stored file against its recorded SHA-256.

``integrity_check()`` reads only: it can run on the live installation (a daily job) and
right after a restore (``manage.py restore`` calls it). The kinds of file, their records and
hash fields are those declared in storage/kinds.py; each is checked the way its app computed
the hash it recorded:

- evidence (reports.EvidenceBlob, reports.StagedFile): the SHA-256 is of the original bytes,
  which are kept encrypted in the sealed storage, so the sealed file is decrypted with the
  installation's keys and hashed; the public copy of an evidence file has no hash of its own
  when its metadata was removed (it is a re-encoded copy), so only its presence is checked;
  a video's public copy is the original and is hashed too;
- letters (letters.Letter, also the follow-up letters), agreement documents, PPK decision
  letters, prevention photos and materials, register files: the file as stored;
- pledge signatures carry no hash: presence only.

A file field left empty (a material given as a link, a register batch sent by the API) is
not a file and is not counted.
"""

import hashlib
from dataclasses import dataclass, field
from typing import Callable, Iterator

from cryptography.fernet import InvalidToken
from django.core.files.storage import Storage, storages

from audit.chain import GENESIS
from audit.models import AuditEntry, ChainHead
from audit.selectors import audit_chain_first_broken
from netral.crypto import decrypt_bytes
from storage.kinds import KINDS, FileKind

CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Problem:
    kind: str
    name: str  # the file's name in its storage
    owner: str  # the row that records it, e.g. "reports.evidenceblob:12"
    issue: str  # "missing", "mismatch", "undecryptable"

    def __str__(self):
        return f"{self.kind}: {self.issue}: {self.name} ({self.owner})"


@dataclass
class IntegrityReport:
    audit_entries: int = 0
    audit_broken_at: str | None = None  # description of the first broken entry
    files: dict[str, int] = field(default_factory=dict)  # kind -> files checked
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.audit_broken_at is None and not self.problems


@dataclass(frozen=True)
class StoredFile:
    kind: str
    owner: str
    storage: Storage
    name: str
    sha256: str | None  # None: no hash recorded for these bytes, presence only
    sealed: bool = False  # encrypted with the installation's keys: hash the decrypted bytes


def sha256_of(storage: Storage, name: str, *, sealed: bool = False) -> str:
    digest = hashlib.sha256()
    with storage.open(name, "rb") as handle:
        if sealed:
            digest.update(decrypt_bytes(handle.read()))
        else:
            for chunk in iter(lambda: handle.read(CHUNK), b""):
                digest.update(chunk)
    return digest.hexdigest()


def check_file(item: StoredFile) -> Problem | None:
    """One file against its record (pure apart from reading the storage)."""
    if not item.storage.exists(item.name):
        return Problem(item.kind, item.name, item.owner, "missing")
    if item.sha256 is None:
        return None
    try:
        actual = sha256_of(item.storage, item.name, sealed=item.sealed)
    except InvalidToken:
        return Problem(item.kind, item.name, item.owner, "undecryptable")
    if actual != item.sha256:
        return Problem(item.kind, item.name, item.owner, "mismatch")
    return None


def _owner(row) -> str:
    return f"{row._meta.label_lower}:{row.pk}"


def kind_files(kind: FileKind) -> Iterator[StoredFile]:
    """The files that the rows of one declared kind record, with the hash to check them against."""
    storage = storages[kind.storage]
    fields = [kind.field, *(name for name in (kind.sha256_field, kind.hash_unless) if name)]
    for row in kind.rows().only("pk", *fields).order_by("pk").iterator(chunk_size=500):
        name = getattr(row, kind.field)
        name = getattr(name, "name", name)  # a FileField gives a FieldFile, a CharField the name
        sha256 = getattr(row, kind.sha256_field) if kind.sha256_field else None
        if kind.hash_unless and getattr(row, kind.hash_unless):
            sha256 = None  # the recorded hash is not of these bytes: presence only
        yield StoredFile(kind.label, _owner(row), storage, name, sha256, sealed=kind.sealed)


def stored_files() -> Iterator[StoredFile]:
    for kind in KINDS:
        yield from kind_files(kind)


def audit_chain_problem() -> str | None:
    """The first broken entry, or a chain whose head names no entry (its newest entries deleted)."""
    # The head is read first: an entry appended meanwhile does not make a false alarm.
    head = ChainHead.objects.filter(pk=1).values_list("last_hash", flat=True).first()
    broken = audit_chain_first_broken()
    if broken is not None:
        return f"entry {broken.pk} ({broken.action}, {broken.created_at:%Y-%m-%d %H:%M:%S})"
    if head is None or head == GENESIS:
        if AuditEntry.objects.exists() and head is not None:
            return "the chain head is empty but entries exist"
        return None
    if not AuditEntry.objects.filter(hash=head).exists():
        return "the chain head names an entry that is not there (the newest entries were removed)"
    return None


def integrity_check(*, on_problem: Callable[[Problem], None] | None = None) -> IntegrityReport:
    """The audit chain and every stored file; problems are collected, never raised."""
    report = IntegrityReport(audit_entries=AuditEntry.objects.count(), audit_broken_at=audit_chain_problem())
    report.files = {kind.label: 0 for kind in KINDS}
    for item in stored_files():
        report.files[item.kind] += 1
        problem = check_file(item)
        if problem is not None:
            report.problems.append(problem)
            if on_problem:
                on_problem(problem)
    return report
