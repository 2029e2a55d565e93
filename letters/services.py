"""Issuing an official letter: one service for every app that sends one.

    letter = letter_issue(kind="forward-authority", context=context, addressee="Kepala BKN",
                          actor=user, office=case.office, folder=str(case.pk))

``letter_issue`` takes the issuer's next number, renders the PDF (letters.render), stores
it through storage.files (the file is deleted again if the transaction rolls back), keeps
its SHA-256 and writes the ``letter.issued`` audit entry, all in the caller's transaction.
The caller keeps the link to what the letter is about (a case, a recommendation) and its
own audit entry of the action that needed the letter.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from typing import Any

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from letters.models import Letter, LetterSequence
from letters.numbers import letter_number
from letters.render import render_letter
from organizations.models import Agency, BawasluOffice
from storage import files


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


@transaction.atomic
def letter_issue(*, kind: str, context: Mapping[str, Any], addressee: str, actor,
                 office: BawasluOffice | None = None, agency: Agency | None = None,
                 language: str = "id", folder: str = "") -> Letter:
    """Number, render, store and record one letter of ``kind`` (an id of letters/data/letters.yaml).

    ``context`` is the letter's data without ``date`` and ``number``: the letter is dated
    today and numbered here, by the pattern of letters.yaml for the office code in
    ``context["office"]["number_code"]``, with the issuer's running number (``office`` or
    ``agency``, exactly one). ``addressee`` is the name kept on the row. ``actor`` is the
    staff member who issues it, or None for the system (the daily follow-up run).
    ``folder`` groups the files under letters/ (by default the year).

    Raises what the renderer raises (LetterContextError naming the key, UnknownLetterKind);
    the number is then given back with the rest of the transaction.
    """
    issuer = issuer_key(office=office, agency=agency)
    today = timezone.localdate()
    seq = letter_sequence_next(issuer=issuer, year=today.year)
    code = (context.get("office") or {}).get("number_code", "")
    number = letter_number(kind, office_code=code, seq=seq, on=today)
    pdf = render_letter(kind, {**context, "date": today, "number": number}, language=language)
    name = files.save(default_storage, _file_name(folder or str(today.year), kind, number), pdf)
    letter = Letter.objects.create(
        kind=kind, number=number, addressee=addressee, office=office, agency=agency, language=language, file=name,
        sha256=hashlib.sha256(pdf).hexdigest(), created_by=actor,
    )
    # No addressee in the entry: an invitation may be addressed to the reporter, and every
    # auditor reads the log.
    audit_record(actor=actor, action="letter.issued", target=letter,
                 data={"kind": kind, "number": number, "sha256": letter.sha256, "language": language,
                       "issuer": issuer})
    return letter
