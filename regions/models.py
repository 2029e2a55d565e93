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
