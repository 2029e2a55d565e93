from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from netral.crypto import EncryptedJSONField
from netral.files import download_name
from organizations.models import BawasluOffice
from regions.models import Region
from registry.models import Employee
from reports.states import Status
from rules.models import Election, Violation


class NumberSequence(models.Model):
    """A counter per scope and year, locked while taken, for gap-free readable numbers."""

    scope = models.CharField(max_length=60)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "year"], name="sequence_unique_scope_year")]


class Report(models.Model):
    """What a member of the public submitted, before it is registered as a case."""

    Status = Status

    class Channel(models.TextChoices):
        """The door a report came in by (intake/: the conversations of the messaging channels)."""

        WEB = "web", _("Web form")
        WHATSAPP = "whatsapp", "WhatsApp"
        SMS = "sms", "SMS"
        TELEGRAM = "telegram", "Telegram"
        EMAIL = "email", _("E-mail")
        PARTNER = "partner", _("Partner system")

    number = models.CharField(_("report number"), max_length=40, unique=True)
    office = models.ForeignKey(BawasluOffice, verbose_name=_("Bawaslu office"), on_delete=models.PROTECT,
                               related_name="reports")
    region = models.ForeignKey(Region, verbose_name=_("where it happened"), on_delete=models.PROTECT,
                               related_name="reports")
    election = models.ForeignKey(Election, verbose_name=_("election"), on_delete=models.PROTECT,
                                 related_name="reports")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED)
    status_changed_at = models.DateTimeField(_("status changed at"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.WEB)
    anonymous = models.BooleanField(_("anonymous"))
    # Name, NIK, address, phone, e-mail: encrypted; None for an anonymous submission.
    reporter = EncryptedJSONField(_("reporter"), null=True, blank=True)
    # Set when the identity above was erased under the retention rule (cases/retention.py).
    identity_purged_at = models.DateTimeField(_("reporter identity erased at"), null=True, blank=True)
    description = models.TextField(_("what happened"))
    place = models.CharField(_("place"), max_length=300)
    occurred_on = models.DateField(_("date of the event"), null=True, blank=True)
    known_on = models.DateField(_("date the reporter learned of it"))
    # Issue 19: the event lies outside every election's supervised stages (rules.stages); the
    # reporter sent it as information, not as a report, so it runs no registration clock.
    outside_stages = models.BooleanField(_("outside the election stages"), default=False)
    violations = models.ManyToManyField(Violation, verbose_name=_("suspected prohibited acts"), blank=True,
                                        related_name="reports")
    # SHA-256 of the secret tracking code (never the code) and of the form's submission
    # token (makes a double submit return the first report).
    tracking_hash = models.CharField(max_length=64, unique=True)
    submission_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("received at"), db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Set when the reporter writes; cleared when staff read the thread (inbox flag).
    unread_by_staff = models.BooleanField(_("unread by staff"), default=True)
    unread_by_reporter = models.BooleanField(_("unread by reporter"), default=False)
    # Issue 18: the reporter asked for an e-mail when there is news (reports/notices.py). The
    # address stays in ``reporter``, encrypted; only this consent is in clear. Off for good once
    # the reporter stops the notices on the tracking page.
    notify_by_email = models.BooleanField(_("e-mail notices"), default=False)
    # The language the reporter used on the form (a code of LANGUAGES), for the notices; empty: Indonesian.
    language = models.CharField(_("language"), max_length=10, blank=True)
    # Issue 20: the next deadline of the report's running clock (initial study, or the completion
    # window), None where no clock runs. Derived (reports.selectors.report_next_due), stored so the
    # inbox orders by it in SQL: kept by every write that changes the status or a clock pause
    # (reports.services), recomputed daily by ``manage.py recompute_deadlines`` (holiday changes).
    next_due_on = models.DateField(_("next deadline"), null=True, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["office", "status", "-created_at"]),
            models.Index(fields=["region", "-created_at"]),
            # The inbox by next deadline of one office: ORDER BY next_due_on (ascending, nulls last,
            # PostgreSQL's default for an ascending index), newest first, read in index order.
            models.Index(fields=["office", "next_due_on", "-created_at", "-id"], name="report_office_due"),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("reports:detail", args=[self.pk])


class ReportedPerson(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="reported_persons")
    employee = models.ForeignKey(Employee, verbose_name=_("employee in the register"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="reports")
    name = models.CharField(_("name"), max_length=150)
    position = models.CharField(_("position"), max_length=200, blank=True)
    unit = models.CharField(_("unit or agency"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("reported person")
        verbose_name_plural = _("reported persons")
        ordering = ["id"]

    def __str__(self):
        return self.name


class ReportLink(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="links")
    url = models.URLField(_("link"), max_length=1000)

    class Meta:
        ordering = ["id"]


class EvidenceBlob(models.Model):
    """One evidence file, stored once however often it is attached.

    ``sealed_name`` points at the original bytes, encrypted, in the sealed storage that is
    never served; ``public_file`` is the copy staff and public see (image metadata removed).
    """

    sha256 = models.CharField(_("SHA-256"), max_length=64, unique=True)
    size = models.PositiveBigIntegerField(_("size"))
    content_type = models.CharField(_("type"), max_length=60)
    sealed_name = models.CharField(max_length=200)
    public_file = models.FileField(_("file"), upload_to="evidence/", max_length=200)
    metadata_removed = models.BooleanField(_("metadata removed"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class StagedFile(models.Model):
    """An accepted evidence file of a form that was sent back for corrections.

    Kept (encrypted, in the sealed storage) under the form's submission token, so that a
    reporter who must fix a field does not upload a video again over a weak connection.
    Taken into the report on submission; ``manage.py purge_staged_files`` removes the rest.
    Not audited: it is a draft, not part of any record.
    """

    submission_hash = models.CharField(max_length=64, db_index=True)
    name = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    sealed_name = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["submission_hash", "sha256"], name="staged_once_per_form")]

    def __str__(self):
        return self.name


class Message(models.Model):
    class Sender(models.TextChoices):
        REPORTER = "reporter", _("Reporter")
        STAFF = "staff", _("Bawaslu staff")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="messages")
    sender = models.CharField(_("sender"), max_length=10, choices=Sender.choices)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(_("sent at"))

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "id"]


class Attachment(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(Message, null=True, blank=True, on_delete=models.CASCADE,
                                related_name="attachments")
    blob = models.ForeignKey(EvidenceBlob, on_delete=models.PROTECT, related_name="attachments")
    original_name = models.CharField(_("file name"), max_length=200)
    added_by = models.CharField(_("added by"), max_length=10, choices=Message.Sender.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["report", "blob"], name="attachment_once_per_report")]

    @property
    def download_name(self) -> str:
        """The name the file is served under: the sender's, with the extension of its detected type.

        ``original_name`` stays as the reporter sent it (``bukti_video.bat``); what leaves the
        server is ``bukti_video.mp4`` (netral/files.py), for rows of any age.
        """
        return download_name(self.original_name, self.blob.content_type)


class ClockPause(models.Model):
    """A period in which the report's clock stood still, waiting for the reporter.

    Opened when the report is sent back for completion, closed when it leaves that status.
    """

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="clock_pauses")
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["started_on", "id"]

    def as_pair(self, today):
        return (self.started_on, self.ended_on or today)


class StatusChange(models.Model):
    """An entry of the report's public history: a change of status, an announced outcome, a handover."""

    class Kind(models.TextChoices):
        STATUS = "status", _("Status changed")
        ANNOUNCEMENT = "announcement", _("Outcome announced")
        HANDOVER = "handover", _("Handed over")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="status_changes")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.STATUS)
    # The entry's own label for the reporter, in plain words (an outcome: "Diteruskan ke BKN").
    headline = models.CharField(max_length=200, blank=True)
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    public_note = models.TextField(_("note to the reporter"), blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]

    @property
    def label(self) -> str:
        """What the reporter reads as this entry's title."""
        if self.headline:
            return self.headline
        if self.kind == self.Kind.STATUS:
            return self.get_to_status_display()
        return self.get_kind_display()


class ReporterNotice(models.Model):
    """A staff change the reporter was told of by e-mail (reports/notices.py): never the address.

    One row per status change or staff message, unique, so that a notice task that runs twice
    sends nothing the second time; several changes of one moment share one e-mail (``sent_at``).
    """

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="notices")
    status_change = models.OneToOneField(StatusChange, null=True, blank=True, on_delete=models.CASCADE,
                                         related_name="notice")
    message = models.OneToOneField(Message, null=True, blank=True, on_delete=models.CASCADE, related_name="notice")
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["sent_at", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(status_change__isnull=False, message__isnull=True)
                                   | models.Q(status_change__isnull=True, message__isnull=False),
                                   name="reporter_notice_of_one_change"),
        ]


class Handover(models.Model):
    """A report handed over (pelimpahan) to the competent Bawaslu office, with the reason.

    The report row stays the same, so its number, its tracking code, its messages, its
    evidence and its history go with it; this row records who moved it from where to where.
    """

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="handovers")
    from_office = models.ForeignKey(BawasluOffice, on_delete=models.PROTECT, related_name="+")
    to_office = models.ForeignKey(BawasluOffice, on_delete=models.PROTECT, related_name="+")
    from_region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    to_region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"))
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("handover (pelimpahan)")
        verbose_name_plural = _("handovers (pelimpahan)")
        ordering = ["created_at", "id"]


class IdentityRequest(models.Model):
    """A staff member's request to see a reporter's identity, decided by a second person.

    Used when the report's office asks for two people (``BawasluOffice.identity_reveal_needs_approval``,
    reports/identity.py). An approval lets the requester, and only the requester, see the
    identity until the end of the day of approval (the installation's time zone); every look
    is still audited. A refused or expired request stays, for the record.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for a decision")
        APPROVED = "approved", _("approved")
        REFUSED = "refused", _("refused")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="identity_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("asked by"), on_delete=models.PROTECT,
                                     related_name="+")
    reason = models.TextField(_("reason"))
    requested_at = models.DateTimeField(_("asked at"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("note on the decision"), blank=True)
    # Approved: the requester may open the identity until then.
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("request to open a reporter's identity")
        verbose_name_plural = _("requests to open a reporter's identity")
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["status", "report"], name="identity_request_status")]
        constraints = [
            # A double submit, or a second tab, makes one pending request per person and report.
            models.UniqueConstraint(fields=["report", "requested_by"], condition=models.Q(status="pending"),
                                    name="identity_request_one_pending"),
        ]


class IdentityDisclosure(models.Model):
    """A reporter's identity shown to a staff member: what the reporter's status page lists.

    Roles are copied when it happens (an account's role may change later); the reporter's
    page shows the roles and the date, never a name. One row per approved request (its
    first look), or per person and day under the one-step reveal.
    """

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="identity_disclosures")
    viewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    viewer_role = models.CharField(_("opened by"), max_length=20, choices=User.Role.choices)
    approver_role = models.CharField(_("approved by"), max_length=20, choices=User.Role.choices, blank=True)
    request = models.OneToOneField(IdentityRequest, null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="disclosure")
    opened_at = models.DateTimeField(_("opened at"))

    class Meta:
        verbose_name = _("opening of a reporter's identity")
        verbose_name_plural = _("openings of reporters' identities")
        ordering = ["opened_at", "id"]
