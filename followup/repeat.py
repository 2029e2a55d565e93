"""Repeat offenders: the same person reported in the cases of two or more elections (seed 003).

Staff only, and never public by name: the list and the case panel are Bawaslu pages of the
jurisdiction (Capability.HANDLE_REPORTS), over the cases of the user's offices; nothing here
feeds the portal, the open data or the API.

Two reported persons are the same person when

- both have an NIP (from the register) and it is the same; or, failing that,
- their plain names (titles dropped, case and spacing folded: registry.names.plain_name) and
  an agency match: the register's agency or unit for a registered person, the "unit or
  agency" typed by staff for another one. A person without NIP and without any agency or
  unit is matched with nobody (a name alone is too weak).

Persons are grouped transitively (union-find over these keys), so a person registered in one
case and typed by hand in another is still one person. Selectors only, with a fixed number of
queries whatever the number of rows. Neither reads every reported person of the jurisdiction
(issue 20: the case page took 500 ms with 20,000 cases): the folded plain name is stored on each
row (CasePerson.name_key, indexed), so the database narrows by "=" on it or on the register
entry, and the exact keys are compared here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q

from accounts.permissions import Capability, can
from cases.models import Case, CasePerson
from cases.person_key import fold, name_key
from organizations.selectors import office_ids_under
from registry.models import Employee

# --- pure rules ------------------------------------------------------------------------------


def person_keys(*, nip: str | None, name: str, places: tuple[str, ...]) -> set[tuple[str, ...]]:
    """The keys under which a reported person is the same as another (see the module's docstring)."""
    keys: set[tuple[str, ...]] = set()
    if nip:
        keys.add(("nip", nip))
    folded_name = name_key(name)  # what CasePerson.name_key stores
    if folded_name:
        keys.update(("name", folded_name, fold(place)) for place in places if fold(place))
    return keys


def group_people(people: list[dict]) -> list[list[dict]]:
    """The people grouped by shared keys, transitively; each item has a ``keys`` set."""
    parent = list(range(len(people)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[tuple, int] = {}
    for index, person in enumerate(people):
        for key in person["keys"]:
            if key in owner:
                parent[root(index)] = root(owner[key])
            else:
                owner[key] = index
    groups: dict[int, list[dict]] = defaultdict(list)
    for index, person in enumerate(people):
        groups[root(index)].append(person)
    return list(groups.values())


# --- selectors -------------------------------------------------------------------------------

_VALUES = ("id", "case_id", "case__number", "case__election_id", "case__election__title_id",
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
    if not can(user, Capability.HANDLE_REPORTS):
        raise PermissionDenied
    return CasePerson.objects.filter(case__office_id__in=office_ids_under(user.jurisdiction)).exclude(
        case__status=Case.Status.MERGED)


def _person(row: dict, language_en: bool) -> dict:
    places = tuple(text for text in (row["employee__agency__name"], row["employee__unit__name"], row["unit"]) if text)
    row["keys"] = person_keys(nip=row["employee__nip"], name=row["name"], places=places)
    row["election_title"] = row["case__election__title_en" if language_en else "case__election__title_id"]
    return row


def _offender(group: list[dict]) -> RepeatOffender:
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


def _english() -> bool:
    from django.utils.translation import get_language

    return (get_language() or "id").startswith("en")


def repeat_offenders_for(user) -> list[RepeatOffender]:
    """The persons reported in the cases of two or more elections of the user's jurisdiction.

    Most elections first, then by name. Three queries, whatever the number of cases: a group of two
    elections holds two persons of different elections that share a key, hence a stored name key or
    a register entry found in two elections. The database finds those name keys and entries
    (grouped over the jurisdiction: the one part that still reads every reported person, see
    docs/performance.md), then reads the rows with them and, for the rest of each group, the rows
    sharing a name key or an entry with those; only these are grouped here.
    """
    english = _english()
    scope = _scope(user)
    elections = Count("case__election_id", distinct=True)
    names = list(scope.exclude(name_key="").order_by().values("name_key")
                 .annotate(elections=elections).filter(elections__gte=2).values_list("name_key", flat=True))
    entries = list(scope.exclude(employee__nip=None).order_by().values("employee_id")
                   .annotate(elections=elections).filter(elections__gte=2).values_list("employee_id", flat=True))
    seeds = scope.filter(Q(name_key__in=names) | Q(employee_id__in=entries))
    rows = scope.filter(Q(name_key__in=seeds.exclude(name_key="").values("name_key"))
                        | Q(employee_id__in=seeds.exclude(employee=None).values("employee_id")))
    people = [_person(row, english) for row in rows.values(*_VALUES).order_by()]
    offenders = [_offender(group) for group in group_people(people)
                 if len({row["case__election_id"] for row in group}) >= 2]
    offenders.sort(key=lambda o: (-o.elections, fold(o.name), o.nip))
    return offenders


def repeat_of_case(user, case: Case) -> list[RepeatOffender]:
    """For each reported person of ``case``: the cases of other elections in which they were reported.

    Four queries whatever the jurisdiction holds: the case's persons; the jurisdiction's offices;
    the register entries of their NIPs and of the registered persons of the same name (so that a
    person typed by hand is found through a namesake's NIP); then the persons of other elections
    with the same stored name key or one of these entries, each an index lookup. The exact keys
    are compared here. Empty when the user may not handle cases.
    """
    if not can(user, Capability.HANDLE_REPORTS):
        return []
    english = _english()
    own = list(CasePerson.objects.filter(case=case).values_list("name_key", "employee__nip"))
    names = {key for key, _nip in own if key}
    nips = {nip for _key, nip in own if nip}
    if not names and not nips:
        return []
    scope = _scope(user)  # the jurisdiction's office ids: one query, used twice
    namesakes = scope.filter(name_key__in=names).exclude(employee__nip=None).values("employee__nip")
    entries = list(Employee.objects.filter(Q(nip__in=nips) | Q(nip__in=namesakes)).values_list("pk", flat=True))
    # Candidates of other elections only: a person reported twice in one election is no repeat.
    others = (Q(name_key__in=names) | Q(employee_id__in=entries)) & ~Q(case__election_id=case.election_id)
    match = Q(case=case) | others
    rows = [_person(row, english) for row in scope.filter(match).values(*_VALUES).order_by()]
    result = []
    for group in group_people(rows):
        if not any(row["case_id"] == case.pk for row in group):
            continue
        if not any(row["case__election_id"] != case.election_id for row in group):
            continue
        offender = _offender(group)
        offender.appearances = [item for item in offender.appearances if item.case_id != case.pk]
        result.append(offender)
    result.sort(key=lambda o: fold(o.name))
    return result
