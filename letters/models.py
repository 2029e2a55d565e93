"""The official letters Netral issued, and the running numbers they took.

A ``Letter`` holds what every letter has: its kind (an id of letters/data/letters.yaml), its
number, to whom it went, who issued it (a Bawaslu office, or an agency such as the
civil-service authority) and the PDF that was sent with its SHA-256. It knows nothing of
cases or recommendations: the letters app sits below them (shared/DESIGN.md, "The shape"),
so the app that asked for a letter keeps the link to it.

Why a link table, ``cases.CaseLetter`` (case, letter one-to-one), for a case's letters: a
case's letters come from several places (its outcome, its clarifications, the follow-up of
its recommendations) and the case page, its letter download and the public announcement
ask for "the letters of this case" as one list, which a foreign key on each of those
models would have to reassemble. The link table answers it in one join (``Case.letters``),
keeps a letter to one case at most, and leaves this table free of any case column. The
pointers that say what a letter is for stay with their owners: a clarification's
invitation (cases.Clarification.invitation), a recommendation's or a reminder's letter
(followup.models).

The table was cases.Letter's until issue 15 (letters/migrations/0001 and 0002 moved it
with its rows; cases/migrations/0007 moved the case links to cases.CaseLetter).
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from organizations.models import Agency, BawasluOffice


def new_verify_token() -> str:
    """A letter's verification token: 128 random bits, URL-safe (22 characters)."""
    return secrets.token_urlsafe(16)


class Letter(models.Model):
    """An official letter, kept as the PDF that was sent. Written only by letters.services.letter_issue."""

    kind = models.CharField(max_length=40)
    number = models.CharField(_("letter number"), max_length=80, unique=True)
    addressee = models.CharField(_("addressee"), max_length=200)
    office = models.ForeignKey(BawasluOffice, verbose_name=_("Bawaslu office"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="letters_issued")
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="letters_issued")
    language = models.CharField(max_length=5, default="id")
    file = models.FileField(upload_to="letters/")
    sha256 = models.CharField(max_length=64)
    # None: issued by the system (the daily follow-up run), not by a person.
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # Who signed, copied from the official in office on the letter's date (letters.Official)
    # when it was issued, and never read again from there: a later change of officials never
    # changes an issued letter (the spirit of art. 12 of the MoU, seed 000). Blank name: no
    # official was recorded, and the letter has a blank name line under the position.
    signatory_name = models.CharField(_("signatory"), max_length=150, blank=True)
    signatory_position = models.CharField(_("signatory's position"), max_length=200, blank=True)
    signatory_nip = models.CharField(_("signatory's NIP"), max_length=30, blank=True)
    # The letter's public verification page, /surat/verifikasi/<token>/ (its QR code): random,
    # so that the page cannot be walked letter by letter as a sequential id could.
    verify_token = models.CharField(max_length=40, unique=True, default=new_verify_token, editable=False)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.number

    @property
    def issuer(self):
        """The office or agency that issued the letter."""
        return self.office if self.office_id else self.agency


class LetterSequence(models.Model):
    """The running number of one issuer's letters in one year, locked while it is taken.

    ``issuer`` is ``office:<BawasluOffice pk>`` or ``agency:<Agency pk>``: one counter per
    issuer and year, shared by every kind of letter (the number's classification code tells
    the kinds apart), as the numbers were kept before issue 15.
    """

    issuer = models.CharField(max_length=40)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["issuer", "year"], name="letter_sequence_once")]


class Official(models.Model):
    """An official who signs an issuer's letters, for a period: the office signs, a person holds the pen.

    One issuer (a Bawaslu office or an agency such as the civil-service authority), a role,
    a name and the position as the signature block writes it ("Ketua Bawaslu Kabupaten
    Bangka"). The periods of one issuer's role never overlap (letters.officials checks it
    with the issuer locked): on any date at most one head and one acting head are in office,
    and the acting head signs while in office (Plh./Plt., e.g. while the head is on leave).
    Written only by letters.officials; letter_issue copies the one in office into the letter.
    """

    class Role(models.TextChoices):
        HEAD = "head", _("Head (Ketua / Kepala)")
        ACTING = "acting", _("Acting head (Plh. / Plt.)")

    office = models.ForeignKey(BawasluOffice, verbose_name=_("Bawaslu office"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="officials")
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="officials")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.HEAD)
    name = models.CharField(_("name"), max_length=150)
    nip = models.CharField(_("NIP"), max_length=30, blank=True,
                           help_text=_("Only if the official is a civil servant; leave empty otherwise."))
    position = models.CharField(_("position"), max_length=200,
                                help_text=_("As the signature block writes it, e.g. Ketua Bawaslu Kabupaten Bangka."))
    valid_from = models.DateField(_("in office from"))
    valid_until = models.DateField(_("in office until"), null=True, blank=True,
                                   help_text=_("The last day in office; empty while in office."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("letter signatory")
        verbose_name_plural = _("letter signatories")
        ordering = ["-valid_from", "role", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(office__isnull=False, agency__isnull=True)
                           | models.Q(office__isnull=True, agency__isnull=False)),
                name="official_one_issuer"),
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=models.F("valid_from")),
                name="official_period_forward"),
        ]
        indexes = [models.Index(fields=["office", "role", "valid_from"], name="official_office_role_from"),
                   models.Index(fields=["agency", "role", "valid_from"], name="official_agency_role_from")]

    def __str__(self) -> str:
        return f"{self.position}: {self.name}"

    @property
    def issuer(self):
        return self.office if self.office_id else self.agency
