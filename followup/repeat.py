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
case and typed by hand in another is still one person. Selectors only; one query for the
list and one for a case's panel, whatever the number of rows.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from accounts.permissions import Capability, can
from cases.models import Case, CasePerson
from organizations.selectors import office_ids_under
from registry.names import plain_name

# --- pure rules ------------------------------------------------------------------------------


def fold(text: str) -> str:
    """Case, spacing and punctuation folded: "Dinas  Kesehatan." -> "dinas kesehatan"."""
    return " ".join("".join(ch if ch.isalnum() else " " for ch in (text or "").casefold()).split())


def person_keys(*, nip: str | None, name: str, places: tuple[str, ...]) -> set[tuple[str, ...]]:
    """The keys under which a reported person is the same as another (see the module's docstring)."""
    keys: set[tuple[str, ...]] = set()
    if nip:
        keys.add(("nip", nip))
    folded_name = fold(plain_name(name or ""))
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

    Most elections first, then by name. One query, whatever the number of cases.
    """
    english = _english()
    people = [_person(row, english) for row in _scope(user).values(*_VALUES).order_by()]
    offenders = [_offender(group) for group in group_people(people)
                 if len({row["case__election_id"] for row in group}) >= 2]
    offenders.sort(key=lambda o: (-o.elections, fold(o.name), o.nip))
    return offenders


def _longest_word(text: str | None) -> str:
    return max(fold(text or "").split() or [""], key=len)


def repeat_of_case(user, case: Case) -> list[RepeatOffender]:
    """For each reported person of ``case``: the cases of other elections in which they were reported.

    Two queries: the case's persons, then their candidates in other elections (same NIP, or the
    name's and a place's longest words), then the exact keys in Python. Empty when the user may not handle cases.
    """
    if not can(user, Capability.HANDLE_REPORTS):
        return []
    english = _english()
    own = list(CasePerson.objects.filter(case=case).values("name", "unit", "employee__nip", "employee__agency__name",
                                                           "employee__unit__name"))
    # Candidates of other elections only (a person reported twice in one election is no repeat),
    # narrowed in SQL by what a key needs: the same NIP, or the name's longest word together with a
    # place's longest word, so that a common name does not bring in every person of the office.
    others = Q(employee__nip__in=[row["employee__nip"] for row in own if row["employee__nip"]])
    for row in own:
        word = _longest_word(plain_name(row["name"]))
        places = {_longest_word(row[key]) for key in ("unit", "employee__agency__name", "employee__unit__name")} - {""}
        if word and places:
            near = Q()
            for place in places:
                near |= (Q(unit__icontains=place) | Q(employee__agency__name__icontains=place)
                         | Q(employee__unit__name__icontains=place))
            others |= Q(name__icontains=word) & near
    match = Q(case=case) | (others & ~Q(case__election_id=case.election_id))
    rows = [_person(row, english) for row in _scope(user).filter(match).values(*_VALUES).order_by()]
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
