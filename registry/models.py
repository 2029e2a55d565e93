from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from netral.crypto import EncryptedJSONField
from netral.indexes import CoveringIndex
from organizations.models import Agency, Unit
from registry import identity, names
from registry.nip import NipError, normalize_nip, parse_pns_nip, parse_pppk_ni
from registry.positions import guess_position_class


def labelled_changes(changes: dict | None) -> list[tuple]:
    """A row's or an employee's changes as (field label, old, new), for the pages."""
    from registry.importing import CHANGE_LABELS

    return [(CHANGE_LABELS.get(name, name), old, new) for name, (old, new) in (changes or {}).items()]


class Employee(models.Model):
    """One person in the ASN register: PNS, PPPK, or non-ASN contract staff."""

    class Kind(models.TextChoices):
        PNS = "pns", _("Civil servant (PNS)")
        PPPK = "pppk", _("Government employee on contract (PPPK)")
        CONTRACT = "contract", _("Contract staff (non-ASN)")

    class Gender(models.TextChoices):
        MALE = "M", _("Male")
        FEMALE = "F", _("Female")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    # NIP for PNS, NI PPPK for PPPK; contract staff have none.
    # Unique through Meta.constraints rather than unique=True: the same index, without the
    # second "LIKE" index PostgreSQL gets for a unique CharField (never used: an NIP is found
    # whole), which every register import would have to maintain.
    nip = models.CharField(_("NIP"), max_length=18, null=True, blank=True)
    # As written, titles included ("Dr. H. Ahmad Yani, S.E., M.Si."); the plain name for search.
    name = models.CharField(_("name"), max_length=150)  # indexed in Meta (no LIKE index, see nip)
    name_plain = models.CharField(_("name without titles"), max_length=150, blank=True)
    # Titles exported apart from the name (GELAR DEPAN, GELAR BELAKANG): "dr.", "S.Kom., M.T.".
    title_prefix = models.CharField(_("front titles"), max_length=60, blank=True)
    title_suffix = models.CharField(_("back titles"), max_length=100, blank=True)
    birth_place = models.CharField(_("birth place"), max_length=100, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    rank = models.CharField(_("rank/grade"), max_length=60, blank=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    # The class of the position guessed from its title (registry.positions), kept so that the
    # public pages count the holders of a class in a unit with one grouped query (k-anonymity,
    # registry.disclosure). Written by save() and by the import, never by hand.
    position_class = models.CharField(_("position class"), max_length=16, blank=True, editable=False)
    # No index of its own: the (agency, unit, active) index below serves every lookup by
    # agency, and one index less is one less to maintain on each imported row.
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT,
                               related_name="employees", db_index=False)
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="employees")
    active = models.BooleanField(_("active"), default=True)
    # The status as the agency writes it ("Aktif", "Cuti", "Pensiun"); empty when unknown.
    status = models.CharField(_("status"), max_length=60, blank=True)
    # Where the agency's notices and circulars reach the person (prevention.notices); empty when unknown.
    email = models.EmailField(_("e-mail"), max_length=254, blank=True)
    # The ID-card number (NIK) of contract staff who have no NIP: personal data, encrypted.
    nik = EncryptedJSONField(_("NIK"), null=True, blank=True)
    # The NIK's keyed hash (registry.identity.nik_digest): how a NIK typed at a check-in is
    # found without decrypting the register. Written by save() and by the import.
    nik_hash = models.CharField(max_length=64, null=True, blank=True, editable=False, db_index=True)
    # The register's own id of a contract employee (registry.identity): random, stable,
    # printed in the register export; with the birth date it stands for the missing NIP.
    register_number = models.CharField(_("register number"), max_length=10, null=True, blank=True,
                                       unique=True, editable=False)

    class Meta:
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["nip"], name="employee_unique_nip"),
            models.CheckConstraint(
                condition=models.Q(kind="contract") | models.Q(nip__isnull=False),
                name="employee_asn_has_nip",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="contract") | models.Q(nip__isnull=True),
                name="employee_contract_has_no_nip",
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "unit", "active"]), models.Index(fields=["name"]),
            # The pledges' coverage counted live for a regency or an agency (prevention.coverage): its
            # active employees read from this index alone on PostgreSQL, not from the 20,000 pages of a
            # large regency's rows scattered over a register of 6,000,000 (docs/performance.md).
            CoveringIndex(fields=["agency", "unit"], covering=["id", "kind"], condition=models.Q(active=True),
                          name="employee_active_coverage"),
        ]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        """The name with its titles, as written in letters: "dr. Siti Aminah, S.Kom."."""
        return names.full_name(self.title_prefix, self.name, self.title_suffix)

    def save(self, *args, **kwargs):
        self.position_class = guess_position_class(self.position, self.kind)
        self.nik_hash = identity.nik_digest(self.nik, settings.SECRET_KEY) if self.nik else None
        if self.kind == self.Kind.CONTRACT and not self.register_number:
            self.register_number = identity.new_register_number()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            extra = {"position_class"} if {"position", "kind"} & set(update_fields) else set()
            extra |= {"nik_hash"} if "nik" in update_fields else set()
            extra |= {"register_number"} if "kind" in update_fields and self.register_number else set()
            if extra:
                kwargs["update_fields"] = {*update_fields, *extra}
        super().save(*args, **kwargs)

    @property
    def register_number_display(self) -> str:
        return identity.format_register_number(self.register_number or "")

    @property
    def nik_masked(self) -> str:
        return identity.mask_nik(self.nik or "")

    @property
    def identity_display(self) -> str:
        """What identifies the person on staff pages: the NIP, else the register number (never the NIK)."""
        return self.nip or self.register_number_display

    def clean(self):
        super().clean()
        # Also here: entries checked by clean() and then bulk-created (the demo) skip save().
        self.position_class = guess_position_class(self.position, self.kind)
        self.nip = normalize_nip(self.nip) or None
        parser = {self.Kind.PNS: parse_pns_nip, self.Kind.PPPK: parse_pppk_ni}.get(self.kind)
        if parser is None:
            if self.nip:
                raise ValidationError({"nip": _("Contract staff have no NIP.")})
            if self.nik:
                try:
                    parts = identity.parse_nik(self.nik)
                except identity.IdentityError as error:
                    raise ValidationError({"nik": error.message}) from None
                if self.birth_date and not identity.nik_matches_birth_date(parts, self.birth_date):
                    raise ValidationError({"nik": _("The birth date in this NIK disagrees with the birth date.")})
            return
        if not self.nip:
            raise ValidationError({"nip": _("A PNS or PPPK must have an NIP.")})
        try:
            parts = parser(self.nip)
        except NipError as error:
            raise ValidationError({"nip": error.message}) from None
        self.birth_date = parts.birth_date
        self.gender = parts.gender


class ImportJob(models.Model):
    """One register file on its way in: upload, column mapping, preview, commit.

    The background worker (``registry.tasks``) updates ``processed``/``progress`` every
    batch; the page polls them. The classified rows wait in ``ImportRow`` between the
    preview and the commit, never in the session.
    """

    class State(models.TextChoices):
        MAPPING = "mapping", _("Waiting for the column mapping")
        PREVIEW_QUEUED = "preview_queued", _("Preview queued")
        PREVIEWING = "previewing", _("Preview running")
        PREVIEWED = "previewed", _("Ready to commit")
        COMMIT_QUEUED = "commit_queued", _("Commit queued")
        COMMITTING = "committing", _("Commit running")
        COMMITTED = "committed", _("Committed")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "Excel (.xlsx)"
        ROWS = "rows", _("Rows sent by a system (API)")

    RUNNING = frozenset({State.PREVIEW_QUEUED, State.PREVIEWING, State.COMMIT_QUEUED, State.COMMITTING})

    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT,
                               related_name="import_jobs")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now, db_index=True)
    file = models.FileField(_("file"), upload_to="registry-imports/%Y/%m/", max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.BigIntegerField(_("size"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    format = models.CharField(_("format"), max_length=5, choices=Format.choices)
    encoding = models.CharField(_("encoding"), max_length=10, default="auto")
    delimiter = models.CharField(_("delimiter"), max_length=4, blank=True, default="auto")
    header_row = models.PositiveIntegerField(_("header row"), default=0)
    headers = models.JSONField(_("headers"), default=list)
    mapping = models.JSONField(_("column mapping"), default=list)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.MAPPING)
    full_export = models.BooleanField(_("full export"), default=False)
    processed = models.PositiveIntegerField(_("rows processed"), default=0)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    rows_total = models.PositiveIntegerField(default=0)
    rows_new = models.PositiveIntegerField(default=0)
    rows_changed = models.PositiveIntegerField(default=0)
    rows_unchanged = models.PositiveIntegerField(default=0)
    rows_invalid = models.PositiveIntegerField(default=0)
    rows_leaving = models.PositiveIntegerField(default=0)
    rows_deactivated = models.PositiveIntegerField(default=0)
    fallback_lines = models.PositiveIntegerField(_("lines read as Windows-1252"), default=0)
    error = models.TextField(_("error"), blank=True)
    previewed_at = models.DateTimeField(null=True, blank=True)
    committed_at = models.DateTimeField(null=True, blank=True)
    committed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")

    class Meta:
        verbose_name = _("register import")
        verbose_name_plural = _("register imports")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["agency", "-created_at"])]

    def __str__(self):
        return f"{self.original_name} ({self.created_at:%Y-%m-%d %H:%M})"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("registry:import_detail", args=[self.pk])

    @property
    def running(self) -> bool:
        return self.state in self.RUNNING


class ImportRow(models.Model):
    """One staged row of an import, classified by the preview; ``leaving`` rows are the
    agency's active employees absent from the file.

    A staging table: no foreign-key constraints (rows are written by COPY on PostgreSQL),
    indexes only for what the preview and the commit look up.
    """

    class Status(models.TextChoices):
        NEW = "new", _("New")
        CHANGED = "changed", _("Changed")
        UNCHANGED = "unchanged", _("Unchanged")
        LEAVING = "leaving", _("Leaving")
        INVALID = "invalid", _("Invalid")

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="rows", db_constraint=False,
                            db_index=False)  # the (job, ...) indexes below serve
    line = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices)
    kind = models.CharField(max_length=10, blank=True)
    nip = models.CharField(max_length=18, null=True, blank=True)
    name = models.CharField(max_length=150, blank=True)
    name_plain = models.CharField(max_length=150, blank=True)
    title_prefix = models.CharField(max_length=60, blank=True)
    title_suffix = models.CharField(max_length=100, blank=True)
    position_class = models.CharField(max_length=16, blank=True)
    birth_place = models.CharField(max_length=100, blank=True)
    birth_date = models.DateField(null=True, blank=True)
    gender = models.CharField(max_length=1, blank=True)
    rank = models.CharField(max_length=60, blank=True)
    position = models.CharField(max_length=200, blank=True)
    unit_id = models.BigIntegerField(null=True, blank=True)
    unit_name = models.CharField(max_length=200, blank=True)
    status_text = models.CharField(max_length=60, blank=True)
    active = models.BooleanField(default=True)
    employee_id = models.BigIntegerField(null=True, blank=True)
    changes = models.JSONField(null=True, blank=True)  # {field: [old, new]}
    reasons = models.JSONField(null=True, blank=True)  # [[code, params], ...]
    raw = models.JSONField(null=True, blank=True)  # the file's values, kept for invalid rows
    # Contract staff's identities (registry.identity): the NIK staged encrypted, never in clear.
    register_number = models.CharField(max_length=10, null=True, blank=True)
    nik = EncryptedJSONField(null=True, blank=True)
    nik_hash = models.CharField(max_length=64, null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["job", "status", "line"]),
            models.Index(fields=["job", "nip"]),
            models.Index(fields=["job", "employee_id"]),
        ]

    @property
    def change_list(self) -> list[tuple]:
        return labelled_changes(self.changes)

    @property
    def full_name(self) -> str:
        return names.full_name(self.title_prefix, self.name, self.title_suffix)

    @property
    def reason_texts(self) -> list[str]:
        from registry.importing import reason_text

        return [reason_text(code, params) for code, params in (self.reasons or [])]


class EmployeeChange(models.Model):
    """The history of one employee's register entry: what changed, from what, by which exchange."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Added")
        UPDATED = "updated", _("Changed")
        DEACTIVATED = "deactivated", _("Set inactive (absent from a full export)")

    # One row per employee and import: a national import writes millions in one transaction.
    # So only the (employee, time) index is kept (the FK's own index would duplicate it;
    # nothing looks history up by import or actor), and the foreign keys are not checked
    # by the database at commit, a deferred check per row and key: the rows are written by
    # the import services from ids they have just read or inserted in the same transaction,
    # and Django applies on_delete itself.
    employee = models.ForeignKey(Employee, verbose_name=_("employee"), on_delete=models.CASCADE,
                                 related_name="changes", db_index=False, db_constraint=False)
    job = models.ForeignKey(ImportJob, verbose_name=_("import"), null=True, blank=True, on_delete=models.SET_NULL,
                            related_name="+", db_index=False, db_constraint=False)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    changes = models.JSONField(_("changes"), default=dict, blank=True)  # {field: [old, new]}
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False)
    source = models.CharField(_("source"), max_length=20, default="import")
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("employee change")
        verbose_name_plural = _("employee changes")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["employee", "-created_at"])]

    @property
    def change_list(self) -> list[tuple]:
        return labelled_changes(self.changes)


class ExchangeLog(models.Model):
    """One exchange of a data set with a partner, by file or API, in either direction.

    Counted by the monitoring and evaluation indicators of the agreements. ``actor`` is
    the staff member, when there is one; ``partner`` names the other side as text (an
    agency, or later an API token's holder).
    """

    class Direction(models.TextChoices):
        IMPORT = "import", _("Received")
        EXPORT = "export", _("Sent")

    class Channel(models.TextChoices):
        FILE = "file", _("File")
        API = "api", _("API")

    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    direction = models.CharField(_("direction"), max_length=6, choices=Direction.choices)
    channel = models.CharField(_("channel"), max_length=4, choices=Channel.choices, default=Channel.FILE)
    dataset = models.CharField(_("dataset"), max_length=40)
    format = models.CharField(_("format"), max_length=10, blank=True)
    partner = models.CharField(_("partner"), max_length=200)
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    rows = models.PositiveIntegerField(_("rows"), default=0)
    checksum = models.CharField(_("SHA-256"), max_length=64, blank=True)
    job = models.ForeignKey(ImportJob, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("exchange log entry")
        verbose_name_plural = _("exchange log")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["agency", "-created_at"]), models.Index(fields=["dataset", "direction"])]
