"""Actions on agreements: record one (e.g. from a transcription), end it early, add addenda.

Each action is one transaction with an audit entry. Who may act for a party: the staff of
its Bawaslu office (leadership for approvals) or the Pemda staff/PPK of its agency.
"""

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import PEMDA_ROLES, Capability, can
from agreements import indicators, terms
from agreements.models import (
    Addendum,
    Agreement,
    Document,
    EvaluationMeeting,
    ManualValue,
    Party,
    Target,
    Termination,
    WorkPlanItem,
)
from audit.services import audit_record
from organizations.models import Agency, BawasluOffice

if TYPE_CHECKING:
    from accounts.models import User


def acts_for(*, user: "User", party: Party) -> bool:
    """Whether ``user`` belongs to the side of ``party``."""
    if not (user.is_authenticated and user.is_active):
        return False
    if party.office_id:
        return user.is_bawaslu and user.bawaslu_office_id == party.office_id
    return user.role in PEMDA_ROLES and user.agency_id == party.agency_id


def party_of(*, user: "User", agreement: Agreement) -> Party | None:
    return next((party for party in agreement.parties.all() if acts_for(user=user, party=party)), None)


@transaction.atomic
def agreement_record(*, actor: "User", data: dict) -> Agreement:
    """An agreement, its parties and its work plan from a mapping (as agreements/data/*.yaml)."""
    if not can(actor, Capability.RECORD_AGREEMENTS):
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
        _add_item(agreement, order, spec)
    audit_record(actor=actor, action="agreement.recorded", target=agreement,
                 data={"numbers": [party.number for party in agreement.parties.all()],
                       "signed_on": str(signed_on) if signed_on else None, "items": agreement.work_plan.count()})
    return agreement


def _add_item(agreement: Agreement, order: int, spec: dict) -> WorkPlanItem:
    item = WorkPlanItem.objects.create(
        agreement=agreement, order=order, number=str(spec["number"]), programme=spec["programme"],
        activity=spec["activity"], location=spec.get("location", ""), funding=spec.get("funding", ""),
        schedule=spec.get("schedule", ""), duties_first=spec.get("duties_first", []),
        duties_second=spec.get("duties_second", []))
    for kind, key in ((Target.Kind.OUTPUT, "outputs"), (Target.Kind.OUTCOME, "outcomes")):
        for position, target in enumerate(spec.get(key, []), start=1):
            check_indicator(code=target.get("indicator", ""))
            Target.objects.create(item=item, kind=kind, text=target["text"], order=position,
                                  indicator=target.get("indicator", ""), target_value=target.get("target"))
    return item


@transaction.atomic
def agreement_create(*, actor: "User", office: BawasluOffice, agency: Agency, fields: dict, first: dict,
                     second: dict) -> Agreement:
    """A new agreement typed in by one of its parties (Bawaslu office first, Pemda second, as seed 000)."""
    if not ((actor.is_bawaslu and actor.bawaslu_office_id == office.pk)
            or (actor.role in PEMDA_ROLES and actor.agency_id == agency.pk)):
        raise PermissionDenied  # one may only record an agreement one's own side signed
    data = {**fields, "parties": [
        {"position": 1, "office_region": office.region.code, "name": office.name, **first},
        {"position": 2, "agency": agency.name, "name": agency.name, **second},
    ]}
    return agreement_record(actor=actor, data=data)


@transaction.atomic
def work_plan_item_add(*, agreement: Agreement, actor: "User", spec: dict) -> WorkPlanItem:
    """A row of the work plan, added by a party's staff."""
    if party_of(user=actor, agreement=agreement) is None:
        raise PermissionDenied
    agreement = _locked(agreement)
    order = (agreement.work_plan.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    item = _add_item(agreement, order, spec)
    audit_record(actor=actor, action="agreement.work_plan_item_added", target=agreement,
                 data={"item": item.pk, "number": item.number, "targets": item.targets.count()})
    return item


def _locked(agreement: Agreement) -> Agreement:
    return Agreement.objects.select_for_update().get(pk=agreement.pk)


@transaction.atomic
def agreement_terminate(*, agreement: Agreement, actor: "User", notice_on: date, effective_on: date,
                        reasons: str) -> Termination:
    """End an agreement early, keeping its notice clause (seed 000 art. 8(1))."""
    agreement = _locked(agreement)
    party = party_of(user=actor, agreement=agreement)
    if party is None or not can(actor, Capability.APPROVE_AGREEMENTS):
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
def addendum_propose(*, agreement: Agreement, actor: "User", number: str, title: str, text: str) -> Addendum:
    party = party_of(user=actor, agreement=agreement)
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
def addendum_approve(*, addendum: Addendum, actor: "User") -> Addendum:
    """One party's approval; the addendum is in force once both have approved (seed 000 art. 11(2))."""
    addendum = Addendum.objects.select_for_update().select_related("agreement").get(pk=addendum.pk)
    party = party_of(user=actor, agreement=addendum.agreement)
    if party is None or not can(actor, Capability.APPROVE_AGREEMENTS):
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


def agreement_state(*, agreement: Agreement, today: date | None = None,
                    warn_days: int = 90) -> terms.TermState:
    termination = getattr(agreement, "termination", None)
    return terms.term_state(signed_on=agreement.signed_on, ends_on=agreement.ends_on,
                            terminated_on=termination.effective_on if termination else None,
                            today=today or timezone.localdate(), warn_days=warn_days)


# --- Indicators, documents, manual values and evaluation meetings -------------------------------

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


def check_indicator(*, code: str, field: str = "indicator") -> None:
    """Refuse an unknown indicator code (empty: the target is recorded by hand)."""
    try:
        indicators.validate(code)
    except indicators.UnknownIndicator:
        raise ValidationError({field: _("“%(code)s” is not an indicator the system can compute.")
                               % {"code": code}}) from None


def _require_party(actor, agreement: Agreement) -> Party:
    party = party_of(user=actor, agreement=agreement)
    if party is None:
        raise PermissionDenied
    return party


@transaction.atomic
def target_edit(*, target: Target, actor: "User", indicator: str, target_value) -> Target:
    target = Target.objects.select_for_update().select_related("item__agreement").get(pk=target.pk)
    _require_party(actor, target.item.agreement)
    indicator = (indicator or "").strip()
    check_indicator(code=indicator)
    before = {"indicator": target.indicator, "target": str(target.target_value)}
    target.indicator, target.target_value = indicator, target_value
    target.save(update_fields=["indicator", "target_value"])
    audit_record(actor=actor, action="agreement.target_edited", target=target.item.agreement,
                 data={"target": target.pk, "before": before,
                       "after": {"indicator": indicator, "target": str(target_value)}})
    return target


def _prepare_pdf(upload, *, field: str = "upload"):
    """Validate a PDF upload (storage.prepare); returns the prepared file."""
    from storage.prepare import prepare_upload

    try:
        prepared = prepare_upload(upload, max_bytes=MAX_DOCUMENT_BYTES)
    except ValidationError as error:
        raise ValidationError({field: " ".join(error.messages)}) from None
    if prepared.content_type != "application/pdf":
        raise ValidationError({field: _("The document must be a PDF.")})
    return prepared


def _write_pdf(agreement: Agreement, prepared) -> str:
    """Write the original PDF in the caller's transaction: a rollback deletes it (storage.files)."""
    from storage import files as stored_files

    return stored_files.save(default_storage, f"agreements/{timezone.localdate().year}/{agreement.pk}-"
                             f"{prepared.sha256[:16]}.pdf", prepared.original)


def document_upload(*, agreement: Agreement, actor: "User", kind: str, upload, name: str = "") -> Document:
    """A signed document (PDF), stored with its SHA-256; nothing is left behind if anything fails."""
    _require_party(actor, agreement)
    if kind not in Document.Kind.values:
        raise ValidationError({"kind": _("Choose the kind of document.")})
    if upload is None:
        raise ValidationError({"upload": _("Choose the PDF file.")})
    prepared = _prepare_pdf(upload)
    sha256 = prepared.sha256
    with transaction.atomic():
        existing = Document.objects.filter(agreement=agreement, kind=kind, sha256=sha256).first()
        if existing is not None:  # the same file sent twice (a double submit): one record
            return existing
        document = Document.objects.create(agreement=agreement, kind=kind, name=(name.strip() or prepared.name)[:200],
                                           file=_write_pdf(agreement, prepared), sha256=sha256, uploaded_by=actor)
        audit_record(actor=actor, action="agreement.document_uploaded", target=agreement,
                     data={"document": document.pk, "kind": kind, "sha256": sha256})
    return document


def _period_errors(period_start, period_end) -> dict:
    if period_start and period_end and period_end < period_start:
        return {"period_end": _("The end of the period cannot be before its start.")}
    return {}


def manual_value_record(*, target: Target, actor: "User", period_start: date, period_end: date, value,
                        note: str = "", upload=None) -> ManualValue:
    """A value recorded by hand for a target without an indicator, with its evidence (PDF)."""
    agreement = target.item.agreement
    _require_party(actor, agreement)
    errors = _period_errors(period_start, period_end)
    if target.indicator:
        errors["value"] = _("This target is computed by the system; it takes no value by hand.")
    try:
        value = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        errors["value"] = _("Enter a number.")
    if errors:
        raise ValidationError(errors)
    prepared = _prepare_pdf(upload) if upload is not None else None
    with transaction.atomic():  # the evidence file is written in it: a rollback deletes it (storage.files)
        evidence = None
        if prepared is not None:
            evidence = Document.objects.create(agreement=agreement, kind=Document.Kind.EVIDENCE,
                                               name=prepared.name[:200], file=_write_pdf(agreement, prepared),
                                               sha256=prepared.sha256, uploaded_by=actor)
        manual = ManualValue.objects.create(target=target, period_start=period_start, period_end=period_end,
                                            value=value, note=note.strip(), evidence=evidence, recorded_by=actor)
        audit_record(actor=actor, action="agreement.value_recorded", target=agreement,
                     data={"target": target.pk, "value": str(value), "period": [str(period_start),
                                                                               str(period_end)],
                           "evidence": evidence.sha256 if evidence else None})
    return manual


@transaction.atomic
def meeting_record(*, agreement: Agreement, actor: "User", held_on: date, place: str, attendees: str,
                   minutes: str, decisions: list[str], period_start: date,
                   period_end: date) -> EvaluationMeeting:
    """A periodic evaluation meeting of the parties (seed 000 art. 9); a repeated submit records it once."""
    agreement = _locked(agreement)
    _require_party(actor, agreement)
    errors = _period_errors(period_start, period_end)
    if not place.strip():
        errors["place"] = _("Write where the meeting was held.")
    if not minutes.strip():
        errors["minutes"] = _("Write the minutes of the meeting.")
    if held_on and held_on > timezone.localdate():
        errors["held_on"] = _("The meeting cannot be dated in the future.")
    if errors:
        raise ValidationError(errors)
    decisions = [line.strip() for line in decisions if line.strip()]
    existing = EvaluationMeeting.objects.filter(agreement=agreement, held_on=held_on, place=place.strip(),
                                                minutes=minutes.strip(), period_start=period_start,
                                                period_end=period_end).first()
    if existing is not None:
        return existing
    meeting = EvaluationMeeting.objects.create(
        agreement=agreement, held_on=held_on, place=place.strip(), attendees=attendees.strip(),
        minutes=minutes.strip(), decisions=decisions, period_start=period_start, period_end=period_end,
        recorded_by=actor)
    audit_record(actor=actor, action="agreement.meeting_recorded", target=agreement,
                 data={"meeting": meeting.pk, "held_on": str(held_on), "decisions": len(decisions)})
    return meeting
