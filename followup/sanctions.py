"""Which sanctions a recommendation or a PPK decision may name (pure, on the rule catalog).

A sanction is allowed for a case when one of its violated provisions lists it
(rules/data/violations.yaml, ``sanctions``) and it applies to the reported person's kind
of employment (rules/data/sanctions.yaml, ``applies_to``: pns, pppk, contract). Criminal
penalties are left out: a court imposes them, not the PPK.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import get_language, gettext as _, gettext_lazy

from rules.catalog import Catalog, Sanction
from rules.selectors import LEVEL_LABELS

NOT_BY_PPK = frozenset({"criminal"})
# A sanction family in words, as the staff pages, the dashboard and the public register show it.
FAMILY_LABELS = {
    "discipline": gettext_lazy("Disciplinary sanction"),
    "moral": gettext_lazy("Moral sanction"),
    "dismissal": gettext_lazy("Dismissal not with honour"),
    "contract": gettext_lazy("Sanction under the work contract"),
}


def grade_label(family: str, level: str = "") -> str:
    """A sanction family and level in words, e.g. "Disciplinary sanction (heavy)"; empty for none."""
    if not family:
        return ""
    family_words = str(FAMILY_LABELS.get(family, family))
    level_words = str(LEVEL_LABELS.get(level, "")) if level else ""
    return f"{family_words} ({level_words.lower()})" if level_words else family_words


class SanctionNotAllowed(ValueError):
    pass


@dataclass(frozen=True)
class Grade:
    """A sanction family and level that a recommendation can name (level may be empty)."""

    family: str
    level: str

    @property
    def key(self) -> str:
        return f"{self.family}:{self.level}" if self.level else self.family

    @classmethod
    def parse(cls, key: str) -> "Grade":
        family, _sep, level = key.partition(":")
        return cls(family, level)


def allowed_sanctions(catalog: Catalog, violation_ids: Iterable[str], employee_kind: str) -> list[Sanction]:
    """The sanctions the PPK may impose, in the catalog's order."""
    listed: set[str] = set()
    for violation_id in violation_ids:
        violation = catalog.violations.get(violation_id)
        if violation is not None:
            listed.update(violation.sanctions)
    return [sanction for sanction_id, sanction in catalog.sanctions.items()
            if sanction_id in listed and employee_kind in sanction.applies_to and sanction.family not in NOT_BY_PPK]


def allowed_grades(catalog: Catalog, violation_ids: Iterable[str], employee_kind: str) -> list[Grade]:
    """The sanction families and levels a recommendation may name, in the catalog's order."""
    seen: dict[str, Grade] = {}
    for sanction in allowed_sanctions(catalog, violation_ids, employee_kind):
        grade = Grade(sanction.family, sanction.level or "")
        seen.setdefault(grade.key, grade)
    return list(seen.values())


def check_sanction(catalog: Catalog, sanction_id: str, violation_ids: Iterable[str], employee_kind: str) -> Sanction:
    """The sanction if the PPK may impose it for these violations on this kind of employee."""
    violation_ids = list(violation_ids)
    sanction = catalog.sanctions.get(sanction_id)
    if sanction is None:
        raise SanctionNotAllowed(_("This sanction is not in the catalog."))
    if employee_kind not in sanction.applies_to:
        raise SanctionNotAllowed(_("“%(sanction)s” cannot be imposed on this kind of employee.")
                                 % {"sanction": sanction.title.get(get_language())})
    if sanction not in allowed_sanctions(catalog, violation_ids, employee_kind):
        raise SanctionNotAllowed(_("“%(sanction)s” is not a sanction for the violated provisions of this case.")
                                 % {"sanction": sanction.title.get(get_language())})
    return sanction


def check_grade(catalog: Catalog, grade: Grade, violation_ids: Iterable[str], employee_kind: str) -> Grade:
    if grade not in allowed_grades(catalog, violation_ids, employee_kind):
        raise SanctionNotAllowed(_("This sanction family and level do not fit the violated provisions and the "
                                   "kind of employee."))
    return grade
