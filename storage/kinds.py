"""The declared list of every kind of stored file: where it lives, who names it, how it is kept.

Backups (ops/backup.py), the restore, the integrity check (ops/integrity.py) and the orphan
purge (``storage.cleanup``) read this list instead of folders and models of their own, so a
new kind of file is declared once, here. A model with a FileField that no kind declares fails
``storage/tests/test_kinds.py``.

Models are named as "app_label.Model" strings and resolved with ``django.apps`` when used:
storage is the ground floor and imports no app of ours.

How a kind is purged (``purge``):

- ``KEPT``: as long as its record; never removed by a job (letters, decisions, documents...);
- ``ORPHANS``: a file under the kind's folder that no record names (left by a process killed
  between writing it and committing its row) is removed by the daily purge once it is old;
- ``EXPIRY``: the record itself expires (a staged upload after NETRAL_STAGING_LIFE) and its
  file goes with it; an orphan of it is removed like ``ORPHANS``.
"""

from dataclasses import dataclass

KEPT, ORPHANS, EXPIRY = "kept", "orphans", "expiry"


@dataclass(frozen=True)
class FileKind:
    key: str
    label: str  # what reports and commands call it
    storage: str  # the alias in settings.STORAGES
    prefix: str  # the folder in that storage ("" = the whole storage)
    model: str  # "app_label.Model" of the rows that name these files
    field: str  # the field holding the name (a FileField or a CharField of names)
    sha256_field: str | None = None  # the field with the SHA-256 of the bytes, if any
    # A boolean field that, when true, means the recorded hash is not of the stored bytes (an
    # evidence photo's public copy is re-encoded: its blob's hash is of the original).
    hash_unless: str | None = None
    sealed: bool = False  # encrypted with the installation's keys: the hash is of the decrypted bytes
    backed_up: bool = True
    purge: str = KEPT

    def model_class(self):
        from django.apps import apps

        return apps.get_model(self.model)

    def rows(self):
        """The rows that name a file of this kind (an empty file field is no file)."""
        return self.model_class()._default_manager.exclude(**{self.field: ""}).exclude(**{f"{self.field}__isnull": True})

    def names(self) -> set[str]:
        """Every file name of this kind that a row records."""
        return set(self.rows().values_list(self.field, flat=True))


KINDS: tuple[FileKind, ...] = (
    FileKind("evidence-sealed", "evidence (sealed original)", "sealed", "", "reports.EvidenceBlob", "sealed_name",
             sha256_field="sha256", sealed=True, purge=ORPHANS),
    FileKind("evidence-public", "evidence (public copy)", "default", "evidence", "reports.EvidenceBlob",
             "public_file", sha256_field="sha256", hash_unless="metadata_removed", purge=ORPHANS),
    FileKind("staged-uploads", "staged evidence (form sent back)", "sealed", "staging", "reports.StagedFile",
             "sealed_name", sha256_field="sha256", sealed=True, purge=EXPIRY),
    FileKind("letters", "case and follow-up letters", "default", "letters", "letters.Letter", "file",
             sha256_field="sha256"),
    FileKind("decision-letters", "PPK decision letters", "default", "decisions", "followup.Decision", "file",
             sha256_field="sha256"),
    FileKind("agreement-documents", "agreement documents", "default", "agreements", "agreements.Document", "file",
             sha256_field="sha256"),
    FileKind("event-photos", "prevention photos", "default", "prevention/photos", "prevention.EventPhoto", "file",
             sha256_field="sha256"),
    FileKind("duty-photos", "photos proving an agreement duty", "default", "agreements/duties",
             "agreements.DutyEvidence", "photo", sha256_field="sha256"),
    FileKind("meeting-pledge-evidence", "evidence of pledges signed at an evaluation meeting", "default",
             "agreements/meetings", "agreements.EvaluationMeeting", "pledges_evidence", sha256_field="sha256_pledges"),
    FileKind("materials", "prevention materials", "default", "prevention/materials", "prevention.Material", "file",
             sha256_field="sha256"),
    FileKind("checklist-photos", "unit checklist photos", "default", "prevention/checklists",
             "prevention.ChecklistPhoto", "file", sha256_field="sha256"),
    FileKind("notice-attachments", "attachments of notices to ASN", "default", "prevention/notices",
             "prevention.AsnNotice", "attachment", sha256_field="sha256"),
    FileKind("pledge-signatures", "pledge signatures", "default", "prevention/signatures", "prevention.Pledge",
             "signature_file"),
    FileKind("registry-imports", "register files", "default", "registry-imports", "registry.ImportJob", "file",
             sha256_field="sha256"),
    # Built for one staff member, kept a day (NETRAL_EXPORT_LIFE), rebuilt on demand: never backed up.
    FileKind("exports", "exports built in the background", "default", "exports", "exports.ExportJob", "file",
             sha256_field="sha256", backed_up=False, purge=EXPIRY),
    FileKind("office-logos", "office letterhead logos", "default", "offices/logos", "organizations.BawasluOffice",
             "logo", sha256_field="logo_sha256", purge=ORPHANS),
)


def by_key(key: str) -> FileKind:
    return next(kind for kind in KINDS if kind.key == key)


def storage_aliases(*, backed_up_only: bool = False) -> tuple[str, ...]:
    """The storages that hold declared files, in the order of first declaration."""
    aliases = [kind.storage for kind in KINDS if kind.backed_up or not backed_up_only]
    return tuple(dict.fromkeys(aliases))


def folders(alias: str, *, backed_up_only: bool = False) -> list[str]:
    """The folders of a storage that declared kinds use, without one inside another ("" = all)."""
    prefixes = sorted({kind.prefix.strip("/") for kind in KINDS
                       if kind.storage == alias and (kind.backed_up or not backed_up_only)})
    kept: list[str] = []
    for prefix in prefixes:
        if not any(prefix == top or not top or prefix.startswith(top + "/") for top in kept):
            kept.append(prefix)
    return kept


def kind_of(alias: str, name: str) -> FileKind | None:
    """The kind whose folder holds ``name`` in storage ``alias`` (the most specific folder)."""
    matches = [kind for kind in KINDS if kind.storage == alias
               and (not kind.prefix or name == kind.prefix or name.startswith(kind.prefix.rstrip("/") + "/"))]
    return max(matches, key=lambda kind: len(kind.prefix), default=None)


def names_in_use(alias: str) -> set[str]:
    """Every name in storage ``alias`` that some row of some kind records."""
    names: set[str] = set()
    for kind in KINDS:
        if kind.storage == alias:
            names |= kind.names()
    return names
