"""The stored key of a reported person's name (CasePerson.name_key), for the repeat-offender lookups.

Pure: the plain name (titles dropped: registry.names.plain_name) with case, spacing and
punctuation folded, "Dr. H. Rudi  Hartono, S.E." -> "rudi hartono". followup.repeat matches two
reported persons by the same NIP, or by this key together with an agency or unit; storing the key
on the row (indexed) lets a case page find the same name in other cases by "=" on an index
instead of reading every reported person of the jurisdiction (issue 20).
"""

from registry.names import plain_name

MAX_LENGTH = 150  # CasePerson.name's length: folding never lengthens a name


def fold(text: str | None) -> str:
    """Case, spacing and punctuation folded: "Dinas  Kesehatan." -> "dinas kesehatan"."""
    return " ".join("".join(ch if ch.isalnum() else " " for ch in (text or "").casefold()).split())


def name_key(name: str | None) -> str:
    """The folded plain name; "" for a name that is only titles or punctuation."""
    return fold(plain_name(name or ""))[:MAX_LENGTH]
