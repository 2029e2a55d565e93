"""Which sanctions a recommendation or a PPK decision may name (pure, on the rule catalog).

A sanction is allowed for a case when rules.assessment allows it for one of the case's
violated provisions, the reported person's subject (from the register kind: pns, pppk,
contract), the regime and date of the act and the day of the decision. Criminal
penalties are left out: a court imposes them, not the PPK.
"""

from collections import ChainMap
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from rules.assessment import NOT_BY_PPK, act_profile, assess
from rules.catalog import Catalog, Sanction
from rules.selectors import LEVEL_LABELS, SANCTION_FAMILY_TITLES

# A sanction family in words, as the staff pages, the dashboard and the public register show it:
# the law's families from rules/data/sanction_families.yaml, and the reasoned decision.
FAMILY_LABELS = ChainMap({"reasoned": gettext_lazy("Reasoned decision (the catalog names no sanction)")},
                         SANCTION_FAMILY_TITLES)


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


# The authority's reasoned decision where the catalog names no sanction: the considerations
# carry the reasons and the legal basis.
REASONED = Grade("reasoned", "")


@dataclass(frozen=True)
class ActContext:
    """When and under which regime the acts of a case were committed (for rules.assessment)."""

    regime: str
    act_date: date
    election: str | None = None  # the case's own election, whose stage dates decide the family

    @classmethod
    def of_case(cls, case) -> "ActContext":
        return cls(regime=case.election.regime, act_date=case.occurred_on or case.known_on,
                   election=case.election_id)


def allowed_sanctions(catalog: Catalog, violation_ids: Iterable[str], employee_kind: str, *,
                      context: ActContext | None = None, on: date | None = None) -> list[Sanction]:
    """The sanctions the PPK may impose, in the catalog's order: rules.assessment's answer.

    With a ``context`` (the case's regime and act date) each act is assessed for the
    employee's subject exactly as GET /api/v1/assessment answers it, on the decision day
    ``on`` (today by default). Without one, every sanction the act can carry for the
    subject on that day (either side of a stage).
    """
    on = on or date.today()
    subject = catalog.subjects_for_register_kind(employee_kind)
    if subject is None:
        return []
    listed: set[str] = set()
    for violation_id in violation_ids:
        if violation_id not in catalog.violations:
            continue
        if context is not None:
            found = assess(catalog, act=violation_id, subject=subject.id, regime=context.regime,
                           act_date=context.act_date, decided_on=on,
                           election=context.election if context.election in catalog.elections else None).ppk_sanctions
        else:
            found = [sanction for row in act_profile(catalog, violation_id, on) if row.subject.id == subject.id
                     for sanction in row.sanctions if sanction.family not in NOT_BY_PPK]
        listed.update(sanction.id for sanction in found)
    return [sanction for sanction_id, sanction in catalog.sanctions.items() if sanction_id in listed]


def allowed_grades(catalog: Catalog, violation_ids: Iterable[str], employee_kind: str, *,
                   context: ActContext | None = None) -> list[Grade]:
    """The sanction families and levels a recommendation may name, in the catalog's order.

    Where the catalog names no sanction for the chosen provisions (an ASN candidate who did not
    resign), the one choice is a reasoned decision: never a dead end (rules.assessment).
    """
    violation_ids = list(violation_ids)
    seen: dict[str, Grade] = {}
    for sanction in allowed_sanctions(catalog, violation_ids, employee_kind, context=context):
        grade = Grade(sanction.family, sanction.level or "")
        seen.setdefault(grade.key, grade)
    if not seen and any(violation_id in catalog.violations for violation_id in violation_ids):
        return [REASONED]
    return list(seen.values())


def check_sanction(catalog: Catalog, sanction_id: str, violation_ids: Iterable[str], employee_kind: str, *,
                   context: ActContext | None = None) -> Sanction:
    """The sanction if the PPK may impose it for these violations on this kind of employee."""
    violation_ids = list(violation_ids)
    sanction = catalog.sanctions.get(sanction_id)
    if sanction is None:
        raise SanctionNotAllowed(_("This sanction is not in the catalog."))
    if employee_kind not in sanction.applies_to:
        raise SanctionNotAllowed(_("“%(sanction)s” cannot be imposed on this kind of employee.")
                                 % {"sanction": sanction.title.get(get_language())})
    if sanction not in allowed_sanctions(catalog, violation_ids, employee_kind, context=context):
        raise SanctionNotAllowed(_("“%(sanction)s” is not a sanction for the violated provisions of this case.")
                                 % {"sanction": sanction.title.get(get_language())})
    return sanction


def check_grade(catalog: Catalog, grade: Grade, violation_ids: Iterable[str], employee_kind: str, *,
                context: ActContext | None = None) -> Grade:
    if grade not in allowed_grades(catalog, violation_ids, employee_kind, context=context):
        raise SanctionNotAllowed(_("This sanction family and level do not fit the violated provisions and the "
                                   "kind of employee."))
    return grade
