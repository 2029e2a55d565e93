"""Prevention: socialization events and their attendance, tests, materials, pledges and banners."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from organizations.models import Agency, BawasluOffice, Unit
from regions.models import Region
from registry.models import Employee
from rules.models import Election


class Theme(models.Model):
    """A socialization theme: the three of the MoU (prevention/data/themes.yaml), or one added here."""

    id = models.SlugField(_("id"), max_length=80, primary_key=True)
    title_id = models.CharField(_("title (Indonesian)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    source = models.TextField(_("source"), help_text=_("Where the theme comes from (agreement, circular)."))
    from_data = models.BooleanField(_("from the data file"), default=False, editable=False)
    position = models.PositiveIntegerField(_("order"), default=100)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["position", "id"]

    def __str__(self):
        return self.title

    @property
    def title(self) -> str:
        return self.title_en if (get_language() or "id").startswith("en") else self.title_id


class Question(models.Model):
    """A multiple-choice question of a theme's bank, for the pre- and post-test."""

    theme = models.ForeignKey(Theme, verbose_name=_("theme"), on_delete=models.PROTECT, related_name="questions")
    text = models.TextField(_("question"))
    choices = models.TextField(_("choices"), help_text=_("One choice per line."))
    answer = models.PositiveSmallIntegerField(_("correct choice"), help_text=_("The number of the correct line, from 1."))
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["theme", "id"]

    def __str__(self):
        return self.text[:80]

    @property
    def choice_list(self) -> list[str]:
        from prevention.scoring import parse_choices

        return parse_choices(self.choices)

    def clean(self):
        from django.core.exceptions import ValidationError

        from prevention.scoring import parse_choices

        choices = parse_choices(self.choices or "")
        if len(choices) < 2:
            raise ValidationError({"choices": _("Give at least two choices, one per line.")})
        if not 1 <= (self.answer or 0) <= len(choices):
            raise ValidationError({"answer": _("The correct choice must be between 1 and %(count)s.")
                                   % {"count": len(choices)}})


class Organized(models.Model):
    """Something organized by a Bawaslu office or an agency (Pemda); its region fixes who sees it."""

    office = models.ForeignKey(BawasluOffice, verbose_name=_("Bawaslu office"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    # The organizer's region, copied so that jurisdiction filters need no join.
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        abstract = True

    @property
    def organizer(self):
        return self.office or self.agency


def _one_organizer(name):
    return models.CheckConstraint(
        condition=(Q(office__isnull=False, agency__isnull=True) | Q(office__isnull=True, agency__isnull=False)),
        name=name,
    )


class Event(Organized):
    """A socialization event (sosialisasi)."""

    title = models.CharField(_("title"), max_length=200)
    theme = models.ForeignKey(Theme, verbose_name=_("theme"), on_delete=models.PROTECT, related_name="events")
    election = models.ForeignKey(Election, verbose_name=_("election"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200)
    speakers = models.TextField(_("speakers"), blank=True, help_text=_("One speaker per line: name and position."))
    target_units = models.ManyToManyField(Unit, verbose_name=_("target units"), blank=True, related_name="+")
    minutes = models.TextField(_("minutes"), blank=True)
    with_tests = models.BooleanField(_("pre- and post-test"), default=False)
    # Opens the phone check-in page the QR code points at; unguessable, never an id.
    checkin_token = models.CharField(max_length=43, unique=True, editable=False)
    checkin_open = models.BooleanField(_("check-in open"), default=True)

    class Meta:
        verbose_name = _("socialization event")
        verbose_name_plural = _("socialization events")
        ordering = ["-held_on", "-id"]
        constraints = [_one_organizer("event_one_organizer")]
        indexes = [models.Index(fields=["region", "held_on"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("prevention:event_detail", args=[self.pk])


class Invitation(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="invitations")
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [models.UniqueConstraint(fields=["event", "employee"], name="invitation_once")]


class Attendance(models.Model):
    """One ASN present at one event. No IP address or device data is kept."""

    class Method(models.TextChoices):
        DESK = "desk", _("NIP entered by staff")
        PHONE = "phone", _("QR code on a phone")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attendances")
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="attendances")
    method = models.CharField(_("method"), max_length=8, choices=Method.choices)
    checked_in_at = models.DateTimeField(_("checked in at"), auto_now_add=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["checked_in_at", "id"]
        constraints = [models.UniqueConstraint(fields=["event", "employee"], name="attendance_once")]


class TestScore(models.Model):
    """A participant's pre- or post-test score, in percent of correct answers."""

    __test__ = False  # not a pytest class

    class Phase(models.TextChoices):
        PRE = "pre", _("Pre-test")
        POST = "post", _("Post-test")

    attendance = models.ForeignKey(Attendance, on_delete=models.CASCADE, related_name="scores")
    phase = models.CharField(_("phase"), max_length=4, choices=Phase.choices)
    correct = models.PositiveSmallIntegerField(_("correct answers"))
    total = models.PositiveSmallIntegerField(_("questions"))
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    taken_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("test score")
        verbose_name_plural = _("test scores")
        constraints = [models.UniqueConstraint(fields=["attendance", "phase"], name="test_once_per_phase")]


def _photo_path(instance, filename):
    return f"prevention/photos/{instance.event_id}/{instance.sha256[:32]}.{filename.rsplit('.', 1)[-1]}"


class EventPhoto(models.Model):
    """A documentation photo, stored only as its metadata-stripped copy."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(_("photo"), upload_to=_photo_path)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("documentation photo")
        verbose_name_plural = _("documentation photos")
        ordering = ["uploaded_at", "id"]
        constraints = [models.UniqueConstraint(fields=["event", "sha256"], name="photo_once_per_event")]


def _material_path(instance, filename):
    return f"prevention/materials/{instance.sha256[:32]}.{filename.rsplit('.', 1)[-1]}"


class Material(Organized):
    """An item of the public materials library, or a handout of one event (``event``)."""

    class Kind(models.TextChoices):
        REGULATION = "regulation", _("Regulation")
        CIRCULAR = "circular", _("Circular")
        VIDEO = "video", _("Video")
        INFOGRAPHIC = "infographic", _("Infographic")
        PRESENTATION = "presentation", _("Presentation")
        OTHER = "other", _("Other")

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)
    theme = models.ForeignKey(Theme, verbose_name=_("theme"), null=True, blank=True, on_delete=models.PROTECT,
                              related_name="materials")
    event = models.ForeignKey(Event, verbose_name=_("event"), null=True, blank=True, on_delete=models.CASCADE,
                              related_name="materials")
    url = models.URLField(_("link"), blank=True, help_text=_("For videos and documents published elsewhere."))
    file = models.FileField(_("file"), upload_to=_material_path, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    content_type = models.CharField(max_length=60, blank=True)
    published = models.BooleanField(_("in the public library"), default=True)

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["-created_at", "-id"]
        constraints = [
            _one_organizer("material_one_organizer"),
            models.CheckConstraint(condition=~Q(url="") | ~Q(file=""), name="material_has_link_or_file"),
        ]

    def __str__(self):
        return self.title


class PledgeText(models.Model):
    """The pledge text of one election, set by an administrator (the file's default is a template)."""

    election = models.OneToOneField(Election, verbose_name=_("election"), on_delete=models.PROTECT,
                                    related_name="+")
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    source = models.TextField(_("source"), help_text=_("Who set this text, and where (decision, agreement)."))
    is_template = models.BooleanField(
        _("template"), default=True,
        help_text=_("Ticked while the text is still the drafting template; shown as such to signers."))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("pledge text")
        verbose_name_plural = _("pledge texts")

    def __str__(self):
        return self.title


class Ceremony(Organized):
    """A pledge ceremony: many ASN sign at once (e.g. all sub-district heads), recorded by staff."""

    title = models.CharField(_("title"), max_length=200)
    election = models.ForeignKey(Election, verbose_name=_("election"), on_delete=models.PROTECT, related_name="+")
    held_on = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200)

    class Meta:
        verbose_name = _("pledge ceremony")
        verbose_name_plural = _("pledge ceremonies")
        ordering = ["-held_on", "-id"]
        constraints = [_one_organizer("ceremony_one_organizer")]

    def __str__(self):
        return self.title


def _signature_path(instance, filename):
    return f"prevention/signatures/{instance.code}.png"


class Pledge(models.Model):
    """A neutrality pledge signed by one ASN for one election.

    The certificate shows a snapshot (name, unit, agency, text) taken at signing: a later
    transfer does not rewrite what was signed. ``code`` is unguessable; the verification
    link carries it with an HMAC so a forged link is told apart from a revoked pledge.
    """

    class Signature(models.TextChoices):
        DRAWN = "drawn", _("Drawn")
        TYPED = "typed", _("Typed name")
        CEREMONY = "ceremony", _("Signed on paper at a ceremony")

    code = models.CharField(max_length=20, unique=True, editable=False)
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="pledges")
    election = models.ForeignKey(Election, verbose_name=_("election"), on_delete=models.PROTECT, related_name="+")
    ceremony = models.ForeignKey(Ceremony, null=True, blank=True, on_delete=models.PROTECT, related_name="pledges")
    # Snapshot for the certificate.
    name = models.CharField(_("name"), max_length=150)
    position = models.CharField(_("position"), max_length=200, blank=True)
    unit_name = models.CharField(_("unit"), max_length=200, blank=True)
    agency_name = models.CharField(_("agency"), max_length=150)
    text_title = models.CharField(max_length=200)
    text_body = models.TextField()
    text_is_template = models.BooleanField(default=False)
    # For coverage per unit and agency: where the signer was at signing.
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    signature_kind = models.CharField(_("signature"), max_length=10, choices=Signature.choices)
    signature_file = models.FileField(upload_to=_signature_path, blank=True)
    typed_name = models.CharField(max_length=150, blank=True)
    signed_at = models.DateTimeField(_("signed at"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.TextField(_("reason for revoking"), blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        verbose_name = _("neutrality pledge")
        verbose_name_plural = _("neutrality pledges")
        ordering = ["-signed_at", "-id"]
        constraints = [
            # One valid pledge per ASN and election; a revoked one may be signed again.
            models.UniqueConstraint(fields=["employee", "election"], condition=Q(revoked_at__isnull=True),
                                    name="pledge_once_per_election"),
        ]
        indexes = [
            models.Index(fields=["election", "agency", "unit"]),
            # The staff list's order within an election (selectors.pledge_list_for): a page of the
            # country's pledges reads 25 entries of this index instead of sorting them all (issue 20).
            models.Index(fields=["election", "-signed_at", "-id"], name="pledge_election_signed"),
        ]

    def __str__(self):
        return f"{self.name} ({self.election_id})"

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None


class BannerTemplate(models.Model):
    """The look of "ASN Netral" banners, adjustable by an administrator (seed 001's example)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    headline = models.CharField(_("headline"), max_length=60, default="ASN NETRAL")
    subtitle = models.CharField(_("subtitle"), max_length=200, blank=True,
                                help_text=_("Printed under the headline, before the election's name."))
    default_tagline = models.CharField(_("default tagline"), max_length=200,
                                       default="TIDAK BERPIHAK DAN BEBAS DARI INTERVENSI POLITIK")
    background_color = models.CharField(_("background colour"), max_length=7, default="#0b3d91")
    accent_color = models.CharField(_("accent colour"), max_length=7, default="#f2c14e")
    text_color = models.CharField(_("text colour"), max_length=7, default="#ffffff")
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("banner template")
        verbose_name_plural = _("banner templates")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        from django.core.exceptions import ValidationError

        from prevention.banner import parse_color

        errors = {}
        for field in ("background_color", "accent_color", "text_color"):
            try:
                parse_color(getattr(self, field))
            except ValueError:
                errors[field] = _("Write the colour as #RRGGBB, e.g. #0b3d91.")
        if errors:
            raise ValidationError(errors)


class Banner(models.Model):
    """One unit's "ASN Netral" banner for an election; PDF and PNG are rendered on request."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    election = models.ForeignKey(Election, verbose_name=_("election"), on_delete=models.PROTECT, related_name="+")
    template = models.ForeignKey(BannerTemplate, verbose_name=_("template"), on_delete=models.PROTECT,
                                 related_name="banners")
    unit_name = models.CharField(_("unit name"), max_length=200)
    head_name = models.CharField(_("unit head's name"), max_length=150)
    head_position = models.CharField(_("unit head's position"), max_length=150)
    leaders = models.TextField(_("leaders"), blank=True,
                               help_text=_("One leader per line: name, a semicolon, then position."))
    tagline = models.CharField(_("tagline"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("banner")
        verbose_name_plural = _("banners")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.unit_name


class PledgeCoverage(models.Model):
    """The pledges' coverage of one election in one unit of one agency, stored (prevention.coverage).

    What ``coverage_queries`` counts live, grouped by the employee's agency and unit (``unit`` None:
    the employees without a unit): the active employees of the register and how many of them hold a
    valid pledge for the election, the non-ASN contract staff among both counted apart. A province's
    and the country's staff pages read these rows (issue 20: grouping 6,000,000 employees per request
    takes tens of seconds). Rebuilt whole by ``pledge_coverage_rebuild``; never written elsewhere.
    """

    # No index of the election's own: the order index below begins with it.
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="+", db_index=False)
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    # The page's order (agency, unit, id), copied so that a page of the country's tens of thousands of
    # units is a range of the index below, not a sort of every row; null: no unit, sorted as the live
    # query sorts the NULL of its outer join.
    agency_name = models.CharField(max_length=150)
    unit_name = models.CharField(max_length=200, null=True, blank=True)
    # "_count": a page reads them under the live figures' names (active, signed...), which an
    # annotation may not share with a field.
    active_count = models.PositiveIntegerField(default=0)
    signed_count = models.PositiveIntegerField(default=0)
    contract_active_count = models.PositiveIntegerField(default=0)
    contract_signed_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            # Two partial constraints rather than one with nulls_distinct=False: the employees
            # without a unit are one row per agency on SQLite and PostgreSQL alike.
            models.UniqueConstraint(fields=["election", "agency", "unit"], condition=Q(unit__isnull=False),
                                    name="pledge_coverage_unique"),
            models.UniqueConstraint(fields=["election", "agency"], condition=Q(unit__isnull=True),
                                    name="pledge_coverage_unique_no_unit"),
        ]
        indexes = [models.Index(fields=["election", "agency_name", "unit_name", "unit"], name="pledge_coverage_order")]


class PledgeAgencyCoverage(models.Model):
    """The pledges' coverage of one election in one agency: the sums of its ``PledgeCoverage`` rows, stored
    too, so that the country's page of agencies reads a page of rows rather than summing every unit."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="+", db_index=False)
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    agency_name = models.CharField(max_length=150)  # the page's order, as PledgeCoverage's
    active_count = models.PositiveIntegerField(default=0)
    signed_count = models.PositiveIntegerField(default=0)
    contract_active_count = models.PositiveIntegerField(default=0)
    contract_signed_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["election", "agency"], name="pledge_agency_coverage_unique")]
        indexes = [models.Index(fields=["election", "agency_name", "agency"], name="pledge_agency_coverage_order")]


class PledgeCoverageState(models.Model):
    """The one row saying when the pledges' coverage was stored, and whether a refresh is queued.

    ``refresh_requested_at``: the guard of the stale-while-revalidate refresh (set by the one page
    read that queues it, cleared by the rebuild): never two refreshes queued at once.
    """

    computed_at = models.DateTimeField(null=True, blank=True)
    refresh_requested_at = models.DateTimeField(null=True, blank=True)


# The unit checklist of the governor's circular (seed 001), in a module of its own.
from prevention.checklist_models import ChecklistItem, ChecklistPhoto, UnitChecklist  # noqa: E402, F401

# Notices and circulars to the ASN of chosen units (issue 19, work plan 3), in a module of its own.
from prevention.notice_models import AsnNotice, NoticeDelivery  # noqa: E402, F401
