"""Reading cases: one door (access_case) and the list, both bound to the user's jurisdiction."""

import re
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.http import Http404
from django.utils import timezone

from accounts.permissions import Capability, can
from cases import states
from cases.models import Case, CasePerson, CaseReport
from cases.similarity import similarity
from netral.clock import deadline_state, due_soon_until
from organizations.selectors import office_ids_under
from registry.disclosure import AGENCY, UNIT, k_anonymity
from registry.positions import POSITION_CLASS_LABELS
from registry.selectors import position_counts
from reports.models import ClockPause, Report
from rules.assessment import AssessmentError
from rules.selectors import assessment_for, catalog, current_language, localized


def _can_handle(user) -> bool:
    return can(user, Capability.HANDLE_REPORTS)


def case_list_for(user, *, status: str = "", due: str = "", kind: str = "", query: str = "", order: str = "due"):
    """Cases of the user's jurisdiction, sortable by next deadline; query count independent of rows."""
    if not _can_handle(user):
        raise PermissionDenied
    cases = Case.objects.filter(office_id__in=office_ids_under(user.jurisdiction))
    if status == "open":
        # "__in" and not "=True": Django writes a bare boolean column for =True, which
        # SQLite will not match against the index (office, is_open, due_on, ...).
        cases = cases.filter(is_open__in=[True])
    elif status:
        # Read through the index (office, status, due_on, ...) in deadline order, counted from it alone:
        # the landing page's "awaiting approval" block (issue 20) went through (office, is_open, ...) and
        # the heap of every open case of the office, 51 ms at 200,000 cases on PostgreSQL (2.6 ms now).
        cases = cases.filter(status=status)
    today = timezone.localdate()
    if due == "overdue":
        cases = cases.filter(due_on__lt=today)
    elif due == "soon":
        # Within the next working days, as every staff list and the landing page count it (netral.clock).
        cases = cases.filter(due_on__gte=today, due_on__lte=due_soon_until(today))
    if kind:
        cases = cases.filter(kind=kind)
    if query:
        cases = _matching(cases, query.strip())
    ordering = {"due": ["due_on", "-registered_on", "-id"], "new": ["-registered_on", "-id"]}[order]
    return (
        cases.select_related("region", "election", "office")
        .prefetch_related(Prefetch("persons", queryset=CasePerson.objects.order_by("id")))
        .order_by(*ordering)
    )


NUMBER_SHAPE = re.compile(r"[0-9A-Za-z.\-]+(/[0-9A-Za-z.\-]+){2,}")


def looks_like_number(text: str) -> bool:
    """A whole registration number as cases.numbers writes them ("001/Reg/LP/PB/Kab/19.06/XI/2024"):
    parts joined by "/", no spaces. Such a query is looked up by "=" on the unique index."""
    return bool(NUMBER_SHAPE.fullmatch(text))


def _matching(cases, query: str):
    if looks_like_number(query):
        # An exact number is one row of the unique index (issue 20: 324 ms with icontains over
        # 200,000 cases); only a number that is not there falls back to the search by part.
        exact = cases.filter(number=query)
        if exact.exists():
            return exact
    # A subquery, not a join: no DISTINCT over the jurisdiction's rows.
    return cases.filter(Q(number__icontains=query) |
                        Q(pk__in=CasePerson.objects.filter(name__icontains=query).values("case_id")))


MERGE_SUGGESTIONS = 10


def merge_targets_for(user, case: Case, query: str, *, limit: int = MERGE_SUGGESTIONS) -> list[Case]:
    """Open cases that ``case`` may be merged into, for the search on its page: of the same office
    (cases.services.case_merge), in the user's jurisdiction, by exact number or number prefix.

    At most ``limit`` rows in one query, whatever the office holds (issue 20: the page listed
    every open case in a select)."""
    query = query.strip()
    if not _can_handle(user) or len(query) < 2:
        return []
    candidates = (Case.objects.filter(office_id__in=office_ids_under(user.jurisdiction), office_id=case.office_id,
                                      is_open__in=[True])
                  .exclude(pk=case.pk).select_related("region"))
    return list(candidates.filter(Q(number=query) | Q(number__startswith=query)).order_by("number")[:limit])


def merge_target_for(user, case: Case, *, number: str = "", pk: int | None = None) -> Case | None:
    """The case named by its exact number (or by its id, picked from the search) in the user's
    jurisdiction, open or not, so that the form can say why it cannot be merged into; None when
    there is none or it lies outside the jurisdiction (which is not told apart)."""
    if not _can_handle(user):
        return None
    cases = Case.objects.filter(office_id__in=office_ids_under(user.jurisdiction))
    if pk is not None:
        found = cases.filter(pk=pk).first()
        if found is not None and (not number or found.number == number.strip()):
            return found
    number = number.strip()
    return cases.filter(number=number).first() if number else None


def access_case(user, pk) -> Case:
    """The case if the user may handle it: 404 for a missing and a foreign case alike."""
    if not _can_handle(user):
        raise PermissionDenied
    try:
        return (Case.objects.filter(office_id__in=office_ids_under(user.jurisdiction))
                .select_related("region__parent", "election", "office__region", "registered_by", "merged_into")
                .get(pk=pk))
    except (Case.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def notifications_unread(user, *, limit: int = 10):
    from cases.models import Notification

    return list(Notification.objects.filter(user=user, read_at__isnull=True).select_related("case")
                .order_by("-sent_on", "-id")[:limit])


def deadline_flag(due_on, today=None) -> str:
    """"overdue", "soon" or "" for a next deadline, as the lists say it (netral.clock)."""
    if due_on is None:
        return ""
    today = today or timezone.localdate()
    return deadline_state(due_on, horizon=due_soon_until(today), today=today).flag


def case_of_report(report: Report) -> Case | None:
    link = CaseReport.objects.filter(report=report).select_related("case").first()
    return link.case if link else None


def report_pauses(report: Report) -> list[ClockPause]:
    return list(ClockPause.objects.filter(report=report).order_by("started_on", "id"))


SIMILAR_ENOUGH = 0.35  # share of meaningful words two accounts of one event have in common
SIMILARITY_WINDOW = 300  # recent open cases of the office compared by text


def related_open_cases(report: Report, *, limit: int = 5) -> list[Case]:
    """Open cases of the same office that may be about the same event.

    The same person (register identity or name), or a summary that tells much the same
    story (cases.similarity). Suggested at registration; staff decide whether to merge.
    """
    persons = list(report.reported_persons.all())
    employees = [p.employee_id for p in persons if p.employee_id]
    names = [p.name for p in persons if p.name and p.name.lower() not in {"tidak diketahui", "unknown"}]
    open_cases = Case.objects.filter(office=report.office, status__in=states.OPEN)
    match = Q(persons__employee_id__in=employees) if employees else Q(pk__in=[])
    for name in names:
        match |= Q(persons__name__iexact=name)
    by_person = list(open_cases.filter(match).distinct().order_by("-registered_on")[:limit])
    seen = {case.pk for case in by_person}
    by_text = [case for case in open_cases.exclude(pk__in=seen).order_by("-registered_on")[:SIMILARITY_WINDOW]
               if similarity(case.summary, report.description) >= SIMILAR_ENOUGH]
    return (by_person + by_text)[:limit]


def announcements_public():
    """Decided cases with their public announcement, newest first.

    Only what the public may read: number, office, region, election, outcome, the
    announcement and the reported persons' class of position and place as far as
    ``announcement_persons`` allows (no name, no reporter ever).
    """
    persons = (CasePerson.objects.select_related("employee__unit", "employee__agency")
               .only("case_id", "employee__agency__name", "employee__unit__name", "employee__position_class")
               .order_by("id"))
    return (Case.objects.filter(announced_at__isnull=False)
            .select_related("office", "region", "election")
            .prefetch_related(Prefetch("persons", queryset=persons))
            .only("number", "kind", "outcome", "announcement", "announced_at", "office__name", "region__name",
                  "election__title_id", "election__title_en")
            .order_by("-announced_at", "-id"))


@dataclass(frozen=True)
class AnnouncedPerson:
    """A reported person as an announcement may show them: a class and a place, or neither."""

    position_class: str  # "" when withheld
    position_class_label: str
    place: str  # the unit, or the agency when the unit would single the person out; "" when withheld

    @property
    def withheld(self) -> bool:
        return not self.position_class


def announcement_persons(cases) -> list[tuple[Case, list[AnnouncedPerson]]]:
    """Each case of a page of announcements (``announcements_public``) with its reported persons.

    The free-text position ("Kepala Desa", "Pemerintah Desa Lalang") is never shown: a position held
    by one person names them. A person found in the register is shown by the class of the position
    and the unit, the agency, or nothing, as far as K people share them (``registry.disclosure``);
    a person not found in the register cannot be counted and is withheld. One grouped query.
    """
    cases = list(cases)
    employees = [person.employee for case in cases for person in case.persons.all() if person.employee_id]
    counts = position_counts({employee.agency_id for employee in employees})
    k = k_anonymity()
    shown = []
    for case in cases:
        people = []
        shown.append((case, people))
        for person in case.persons.all():
            employee = person.employee
            if employee is None:
                people.append(AnnouncedPerson("", "", ""))
                continue
            unit = employee.unit.name if employee.unit_id else ""
            disclosure = counts.disclose(agency_id=employee.agency_id, unit=unit,
                                         position_class=employee.position_class, k=k)
            if disclosure.level == UNIT:
                place = unit
            elif disclosure.level == AGENCY:
                place = employee.agency.name
            else:
                place = ""
            people.append(AnnouncedPerson(disclosure.position_class,
                                          str(POSITION_CLASS_LABELS.get(disclosure.position_class, "")), place))
    return shown


def announcement_letter(case_id):
    """The published announcement PDF of a decided case, or 404."""
    from letters.models import Letter

    # case__pk, not case_id: the primary key's lookup answers "no row" for a number past the
    # column's range, where the foreign key's raised OverflowError on SQLite (a 500, found by
    # portal/tests/test_public_fuzz.py with /pengumuman/99999999999999999999999/surat.pdf).
    letter = (Letter.objects.filter(case_link__case__pk=case_id, kind="status-announcement",
                                    case_link__case__announced_at__isnull=False)
              .order_by("-id").first())
    if letter is None:
        raise Http404
    return letter


def forwarded_count(*, office, start, end) -> int:
    """Cases of an office decided as forwarded to the civil-service authority from ``start`` to ``end``."""
    return Case.objects.filter(office=office, outcome=Case.Outcome.FORWARDED_AUTHORITY,
                               decided_at__date__gte=start, decided_at__date__lte=end).count()


@dataclass(frozen=True)
class PersonRoute:
    """What the law says about one reported person and one violated provision of a case."""

    person: str
    subject: str
    act: str
    explanation: str
    authority: str
    outcome: str


def person_routes(case, persons, *, violations=None) -> list[PersonRoute]:
    """Per reported person with a known kind and per chosen provision: family, sanctions and where it goes.

    The same function as GET /api/v1/assessment (rules.assessment), with the case's regime, the day of
    the event (or of its discovery) and today as the decision day. ``violations``: the provisions
    being proposed (default: the case's own). No query beyond the violations.
    """
    violations = list(case.violations.all()) if violations is None else violations
    act_date = case.occurred_on or case.known_on
    rows = []
    for person in persons:
        if not person.subject:
            continue
        for violation in violations:
            try:
                answer = assessment_for(act=violation.pk, subject=person.subject, regime=case.election.regime,
                                        act_date=act_date, decided_on=timezone.localdate(),
                                        election=case.election_id if case.election_id in catalog().elections else None)
            except AssessmentError:
                continue
            rows.append(PersonRoute(
                person=person.name, subject=localized(answer.subject.title), act=violation.title,
                explanation=answer.explanation(current_language()),
                authority=localized(answer.authority.name) if answer.authority else "",
                outcome=answer.route.outcome if answer.route else "",
            ))
    return rows
