"""Recommendations as tracked obligations: owner, deadline, reminders, escalation, outcome.

Two stages, one model. Bawaslu forwards a case to the civil-service authority (stage
``authority``: the owner is the authority); the authority recommends a sanction to the
PPK of the reported person's agency (stage ``ppk``: the owner is that agency), one
recommendation per reported person. The PPK records a decision: a sanction imposed or a
reasoned refusal.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cases.models import Case, CasePerson
from letters.models import Letter
from netral.indexes import CoveringIndex
from organizations.models import Agency, BawasluOffice
from registry.models import Employee
from rules.models import Violation


class PositionClass(models.TextChoices):
    """Classes of position (UU ASN), for the public register: never a name."""

    SENIOR_EXECUTIVE = "jpt", _("Senior executive (pimpinan tinggi)")
    ADMINISTRATOR = "administrator", _("Administrator")
    SUPERVISOR = "pengawas", _("Supervisor (pengawas)")
    FUNCTIONAL = "fungsional", _("Functional position")
    IMPLEMENTING = "pelaksana", _("Implementing position (pelaksana)")
    NON_ASN = "non_asn", _("Non-ASN staff")


class Recommendation(models.Model):
    class Stage(models.TextChoices):
        AUTHORITY = "authority", _("Bawaslu to the civil-service authority")
        PPK = "ppk", _("Civil-service authority to the PPK")

    class Status(models.TextChoices):
        ISSUED = "issued", _("Issued, receipt not acknowledged")
        ACKNOWLEDGED = "acknowledged", _("Received, awaiting action")
        ANSWERED = "answered", _("Answered by the authority")
        SANCTIONED = "sanctioned", _("Sanction imposed")
        REFUSED = "refused", _("Refused with reasons")

    OPEN = (Status.ISSUED, Status.ACKNOWLEDGED)

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="recommendations")
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    # Stage ppk: the reported person the recommendation is about (snapshot kept below).
    person = models.ForeignKey(CasePerson, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="recommendations")
    employee = models.ForeignKey(Employee, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="recommendations")
    employee_kind = models.CharField(_("kind of employee"), max_length=10, choices=Employee.Kind.choices, blank=True)
    person_name = models.CharField(_("name"), max_length=150, blank=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    position_class = models.CharField(_("position class"), max_length=16, choices=PositionClass.choices, blank=True)
    unit_name = models.CharField(_("unit"), max_length=200, blank=True)

    issuer_office = models.ForeignKey(BawasluOffice, null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="recommendations_issued")
    issuer_agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="recommendations_issued")
    addressee = models.ForeignKey(Agency, verbose_name=_("addressed to"), on_delete=models.PROTECT,
                                  related_name="recommendations_received")
    authority = models.CharField(_("civil-service authority"), max_length=20)  # id in authorities.yaml
    number = models.CharField(_("letter number"), max_length=120)
    issued_on = models.DateField(_("issued on"))
    violations = models.ManyToManyField(Violation, verbose_name=_("violated provisions"), related_name="+")
    sanction_family = models.CharField(_("recommended sanction family"), max_length=12, blank=True)
    sanction_level = models.CharField(_("recommended sanction level"), max_length=8, blank=True)
    considerations = models.TextField(_("considerations"), blank=True)
    letter = models.ForeignKey(Letter, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    # The deadline: a rule of rules/data/followup_limits.yaml, with what it said.
    due_on = models.DateField(_("deadline for action"))
    limit_id = models.CharField(max_length=80)
    limit_citation = models.CharField(max_length=300)
    limit_verified = models.BooleanField(default=True)

    status = models.CharField(_("status"), max_length=14, choices=Status.choices, default=Status.ISSUED)
    is_open = models.BooleanField(default=True, editable=False)
    acknowledged_at = models.DateTimeField(_("receipt acknowledged at"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+")
    closed_on = models.DateField(_("acted on"), null=True, blank=True)
    reminders_sent = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    last_reminded_on = models.DateField(null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(_("escalation level"), default=0)
    escalated_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # Two of the dashboard's day counts, stored so that a period of issue is counted without joining
    # every case and its first report (followup.tallies.stored_days_refresh keeps them; None: not yet
    # stored, and the dashboard computes it from the case).
    days_report_to_registration = models.IntegerField(null=True, blank=True, editable=False)
    days_registration_to_recommendation = models.IntegerField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=models.Q(stage="authority"),
                                    name="recommendation_one_forwarding_per_case"),
            models.UniqueConstraint(fields=["person"], condition=models.Q(stage="ppk"),
                                    name="recommendation_one_per_person"),
        ]
        indexes = [
            models.Index(fields=["addressee", "is_open", "due_on"], name="rec_addressee_open_due"),
            models.Index(fields=["stage", "is_open", "due_on"], name="rec_stage_open_due"),
            models.Index(fields=["stage", "status", "issued_on"], name="rec_stage_status_issued"),
            models.Index(fields=["number"], name="rec_number"),  # the list's search by a whole number
            # The public register's order (followup.public.register_queryset): its pages walk this index.
            models.Index(fields=["-issued_on", "-id"], condition=models.Q(stage="ppk"), name="rec_ppk_published_order"),
            # The staff list's order (followup.selectors.recommendation_list_for): its first page reads
            # 25 rows along this index instead of sorting every recommendation of the country.
            models.Index(fields=["-is_open", "due_on", "-id"], name="rec_staff_list_order"),
            # The compliance dashboard's period of issue (followup.dashboard, live: the tallies have no
            # days): the period's rows only, not every recommendation of the stage. On PostgreSQL the
            # index carries what the period's counts and per-case median read, so that they read the
            # index alone (a year of the country's recommendations: 23 -> 8 ms and 21 -> 10 ms).
            CoveringIndex(fields=["stage", "issued_on"], name="rec_stage_issued_period",
                          covering=["id", "addressee", "is_open", "closed_on", "due_on", "case",
                                    "days_report_to_registration", "days_registration_to_recommendation"]),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("followup:detail", args=[self.pk])

    def save(self, *args, **kwargs):
        self.is_open = self.status in self.OPEN
        if kwargs.get("update_fields") is not None and "status" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "is_open"}
        super().save(*args, **kwargs)


class Decision(models.Model):
    """The PPK's answer to a recommendation: the sanction imposed, or a reasoned refusal."""

    class Outcome(models.TextChoices):
        IMPOSED = "imposed", _("Sanction imposed")
        REFUSED = "refused", _("Refused with reasons")

    recommendation = models.OneToOneField(Recommendation, on_delete=models.PROTECT, related_name="decision")
    outcome = models.CharField(_("decision"), max_length=8, choices=Outcome.choices)
    sanction = models.CharField(_("sanction"), max_length=80, blank=True)  # id in sanctions.yaml
    sanction_family = models.CharField(max_length=12, blank=True)
    sanction_level = models.CharField(max_length=8, blank=True)
    letter_number = models.CharField(_("decision letter number"), max_length=120, blank=True)
    letter_date = models.DateField(_("decision letter date"), null=True, blank=True)
    file = models.FileField(_("decision letter (PDF)"), upload_to="decisions/%Y/", blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    reason = models.TextField(_("reasons"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("PPK decision")
        verbose_name_plural = _("PPK decisions")
        indexes = [models.Index(fields=["outcome", "sanction"])]


class Reminder(models.Model):
    """A reminder sent for an overdue recommendation; ``escalated`` when it climbed a level."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="reminders")
    sequence = models.PositiveSmallIntegerField()
    sent_on = models.DateField()
    level = models.PositiveSmallIntegerField(default=0)
    escalated = models.BooleanField(default=False)
    addressee = models.CharField(max_length=200)
    letter = models.ForeignKey(Letter, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["sequence"]
        constraints = [models.UniqueConstraint(fields=["recommendation", "sequence"], name="reminder_sequence_once")]


class Notice(models.Model):
    """An in-app notice about a recommendation (also e-mailed): received, reminder, escalated."""

    class Kind(models.TextChoices):
        RECEIVED = "received", _("New recommendation")
        REMINDER = "reminder", _("Reminder: deadline passed")
        ESCALATED = "escalated", _("Escalated: not acted on")
        DECIDED = "decided", _("PPK decision recorded")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followup_notices")
    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    sent_on = models.DateField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_on", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "recommendation", "kind", "sent_on"],
                                               name="followup_notice_once_a_day")]


# --- Precomputed figures of the compliance dashboard (followup.tallies) ------------------------
# Derived data: rebuilt whole by ``manage.py followup_tallies`` and kept current by the
# follow-up services in the transaction of each change (followup.tallies.tallies_refresh).
# One "key" is a stage, an addressee, the case's election and the case's Bawaslu office.

class ComplianceTally(models.Model):
    """Recommendations of one key: received, acted on in time, late, still open."""

    stage = models.CharField(max_length=10, choices=Recommendation.Stage.choices)
    addressee = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    election = models.ForeignKey("rules.Election", on_delete=models.CASCADE, related_name="+")
    office = models.ForeignKey(BawasluOffice, on_delete=models.CASCADE, related_name="+")
    received = models.PositiveIntegerField(default=0)
    in_time = models.PositiveIntegerField(default=0)
    late = models.PositiveIntegerField(default=0)
    open = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["stage", "addressee", "election", "office"],
                                               name="compliance_tally_once")]


class SanctionTally(models.Model):
    """PPK decisions of one key per outcome and sanction."""

    stage = models.CharField(max_length=10, choices=Recommendation.Stage.choices)
    addressee = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    election = models.ForeignKey("rules.Election", on_delete=models.CASCADE, related_name="+")
    office = models.ForeignKey(BawasluOffice, on_delete=models.CASCADE, related_name="+")
    outcome = models.CharField(max_length=8)
    sanction = models.CharField(max_length=80, blank=True)
    sanction_family = models.CharField(max_length=12, blank=True)
    sanction_level = models.CharField(max_length=8, blank=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["stage", "addressee", "election", "office"], name="sanction_tally_key")]


class DaysTally(models.Model):
    """How many pairs of steps of one key lie ``days`` apart (a histogram, for exact medians).

    ``addressee`` is empty for the measure counted per case (report to registration): a
    case counts once whatever the number of its recommendations.
    """

    class Measure(models.TextChoices):
        REPORT_TO_REGISTRATION = "report_reg", "report to registration"
        REGISTRATION_TO_RECOMMENDATION = "reg_rec", "registration to recommendation"
        RECOMMENDATION_TO_SANCTION = "rec_sanction", "recommendation to sanction"

    measure = models.CharField(max_length=12, choices=Measure.choices)
    stage = models.CharField(max_length=10, choices=Recommendation.Stage.choices)
    addressee = models.ForeignKey(Agency, null=True, on_delete=models.CASCADE, related_name="+")
    election = models.ForeignKey("rules.Election", on_delete=models.CASCADE, related_name="+")
    office = models.ForeignKey(BawasluOffice, on_delete=models.CASCADE, related_name="+")
    days = models.IntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["stage", "election", "office"], name="days_tally_key")]


class PublicFigure(models.Model):
    """One count of the public statistics (followup.public_figures): an election, an area, a measure.

    ``area``: the first five characters of the region code where it happened ("19.06" a regency/city,
    "19" the province itself, "ID" the country; "" for the national-only measures: violations,
    sanctions). A province's and the country's figures are sums of these rows (``province``: the
    area's first two characters, what the national page groups by). Rebuilt whole by
    ``public_figures_rebuild``; never written elsewhere.
    """

    election = models.ForeignKey("rules.Election", on_delete=models.CASCADE, related_name="+")
    area = models.CharField(max_length=16, blank=True)
    province = models.CharField(max_length=16, blank=True)  # area's first two characters: a province's page reads its own
    measure = models.CharField(max_length=24)
    detail = models.CharField(max_length=120, blank=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["province"], name="public_figure_province")]
        constraints = [models.UniqueConstraint(fields=["election", "area", "measure", "detail"],
                                               name="public_figure_unique")]


class PublicFiguresState(models.Model):
    """The one row saying when the public figures were computed, and whether a refresh is queued.

    ``refresh_requested_at``: the guard of the stale-while-revalidate refresh (set by the one page
    read that queues it, cleared by the rebuild): never two refreshes queued at once.
    """

    computed_at = models.DateTimeField(null=True, blank=True)
    computed_on = models.DateField(null=True, blank=True)  # the day the classes in time/late/open were counted
    refresh_requested_at = models.DateTimeField(null=True, blank=True)
