"""Actions on agreements: record one (e.g. from a transcription), end it early, add addenda.

Each action is one transaction with an audit entry. Who may act for a party: the staff of
its Bawaslu office (leadership for approvals) or the Pemda staff/PPK of its agency.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from agreements import terms
from agreements.models import Addendum, Agreement, Party, Target, Termination, WorkPlanItem
from audit.services import audit_record
from organizations.models import Agency, BawasluOffice

Role = User.Role
APPROVER_ROLES = frozenset({Role.BAWASLU_LEAD, Role.PPK, Role.ADMIN})


def acts_for(user, party: Party) -> bool:
    """Whether ``user`` belongs to the side of ``party``."""
    if not (user.is_authenticated and user.is_active):
        return False
    if party.office_id:
        return user.is_bawaslu and user.bawaslu_office_id == party.office_id
    return user.role in {Role.PEMDA_STAFF, Role.PPK} and user.agency_id == party.agency_id


def party_of(user, agreement: Agreement) -> Party | None:
    return next((party for party in agreement.parties.all() if acts_for(user, party)), None)


@transaction.atomic
def agreement_record(*, actor, data: dict) -> Agreement:
    """An agreement, its parties and its work plan from a mapping (as agreements/data/*.yaml)."""
    if not (actor.is_bawaslu or actor.role in {Role.PEMDA_STAFF, Role.PPK, Role.ADMIN}):
        raise PermissionDenied
    signed_on = data.get("signed_on")
    if isinstance(signed_on, str):
        signed_on = date.fromisoformat(signed_on)
    agreement = Agreement.objects.create(
        kind=data.get("kind", Agreement.Kind.MOU), title=" ".join(data["title"].split()), place=data["place"],
        signed_on=signed_on, term_years=data.get("term_years", 3), notice_days=data.get("notice_days", 30),
        ends_on=terms.term_end(signed_on, data.get("term_years", 3)) if signed_on else None,
        purpose=" ".join(data.get("purpose", "").split()), scope=list(data.get("scope", [])),
        legal_bases=[" ".join(basis.split()) for basis in data.get("legal_bases", [])],
        clauses={key: " ".join(value.split()) for key, value in data.get("clauses", {}).items()}, created_by=actor,
    )
    for spec in data["parties"]:
        office = (BawasluOffice.objects.get(region__code=spec["office_region"]) if spec.get("office_region")
                  else None)
        agency = Agency.objects.get(name=spec["agency"]) if spec.get("agency") else None
        Party.objects.create(agreement=agreement, position=spec["position"], office=office, agency=agency,
                             name=spec["name"], number=spec["number"], signatory_name=spec["signatory_name"],
                             signatory_position=spec["signatory_position"],
                             signatory_basis=" ".join(spec.get("signatory_basis", "").split()),
                             address=" ".join(spec.get("address", "").split()))
    if agreement.parties.count() < 2:
        raise ValidationError(_("An agreement has at least two parties."))
    for order, spec in enumerate(data.get("work_plan", []), start=1):
        item = WorkPlanItem.objects.create(
            agreement=agreement, order=order, number=str(spec["number"]), programme=spec["programme"],
            activity=spec["activity"], location=spec.get("location", ""), funding=spec.get("funding", ""),
            schedule=spec.get("schedule", ""), duties_first=spec.get("duties_first", []),
            duties_second=spec.get("duties_second", []))
        for kind, key in ((Target.Kind.OUTPUT, "outputs"), (Target.Kind.OUTCOME, "outcomes")):
            for position, target in enumerate(spec.get(key, []), start=1):
                Target.objects.create(item=item, kind=kind, text=target["text"], order=position,
                                      indicator=target.get("indicator", ""), target_value=target.get("target"))
    audit_record(actor=actor, action="agreement.recorded", target=agreement,
                 data={"numbers": [party.number for party in agreement.parties.all()],
                       "signed_on": str(signed_on) if signed_on else None, "items": agreement.work_plan.count()})
    return agreement


def _locked(agreement: Agreement) -> Agreement:
    return Agreement.objects.select_for_update().get(pk=agreement.pk)


@transaction.atomic
def agreement_terminate(*, agreement: Agreement, actor, notice_on: date, effective_on: date,
                        reasons: str) -> Termination:
    """End an agreement early, keeping its notice clause (seed 000 art. 8(1))."""
    agreement = _locked(agreement)
    party = party_of(actor, agreement)
    if party is None or actor.role not in APPROVER_ROLES:
        raise PermissionDenied
    if hasattr(agreement, "termination"):
        raise ValidationError(_("This agreement already has an early end recorded."))
    if notice_on > timezone.localdate():
        raise ValidationError({"notice_on": _("The notice cannot be dated in the future.")})
    try:
        terms.check_termination(notice_on=notice_on, effective_on=effective_on, notice_days=agreement.notice_days,
                                signed_on=agreement.signed_on, ends_on=agreement.ends_on, reasons=reasons)
    except terms.TermError as error:
        raise ValidationError(_termination_error(str(error), agreement, notice_on)) from None
    termination = Termination.objects.create(agreement=agreement, party=party, notice_on=notice_on,
                                             effective_on=effective_on, reasons=reasons.strip(), recorded_by=actor)
    audit_record(actor=actor, action="agreement.terminated", target=agreement,
                 data={"party": party.position, "notice_on": str(notice_on), "effective_on": str(effective_on)})
    return termination


def _termination_error(code: str, agreement: Agreement, notice_on: date) -> dict:
    if code == "reasons":
        return {"reasons": _("Write the reasons for ending the agreement early.")}
    if code == "notice_before_signing":
        return {"notice_on": _("The notice cannot be older than the agreement.")}
    if code == "notice_too_short":
        earliest = terms.earliest_termination(notice_on, agreement.notice_days)
        return {"effective_on": _("The written reasons must be given %(days)s days before the end takes effect: "
                                  "the earliest possible date is %(date)s.")
                % {"days": agreement.notice_days, "date": f"{earliest:%d-%m-%Y}"}}
    return {"effective_on": _("The agreement ends on its own before that date.")}


@transaction.atomic
def addendum_propose(*, agreement: Agreement, actor, number: str, title: str, text: str) -> Addendum:
    party = party_of(actor, agreement)
    if party is None:
        raise PermissionDenied
    if not (number.strip() and title.strip() and text.strip()):
        raise ValidationError(_("An addendum needs a number, a title and its text."))
    addendum = Addendum.objects.create(agreement=agreement, number=number.strip(), title=title.strip(),
                                       text=text.strip(), proposed_by=party)
    audit_record(actor=actor, action="agreement.addendum_proposed", target=agreement,
                 data={"addendum": addendum.pk, "number": addendum.number, "party": party.position})
    return addendum


@transaction.atomic
def addendum_approve(*, addendum: Addendum, actor) -> Addendum:
    """One party's approval; the addendum is in force once both have approved (seed 000 art. 11(2))."""
    addendum = Addendum.objects.select_for_update().select_related("agreement").get(pk=addendum.pk)
    party = party_of(actor, addendum.agreement)
    if party is None or actor.role not in APPROVER_ROLES:
        raise PermissionDenied
    today = timezone.localdate()
    if party.position == 1:
        if addendum.first_approved_on:
            return addendum
        addendum.first_approved_on, addendum.first_approved_by = today, actor
    else:
        if addendum.second_approved_on:
            return addendum
        addendum.second_approved_on, addendum.second_approved_by = today, actor
    addendum.in_force_on = terms.addendum_in_force(first_approved_on=addendum.first_approved_on,
                                                   second_approved_on=addendum.second_approved_on)
    addendum.save()
    audit_record(actor=actor, action="agreement.addendum_approved", target=addendum.agreement,
                 data={"addendum": addendum.pk, "party": party.position,
                       "in_force_on": str(addendum.in_force_on) if addendum.in_force_on else None})
    return addendum


def agreement_state(agreement: Agreement, *, today: date | None = None, warn_days: int = 90) -> terms.TermState:
    termination = getattr(agreement, "termination", None)
    return terms.term_state(signed_on=agreement.signed_on, ends_on=agreement.ends_on,
                            terminated_on=termination.effective_on if termination else None,
                            today=today or timezone.localdate(), warn_days=warn_days)
