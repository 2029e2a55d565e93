"""The law as stored rows, synced from the versioned data files by ``manage.py load_rules``.

The YAML files in rules/data/ are the source; these tables exist so that reports and
cases can point at a catalog entry and statistics can group by it. Entries that leave
the files are deactivated, never deleted: old reports keep their meaning.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _


class Bilingual(models.Model):
    title_id = models.CharField(_("title (Indonesian)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300)

    class Meta:
        abstract = True

    @property
    def title(self) -> str:
        return self.title_en if (get_language() or "id").startswith("en") else self.title_id

    def __str__(self):
        return self.title


class RuleSet(models.Model):
    """One loaded version of the data files."""

    version = models.CharField(_("version"), max_length=64, unique=True,
                               help_text=_("SHA-256 of the data files."))
    loaded_at = models.DateTimeField(_("loaded at"), auto_now_add=True)
    loaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    content = models.JSONField(_("content"))

    class Meta:
        verbose_name = _("rule set")
        verbose_name_plural = _("rule sets")
        get_latest_by = "loaded_at"

    def __str__(self):
        return self.version[:12]


class Violation(Bilingual):
    """A prohibited act from the catalog (rules/data/violations.yaml)."""

    class Family(models.TextChoices):
        # The ids, for the database and the admin; the words users see (headings, phrases,
        # explanations) are data: rules/data/families.yaml, whose ids a test keeps equal to these.
        BY_STAGE = "by_stage", _("Code of ethics or discipline, by election stage")
        ETHICS = "ethics", _("Code of ethics")
        DISCIPLINE = "discipline", _("Discipline")
        ADMINISTRATIVE = "administrative", _("Village Law (administrative)")
        CRIME = "crime", _("Election crime")

    id = models.SlugField(_("id"), max_length=80, primary_key=True)
    family = models.CharField(_("family"), max_length=16, choices=Family.choices)
    position = models.PositiveIntegerField(pgettext_lazy("order in a list", "position"), default=0)
    active = models.BooleanField(_("active"), default=True)
    # The whole entry as loaded: explanations, legal bases, sanctions, source.
    data = models.JSONField(_("data"), default=dict)
    ruleset = models.ForeignKey(RuleSet, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("violation")
        verbose_name_plural = _("violations")
        ordering = ["position", "id"]


class Election(Bilingual):
    """An election during which ASN neutrality is supervised (rules/data/elections.yaml)."""

    id = models.SlugField(_("id"), max_length=80, primary_key=True)
    # An id from rules/data/regimes.yaml: the regimes are data, checked by the catalog.
    regime = models.CharField(_("regime"), max_length=30)
    voting_day = models.DateField(_("voting day"))
    active = models.BooleanField(_("active"), default=True)
    data = models.JSONField(_("data"), default=dict)
    ruleset = models.ForeignKey(RuleSet, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("election")
        verbose_name_plural = _("elections")
        ordering = ["-voting_day", "id"]


class CalendarDay(models.Model):
    """A day off added or removed by an administrator after a new decree (e.g. cuti bersama).

    rules/data/holidays.yaml is the published calendar; these rows correct it without a
    new release: ``removed`` takes a day of the file out, otherwise the day is added.
    """

    class Kind(models.TextChoices):
        NATIONAL = "national", _("National holiday")
        COLLECTIVE_LEAVE = "collective_leave", _("Collective leave (cuti bersama)")
        ELECTION_DAY = "election_day", _("Election day")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.COLLECTIVE_LEAVE)
    name_id = models.CharField(_("name (Indonesian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    removed = models.BooleanField(_("removed"), default=False,
                                  help_text=_("Tick to take this day out of the calendar (a decree moved it)."))
    source = models.CharField(_("decree"), max_length=300, help_text=_("The decree that adds or removes the day."))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("calendar correction")
        verbose_name_plural = _("calendar corrections")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.name_id}"


class CalendarYear(models.Model):
    """A year whose holiday calendar an administrator confirmed against its joint decree.

    Years carried by rules/data/holidays.yaml are confirmed by rules/data/calendar_years.yaml;
    any other year comes from the ``holidays`` package and its deadlines are provisional
    until a row here confirms it (after the package's days were checked against the
    decree and corrected with CalendarDay rows where they differ). See rules.calendar.
    """

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    decree = models.CharField(_("decree"), max_length=300,
                              help_text=_("The joint decree (SKB) on national holidays and collective leave "
                                          "of this year, with its number."))
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("confirmed by"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(_("confirmed at"))

    class Meta:
        verbose_name = _("confirmed calendar year")
        verbose_name_plural = _("confirmed calendar years")
        ordering = ["-year"]

    def __str__(self):
        return str(self.year)
