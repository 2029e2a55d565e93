"""The letters of the follow-up: the authority's recommendation, reminders, escalations.

Each is a cases.Letter of the recommendation's case, rendered by the letters app and
kept with its SHA-256, like the case's own letters. Called last inside the service's
transaction; a failing letter removes what it wrote and rolls the action back.
"""

import hashlib
import re

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from cases.authorities import authority_on
from cases.models import Letter
from letters.context import office_context
from letters.numbers import letter_number
from letters.render import render_letter
from reports.services import next_number


def _issuer_context(recommendation) -> tuple[dict, dict, str]:
    """(office, signatory, number code) of whoever sends the recommendation's letters."""
    if recommendation.issuer_agency_id:
        agency = recommendation.issuer_agency
        authority = authority_on(recommendation.issued_on)
        code = (agency.authority_code or "authority").upper()
        office = {"name": agency.name, "address": authority.address or agency.region.name,
                  "place": authority.address or agency.region.name, "number_code": code}
        return office, {"position": f"a.n. {authority.addressee}"}, code
    office = recommendation.issuer_office
    return (office_context(office, place=office.letter_place or office.region.name, timezone=office.region.time_zone,
                           address=office.address or office.region.name),
            {"position": f"Ketua {office.name}"}, office.number_code)


def _base(recommendation, actor, kind: str) -> dict:
    office, signatory, code = _issuer_context(recommendation)
    today = timezone.localdate()
    scope = (f"letter:agency:{recommendation.issuer_agency_id}" if recommendation.issuer_agency_id
             else f"letter:{recommendation.issuer_office_id}")
    seq = next_number(scope=scope, year=today.year)
    name = (actor.get_full_name() or actor.get_username()) if actor else office["name"]
    return {"office": office, "signatory": {**signatory, "name": name}, "date": today,
            "number": letter_number(kind, office_code=code, seq=seq, on=today),
            "case_number": recommendation.case.number, "election": recommendation.case.election.title_id}


def _store(recommendation, actor, kind: str, context: dict, addressee: str, written: list) -> Letter:
    pdf = render_letter(kind, context)
    safe = re.sub(r"[^0-9A-Za-z.-]+", "-", context["number"])
    name = default_storage.save(f"letters/{recommendation.case_id}/{kind}-{safe}.pdf", ContentFile(pdf))
    written.append(name)
    return Letter.objects.create(case=recommendation.case, kind=kind, number=context["number"], addressee=addressee,
                                 file=name, sha256=hashlib.sha256(pdf).hexdigest(),
                                 created_by=actor or recommendation.created_by)


def _guarded(make):
    def run(*args, **kwargs):
        written: list[str] = []
        try:
            return make(*args, written=written, **kwargs)
        except BaseException:
            for name in written:
                default_storage.delete(name)
            raise
    return run


def matter(recommendation) -> str:
    """What the recommendation is about, without the person's name."""
    if recommendation.stage == "authority":
        return "penerusan pelanggaran netralitas Aparatur Sipil Negara"
    who = " ".join(part for part in (recommendation.position, recommendation.unit_name) if part)
    return "rekomendasi sanksi atas pelanggaran netralitas Aparatur Sipil Negara" + (f" oleh {who}" if who else "")


@_guarded
def recommendation_letter(recommendation, actor, *, sanction_words: str, written) -> Letter:
    context = _base(recommendation, actor, "recommendation-ppk")
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
    if recommendation.considerations:
        context["considerations"] = recommendation.considerations
    return _store(recommendation, actor, "recommendation-ppk", context, addressee, written)


@_guarded
def reminder_letter(recommendation, *, sequence: int, addressee: str, written) -> Letter:
    context = _base(recommendation, None, "followup-reminder")
    context.update(addressee={"name": addressee}, recommendation_number=recommendation.number,
                   recommendation_date=recommendation.issued_on, due=recommendation.due_on, sequence=sequence,
                   matter=matter(recommendation))
    return _store(recommendation, None, "followup-reminder", context, addressee, written)


@_guarded
def escalation_letter(recommendation, *, addressee: str, owner: str, reminders: int, level, written) -> Letter:
    context = _base(recommendation, None, "followup-escalation")
    context.update(addressee={"name": addressee}, recommendation_number=recommendation.number,
                   recommendation_date=recommendation.issued_on, due=recommendation.due_on, owner=owner,
                   reminders=reminders, matter=matter(recommendation), explanation=level.explanation.id,
                   basis=level.source)
    return _store(recommendation, None, "followup-escalation", context, addressee, written)
