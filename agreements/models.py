"""Agreements (nota kesepakatan / perjanjian kerja sama) between Bawaslu and a Pemda, their work plans and M&E."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from organizations.models import Agency, BawasluOffice


class Agreement(models.Model):
    class Kind(models.TextChoices):
        MOU = "mou", _("Memorandum of understanding (nota kesepakatan)")
        COOPERATION = "cooperation", _("Cooperation agreement (perjanjian kerja sama)")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.MOU)
    title = models.CharField(_("title"), max_length=300)
    place = models.CharField(_("place of signing"), max_length=100)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    term_years = models.PositiveSmallIntegerField(_("term (years)"), default=3)
    ends_on = models.DateField(_("last day in force"), null=True, blank=True,
                               help_text=_("Computed from the signing date and the term; the signing day counts "
                                           "as the first day."))
    notice_days = models.PositiveSmallIntegerField(_("notice for an early end (days)"), default=30)
    purpose = models.TextField(_("purpose and objective"), blank=True)
    scope = models.JSONField(_("scope"), default=list, help_text=_("One item per line of the scope clause."))
    legal_bases = models.JSONField(_("legal bases"), default=list)
    clauses = models.JSONField(_("other clauses"), default=dict, blank=True,
                               help_text=_("Funding, monitoring, disputes and the like, as written."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-signed_on", "-id"]

    def __str__(self):
        return self.title

class Party(models.Model):
    """One side of an agreement (PIHAK KESATU, PIHAK KEDUA), with its own number and signatory."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="parties")
    position = models.PositiveSmallIntegerField(_("party"))  # 1 = PIHAK KESATU, 2 = PIHAK KEDUA
    office = models.ForeignKey(BawasluOffice, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    number = models.CharField(_("the party's number of the agreement"), max_length=80)
    signatory_name = models.CharField(_("signatory"), max_length=150)
    signatory_position = models.CharField(_("signatory's position"), max_length=200)
    signatory_basis = models.TextField(_("signatory's authority"), blank=True)
    address = models.TextField(_("address"), blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "position"], name="party_position_once"),
            models.CheckConstraint(condition=models.Q(office__isnull=False) | models.Q(agency__isnull=False),
                                   name="party_is_an_office_or_an_agency"),
        ]

    def __str__(self):
        return self.name


class Document(models.Model):
    class Kind(models.TextChoices):
        SIGNED = "signed", _("Signed agreement")
        ADDENDUM = "addendum", _("Signed addendum")
        NOTICE = "notice", _("Termination notice")
        MINUTES = "minutes", _("Minutes")
        EVIDENCE = "evidence", _("Evidence of an indicator")
        GUIDELINES = "guidelines", _("Implementation guidelines (juklak)")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    name = models.CharField(max_length=200)
    file = models.FileField(upload_to="agreements/%Y/")
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]


class Termination(models.Model):
    """An early end: written reasons delivered ``notice_on``, in effect ``effective_on`` (seed 000 art. 8)."""

    agreement = models.OneToOneField(Agreement, on_delete=models.PROTECT, related_name="termination")
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    notice_on = models.DateField(_("written notice delivered on"))
    effective_on = models.DateField(_("in effect on"))
    reasons = models.TextField(_("reasons"))
    notice = models.ForeignKey(Document, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # What was still open when the end was recorded (art. 8(2)): duties, disputes, costs; as then, never updated.
    open_obligations = models.JSONField(_("open obligations at the end"), default=dict, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)


class Addendum(models.Model):
    """A written addition, in force only once both parties have approved it (seed 000 art. 11)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="addenda")
    number = models.CharField(_("number"), max_length=80)
    title = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text"))
    proposed_by = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="+")
    first_approved_on = models.DateField(null=True, blank=True)
    first_approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                          related_name="+")
    second_approved_on = models.DateField(null=True, blank=True)
    second_approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                           on_delete=models.PROTECT, related_name="+")
    in_force_on = models.DateField(_("in force on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("addendum")
        verbose_name_plural = _("addenda")
        ordering = ["created_at", "id"]


class WorkPlanItem(models.Model):
    """One row of the work plan (rencana kerja), as in seed 000's table."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="work_plan")
    order = models.PositiveSmallIntegerField()
    number = models.CharField(_("number"), max_length=10)  # "1.a"
    programme = models.CharField(_("programme"), max_length=200)
    activity = models.CharField(_("activity"), max_length=300)
    location = models.CharField(_("location"), max_length=200)
    funding = models.CharField(_("funding"), max_length=200)
    schedule = models.CharField(_("schedule"), max_length=200)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["agreement", "order"], name="work_plan_order_once")]


class Target(models.Model):
    """An output or outcome of a work-plan item, measured by a computed indicator or by hand."""

    class Kind(models.TextChoices):
        OUTPUT = "output", _("Output")
        OUTCOME = "outcome", _("Outcome")

    item = models.ForeignKey(WorkPlanItem, on_delete=models.CASCADE, related_name="targets")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    text = models.TextField(_("as written"))
    indicator = models.CharField(_("computed indicator"), max_length=60, blank=True,
                                 help_text=_("Empty: recorded by hand with evidence."))
    target_value = models.DecimalField(_("target"), max_digits=12, decimal_places=2, null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["item__order", "kind", "order", "id"]


class ManualValue(models.Model):
    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="values")
    period_start = models.DateField()
    period_end = models.DateField()
    value = models.DecimalField(max_digits=12, decimal_places=2)
    note = models.TextField(blank=True)
    evidence = models.ForeignKey(Document, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period_end", "-id"]


def _pledge_evidence_path(instance, filename):
    return f"agreements/meetings/{instance.sha256_pledges[:32]}.pdf"


class EvaluationMeeting(models.Model):
    """A monitoring and evaluation meeting: of an agreement's parties (seed 000 art. 9), or standing alone.

    A standalone meeting (seed 002) has no agreement: a province or regency Bawaslu office or a
    Pemda organizes it to evaluate one election's handling; its region fixes who sees it.
    """

    agreement = models.ForeignKey(Agreement, null=True, blank=True, on_delete=models.CASCADE,
                                  related_name="meetings")
    office = models.ForeignKey(BawasluOffice, verbose_name=_("Bawaslu office"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, verbose_name=_("local government"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    # The organizer's region, copied so that jurisdiction filters need no join (as prevention.Organized).
    region = models.ForeignKey("regions.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    election = models.ForeignKey("rules.Election", verbose_name=_("election"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=300, blank=True)
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=200)
    attendees = models.TextField(_("attendees"), blank=True)
    minutes = models.TextField(_("minutes"))
    decisions = models.JSONField(_("decisions"), default=list)
    period_start = models.DateField(_("period from"), null=True, blank=True)
    period_end = models.DateField(_("period to"), null=True, blank=True)
    # Pledges signed at the meeting: the prevention ceremony that recorded them, or a count with its evidence.
    ceremony = models.ForeignKey("prevention.Ceremony", verbose_name=_("pledge ceremony"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    pledges_signed = models.PositiveIntegerField(_("pledges signed"), null=True, blank=True)
    pledges_evidence = models.FileField(_("evidence of the pledges"), upload_to=_pledge_evidence_path, blank=True)
    sha256_pledges = models.CharField(max_length=64, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(agreement__isnull=False)
                           | models.Q(agreement__isnull=True, region__isnull=False, election__isnull=False)
                           & (models.Q(office__isnull=False, agency__isnull=True)
                              | models.Q(office__isnull=True, agency__isnull=False))),
                name="meeting_of_an_agreement_or_organized_for_an_election"),
            models.CheckConstraint(condition=models.Q(pledges_signed__isnull=True) | ~models.Q(sha256_pledges="")
                                   | models.Q(ceremony__isnull=False),
                                   name="meeting_pledge_count_has_evidence"),
        ]
        indexes = [models.Index(fields=["region", "held_on"])]

    @property
    def organizer(self):
        return self.office or self.agency


# --- Duties, costs and dissemination (issue 19: seed 000 art. 5, 6 and work plan 1.a) --------

class Duty(models.Model):
    """One duty of one party in a work-plan row, as written (seed 000 art. 5(1)(b), 5(2)(b))."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")  # belum
        IN_PROGRESS = "in_progress", _("In progress")  # berjalan
        DONE = "done", _("Done")  # selesai
        NOT_DONE = "not_done", _("Not carried out")  # tidak dilaksanakan

    item = models.ForeignKey(WorkPlanItem, on_delete=models.CASCADE, related_name="duties")
    party = models.ForeignKey(Party, verbose_name=_("party"), on_delete=models.PROTECT, related_name="duties")
    order = models.PositiveSmallIntegerField()
    text = models.TextField(_("duty as written"))
    period_start = models.DateField(_("period from"), null=True, blank=True)
    period_end = models.DateField(_("period to"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    status_note = models.TextField(_("note on the status"), blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                          related_name="+")

    class Meta:
        verbose_name = _("duty")
        verbose_name_plural = _("duties")
        ordering = ["item__order", "party__position", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["item", "party", "order"], name="duty_order_once")]

    def __str__(self):
        return self.text


def _duty_photo_path(instance, filename):
    return f"agreements/duties/{instance.duty_id}/{instance.sha256[:32]}.{filename.rsplit('.', 1)[-1]}"


class DutyEvidence(models.Model):
    """What shows a duty was carried out: a document of the agreement, a photo, a link or a live figure."""

    class Kind(models.TextChoices):
        DOCUMENT = "document", _("Document")
        PHOTO = "photo", _("Photo")
        LINK = "link", _("Link")
        FIGURE = "figure", _("Live figure")

    duty = models.ForeignKey(Duty, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    photo = models.FileField(_("photo"), upload_to=_duty_photo_path, blank=True)  # the metadata-stripped copy
    sha256 = models.CharField(max_length=64, blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    indicator = models.CharField(_("computed indicator"), max_length=80, blank=True)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evidence of a duty")
        verbose_name_plural = _("evidence of duties")
        ordering = ["added_at", "id"]
        constraints = [models.CheckConstraint(
            condition=(models.Q(kind="document", document__isnull=False)
                       | models.Q(kind="photo") & ~models.Q(photo="")
                       | models.Q(kind="link") & ~models.Q(url="")
                       | models.Q(kind="figure") & ~models.Q(indicator="")),
            name="duty_evidence_has_its_content")]


class BudgetLine(models.Model):
    """What one party budgets for one activity of the work plan (seed 000 art. 6), in Rupiah."""

    item = models.ForeignKey(WorkPlanItem, verbose_name=_("activity"), on_delete=models.CASCADE,
                             related_name="budget_lines")
    party = models.ForeignKey(Party, verbose_name=_("party"), on_delete=models.PROTECT, related_name="budget_lines")
    amount = models.DecimalField(_("amount (Rp)"), max_digits=15, decimal_places=0,
                                 validators=[MinValueValidator(0)])
    source = models.CharField(_("source of funds"), max_length=200,
                              help_text=_("As written in the budget document, e.g. APBD Kabupaten 2024."))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["item__order", "party__position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "party"], name="budget_line_once_per_party"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="budget_amount_not_negative"),
        ]


class Spending(models.Model):
    """What was spent on a budget line, with its evidence (a receipt or accountability report)."""

    line = models.ForeignKey(BudgetLine, on_delete=models.CASCADE, related_name="spendings")
    spent_on = models.DateField(_("spent on"))
    amount = models.DecimalField(_("amount (Rp)"), max_digits=15, decimal_places=0)
    description = models.CharField(_("description"), max_length=300)
    evidence = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("spending")
        verbose_name_plural = _("spendings")
        ordering = ["spent_on", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="spending_amount_positive")]


class Dissemination(models.Model):
    """One post or broadcast of neutrality material by a party (seed 000 work plan 1.a, 1.b, 1.c)."""

    class Channel(models.TextChoices):
        INSTAGRAM = "instagram", "Instagram"
        FACEBOOK = "facebook", "Facebook"
        X = "x", "X"
        TIKTOK = "tiktok", "TikTok"
        YOUTUBE = "youtube", "YouTube"
        WHATSAPP = "whatsapp", "WhatsApp"
        RADIO = "radio", _("Radio")
        TV = "tv", _("Television")
        WEBSITE = "website", _("Website")
        OTHER = "other", _("Other")

    # A post on these has an address; a broadcast on radio or TV, a WhatsApp message may not.
    LINK_REQUIRED = (Channel.INSTAGRAM, Channel.FACEBOOK, Channel.X, Channel.TIKTOK, Channel.YOUTUBE, Channel.WEBSITE)

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="disseminations")
    party = models.ForeignKey(Party, verbose_name=_("party"), on_delete=models.PROTECT, related_name="disseminations")
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    title = models.CharField(_("material"), max_length=200)
    url = models.URLField(_("link"), max_length=500, blank=True)
    published_on = models.DateField(_("published on"))
    reach = models.PositiveIntegerField(_("reach"), null=True, blank=True,
                                        help_text=_("Views, listeners or recipients, if known."))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("dissemination")
        verbose_name_plural = _("disseminations")
        ordering = ["-published_on", "-id"]
        indexes = [models.Index(fields=["agreement", "published_on"])]


# --- Officials, disputes and standalone meetings (issue 19: seed 000 art. 4(1), 10, 12; seed 002) ------

class Official(models.Model):
    """A party's signatory or focal point for a period (seed 000 art. 4(1); art. 12).

    The agreement survives a change of officials: a replacement closes the old row's period
    and opens a new row; a row is otherwise never edited. The signatories at signing stay on
    Party; the first later change copies the one at signing here, closed, before the new one.
    """

    class Kind(models.TextChoices):
        SIGNATORY = "signatory", _("Signatory")
        FOCAL_POINT = "focal_point", _("Focal point")

    party = models.ForeignKey(Party, verbose_name=_("party"), on_delete=models.CASCADE, related_name="officials")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=150)
    role = models.CharField(_("role as written"), max_length=300)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    valid_from = models.DateField(_("from"))
    valid_until = models.DateField(_("until"), null=True, blank=True)
    replaces = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="replaced_by")
    note = models.TextField(_("basis or reason"), blank=True,
                            help_text=_("The decree or letter of appointment, or why the official changed."))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("official")
        verbose_name_plural = _("officials")
        ordering = ["party__position", "kind", "-valid_from", "-id"]
        constraints = [models.CheckConstraint(
            condition=models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=models.F("valid_from")),
            name="official_period_in_order")]

    def __str__(self):
        return self.name

    @property
    def is_current(self) -> bool:
        return self.valid_until is None


class Dispute(models.Model):
    """A dispute or a difference of interpretation between the parties, settled by deliberation (seed 000 art. 10)."""

    class Kind(models.TextChoices):
        DISPUTE = "dispute", _("Dispute")
        INTERPRETATION = "interpretation", _("Difference of interpretation")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        RESOLVED = "resolved", _("Resolved by deliberation")
        UNRESOLVED = "unresolved", _("Not resolved")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="disputes")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    raised_by = models.ForeignKey(Party, verbose_name=_("raised by"), on_delete=models.PROTECT, related_name="+")
    article = models.CharField(_("article"), max_length=80, help_text=_("As written, e.g. Pasal 5 ayat (1)."))
    raised_on = models.DateField(_("raised on"))
    question = models.TextField(_("question"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    outcome = models.TextField(_("outcome"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("dispute")
        verbose_name_plural = _("disputes")
        ordering = ["-raised_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(status="open", closed_on__isnull=True)
                           | models.Q(status__in=["resolved", "unresolved"], closed_on__isnull=False)
                           & ~models.Q(outcome="")),
                name="dispute_closed_with_its_outcome"),
        ]

    def __str__(self):
        return f"{self.article}: {self.question[:60]}"


class Deliberation(models.Model):
    """One deliberation (musyawarah) on a dispute."""

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="deliberations")
    held_on = models.DateField(_("held on"))
    participants = models.TextField(_("participants"), blank=True)
    notes = models.TextField(_("what was said and agreed"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("deliberation")
        verbose_name_plural = _("deliberations")
        ordering = ["held_on", "id"]


class MeetingParticipant(models.Model):
    """Who took part in an evaluation meeting: a named person of an institution, or a count per institution."""

    meeting = models.ForeignKey(EvaluationMeeting, on_delete=models.CASCADE, related_name="participants")
    institution = models.CharField(_("institution"), max_length=200)
    name = models.CharField(_("name"), max_length=150, blank=True)
    count = models.PositiveIntegerField(_("number of people"), default=1)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(count__gte=1), name="participant_count_positive"),
            models.CheckConstraint(condition=models.Q(name="") | models.Q(count=1), name="named_participant_is_one"),
        ]
