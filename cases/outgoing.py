"""The letters a case sends: contexts built from the case, rendered by the letters app, kept.

Called last inside the service's transaction: each PDF is rendered (no network, ~0.2 s)
and stored with its SHA-256; if a letter fails, the files already written are removed
and the exception rolls the whole decision back.
"""

import hashlib
import re

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from cases.authorities import authority_on
from cases.models import Case, Letter
from cases.states import Outcome
from letters.context import office_context
from letters.numbers import letter_number
from letters.render import render_letter
from reports.services import next_number

OUTCOME_LETTER = {
    Outcome.FORWARDED_AUTHORITY: "forward-authority",
    Outcome.FORWARDED_GAKKUMDU: "forward-gakkumdu",
    Outcome.FORWARDED_OTHER: "forward-other",
}


def _signatory(actor, office) -> dict:
    return {"position": f"Ketua {office.name}", "name": actor.get_full_name() or actor.get_username()}


def _base(case: Case, actor, kind: str) -> dict:
    office = case.office
    today = timezone.localdate()
    seq = next_number(scope=f"letter:{office.pk}", year=today.year)
    return {
        "office": office_context(office, place=office.letter_place or office.region.name,
                                 timezone=office.region.time_zone, address=office.address or office.region.name),
        "signatory": _signatory(actor, office),
        "date": today,
        "number": letter_number(kind, office_code=office.number_code, seq=seq, on=today),
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


def _store(case: Case, actor, kind: str, context: dict, addressee: str) -> Letter:
    pdf = render_letter(kind, context)
    safe = re.sub(r"[^0-9A-Za-z.-]+", "-", context["number"])
    name = default_storage.save(f"letters/{case.pk}/{kind}-{safe}.pdf", ContentFile(pdf))
    return Letter.objects.create(case=case, kind=kind, number=context["number"], addressee=addressee, file=name,
                                 sha256=hashlib.sha256(pdf).hexdigest(), created_by=actor)


def outcome_letters(case: Case, actor) -> list[Letter]:
    """The forwarding letter of the outcome (if any) and the public status announcement."""
    written: list[Letter] = []
    try:
        kind = OUTCOME_LETTER.get(case.outcome)
        if kind:
            context = _base(case, actor, kind)
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
            written.append(_store(case, actor, kind, context, context["addressee"]["name"]))
        context = _base(case, actor, "status-announcement")
        first = case.persons.first()
        context.update(registered_on=case.registered_on, reported_position=(first.position if first else "") or "-",
                       reported_unit=(first.unit if first else "") or "-", outcome=case.outcome,
                       reason=case.announcement)
        if case.forwarded_to or kind:
            context["forwarded_to"] = case.forwarded_to or written[0].addressee
        written.append(_store(case, actor, "status-announcement", context, "Publik"))
        return written
    except BaseException:
        for letter in written:
            default_storage.delete(letter.file.name)
        raise


def invitation_letter(case: Case, actor, clarification) -> Letter:
    """The invitation to a clarification session, addressed to the person to be heard."""
    context = _base(case, actor, "clarification-invitation")
    first = case.persons.first()
    matter = "dugaan pelanggaran netralitas Aparatur Sipil Negara"
    if first and first.position:
        matter += f" oleh {first.position}" + (f" {first.unit}" if first.unit else "")
    context.update(addressee={"name": clarification.name}, role=clarification.party,
                   schedule=timezone.localtime(clarification.scheduled_at), place=clarification.place,
                   matter=matter, case_kind=case.kind)
    return _store(case, actor, "clarification-invitation", context, clarification.name)
