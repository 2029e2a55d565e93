"""Issuing an official letter: one service for every app that sends one.

    letter = letter_issue(kind="forward-authority", context=context, addressee="Kepala BKN",
                          actor=user, office=case.office, folder=str(case.pk))

``letter_issue`` takes the issuer's next number, signs the letter with the official in
office on its date (copied into the letter), renders the PDF (letters.render) with the
office's logo and the QR code of its public verification page, stores it through
storage.files (the file is deleted again if the transaction rolls back), keeps its SHA-256
and writes the ``letter.issued`` audit entry, all in the caller's transaction. The caller
keeps the link to what the letter is about (a case, a recommendation) and its own audit
entry of the action that needed the letter.

The officials who sign (``official_add``, ``official_update``, ``official_delete``) and an
office's logo (``office_set_logo``, ``office_remove_logo``) are written here too, each with
its audit entry.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from audit.services import audit_record
from letters.models import Letter, LetterSequence, Official, new_verify_token
from letters.numbers import letter_number
from letters.render import LetterImage, render_letter
from letters.selectors import issuer_filter, office_above, signatory_on
from organizations.models import Agency, BawasluOffice
from storage import files

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)

MAX_LOGO_BYTES = 2 * 1024 * 1024  # a letterhead logo; a phone photo of one fits easily
LOGO_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}


def issuer_key(*, office: BawasluOffice | None = None, agency: Agency | None = None) -> str:
    """The sequence of the letter's issuer: ``office:<pk>`` or ``agency:<pk>``; exactly one is given."""
    if (office is None) == (agency is None):
        raise ValueError("a letter has one issuer: give either office or agency")
    return f"office:{office.pk}" if office is not None else f"agency:{agency.pk}"


@transaction.atomic
def letter_sequence_next(*, issuer: str, year: int) -> int:
    """Take the issuer's next number of the year.

    The row lock (SELECT ... FOR UPDATE on PostgreSQL) holds until the caller's transaction
    ends, so two letters issued at once wait for each other and never share a number; a
    rolled-back letter gives its number back. The first letter of a year creates the row:
    two creating it at once meet on the unique constraint, and get_or_create reads the
    winner's row.
    """
    sequence, _created = LetterSequence.objects.get_or_create(issuer=issuer, year=year)
    sequence = LetterSequence.objects.select_for_update().get(pk=sequence.pk)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return sequence.last


def _file_name(folder: str, kind: str, number: str) -> str:
    safe = re.sub(r"[^0-9A-Za-z.-]+", "-", number)
    return f"letters/{folder}/{kind}-{safe}.pdf"


def default_position(*, office: BawasluOffice | None = None, agency: Agency | None = None) -> str:
    """The signature block's position when neither the caller nor an official says it."""
    return f"Ketua {office.name}" if office is not None else f"Kepala {agency.name}"


def signatory_block(official: Official | None, *, position: str) -> dict:
    """The context's ``signatory``: the official's name, position and NIP, or ``position`` with no name."""
    if official is None:
        return {"position": position}
    block = {"position": official.position, "name": official.name}
    if official.nip:
        block["nip"] = official.nip
    return block


def verify_url(token: str) -> str:
    """The public verification page of a letter, as its QR code and its text give it."""
    return settings.NETRAL_PUBLIC_URL + reverse("letters:verify", args=[token])


def office_logo(office: BawasluOffice | None) -> LetterImage | None:
    """The office's uploaded logo as the renderer takes it; None without one.

    A logo named by the row but missing from storage is logged and left out: the letter
    still goes, with the plain letterhead (ops' integrity check reports the missing file).
    """
    if office is None or not office.logo:
        return None
    content_type = LOGO_TYPES.get(office.logo.name.rsplit(".", 1)[-1].lower())
    try:
        with office.logo.open("rb") as stream:
            data = stream.read()
    except OSError:
        logger.warning("The logo of office %s (%s) cannot be read; the letter goes without it.",
                       office.pk, office.logo.name)
        return None
    return LetterImage(data, content_type) if content_type else None


@transaction.atomic
def letter_issue(*, kind: str, context: Mapping[str, Any], addressee: str, actor: User | None,
                 office: BawasluOffice | None = None, agency: Agency | None = None,
                 language: str = "id", folder: str = "") -> Letter:
    """Number, sign, render, store and record one letter of ``kind`` (an id of letters/data/letters.yaml).

    ``context`` is the letter's data without ``date`` and ``number``: the letter is dated
    today and numbered here, by the pattern of letters.yaml for the office code in
    ``context["office"]["number_code"]``, with the issuer's running number (``office`` or
    ``agency``, exactly one). ``addressee`` is the name kept on the row. ``actor`` is the
    staff member who issues it, or None for the system (the daily follow-up run).
    ``folder`` groups the files under letters/ (by default the year).

    The signature is the issuer's: the official in office today (letters.selectors.
    signatory_on) is copied into the letter and the row, and a name the caller put in
    ``context["signatory"]`` is not used. Its ``position`` only stands in when no official
    is recorded: the letter then has that position over a blank name line.

    Raises what the renderer raises (LetterContextError naming the key, UnknownLetterKind);
    the number is then given back with the rest of the transaction.
    """
    issuer = issuer_key(office=office, agency=agency)
    today = timezone.localdate()
    seq = letter_sequence_next(issuer=issuer, year=today.year)
    code = (context.get("office") or {}).get("number_code", "")
    number = letter_number(kind, office_code=code, seq=seq, on=today)
    official = signatory_on(office=office, agency=agency, on=today)
    position = ((context.get("signatory") or {}).get("position") or "").strip() or default_position(
        office=office, agency=agency)
    signatory = signatory_block(official, position=position)
    above = office_above(office)
    token = new_verify_token()
    pdf = render_letter(kind, {**context, "signatory": signatory, "date": today, "number": number},
                        language=language, logo=office_logo(office), verify_url=verify_url(token),
                        copy_values={"issuer_above": above.name if above else ""})
    name = files.save(default_storage, _file_name(folder or str(today.year), kind, number), pdf)
    letter = Letter.objects.create(
        kind=kind, number=number, addressee=addressee, office=office, agency=agency, language=language, file=name,
        sha256=hashlib.sha256(pdf).hexdigest(), created_by=actor, signatory_name=signatory.get("name", ""),
        signatory_position=signatory["position"], signatory_nip=signatory.get("nip", ""), verify_token=token,
    )
    # No addressee in the entry: an invitation may be addressed to the reporter, and every
    # auditor reads the log.
    audit_record(actor=actor, action="letter.issued", target=letter,
                 data={"kind": kind, "number": number, "sha256": letter.sha256, "language": language,
                       "issuer": issuer, "signatory": official.pk if official else None})
    return letter


# --- The officials who sign -----------------------------------------------------------------

NIP_RE = re.compile(r"^\d{18}$")


def _period_text(valid_from: date, valid_until: date | None) -> str:
    start = date_format(valid_from, "j F Y")
    if valid_until is None:
        return _("from %(start)s") % {"start": start}
    return _("%(start)s to %(end)s") % {"start": start, "end": date_format(valid_until, "j F Y")}


def _lock_issuer(*, office: BawasluOffice | None, agency: Agency | None) -> None:
    """Lock the issuer's row: two officials recorded at once for one office are checked one after the other."""
    if office is not None:
        BawasluOffice.objects.select_for_update().filter(pk=office.pk).first()
    else:
        Agency.objects.select_for_update().filter(pk=agency.pk).first()


def _clean_official(*, office, agency, role: str, name: str, nip: str, position: str, valid_from: date,
                    valid_until: date | None, exclude: int | None = None) -> dict:
    """The official's fields, checked; ValidationError with the field's message otherwise."""
    name, nip, position = " ".join(name.split()), "".join(nip.split()), " ".join(position.split())
    if role not in Official.Role.values:
        raise ValidationError({"role": _("Choose the official's role.")})
    if not name:
        raise ValidationError({"name": _("Write the official's name.")})
    if not position:
        raise ValidationError({"position": _("Write the position as the signature block shows it.")})
    if nip and not NIP_RE.match(nip):
        raise ValidationError({"nip": _("A NIP has 18 digits.")})
    if valid_until is not None and valid_until < valid_from:
        raise ValidationError({"valid_until": _("The last day in office cannot come before the first.")})
    # Periods of one role of one issuer never overlap: two heads on one date would make the
    # signatory of a letter a guess.
    others = Official.objects.filter(issuer_filter(office=office, agency=agency), role=role)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    others = others.filter(_overlapping(valid_from, valid_until))
    clash = others.order_by("valid_from").first()
    if clash is not None:
        raise ValidationError(
            _("This period overlaps the period of %(name)s as %(role)s (%(period)s). Periods of the same role "
              "of one office may not overlap: end the earlier period the day before, or correct the dates.")
            % {"name": clash.name, "role": clash.get_role_display().lower(),
               "period": _period_text(clash.valid_from, clash.valid_until)},
            code="overlap")
    return {"role": role, "name": name, "nip": nip, "position": position, "valid_from": valid_from,
            "valid_until": valid_until}


def _overlapping(valid_from: date, valid_until: date | None) -> Q:
    """Periods that share at least one day with [valid_from, valid_until] (None: open-ended)."""
    q = Q(valid_until__isnull=True) | Q(valid_until__gte=valid_from)
    if valid_until is not None:
        q &= Q(valid_from__lte=valid_until)
    return q


def _official_data(official: Official) -> dict:
    return {"issuer": issuer_key(office=official.office, agency=official.agency), "role": official.role,
            "name": official.name, "nip": official.nip, "position": official.position,
            "valid_from": official.valid_from.isoformat(),
            "valid_until": official.valid_until.isoformat() if official.valid_until else None}


@transaction.atomic
def official_add(*, actor: User, role: str, name: str, position: str, valid_from: date,
                 valid_until: date | None = None, nip: str = "", office: BawasluOffice | None = None,
                 agency: Agency | None = None) -> Official:
    """Record an official who signs the issuer's letters for a period (no overlap within a role)."""
    issuer_key(office=office, agency=agency)
    _lock_issuer(office=office, agency=agency)
    fields = _clean_official(office=office, agency=agency, role=role, name=name, nip=nip, position=position,
                             valid_from=valid_from, valid_until=valid_until)
    official = Official.objects.create(office=office, agency=agency, created_by=actor, **fields)
    audit_record(actor=actor, action="official.added", target=official, data=_official_data(official))
    return official


@transaction.atomic
def official_update(*, actor: User, official: Official, name: str, position: str, valid_from: date,
                    valid_until: date | None = None, nip: str = "") -> Official:
    """Correct an official or end the period (its last day). Letters issued before keep what they say."""
    _lock_issuer(office=official.office, agency=official.agency)
    official = Official.objects.select_for_update().get(pk=official.pk)
    before = _official_data(official)
    fields = _clean_official(office=official.office, agency=official.agency, role=official.role, name=name,
                             nip=nip, position=position, valid_from=valid_from, valid_until=valid_until,
                             exclude=official.pk)
    for key, value in fields.items():
        setattr(official, key, value)
    official.save()
    after = _official_data(official)
    audit_record(actor=actor, action="official.changed", target=official,
                 data={"before": before, "after": after})
    return official


@transaction.atomic
def official_delete(*, actor: User, official: Official) -> None:
    """Remove an official recorded by mistake. Letters signed by them keep their copy of the name."""
    official = Official.objects.select_for_update().get(pk=official.pk)
    data = _official_data(official)
    audit_record(actor=actor, action="official.deleted", target=official, data=data)
    official.delete()


# --- The office's logo ------------------------------------------------------------------------

def office_set_logo(*, actor: User, office: BawasluOffice, uploaded) -> BawasluOffice:
    """Store an image as the office's letterhead logo, replacing the one before (deleted once committed).

    Through storage like every file: the type is read from the content (JPG, PNG or WebP),
    the metadata is stripped by re-encoding, and the stored bytes are hashed.
    """
    from storage.prepare import IMAGE_TYPES, prepare_upload

    prepared = prepare_upload(uploaded, max_bytes=MAX_LOGO_BYTES)
    if prepared.content_type not in IMAGE_TYPES:
        raise ValidationError(_("“%(name)s” is not a picture (JPG, PNG, WEBP)."), code="bad_type",
                              params={"name": prepared.name})
    digest = hashlib.sha256(prepared.public).hexdigest()
    with transaction.atomic():  # the file is written in it: a rollback deletes it (storage.files)
        office = BawasluOffice.objects.select_for_update().get(pk=office.pk)
        previous, previous_sha = office.logo.name, office.logo_sha256
        files.save_field(office.logo, f"{office.pk}.{prepared.extension}", prepared.public)
        office.logo_sha256 = digest
        office.save(update_fields=["logo", "logo_sha256"])
        files.delete_on_commit(office.logo.storage, previous)
        audit_record(actor=actor, action="office.logo_set", target=office,
                     data={"sha256": digest, "replaced": previous_sha or None,
                           "content_type": prepared.content_type})
    return office


@transaction.atomic
def office_remove_logo(*, actor: User, office: BawasluOffice) -> BawasluOffice:
    """Letters go back to the letterhead without a logo; the file goes once this commits."""
    office = BawasluOffice.objects.select_for_update().get(pk=office.pk)
    if not office.logo:
        return office
    previous, previous_sha = office.logo.name, office.logo_sha256
    office.logo, office.logo_sha256 = "", ""
    office.save(update_fields=["logo", "logo_sha256"])
    files.delete_on_commit(BawasluOffice._meta.get_field("logo").storage, previous)
    audit_record(actor=actor, action="office.logo_removed", target=office, data={"sha256": previous_sha})
    return office
