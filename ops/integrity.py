"""Integrity of what Netral keeps: the audit chain, and every stored file against its recorded SHA-256.

``integrity_check()`` reads only: it can run on the live installation (a daily job) and
right after a restore (``manage.py restore`` calls it). Each kind of file is checked the way
its app computed the hash it recorded:

- evidence (reports.EvidenceBlob, reports.StagedFile): the SHA-256 is of the original bytes,
  which are kept encrypted in the sealed storage, so the sealed file is decrypted with the
  installation's keys and hashed; the public copy of an evidence file has no hash of its own
  when its metadata was removed (it is a re-encoded copy), so only its presence is checked;
  a video's public copy is the original and is hashed too;
- letters (cases.Letter, also the follow-up letters), agreement documents, PPK decision
  letters, prevention photos and materials, register files: the file as stored;
- pledge signatures carry no hash: presence only.

A file field left empty (a material given as a link, a register batch sent by the API) is
not a file and is not counted.
"""

import hashlib
from dataclasses import dataclass, field
from typing import Callable, Iterable, Iterator

from cryptography.fernet import InvalidToken
from django.core.files.storage import Storage, storages

from audit.chain import GENESIS
from audit.models import AuditEntry, ChainHead
from audit.selectors import audit_chain_first_broken
from netral.crypto import decrypt_bytes

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


def _rows(model, *fields) -> Iterator:
    return model.objects.only("pk", *fields).order_by("pk").iterator(chunk_size=500)


def _owner(row) -> str:
    return f"{row._meta.label_lower}:{row.pk}"


def _evidence() -> Iterable[StoredFile]:
    from reports.models import EvidenceBlob

    sealed = storages["sealed"]
    for blob in _rows(EvidenceBlob, "sha256", "sealed_name", "public_file", "metadata_removed"):
        yield StoredFile("evidence (sealed original)", _owner(blob), sealed, blob.sealed_name, blob.sha256,
                         sealed=True)
        # A copy without metadata is new bytes with no recorded hash; a video's copy is the original.
        yield StoredFile("evidence (public copy)", _owner(blob), blob.public_file.storage, blob.public_file.name,
                         None if blob.metadata_removed else blob.sha256)


def _staged() -> Iterable[StoredFile]:
    from reports.models import StagedFile

    sealed = storages["sealed"]
    for staged in _rows(StagedFile, "sha256", "sealed_name"):
        yield StoredFile("staged evidence (form sent back)", _owner(staged), sealed, staged.sealed_name,
                         staged.sha256, sealed=True)


def _file_field(kind: str, model_path: str, *, field_name: str = "file", hashed: bool = True):
    def collect() -> Iterable[StoredFile]:
        from django.apps import apps

        model = apps.get_model(model_path)
        fields = (field_name, "sha256") if hashed else (field_name,)
        rows = model.objects.exclude(**{field_name: ""}).only("pk", *fields).order_by("pk")
        for row in rows.iterator(chunk_size=500):
            file = getattr(row, field_name)
            yield StoredFile(kind, _owner(row), file.storage, file.name, row.sha256 if hashed else None)
    collect.kinds = (kind,)
    return collect


_evidence.kinds = ("evidence (sealed original)", "evidence (public copy)")
_staged.kinds = ("staged evidence (form sent back)",)

# Every model that stores a file (grep FileField): a new one belongs here.
COLLECTORS: list[Callable[[], Iterable[StoredFile]]] = [
    _evidence,
    _staged,
    _file_field("case and follow-up letters", "cases.Letter"),
    _file_field("PPK decision letters", "followup.Decision"),
    _file_field("agreement documents", "agreements.Document"),
    _file_field("prevention photos", "prevention.EventPhoto"),
    _file_field("prevention materials", "prevention.Material"),
    _file_field("pledge signatures", "prevention.Pledge", field_name="signature_file", hashed=False),
    _file_field("register files", "registry.ImportJob"),
]


def stored_files() -> Iterator[StoredFile]:
    for collect in COLLECTORS:
        yield from collect()


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
    report.files = {kind: 0 for collect in COLLECTORS for kind in collect.kinds}
    for item in stored_files():
        report.files[item.kind] += 1
        problem = check_file(item)
        if problem is not None:
            report.problems.append(problem)
            if on_problem:
                on_problem(problem)
    return report
