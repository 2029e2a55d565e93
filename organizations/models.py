from django.db import models
from django.utils.translation import gettext_lazy as _

from regions.models import Region


class BawasluOffice(models.Model):
    """A Bawaslu office: national (RI), province or regency/city, over one region."""

    region = models.OneToOneField(Region, verbose_name=_("region"), on_delete=models.PROTECT,
                                  related_name="bawaslu_office")
    name = models.CharField(_("name"), max_length=150)
    short_name = models.CharField(_("short name"), max_length=60)
    # Office code used in letter and report numbers, e.g. "K.BB-06" in seed 000.
    number_code = models.CharField(_("number code"), max_length=30)
    address = models.TextField(_("address"), blank=True)
    letter_place = models.CharField(_("place of signing"), max_length=100, blank=True,
                                    help_text=_("The town written before the date on letters, e.g. Manggar."))
    # The office's own format for case registration numbers (cases/numbers.py lists the
    # placeholders). The default follows the common "001/Reg/LP/PB/Kab/..." shape; each
    # office should check it against its own register.
    registration_number_format = models.CharField(
        _("registration number format"), max_length=120,
        default="{seq:03d}/Reg/{kind}/{regime}/{level}/{region_code}/{month_roman}/{year}",
    )
    # Two people to open a reporter's identity (issue 16): a staff member asks with a reason,
    # leadership of this office or above approves (reports.services.identity_request_*). Off:
    # the one-step audited reveal. Read from the office that holds the report.
    identity_reveal_needs_approval = models.BooleanField(
        _("opening a reporter's identity needs a second person's approval"), default=True,
        help_text=_("A staff member asks with a reason and the office's leadership (or a higher office's) "
                    "approves before the identity is shown. Every request, decision and look is recorded."),
    )

    # The office's logo in the letterhead of its letters (letters.render), stored through
    # storage (type from the content, metadata stripped, hashed: letters.officials.office_set_logo)
    # and declared in storage/kinds.py. Empty: the letterhead has the name lines alone.
    logo = models.FileField(_("logo"), upload_to="offices/logos/", blank=True)
    logo_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("Bawaslu office")
        verbose_name_plural = _("Bawaslu offices")
        ordering = ["region__code"]

    def __str__(self):
        return self.name


class Agency(models.Model):
    """A government agency (instansi): a regional government (Pemda) or a central one."""

    class Kind(models.TextChoices):
        REGIONAL = "regional", _("Regional government")
        CENTRAL = "central", _("Central government")
        AUTHORITY = "authority", _("Civil-service authority")

    name = models.CharField(_("name"), max_length=150, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.REGIONAL)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT,
                               related_name="agencies")
    ppk_title = models.CharField(_("PPK title"), max_length=100, blank=True,
                                 help_text=_("e.g. Bupati Belitung Timur"))
    # For a civil-service authority: its id in rules/data/authorities.yaml (kasn, bkn).
    authority_code = models.SlugField(_("authority code"), max_length=20, blank=True,
                                      help_text=_("The id of the civil-service authority in the rule data, "
                                                  "e.g. bkn."))

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["authority_code"], condition=~models.Q(authority_code=""),
                                               name="agency_one_per_authority")]

    def __str__(self):
        return self.name


class Unit(models.Model):
    """A unit of an agency (perangkat daerah, or a part of one)."""

    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT,
                               related_name="units")
    parent = models.ForeignKey("self", verbose_name=_("parent unit"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="children")
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    region = models.ForeignKey(Region, verbose_name=_("region"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+",
                               help_text=_("Where the unit sits, e.g. a district office."))
    head_name = models.CharField(_("head's name"), max_length=150, blank=True)
    head_position = models.CharField(_("head's position"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["agency__name", "name"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="unit_unique_name")]

    def __str__(self):
        return self.short_name or self.name
