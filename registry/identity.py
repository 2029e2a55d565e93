"""Identities that are not an NIP: the register number and the NIK of contract staff.

Contract staff (pegawai kontrak, non-ASN) have no NIP, yet seed 001 gives them the same
duties as ASN (items 1-3): they attend socialisation and sign the neutrality pledge. They
prove who they are, always together with their birth date, with one of:

- the **register number** (nomor register): ten characters of Crockford base32 (50
  random bits, ``XXXXX-XXXXX``) that Netral gives each contract employee when their
  register entry is created. It is stable (an import never changes it), unguessable,
  and printed in the agency's register export (column "Nomor Register") and on the
  employee's register page, from which the agency hands it to the person;
- the **NIK** (ID-card number), where the agency holds it: 16 digits laid out as the
  region code (6), the birth date as DDMMYY with 40 added to the day for a woman, and a
  4-digit sequence (UU 24/2013 on population administration, Permendagri 73/2022). A NIK
  is personal data: stored encrypted (``netral.crypto``), looked up by a keyed hash
  (``nik_digest``, an HMAC under the installation's secret) and shown only masked.

Pure: no ORM; the secret is passed in.
"""

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U
REGISTER_NUMBER_LENGTH = 10  # 50 bits
_CONFUSABLE = str.maketrans({"I": "1", "L": "1", "O": "0", "U": "V"})
_SEPARATORS = re.compile(r"[\s.\-/]+")

NIP, NIK, REGISTER_NUMBER = "nip", "nik", "register_number"


class IdentityError(ValueError):
    def __init__(self, message, code: str = ""):
        super().__init__(message)
        self.message = message
        self.code = code


# --- The register number -------------------------------------------------------------------


def new_register_number() -> str:
    number = secrets.randbits(5 * REGISTER_NUMBER_LENGTH)
    chars = []
    for _i in range(REGISTER_NUMBER_LENGTH):
        number, index = divmod(number, 32)
        chars.append(ALPHABET[index])
    return "".join(chars)


def normalize_register_number(value: str) -> str:
    """Upper case, separators dropped, look-alike letters read as Crockford does (O as 0, I and L as 1)."""
    return _SEPARATORS.sub("", value or "").upper().translate(_CONFUSABLE)


def is_register_number(value: str) -> bool:
    return len(value) == REGISTER_NUMBER_LENGTH and all(ch in ALPHABET for ch in value)


def format_register_number(value: str) -> str:
    """As printed for people: ``7KQ2M-XW4P9``."""
    if not value:
        return ""
    return f"{value[:5]}-{value[5:]}"


def clean_register_number(value: str) -> str:
    """The normalized register number, or IdentityError."""
    number = normalize_register_number(value)
    if not is_register_number(number):
        raise IdentityError(
            _("A register number has 10 letters and digits, as printed by the agency (e.g. 7KQ2M-XW4P9).")
        )
    return number


# --- The NIK -------------------------------------------------------------------------------


@dataclass(frozen=True)
class NikParts:
    region: str
    day: int
    month: int
    year: int  # two digits
    gender: str  # "M" or "F"


def normalize_nik(value: str) -> str:
    return _SEPARATORS.sub("", value or "")


# What can be wrong with a NIK, by code: an import row keeps the code, never the number.
NIK_PROBLEMS = {
    "length": _("A NIK has exactly 16 digits."),
    "province": _("The first two digits of a NIK are a province code (11 to 99)."),
    "birth_date": _(
        "Digits 7 to 12 of a NIK must be a birth date (DDMMYY, 40 added to the day for a woman)."
    ),
    "sequence": _("The last four digits of a NIK are a sequence from 0001."),
}


def nik_problem_text(code: str) -> str:
    return str(NIK_PROBLEMS.get(code, NIK_PROBLEMS["length"]))


def _refuse(code: str) -> IdentityError:
    return IdentityError(NIK_PROBLEMS[code], code)


def parse_nik(value: str) -> NikParts:
    """The parts of a NIK by its layout; IdentityError (with its ``NIK_PROBLEMS`` code) for what cannot be one."""
    nik = normalize_nik(value)
    if not nik.isdigit() or not nik.isascii() or len(nik) != 16:
        raise _refuse("length")
    if int(nik[0:2]) < 11:
        raise _refuse("province")
    day, month, year = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    gender = "F" if day > 40 else "M"
    day = day - 40 if day > 40 else day
    try:
        date(2000 + year, month, day)  # a leap year when the two digits allow one: 29 February passes
    except ValueError:
        raise _refuse("birth_date") from None
    if nik[12:] == "0000":
        raise _refuse("sequence")
    return NikParts(nik[:6], day, month, year, gender)


def nik_matches_birth_date(parts: NikParts, born: date) -> bool:
    return (parts.day, parts.month, parts.year) == (born.day, born.month, born.year % 100)


def nik_digest(nik: str, secret: str) -> str:
    """The keyed hash a NIK is looked up by (HMAC-SHA256, hex); the NIK itself is stored encrypted."""
    return hmac.new(secret.encode(), b"netral-nik:" + normalize_nik(nik).encode(), hashlib.sha256).hexdigest()


def mask_nik(nik: str) -> str:
    """Never shown in full: the last four digits only."""
    nik = normalize_nik(nik)
    return f"{'•' * 12}{nik[-4:]}" if nik else ""


# --- Which identity was typed --------------------------------------------------------------


def identity_kind(value: str) -> tuple[str, str] | None:
    """(kind, normalized value) of what a person typed to prove who they are, by its shape:
    18 digits an NIP, 16 digits a NIK, 10 base32 characters a register number; else None."""
    digits = normalize_nik(value)
    if digits.isdigit() and digits.isascii():
        if len(digits) == 18:
            return NIP, digits
        if len(digits) == 16:
            return NIK, digits
    number = normalize_register_number(value)
    if is_register_number(number):
        return REGISTER_NUMBER, number
    return None
