"""A unit's checklist for an election: what the governor's circular asks of each unit head.

SE Gubernur Kep. Babel 800/46/BKPSDMD-II/2024 (seed 001) is addressed to the heads of units
(kepala perangkat daerah): item 3 asks them to socialise neutrality to their ASN and contract
staff, to broadcast the neutrality video (3a: social media, videotron, live podcast) and to make
an "ASN Netral" banner (3b); item 5 to supervise and foster neutrality in their unit. One
``UnitChecklist`` per unit and election holds one ``ChecklistItem`` per recorded item; the
pledges signed are a live count from the pledges, never typed (prevention.checklist).

Imported at the end of prevention/models.py, so Django finds the models in the app.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from organizations.models import Unit
from prevention.models import Banner, Event
from rules.models import Election


class UnitChecklist(models.Model):
    """One unit's checklist for one election."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    election = models.ForeignKey(Election, verbose_name=_("election"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("unit checklist")
        verbose_name_plural = _("unit checklists")
        constraints = [models.UniqueConstraint(fields=["unit", "election"], name="unit_checklist_once")]

    def __str__(self):
        return f"{self.unit} ({self.election_id})"


class ChecklistItem(models.Model):
    """One item of a unit's checklist as last recorded: done or not, when, the evidence, by whom.

    Every recording is also an audit entry with what was recorded, so earlier states are kept.
    """

    class Item(models.TextChoices):
        SOCIALISATION = "socialisation", _("Socialisation held")
        VIDEO = "video", _("Neutrality video broadcast")
        BANNER = "banner", _("“ASN Netral” banner put up")

    class Channel(models.TextChoices):
        # Seed 001, item 3a: "melalui media sosial, videotron, live podcast".
        SOCIAL_MEDIA = "social_media", _("Social media")
        VIDEOTRON = "videotron", _("Videotron")
        LIVE_PODCAST = "live_podcast", _("Live podcast")
        OTHER = "other", _("Other")

    checklist = models.ForeignKey(UnitChecklist, on_delete=models.CASCADE, related_name="items")
    item = models.CharField(_("item"), max_length=16, choices=Item.choices)
    done = models.BooleanField(_("done"), default=False)
    done_on = models.DateField(_("date"), null=True, blank=True)
    # Socialisation: the prevention event, when the unit's socialisation was one.
    event = models.ForeignKey(Event, verbose_name=_("socialisation event"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    # Video: where it was shown (3a).
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices, blank=True)
    # Video: the account, screen or programme; banner: where it hangs.
    place = models.CharField(_("where"), max_length=200, blank=True)
    # Banner: the banner made with Netral, if it was.
    banner = models.ForeignKey(Banner, verbose_name=_("banner"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    evidence_url = models.URLField(_("evidence link"), blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        constraints = [
            models.UniqueConstraint(fields=["checklist", "item"], name="checklist_item_once"),
            models.CheckConstraint(condition=models.Q(done=False) | models.Q(done_on__isnull=False),
                                   name="checklist_item_done_has_date"),
        ]

    def __str__(self):
        return f"{self.checklist} {self.item}"


def _checklist_photo_path(instance, filename):
    return f"prevention/checklists/{instance.item.checklist_id}/{instance.sha256[:32]}.{filename.rsplit('.', 1)[-1]}"


class ChecklistPhoto(models.Model):
    """A photo of an item (the banner put up, a screening), stored only as its metadata-stripped copy.

    Photos are added, never replaced: the evidence stays as it was sent.
    """

    item = models.ForeignKey(ChecklistItem, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(_("photo"), upload_to=_checklist_photo_path)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("checklist photo")
        verbose_name_plural = _("checklist photos")
        ordering = ["uploaded_at", "id"]
        constraints = [models.UniqueConstraint(fields=["item", "sha256"], name="checklist_photo_once")]
