"""The letters of the follow-up: the authority's recommendation, reminders, escalations.

Each is issued by letters.services.letter_issue (numbered with the issuer's sequence,
rendered, stored, recorded) and linked to the recommendation's case, like the case's own
letters (cases.outgoing.issue_case_letter). Called last inside the service's transaction:
a failing letter rolls the action back, its number and its file with it.
"""

from cases.authorities import authority_on
from cases.outgoing import issue_case_letter
from letters.context import office_context
from letters.models import Letter
from letters.selectors import office_above


def _issuer_context(recommendation) -> tuple[dict, dict]:
    """(office, signatory) of whoever sends the recommendation's letters."""
    if recommendation.issuer_agency_id:
        agency = recommendation.issuer_agency
        authority = authority_on(recommendation.issued_on)
        code = (agency.authority_code or "authority").upper()
        office = {"name": agency.name, "address": authority.address or agency.region.name,
                  "place": authority.address or agency.region.name, "number_code": code}
        return office, {"position": f"a.n. {authority.addressee}"}
    office = recommendation.issuer_office
    return (office_context(office, place=office.letter_place or office.region.name, timezone=office.region.time_zone,
                           address=office.address or office.region.name),
            {"position": f"Ketua {office.name}"})


def _base(recommendation, actor) -> dict:
    """What every letter of the recommendation carries; letter_issue adds its date and number."""
    office, signatory = _issuer_context(recommendation)
    name = (actor.get_full_name() or actor.get_username()) if actor else office["name"]
    return {"office": office, "signatory": {**signatory, "name": name},
            "case_number": recommendation.case.number, "election": recommendation.case.election.title_id}


def _issue(recommendation, actor, kind: str, context: dict, addressee: str) -> Letter:
    """``actor`` None: the daily run issues it (the letter's created_by stays empty)."""
    if recommendation.issuer_agency_id:
        issuer = {"agency": recommendation.issuer_agency}
    else:
        issuer = {"office": recommendation.issuer_office}
    return issue_case_letter(recommendation.case, actor, kind, context, addressee, **issuer)


def matter(recommendation) -> str:
    """What the recommendation is about, without the person's name."""
    if recommendation.stage == "authority":
        return "penerusan pelanggaran netralitas Aparatur Sipil Negara"
    who = " ".join(part for part in (recommendation.position, recommendation.unit_name) if part)
    return "rekomendasi sanksi atas pelanggaran netralitas Aparatur Sipil Negara" + (f" oleh {who}" if who else "")


def recommendation_letter(recommendation, actor, *, sanction_words: str) -> Letter:
    context = _base(recommendation, actor)
    parent = recommendation.parent
    employee = recommendation.employee
    reported = {"name": recommendation.person_name, "position": recommendation.position or "-",
                "unit": recommendation.unit_name or "-", "agency": recommendation.addressee.name}
    if employee and employee.nip:
        reported["nip"] = employee.nip
    if recommendation.employee_kind:
        reported["employee_kind"] = recommendation.get_employee_kind_display()
    addressee = recommendation.addressee.ppk_title or f"Pejabat Pembina Kepegawaian {recommendation.addressee.name}"
    context.update(
        addressee={"name": addressee, "address": recommendation.addressee.region.name},
        forwarding_office=recommendation.case.office.name, reported=reported,
        violations=[v.pk for v in recommendation.violations.all()], sanction=sanction_words,
        due=recommendation.due_on, deadline_citation=recommendation.limit_citation,
    )
    if parent and parent.number:
        context["forwarding_number"] = parent.number
    above = office_above(recommendation.case.office)  # for the copies (tembusan) of letters.yaml
    if above is not None:
        context["forwarding_office_above"] = above.name
    if recommendation.considerations:
        context["considerations"] = recommendation.considerations
    return _issue(recommendation, actor, "recommendation-ppk", context, addressee)


def reminder_letter(recommendation, *, sequence: int, addressee: str) -> Letter:
    context = _base(recommendation, None)
    context.update(addressee={"name": addressee}, recommendation_number=recommendation.number,
                   recommendation_date=recommendation.issued_on, due=recommendation.due_on, sequence=sequence,
                   matter=matter(recommendation))
    return _issue(recommendation, None, "followup-reminder", context, addressee)


def escalation_letter(recommendation, *, addressee: str, owner: str, reminders: int, level) -> Letter:
    context = _base(recommendation, None)
    context.update(addressee={"name": addressee}, recommendation_number=recommendation.number,
                   recommendation_date=recommendation.issued_on, due=recommendation.due_on, owner=owner,
                   reminders=reminders, matter=matter(recommendation), explanation=level.explanation.id,
                   basis=level.source)
    return _issue(recommendation, None, "followup-escalation", context, addressee)
