"""Repeat offenders: the same person reported in the cases of two or more elections (seed 003).

Staff only, and never public by name: the list and the case panel are Bawaslu pages of the
jurisdiction (Capability.HANDLE_REPORTS), over the cases of the user's offices; nothing here
feeds the portal, the open data or the API.

Two reported persons are the same person when they have the same stored key
(CasePerson.person_key, resolved on save: cases.person_key), that is when

- both are linked to the same register entry (the same NIP: an NIP belongs to one entry); or
- a person typed by hand has the same plain name (titles dropped, case and spacing folded:
  registry.names.plain_name) as a person linked to a register entry, and the unit or agency
  typed by staff is that entry's agency or unit in the register (or the unit typed on that
  person): the typed person is that entry's person. When several entries match (namesakes of
  one agency), the first reported; or
- two typed persons have the same plain name and the same unit or agency (folded).

A person without a register entry and without any agency or unit is matched with nobody (a name
alone is too weak). Unlike the transitive grouping before issue 20 (union-find over the name and
every agency in Python), two register entries are never one person, even with the same name and
agency; the key is resolved over every case (the register is national), the grouping is over the
cases of the jurisdiction.

The list and the case panel read the same key, so they agree: the list groups by it in the
database (GROUP BY person_key HAVING two elections, ordered, LIMIT/OFFSET), then reads the rows of
the page's keys only; the panel reads the rows of the case's keys. A fixed number of queries,
whatever the number of rows, and never every reported person of the jurisdiction in Python.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Min, Q, Window

from accounts.permissions import Capability, can
from cases.models import Case, CasePerson
from cases.person_key import fold
from netral.paginator import page_number
from organizations.selectors import office_ids_under

_VALUES = ("id", "case_id", "person_key", "case__number", "case__election_id", "case__election__title_id",
           "case__election__title_en", "case__election__voting_day", "case__registered_on", "case__outcome",
           "name", "unit", "employee__nip", "employee__agency__name", "employee__unit__name")


@dataclass
class Appearance:
    """One case in which the person was reported."""

    case_id: int
    number: str
    election_id: str
    election_title: str
    voting_day: object
    registered_on: object
    outcome: str

    @property
    def outcome_label(self) -> str:
        return str(Case.Outcome(self.outcome).label) if self.outcome else ""


@dataclass
class RepeatOffender:
    name: str
    nip: str
    place: str
    appearances: list[Appearance] = field(default_factory=list)

    @property
    def elections(self) -> int:
        return len({item.election_id for item in self.appearances})


def _scope(user):
    """The reported persons of the user's jurisdiction (one query for its offices' ids)."""
    if not can(user, Capability.HANDLE_REPORTS):
        raise PermissionDenied
    return CasePerson.objects.filter(case__office_id__in=office_ids_under(user.jurisdiction)).exclude(
        case__status=Case.Status.MERGED)


def _english() -> bool:
    from django.utils.translation import get_language

    return (get_language() or "id").startswith("en")


def _rows_by_key(rows, english: bool) -> dict[str, list[dict]]:
    groups: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        row["election_title"] = row["case__election__title_en" if english else "case__election__title_id"]
        groups[row["person_key"]].append(row)
    return groups


def _offender(group: list[dict]) -> RepeatOffender:
    """One person from their rows: named as in the latest case with an NIP (else the latest case)."""
    group = sorted(group, key=lambda r: (r["case__election__voting_day"], r["case__registered_on"], r["case_id"]))
    with_nip = [r for r in group if r["employee__nip"]]
    first = (with_nip or group)[-1]
    seen, appearances = set(), []
    for row in group:
        if row["case_id"] in seen:
            continue
        seen.add(row["case_id"])
        appearances.append(Appearance(row["case_id"], row["case__number"], row["case__election_id"],
                                      row["election_title"], row["case__election__voting_day"],
                                      row["case__registered_on"], row["case__outcome"]))
    place = first["employee__unit__name"] or first["employee__agency__name"] or first["unit"] or ""
    if first["employee__unit__name"] and first["employee__agency__name"]:
        place = f"{first['employee__unit__name']}, {first['employee__agency__name']}"
    return RepeatOffender(name=first["name"], nip=first["employee__nip"] or "", place=place,
                          appearances=appearances)


class RepeatOffenders:
    """The repeat offenders of a jurisdiction, most elections first, then by name: a sequence for
    django.core.paginator.Paginator that reads one page at a time.

    The database groups the persons (GROUP BY person_key HAVING COUNT(DISTINCT election) >= 2), orders
    the groups and returns the page's keys (LIMIT/OFFSET); then the rows of those keys only are read.
    Told the page that will be asked for (``page``, ``per_page``), ``count()`` reads that page's keys
    and the number of groups in one query (COUNT(*) OVER ()), so that the grouping, the one part that
    visits every reported person of the jurisdiction, runs once a request: two queries a page.
    """

    def __init__(self, scope, *, english: bool, page=None, per_page: int | None = None):
        self.scope = scope
        self.english = english
        self.groups = (scope.exclude(person_key="").order_by().values("person_key")
                       .annotate(elections=Count("case__election_id", distinct=True), sort_name=Min("name_key"))
                       .filter(elections__gte=2).order_by("-elections", "sort_name", "person_key"))
        self._start = (page_number(page) - 1) * per_page if per_page else None
        self._per_page = per_page
        self._keys: list[str] | None = None
        self._count: int | None = None

    def count(self) -> int:
        if self._count is None and self._start is not None:
            groups = list(self.groups.annotate(total=Window(Count("*")))[self._start:self._start + self._per_page])
            if groups:
                self._count, self._keys = groups[0]["total"], [group["person_key"] for group in groups]
        if self._count is None:  # no page told, or past the last one
            self._count = self.groups.count()
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index:index + 1][0]
        if self._keys is not None and index.start == self._start and index.step is None and index.stop is not None:
            keys = self._keys[:index.stop - index.start]
        else:
            keys = [group["person_key"] for group in self.groups[index]]
        if not keys:
            return []
        by_key = _rows_by_key(self.scope.filter(person_key__in=keys).values(*_VALUES).order_by(), self.english)
        return [_offender(by_key[key]) for key in keys if key in by_key]

    def __iter__(self):
        return iter(self[:])


def repeat_offenders_for(user, *, page=None, per_page: int | None = None) -> RepeatOffenders:
    """The persons reported in the cases of two or more elections of the user's jurisdiction, most
    elections first, then by name; read a page at a time (see RepeatOffenders)."""
    return RepeatOffenders(_scope(user), english=_english(), page=page, per_page=per_page)


def repeat_of_case(user, case: Case) -> list[RepeatOffender]:
    """For each reported person of ``case``: the cases of other elections in which they were reported.

    Three queries whatever the jurisdiction holds: the keys of the case's persons, the jurisdiction's
    offices, then the persons of the case and those of other elections with one of these keys (an
    index lookup on CasePerson.person_key). The same key as the list's, so a person shown here is on
    the list and the other way round. Empty when the user may not handle cases, or the case is
    outside the jurisdiction.
    """
    if not can(user, Capability.HANDLE_REPORTS):
        return []
    keys = list(CasePerson.objects.filter(case=case).exclude(person_key="").values_list("person_key", flat=True))
    if not keys:
        return []
    english = _english()
    # Other elections only: a person reported twice in one election is no repeat. The keys as values,
    # not as a subquery: "case = x OR person_key IN (...)" is then two index lookups on PostgreSQL.
    match = Q(case=case) | (Q(person_key__in=sorted(set(keys))) & ~Q(case__election_id=case.election_id))
    rows = _scope(user).filter(match).exclude(person_key="").values(*_VALUES).order_by()
    result = []
    for group in _rows_by_key(rows, english).values():
        if not any(row["case_id"] == case.pk for row in group):
            continue
        if not any(row["case__election_id"] != case.election_id for row in group):
            continue
        offender = _offender(group)
        offender.appearances = [item for item in offender.appearances if item.case_id != case.pk]
        result.append(offender)
    result.sort(key=lambda o: fold(o.name))
    return result
