"""A first guess of a position's class from its title (pure); staff confirm or correct it.

The classes are those of the civil-service law (pimpinan tinggi, administrator, pengawas,
fungsional, pelaksana); the public follow-up register shows the class, never the name.
The words below are common Indonesian position titles, not a legal list.
"""

import re

from followup.models import PositionClass

_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (PositionClass.SENIOR_EXECUTIVE, ("sekretaris daerah", "sekda", "kepala dinas", "kepala badan", "asisten",
                                      "staf ahli", "inspektur", "sekretaris dprd", "direktur rsud", "deputi")),
    (PositionClass.SUPERVISOR, ("kepala seksi", "kasi", "kepala sub", "kasubbag", "kasubag", "kasubid",
                                "sekretaris kelurahan", "sekretaris kecamatan", "lurah", "kepala uptd")),
    (PositionClass.ADMINISTRATOR, ("camat", "kepala bagian", "kabag", "kepala bidang", "kabid", "sekretaris dinas",
                                   "sekretaris badan", "inspektur pembantu", "irban")),
    (PositionClass.FUNCTIONAL, ("guru", "dokter", "perawat", "bidan", "penyuluh", "analis", "auditor", "pranata",
                                "apoteker", "arsiparis", "pustakawan", "widyaiswara", "pengawas sekolah",
                                "ahli ", "terampil", "fungsional", "dosen")),
)


def guess_position_class(position: str, employee_kind: str = "") -> str:
    """The likely class of ``position`` ('' when nothing matches)."""
    if employee_kind == "contract":
        return PositionClass.NON_ASN
    text = " " + " ".join((position or "").lower().split()) + " "
    for position_class, words in _RULES:
        if any(re.search(rf"(?<![a-z]){re.escape(word.strip())}(?![a-z])", text) for word in words):
            return position_class
    return PositionClass.IMPLEMENTING if text.strip() else ""
