"""Agreements (nota kesepakatan / perjanjian kerja sama) between Bawaslu and a Pemda, their work plans and M&E."""

from django.conf import settings
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
    duties_first = models.JSONField(_("duties of the first party"), default=list)
    duties_second = models.JSONField(_("duties of the second party"), default=list)

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


class EvaluationMeeting(models.Model):
    """A periodic monitoring and evaluation meeting of the parties (seed 000 art. 9)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=200)
    attendees = models.TextField(_("attendees"), blank=True)
    minutes = models.TextField(_("minutes"))
    decisions = models.JSONField(_("decisions"), default=list)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
