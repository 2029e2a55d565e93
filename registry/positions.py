"""A first guess of a position's class from its title (pure); staff confirm or correct it.

The classes are those of the civil-service law (pimpinan tinggi, administrator, pengawas,
fungsional, pelaksana) and non-ASN staff: the codes of ``followup.models.PositionClass``,
which holds their labels. The register stores each employee's guessed class
(``Employee.position_class``) so that the public pages can count, in one grouped query,
how many people of a unit hold a class (``registry.disclosure``). The words below are
common Indonesian position titles, not a legal list.
"""

import re
from functools import lru_cache

from django.utils.translation import gettext_lazy as _

SENIOR_EXECUTIVE, ADMINISTRATOR, SUPERVISOR = "jpt", "administrator", "pengawas"
FUNCTIONAL, IMPLEMENTING, NON_ASN = "fungsional", "pelaksana", "non_asn"
POSITION_CLASSES = (SENIOR_EXECUTIVE, ADMINISTRATOR, SUPERVISOR, FUNCTIONAL, IMPLEMENTING, NON_ASN)
# The same words as followup.models.PositionClass (a test keeps them equal), for the apps below followup.
POSITION_CLASS_LABELS = {
    SENIOR_EXECUTIVE: _("Senior executive (pimpinan tinggi)"),
    ADMINISTRATOR: _("Administrator"),
    SUPERVISOR: _("Supervisor (pengawas)"),
    FUNCTIONAL: _("Functional position"),
    IMPLEMENTING: _("Implementing position (pelaksana)"),
    NON_ASN: _("Non-ASN staff"),
}

_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (SENIOR_EXECUTIVE, ("sekretaris daerah", "sekda", "kepala dinas", "kepala badan", "asisten",
                        "staf ahli", "inspektur", "sekretaris dprd", "direktur rsud", "deputi")),
    (SUPERVISOR, ("kepala seksi", "kasi", "kepala sub", "kasubbag", "kasubag", "kasubid",
                  "sekretaris kelurahan", "sekretaris kecamatan", "lurah", "kepala uptd")),
    (ADMINISTRATOR, ("camat", "kepala bagian", "kabag", "kepala bidang", "kabid", "sekretaris dinas",
                     "sekretaris badan", "inspektur pembantu", "irban")),
    (FUNCTIONAL, ("guru", "dokter", "perawat", "bidan", "penyuluh", "analis", "auditor", "pranata",
                  "apoteker", "arsiparis", "pustakawan", "widyaiswara", "pengawas sekolah",
                  "ahli ", "terampil", "fungsional", "dosen")),
)
# One pattern per class, tried in the order above: a word matches whole, not inside another.
_PATTERNS = tuple(
    (position_class, re.compile(r"(?<![a-z])(?:" + "|".join(re.escape(word.strip()) for word in words)
                                + r")(?![a-z])"))
    for position_class, words in _RULES)


@lru_cache(maxsize=20_000)  # a register repeats its titles: each is read once per process
def guess_position_class(position: str, employee_kind: str = "") -> str:
    """The likely class of ``position`` ('' when the title is empty); contract staff are non-ASN."""
    if employee_kind == "contract":
        return NON_ASN
    text = " " + " ".join((position or "").lower().split()) + " "
    for position_class, pattern in _PATTERNS:
        if pattern.search(text):
            return position_class
    return IMPLEMENTING if text.strip() else ""
