from django.conf import settings
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cases import person_key as person_keys
from cases.person_elections import person_elections_of_cases, person_elections_refresh
from cases.person_key import name_key
from cases.states import OPEN, Outcome, Status
from organizations.models import BawasluOffice
from regions.models import Region
from registry.models import Employee
from reports.models import Attachment, Report
from rules.models import Election, Violation

# What a case counts under in the repeat offenders' stored figures (cases.person_elections).
_COUNTED_AS = ("election_id", "office_id", "status")


class CaseQuerySet(models.QuerySet):
    def update(self, **kwargs):
        """As QuerySet.update; a change of the cases' election, office or status refreshes the stored
        figures of their persons' keys (cases.person_elections) in the same transaction."""
        if not {name.removesuffix("_id") for name in kwargs} & {"election", "office", "status"}:
            return super().update(**kwargs)
        with transaction.atomic(using=self.db, savepoint=False):
            keys = person_elections_of_cases(self.values("pk"))
            updated = super().update(**kwargs)
            person_elections_refresh(keys)
        return updated


class Case(models.Model):
    """A registered report or a finding (temuan), handled under the law's deadlines."""

    class Kind(models.TextChoices):
        REPORT = "report", _("Report (laporan)")
        FINDING = "finding", _("Finding (temuan)")

    Status = Status
    Outcome = Outcome

    number = models.CharField(_("registration number"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    office = models.ForeignKey(BawasluOffice, verbose_name=_("Bawaslu office"), on_delete=models.PROTECT,
                               related_name="cases")
    region = models.ForeignKey(Region, verbose_name=_("where it happened"), on_delete=models.PROTECT,
                               related_name="cases")
    election = models.ForeignKey(Election, verbose_name=_("election"), on_delete=models.PROTECT, related_name="cases")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.REGISTERED)
    # Derived from status on save (cases.states.OPEN): the key of the staff's default list,
    # open cases by next deadline, which an index serves in order without sorting.
    is_open = models.BooleanField(default=True, editable=False)
    summary = models.TextField(_("summary of the facts"))
    place = models.CharField(_("place"), max_length=300)
    occurred_on = models.DateField(_("date of the event"), null=True, blank=True)
    known_on = models.DateField(_("date it became known"))
    registered_on = models.DateField(_("registered on"))
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # More information needed: the study runs to the extended limit (rule study_extended).
    extended = models.BooleanField(_("study extended"), default=False)
    # The next deadline, kept with the case so lists sort and filter on it; recomputed
    # by cases.services on every change and by `manage.py recompute_deadlines`.
    due_on = models.DateField(_("next deadline"), null=True, blank=True, db_index=True)
    due_step = models.CharField(max_length=30, blank=True)
    # The deadline rules (rules/data/deadlines.yaml) in force when the clock started, by step:
    # a later correction of the data applies only through `manage.py apply_rule_corrections`.
    pinned_rules = models.JSONField(default=dict, blank=True, editable=False)

    violations = models.ManyToManyField(Violation, verbose_name=_("violated provisions"), blank=True,
                                        related_name="cases")
    legal_analysis = models.TextField(_("legal analysis"), blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=24, choices=Outcome.choices, blank=True)
    outcome_reason = models.TextField(_("reason"), blank=True)
    forwarded_to = models.CharField(_("forwarded to"), max_length=200, blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged")
    # What the public may read: no reporter identity, ever.
    announcement = models.TextField(_("public announcement"), blank=True)
    announced_at = models.DateTimeField(_("announced at"), null=True, blank=True, db_index=True)
    # The letters issued for the case (letters.Letter), linked through CaseLetter below.
    letters = models.ManyToManyField("letters.Letter", through="CaseLetter", related_name="+", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-registered_on", "-id"]
        indexes = [
            models.Index(fields=["office", "is_open", "due_on", "-registered_on", "-id"], name="case_office_open_due"),
            # The list of one status by next deadline, and its count (the landing page's "decisions
            # awaiting approval", issue 20): an index-only count of the office's cases of that status.
            models.Index(fields=["office", "status", "due_on", "-registered_on", "-id"], name="case_office_status_due"),
            models.Index(fields=["office", "-registered_on", "-id"], name="case_office_newest"),
            models.Index(fields=["region", "status"]),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("cases:detail", args=[self.pk])

    @classmethod
    def from_db(cls, db, field_names, values):
        case = super().from_db(db, field_names, values)
        case._counted_as = case._counted_now()
        return case

    def refresh_from_db(self, *args, **kwargs):
        super().refresh_from_db(*args, **kwargs)
        if not kwargs.get("fields") and not (len(args) > 1 and args[1]):  # every field read again
            self._counted_as = self._counted_now()

    def _counted_now(self):
        """What the case counts under in the repeat offenders' figures (cases.person_elections): its
        election, office and whether it was merged; None when a field was not loaded (deferred)."""
        if any(name not in self.__dict__ for name in _COUNTED_AS):
            return None
        return self.election_id, self.office_id, self.status == Status.MERGED

    def save(self, *args, **kwargs):
        self.is_open = self.status in OPEN
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "status" in update_fields:
            kwargs["update_fields"] = {*update_fields, "is_open"}
        untouched = update_fields is not None and not {
            name.removesuffix("_id") for name in update_fields} & {"election", "office", "status"}
        now = self._counted_now()
        if self._state.adding or untouched or (now is not None and now == getattr(self, "_counted_as", None)):
            super().save(*args, **kwargs)
        else:
            # A case moved to another election or office, or merged (or one not read from the database,
            # so unknown): its persons' keys are counted elsewhere now, in the same transaction.
            with transaction.atomic(savepoint=False):
                super().save(*args, **kwargs)
                person_elections_refresh(person_elections_of_cases([self.pk]))
        if update_fields is None:
            self._counted_as = now
        elif not untouched:  # saved in part: unknown, so the next save refreshes
            self._counted_as = None


class CaseReport(models.Model):
    """A report that belongs to a case; a report belongs to at most one case."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="case_reports")
    report = models.OneToOneField(Report, on_delete=models.PROTECT, related_name="case_link")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]


class CasePersonQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        """As QuerySet.bulk_create, with each row's name_key and person_key set as save() sets them."""
        objs = list(objs)
        for person in objs:
            person.name_key = name_key(person.name)
        person_keys.set_person_keys(self.model, objs)
        with transaction.atomic(using=self.db, savepoint=False):
            created = super().bulk_create(objs, *args, **kwargs)
            # Typed persons of the same name may now be this entry's person (cases.person_key); the
            # repeat offenders' figures of the new keys (cases.person_elections).
            person_keys.rekey_names(self.model, {p.name_key for p in objs if p.employee_id})
            person_elections_refresh(p.person_key for p in objs)
        return created

    def update(self, **kwargs):
        """As QuerySet.update; a change of the rows' keys or cases refreshes the repeat offenders'
        figures of the keys before and after (cases.person_elections), in the same transaction."""
        if not {name.removesuffix("_id") for name in kwargs} & {"case", "person_key", "name_key"}:
            return super().update(**kwargs)
        with transaction.atomic(using=self.db, savepoint=False):
            keys = set(self.exclude(person_key="").values_list("person_key", flat=True).distinct())
            updated = super().update(**kwargs)
            person_elections_refresh(keys | {kwargs.get("person_key") or ""})
        return updated


class CasePerson(models.Model):
    """A reported person (terlapor) of the case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="persons")
    employee = models.ForeignKey(Employee, verbose_name=_("employee in the register"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="cases")
    name = models.CharField(_("name"), max_length=150)
    # The folded plain name (cases.person_key), kept by save() and bulk_create(): the repeat-offender
    # lookups (followup.repeat) find the same name by "=" on its index (issue 20).
    name_key = models.CharField(max_length=150, blank=True, editable=False)
    # Who the person is for the repeat offenders (cases.person_key: the register entry, or the typed
    # name and unit resolved through the register), kept by save() and bulk_create(); the list
    # groups by it in the database (issue 20). "" for a person matched with nobody.
    person_key = models.CharField(max_length=person_keys.KEY_LENGTH, blank=True, editable=False)
    position = models.CharField(_("position"), max_length=200, blank=True)
    unit = models.CharField(_("unit or agency"), max_length=200, blank=True)
    # The kind of person (rules/data/subjects.yaml): from the register, or chosen by staff.
    subject = models.CharField(_("kind of person"), max_length=40, blank=True)

    objects = CasePersonQuerySet.as_manager()

    # The fields the keys are made of: a save() of other fields only leaves the keys alone.
    KEY_FIELDS = frozenset({"name", "unit", "employee", "employee_id"})

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["name_key"], name="caseperson_name_key"),
                   models.Index(fields=["person_key"], name="caseperson_person_key")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and not self.KEY_FIELDS & set(update_fields):
            if not {name.removesuffix("_id") for name in update_fields} & {"case"}:
                super().save(*args, **kwargs)
                return
            # Moved to another case: counted elsewhere (cases.person_elections).
            with transaction.atomic(savepoint=False):
                super().save(*args, **kwargs)
                person_elections_refresh([self.person_key])
            return
        old_name = self.name_key if self.pk else ""
        old_key = self.person_key if self.pk else ""
        self.name_key = name_key(self.name)
        person_keys.set_person_keys(type(self), [self])
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "name_key", "person_key"}
        with transaction.atomic(savepoint=False):
            super().save(*args, **kwargs)
            # A person of an entry may be the person of typed rows of its name; a changed row may have
            # been the one they were resolved to (cases.person_key).
            if self.employee_id or old_name:
                person_keys.rekey_names(type(self), {self.name_key, old_name})
            # The repeat offenders' figures of its key, and of the key it had (cases.person_elections).
            person_elections_refresh([old_key, self.person_key])


@receiver(post_delete, sender=CasePerson, dispatch_uid="cases.person_elections")
def _person_deleted(sender, instance, **kwargs):
    """A person deleted (alone, by a queryset, or with its case): its key's figures, in the delete's
    transaction (Django's delete runs in one)."""
    person_elections_refresh([instance.person_key])


class PersonElection(models.Model):
    """The repeat offenders' stored figures (cases.person_elections): for a person key reported in two
    or more elections, one row per election and office with the number of its reported persons there
    (merged cases left out) and the first of their folded names (the list's order by name)."""

    person_key = models.CharField(max_length=person_keys.KEY_LENGTH)
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="+")
    office = models.ForeignKey(BawasluOffice, on_delete=models.CASCADE, related_name="+")
    persons = models.PositiveIntegerField()
    name_key = models.CharField(max_length=150)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person_key", "election", "office"],
                                               name="person_election_once")]
        # The list reads the rows of the jurisdiction's offices (an index-only scan when they are few of the table).
        indexes = [models.Index(fields=["office", "person_key", "election", "name_key"],
                                name="person_election_office")]

    def __str__(self):
        return f"{self.person_key} {self.election_id} {self.office_id}"


class RequirementCheck(models.Model):
    """One formal or material requirement as checked at registration (rule data id)."""

    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.CASCADE, related_name="requirements")
    report = models.ForeignKey(Report, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    requirement = models.CharField(max_length=60)
    met = models.BooleanField()
    note = models.CharField(max_length=500, blank=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    checked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]


class Clarification(models.Model):
    """A clarification session of the study: who is heard, when, where, and the minutes."""

    class Party(models.TextChoices):
        REPORTER = "reporter", _("Reporter")
        WITNESS = "witness", _("Witness")
        REPORTED = "reported", _("Reported person")
        EXPERT = "expert", _("Expert")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="clarifications")
    party = models.CharField(_("heard as"), max_length=10, choices=Party.choices)
    name = models.CharField(_("name"), max_length=150)
    scheduled_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=300)
    invitation = models.OneToOneField("letters.Letter", verbose_name=_("invitation letter"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="clarification")
    minutes = models.TextField(_("minutes (berita acara)"), blank=True)
    held = models.BooleanField(_("held"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["scheduled_at", "id"]


class EvidenceAssessment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assessments")
    attachment = models.ForeignKey(Attachment, on_delete=models.PROTECT, related_name="+")
    relevant = models.BooleanField(_("relevant"))
    note = models.TextField(_("assessment"))
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assessed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["case", "attachment"], name="assessment_once")]


class CaseLetter(models.Model):
    """A letter issued for a case: the link is the case's, the letter is letters.Letter.

    The letters app sits below cases (shared/DESIGN.md), so the letter does not know its
    case; this table does, one row per letter (a letter belongs to one case at most). It
    holds the outcome letters, the invitations and the follow-up's letters of the case,
    as cases.Letter.case did before issue 15 (migrations/0007 moved those links here).
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="letter_links")
    letter = models.OneToOneField("letters.Letter", on_delete=models.PROTECT, related_name="case_link")

    class Meta:
        ordering = ["id"]


class Notification(models.Model):
    """An in-app notice to a staff member (also sent by e-mail), e.g. a deadline coming up."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("Deadline coming up")
        OVERDUE = "overdue", _("Deadline passed")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    due_on = models.DateField()
    sent_on = models.DateField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_on", "-id"]
        constraints = [
            # One notice per case, person, kind and deadline: the daily job can run twice.
            models.UniqueConstraint(fields=["user", "case", "kind", "due_on", "sent_on"], name="notification_once_a_day"),
        ]
