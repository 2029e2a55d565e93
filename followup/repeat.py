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

The list and the case panel read the same key, so they agree: the list groups the stored figures of
the keys reported in two or more elections (cases.models.PersonElection, kept current by every write
in its transaction: cases.person_elections) in the database (GROUP BY person_key HAVING two elections
of the jurisdiction, ordered, numbered), then reads the rows of the page's keys only; the panel reads
the rows of the case's keys. A fixed number of queries,
whatever the number of rows, and never every reported person of the jurisdiction in Python.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Count, F, Min, Q, Window
from django.db.models.functions import RowNumber

from accounts.permissions import Capability, can
from cases.models import Case, CasePerson, PersonElection
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


def _scope(user, offices=None):
    """The reported persons of the user's jurisdiction (one query for its offices' ids, unless given)."""
    if not can(user, Capability.HANDLE_REPORTS):
        raise PermissionDenied
    if offices is None:
        offices = office_ids_under(user.jurisdiction)
    return CasePerson.objects.filter(case__office_id__in=offices).exclude(case__status=Case.Status.MERGED)


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

    The groups come from the stored figures (cases.models.PersonElection, kept by every write:
    cases.person_elections), not from the reported persons: one row per (key, election, office) of
    the keys reported in two or more elections anywhere. Grouping the live rows (a join of every
    reported person of the jurisdiction with its case, GROUP BY person_key) took 237 ms at 200,000
    cases on PostgreSQL, and grouping by (key, election) first was no faster (cases.person_elections
    says why); the stored rows of the jurisdiction's offices are grouped instead (20,000 rows for the
    bench's 10,000 repeat offenders of one office, where the live grouping joined 74,000). The
    database groups them (COUNT(DISTINCT election) >= 2 within the jurisdiction: a key of two
    elections in two provinces is of one election in each), orders the groups and numbers them; then
    the rows of the page's keys only are read from the reported persons.

    One query for the groups, whatever is asked: ``count()`` reads the number of groups together
    with the keys of the page that will be asked for (``page``, ``per_page``: COUNT(*) OVER () and
    ROW_NUMBER() OVER (the list's order)), and a page past the end is moved to the last one in the
    same query, as Paginator.get_page will ask for it; without a page told, it reads every group's
    key once. Two queries a page.
    """

    def __init__(self, scope, *, offices, english: bool, page=None, per_page: int | None = None):
        self.scope = scope
        self.english = english
        order = [F("elections").desc(), F("sort_name").asc(), F("person_key").asc()]
        # One row per (key, election, office): over one office (a regency's jurisdiction, most users) a
        # plain count is the number of elections, which PostgreSQL groups by hashing (26 ms for the
        # 20,000 rows of the bench's Belitung Timur, against 55 ms for COUNT(DISTINCT), which sorts).
        elections = Count("election_id", distinct=len(offices) > 1)
        self.groups = (PersonElection.objects.filter(office_id__in=offices).order_by().values("person_key")
                       .annotate(elections=elections, sort_name=Min("name_key"))
                       .filter(elections__gte=2).order_by(*order))
        self._order = order
        self._start = (page_number(page) - 1) * per_page if per_page else None
        self._per_page = per_page
        self._keys: list[str] | None = None
        self._count: int | None = None

    def _read(self) -> None:
        """The number of groups and the keys of the page that will be asked for, in one query."""
        if self._per_page is None:  # every group
            self._keys = [group["person_key"] for group in self.groups]
            self._start, self._count = 0, len(self._keys)
            return
        numbered = self.groups.annotate(total=Window(Count("*")), n=Window(RowNumber(), order_by=self._order))
        sql, params = numbered.query.sql_with_params()
        # The page asked for, or the last one when it is past the end: the rows n in (start, start + per_page].
        # Raw SQL around the ORM's: Django filters on a window only against plain values, not another window.
        last = "(numbered.total - 1) / %s * %s"
        start = f"CASE WHEN %s < {last} THEN %s ELSE {last} END"
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT numbered.person_key, numbered.total, numbered.n FROM ({sql}) numbered "
                           f"WHERE numbered.n > {start} AND numbered.n <= {start} + %s ORDER BY numbered.n",
                           [*params, *[self._start, self._per_page, self._per_page, self._start,
                                       self._per_page, self._per_page] * 2, self._per_page])
            groups = cursor.fetchall()
        self._count = groups[0][1] if groups else 0
        self._start = groups[0][2] - 1 if groups else 0
        self._keys = [key for key, _total, _n in groups]

    def _cached(self, index: slice) -> list[str] | None:
        """The keys of the slice from what _read() read; None when it did not read them all."""
        if self._keys is None or index.step is not None:
            return None
        start, stop = index.start or 0, index.stop
        end = self._start + len(self._keys)
        if start < self._start or (end < self._count and (stop is None or stop > end)):
            return None
        return self._keys[start - self._start:None if stop is None else max(start, stop) - self._start]

    def count(self) -> int:
        if self._count is None:
            self._read()
        return self._count

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index:index + 1][0]
        keys = self._cached(index)
        if keys is None:
            keys = [group["person_key"] for group in self.groups[index]]
        if not keys:
            return []
        by_key = _rows_by_key(self.scope.filter(person_key__in=keys).values(*_VALUES).order_by(), self.english)
        return [_offender(by_key[key]) for key in keys if key in by_key]

    def __iter__(self):
        if self._keys is None and self._per_page is None:
            self._read()
        return iter(self[:])


def repeat_offenders_for(user, *, page=None, per_page: int | None = None) -> RepeatOffenders:
    """The persons reported in the cases of two or more elections of the user's jurisdiction, most
    elections first, then by name; read a page at a time (see RepeatOffenders)."""
    if not can(user, Capability.HANDLE_REPORTS):
        raise PermissionDenied
    offices = office_ids_under(user.jurisdiction)
    return RepeatOffenders(_scope(user, offices), offices=offices, english=_english(), page=page, per_page=per_page)


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
