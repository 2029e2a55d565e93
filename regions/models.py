from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    """An administrative region with its official code (Kemendagri).

    Codes nest by prefix: province ``19``, regency ``19.06``, district ``19.06.01``; the
    country is ``ID``. A jurisdiction is a region and every region whose code extends it.
    """

    class Level(models.IntegerChoices):
        COUNTRY = 0, _("Country")
        PROVINCE = 1, _("Province")
        REGENCY = 2, _("Regency/city")
        DISTRICT = 3, _("District")
        VILLAGE = 4, _("Village")

    class TimeZone(models.TextChoices):
        WIB = "Asia/Jakarta", "WIB"
        WITA = "Asia/Makassar", "WITA"
        WIT = "Asia/Jayapura", "WIT"

    code = models.CharField(_("code"), max_length=13, unique=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )
    time_zone = models.CharField(_("time zone"), max_length=20, choices=TimeZone.choices,
                                 default=TimeZone.WIB)
    # A region that a later edition of the codes no longer lists (split, merged, renumbered) is
    # retired, never deleted: what points to it keeps working (regions.services.regions_apply_edition).
    retired_in = models.CharField(_("retired in edition"), max_length=60, blank=True,
                                  help_text=_("The edition of the region codes that no longer lists this region."))
    replaced_by = models.ForeignKey(
        "self", verbose_name=_("replaced by"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="replaces",
        help_text=_("For a retired region: the region that took its place, where that is known."),
    )

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]

    def __str__(self):
        return self.name

    @property
    def is_country(self) -> bool:
        return self.level == self.Level.COUNTRY

    def subtree_q(self, field: str = "") -> Q:
        """A filter for this region and everything below it, through ``field`` (e.g. "region")."""
        prefix = f"{field}__" if field else ""
        if self.is_country:
            return Q()
        return Q(**{f"{prefix}code": self.code}) | Q(**{f"{prefix}code__startswith": self.code + "."})

    def contains(self, other: "Region") -> bool:
        return self.is_country or other.code == self.code or other.code.startswith(self.code + ".")

    @property
    def is_retired(self) -> bool:
        return bool(self.retired_in)


class RegionEdition(models.Model):
    """An edition of the official region codes that was applied, e.g. ``idn-area-data@4.0.1``."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    source = models.TextField(_("source"))
    regulation = models.TextField(_("regulation"), blank=True)
    license = models.CharField(_("license"), max_length=200, blank=True)
    levels = models.CharField(_("levels"), max_length=60)
    applied_at = models.DateTimeField(_("applied at"))
    counts = models.JSONField(_("counts"), default=dict)

    class Meta:
        verbose_name = _("region edition")
        verbose_name_plural = _("region editions")
        ordering = ["-applied_at"]

    def __str__(self):
        return self.name


class RegionChange(models.Model):
    """What an edition changed in a region that was already there: the history of a code."""

    class Kind(models.TextChoices):
        RENAMED = "renamed", _("Renamed")
        RETIRED = "retired", _("Retired")
        RESTORED = "restored", _("Listed again")
        REPLACED = "replaced", _("Replacement set")

    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="changes")
    edition = models.CharField(_("edition"), max_length=60)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    old_name = models.CharField(_("old name"), max_length=100, blank=True)
    new_name = models.CharField(_("new name"), max_length=100, blank=True)
    replaced_by = models.ForeignKey(Region, verbose_name=_("replaced by"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("region change")
        verbose_name_plural = _("region changes")
        ordering = ["region__code", "created_at", "pk"]

    def __str__(self):
        return f"{self.region.code} {self.kind} ({self.edition})"
