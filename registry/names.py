"""Names as Indonesians write them, with their titles (pure).

A register keeps the name and, when the personnel system exports them apart, the front
and back titles (GELAR DEPAN, GELAR BELAKANG). ``full_name`` writes them together the
usual way (PUEBI, "Penulisan gelar"): front titles before the name, separated by a space;
each back title after a comma: "dr. Siti Aminah, S.Kom., M.T.". ``plain_name`` is the
name without titles, for search and for the public pages, which never show titles (a
degree singles a person out in a small unit: the one "dr." of a health centre).
"""

import re

# Front titles dropped from the plain name (the name as written keeps them).
_FRONT_TITLES = {"dr", "drs", "dra", "ir", "h", "hj", "prof", "drg", "ns", "apt", "kh", "dr(hc)", "rr", "r",
                 "ust", "hc", "ak", "st", "letkol", "mayor"}
# What a spreadsheet cell holds for "no title".
_NONE = {"", "-", "–", "—", "0"}


def plain_name(name: str) -> str:
    """The name without academic and religious titles, for search: "Dr. H. Ahmad Yani, S.E." -> "Ahmad Yani"."""
    words = name.partition(",")[0].split()
    while len(words) > 1 and words[0].rstrip(".").lower() in _FRONT_TITLES and (
            words[0].endswith(".") or words[0].rstrip(".").lower() in {"h", "hj", "kh"}):
        words.pop(0)
    return " ".join(words)


def clean_prefix(text: str) -> str:
    """Front titles as one text: spacing folded, stray commas dropped ("dr.," -> "dr.")."""
    text = " ".join((text or "").replace(",", " ").split())
    return "" if text in _NONE else text


def clean_suffix(text: str) -> str:
    """Back titles as one text, each after ", ": "S.Kom.,M.T." -> "S.Kom., M.T.", ", S.E" -> "S.E"."""
    parts = [" ".join(part.split()) for part in (text or "").split(",")]
    parts = [part for part in parts if part not in _NONE]
    return ", ".join(parts)


def full_name(prefix: str, name: str, suffix: str) -> str:
    """The name with its titles: ("dr.", "Siti Aminah", "S.Kom.") -> "dr. Siti Aminah, S.Kom.".

    A title the name already carries (a file whose name column holds them too) is not written twice.
    """
    name = " ".join((name or "").split())
    prefix, suffix = clean_prefix(prefix), clean_suffix(suffix)
    folded = name.casefold()
    if prefix and not (folded == prefix.casefold() or folded.startswith(prefix.casefold() + " ")):
        name = f"{prefix} {name}" if name else prefix
    if suffix and not re.search(r"(?:^|,\s*)" + re.escape(suffix.casefold()) + r"$", folded):
        name = f"{name}, {suffix}" if name else suffix
    return name
