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

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from organizations.models import Agency, BawasluOffice


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

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.number


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
