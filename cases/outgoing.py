"""The letters a case sends: contexts built from the case, issued by letters.services.letter_issue.

Called last inside the service's transaction. letter_issue numbers, renders, stores (the
file goes again if the transaction rolls back) and records each letter; this module adds
what only the case knows, the context, and the link to the case (cases.CaseLetter).
"""

from django.utils import timezone, translation
from django.utils.translation import gettext

from cases.authorities import authority_on
from cases.models import Case, CaseLetter
from cases.selectors import announcement_persons
from cases.states import Outcome
from letters.context import office_context
from letters.models import Letter
from letters.services import letter_issue
from organizations.models import Agency, BawasluOffice

OUTCOME_LETTER = {
    Outcome.FORWARDED_AUTHORITY: "forward-authority",
    Outcome.FORWARDED_GAKKUMDU: "forward-gakkumdu",
    Outcome.FORWARDED_OTHER: "forward-other",
}


def _signatory(actor, office) -> dict:
    return {"position": f"Ketua {office.name}", "name": actor.get_full_name() or actor.get_username()}


def _base(case: Case, actor) -> dict:
    """What every letter of the case carries; letter_issue adds its date and number."""
    office = case.office
    return {
        "office": office_context(office, place=office.letter_place or office.region.name,
                                 timezone=office.region.time_zone, address=office.address or office.region.name),
        "signatory": _signatory(actor, office),
        "case_number": case.number,
        "election": case.election.title_id,
    }


def _reported(case: Case) -> list[dict]:
    people = []
    for person in case.persons.select_related("employee__agency"):
        employee = person.employee
        entry = {"name": person.name, "position": person.position or "-", "unit": person.unit or "-",
                 "agency": employee.agency.name if employee else "-"}
        if employee and employee.nip:
            entry["nip"] = employee.nip
        if employee:
            entry["employee_kind"] = employee.get_kind_display()
        people.append(entry)
    return people or [{"name": "-", "position": "-", "unit": "-", "agency": "-"}]


def issue_case_letter(case: Case, actor, kind: str, context: dict, addressee: str, *,
                      office: BawasluOffice | None = None, agency: Agency | None = None) -> Letter:
    """Issue one letter of the case and link it to the case (the follow-up's letters too).

    The issuer is the case's office unless ``office`` or ``agency`` says otherwise.
    """
    if office is None and agency is None:
        office = case.office
    letter = letter_issue(kind=kind, context=context, addressee=addressee, actor=actor, office=office, agency=agency,
                          folder=str(case.pk))
    CaseLetter.objects.create(case=case, letter=letter)
    return letter


def outcome_letters(case: Case, actor) -> list[Letter]:
    """The forwarding letter of the outcome (if any) and the public status announcement."""
    written: list[Letter] = []
    kind = OUTCOME_LETTER.get(case.outcome)
    if kind:
        context = _base(case, actor)
        context.update(reported=_reported(case), facts=case.summary, conclusion=case.conclusion,
                       registered_on=case.registered_on, violations=[v.pk for v in case.violations.all()])
        if kind == "forward-authority":
            authority = authority_on(timezone.localdate())
            context["addressee"] = {"name": authority.addressee, "address": authority.address}
        elif kind == "forward-gakkumdu":
            context["addressee"] = {"name": f"Sentra Gakkumdu {case.office.region.name}"}
            context["regime"] = case.election.regime
        else:
            context["addressee"] = {"name": case.forwarded_to}
        if kind != "forward-authority":
            context["reported"] = context["reported"][0]
        written.append(issue_case_letter(case, actor, kind, context, context["addressee"]["name"]))
    context = _base(case, actor)
    # The public letter says of the reported person only what the public announcements page
    # says (the class of the position and its unit or agency as far as K people share them,
    # registry.disclosure); the typed position ("Kepala Desa Lalang") would name them.
    with translation.override("id"):  # the letter is written in Indonesian (letter_issue's default)
        people = announcement_persons([case])[0][1]
        first = people[0] if people else None
        withheld = gettext("withheld")
        position = (first.position_class_label if first else "-") or withheld
    context.update(registered_on=case.registered_on, reported_position=position,
                   reported_unit=(first.place if first else "-") or withheld, outcome=case.outcome,
                   reason=case.announcement)
    if case.forwarded_to or kind:
        context["forwarded_to"] = case.forwarded_to or written[0].addressee
    written.append(issue_case_letter(case, actor, "status-announcement", context, "Publik"))
    return written


def invitation_letter(case: Case, actor, clarification) -> Letter:
    """The invitation to a clarification session, addressed to the person to be heard."""
    context = _base(case, actor)
    first = case.persons.first()
    matter = "dugaan pelanggaran netralitas Aparatur Sipil Negara"
    if first and first.position:
        matter += f" oleh {first.position}" + (f" {first.unit}" if first.unit else "")
    context.update(addressee={"name": clarification.name}, role=clarification.party,
                   schedule=timezone.localtime(clarification.scheduled_at), place=clarification.place,
                   matter=matter, case_kind=case.kind)
    return issue_case_letter(case, actor, "clarification-invitation", context, clarification.name)
