"""The receiving civil-service authority on a date (rules/data/authorities.yaml), pure.

The file is read and validated with the rest of the law by rules.catalog; this module
answers the one question the case and follow-up code asks of it.
"""

from datetime import date

from rules.catalog import Authority, default_catalog


class AuthorityError(ValueError):
    pass


def authorities() -> tuple[Authority, ...]:
    """The civil-service authorities (KASN, BKN), oldest first."""
    found = [a for a in default_catalog().authorities.values() if a.kind == "civil_service"]
    return tuple(sorted(found, key=lambda a: a.valid_from or date.min))


def authority_on(on: date) -> Authority:
    for authority in authorities():
        if authority.in_force(on):
            return authority
    raise AuthorityError(f"No civil-service authority is set for {on:%Y-%m-%d}.")
