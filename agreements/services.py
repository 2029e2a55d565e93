"""Actions on agreements: record one (e.g. from a transcription), end it early, add addenda.

Each action is one transaction with an audit entry. Who may act for a party: the staff of
its Bawaslu office (leadership for approvals) or the Pemda staff/PPK of its agency.
"""

import hashlib
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import PEMDA_ROLES, Capability, can
from agreements import indicators, obligations, terms
from agreements.models import (
    Addendum,
    Agreement,
    BudgetLine,
    Deliberation,
    Dispute,
    Dissemination,
    Document,
    Duty,
    DutyEvidence,
    EvaluationMeeting,
    ManualValue,
    MeetingParticipant,
    Official,
    Party,
    Spending,
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
        schedule=spec.get("schedule", ""))
    parties = {party.position: party for party in agreement.parties.all()}
    for position, key in ((1, "duties_first"), (2, "duties_second")):
        for number, text in enumerate(spec.get(key, []), start=1):
            Duty.objects.create(item=item, party=parties[position], order=number, text=" ".join(text.split()),
                                period_start=item.starts_on, period_end=item.ends_on)
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
    from agreements.selectors import open_obligations

    still_open = open_obligations(agreement).as_record()  # art. 8(2): what the parties still owe at the end
    termination = Termination.objects.create(agreement=agreement, party=party, notice_on=notice_on,
                                             effective_on=effective_on, reasons=reasons.strip(),
                                             open_obligations=still_open, recorded_by=actor)
    audit_record(actor=actor, action="agreement.terminated", target=agreement,
                 data={"party": party.position, "notice_on": str(notice_on), "effective_on": str(effective_on),
                       "open": {key: len(rows) for key, rows in still_open.items()}})
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


# --- Duties with status and evidence, costs, dissemination (issue 19) ---------------------------

def _require_owner(actor, party: Party) -> None:
    """Only the staff of the party that owns a duty, a budget line or a post change it."""
    if not acts_for(user=actor, party=party):
        raise PermissionDenied


def _not_future(day: date | None, field: str, message: str) -> dict:
    return {field: message} if day and day > timezone.localdate() else {}


@transaction.atomic
def duty_status_set(*, duty: Duty, actor: "User", status: str, note: str = "", period_start: date | None = None,
                    period_end: date | None = None) -> Duty:
    """A duty's status (and period), set by its party's staff; done needs evidence, not done a reason."""
    duty = Duty.objects.select_for_update().select_related("party", "item__agreement").get(pk=duty.pk)
    _require_owner(actor, duty.party)
    errors = _period_errors(period_start, period_end)
    try:
        obligations.check_status(status=status, evidence_count=duty.evidence.count(), note=note)
    except obligations.StatusError as error:
        errors["status" if str(error) != "reason" else "note"] = {
            "unknown": _("Choose the status of the duty."),
            "evidence": _("Add evidence of the duty (a document, a photo, a link or a live figure) before marking it "
                          "done."),
            "reason": _("Write why the duty was not carried out."),
        }[str(error)]
    if errors:
        raise ValidationError(errors)
    before = {"status": duty.status, "period": [str(duty.period_start), str(duty.period_end)]}
    duty.status, duty.status_note = status, note.strip()
    duty.period_start, duty.period_end = period_start, period_end
    duty.status_changed_at, duty.status_changed_by = timezone.now(), actor
    duty.save(update_fields=["status", "status_note", "period_start", "period_end", "status_changed_at",
                             "status_changed_by"])
    audit_record(actor=actor, action="agreement.duty_status_changed", target=duty.item.agreement,
                 data={"duty": duty.pk, "item": duty.item.number, "party": duty.party.position, "before": before,
                       "after": {"status": status, "period": [str(period_start), str(period_end)]},
                       "note": duty.status_note})
    return duty


def _link_errors(url: str, field: str = "url") -> dict:
    from django.core.validators import URLValidator

    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        return {field: _("Enter a full web address starting with https:// or http://.")}
    return {}


def duty_evidence_add(*, duty: Duty, actor: "User", kind: str, document: Document | None = None, upload=None,
                      url: str = "", indicator: str = "", caption: str = "") -> DutyEvidence:
    """Evidence of a duty: a document of the agreement (or a new PDF), a photo, a link or a live figure."""
    duty = Duty.objects.select_related("party", "item__agreement").get(pk=duty.pk)
    agreement = duty.item.agreement
    _require_owner(actor, duty.party)
    url, indicator = (url or "").strip(), (indicator or "").strip()
    prepared = None
    if kind == DutyEvidence.Kind.DOCUMENT:
        if document is not None and document.agreement_id != agreement.pk:
            raise PermissionDenied
        if document is None and upload is None:
            raise ValidationError({"document": _("Choose a document of the agreement or upload a PDF.")})
        if document is None:
            prepared = _prepare_pdf(upload)
    elif kind == DutyEvidence.Kind.PHOTO:
        prepared = _prepare_photo(upload)
    elif kind == DutyEvidence.Kind.LINK:
        errors = _link_errors(url)
        if errors:
            raise ValidationError(errors)
    elif kind == DutyEvidence.Kind.FIGURE:
        if not indicator:
            raise ValidationError({"indicator": _("Choose the computed indicator that shows the duty.")})
        check_indicator(code=indicator)
    else:
        raise ValidationError({"kind": _("Choose the kind of evidence.")})
    with transaction.atomic():  # a file written in it is deleted again on a rollback (storage.files)
        evidence = DutyEvidence(duty=duty, kind=kind, caption=caption.strip()[:200], added_by=actor)
        if kind == DutyEvidence.Kind.DOCUMENT:
            if document is None:
                document = Document.objects.create(agreement=agreement, kind=Document.Kind.EVIDENCE,
                                                   name=prepared.name[:200], file=_write_pdf(agreement, prepared),
                                                   sha256=prepared.sha256, uploaded_by=actor)
            evidence.document, evidence.sha256 = document, document.sha256
        elif kind == DutyEvidence.Kind.PHOTO:
            from storage import files as stored_files

            evidence.sha256 = hashlib.sha256(prepared.public).hexdigest()
            stored_files.save_field(evidence.photo, f"photo.{prepared.extension}", prepared.public)
        elif kind == DutyEvidence.Kind.LINK:
            evidence.url = url
        else:
            evidence.indicator = indicator
        evidence.save()
        audit_record(actor=actor, action="agreement.duty_evidence_added", target=agreement,
                     data={"duty": duty.pk, "evidence": evidence.pk, "kind": kind, "sha256": evidence.sha256 or None,
                           "url": url or None, "indicator": indicator or None})
    return evidence


def _prepare_photo(upload, *, field: str = "upload"):
    """A photo (JPG, PNG, WEBP) with its metadata (EXIF, GPS) stripped; only that copy is kept."""
    from storage.prepare import IMAGE_TYPES, prepare_upload

    if upload is None:
        raise ValidationError({field: _("Choose the photo.")})
    try:
        prepared = prepare_upload(upload, max_bytes=MAX_DOCUMENT_BYTES)
    except ValidationError as error:
        raise ValidationError({field: " ".join(error.messages)}) from None
    if prepared.content_type not in IMAGE_TYPES:
        raise ValidationError({field: _("The photo must be a JPG, PNG or WEBP image.")})
    return prepared


def _amount(value, field: str, *, positive: bool) -> tuple[Decimal | None, dict]:
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return None, {field: _("Enter an amount in Rupiah, digits only.")}
    if not amount.is_finite() or amount != amount.to_integral_value() or amount >= Decimal(10) ** 15:
        return None, {field: _("Enter an amount in whole Rupiah.")}
    if amount < 0 or (positive and amount == 0):
        return None, {field: _("The amount must be more than zero.") if positive
                      else _("The amount cannot be negative.")}
    return amount, {}


@transaction.atomic
def budget_line_set(*, item: WorkPlanItem, actor: "User", amount, source: str) -> BudgetLine:
    """The actor's party's budget for one activity (seed 000 art. 6): created, or changed (both figures audited)."""
    agreement = _locked(item.agreement)
    party = _require_party(actor, agreement)
    amount, errors = _amount(amount, "amount", positive=False)
    if not (source or "").strip():
        errors["source"] = _("Write the source of funds as in the budget document.")
    if errors:
        raise ValidationError(errors)
    line = BudgetLine.objects.filter(item=item, party=party).first()
    before = {"amount": str(line.amount), "source": line.source} if line else None
    if line is None:
        line = BudgetLine(item=item, party=party)
    line.amount, line.source, line.recorded_by = amount, " ".join(source.split()), actor
    line.save()
    audit_record(actor=actor, action="agreement.budget_set", target=agreement,
                 data={"line": line.pk, "item": item.number, "party": party.position, "before": before,
                       "after": {"amount": str(amount), "source": line.source}})
    return line


def spending_record(*, line: BudgetLine, actor: "User", spent_on: date, amount, description: str,
                    upload) -> Spending:
    """What was spent on a budget line, with its evidence (a PDF: receipt or accountability report)."""
    line = BudgetLine.objects.select_related("party", "item__agreement").get(pk=line.pk)
    agreement = line.item.agreement
    _require_owner(actor, line.party)
    amount, errors = _amount(amount, "amount", positive=True)
    errors |= _not_future(spent_on, "spent_on", _("The spending cannot be dated in the future."))
    if not (description or "").strip():
        errors["description"] = _("Write what the money was spent on.")
    if upload is None:
        errors["upload"] = _("Attach the evidence of the spending (PDF).")
    if errors:
        raise ValidationError(errors)
    prepared = _prepare_pdf(upload)
    with transaction.atomic():
        evidence = Document.objects.create(agreement=agreement, kind=Document.Kind.EVIDENCE,
                                           name=prepared.name[:200], file=_write_pdf(agreement, prepared),
                                           sha256=prepared.sha256, uploaded_by=actor)
        spending = Spending.objects.create(line=line, spent_on=spent_on, amount=amount,
                                           description=" ".join(description.split())[:300], evidence=evidence,
                                           recorded_by=actor)
        audit_record(actor=actor, action="agreement.spending_recorded", target=agreement,
                     data={"spending": spending.pk, "line": line.pk, "amount": str(amount),
                           "spent_on": str(spent_on), "evidence": evidence.sha256})
    return spending


@transaction.atomic
def dissemination_record(*, agreement: Agreement, actor: "User", channel: str, title: str, url: str,
                         published_on: date, reach: int | None = None) -> Dissemination:
    """A post or broadcast of neutrality material by the actor's party; a repeated submit records it once."""
    agreement = _locked(agreement)
    party = _require_party(actor, agreement)
    url, title = (url or "").strip(), " ".join((title or "").split())
    errors = {}
    if channel not in Dissemination.Channel.values:
        errors["channel"] = _("Choose the channel.")
    if not title:
        errors["title"] = _("Write which material was published.")
    if url:
        errors |= _link_errors(url)
    elif channel in Dissemination.LINK_REQUIRED:
        errors["url"] = _("A post on this channel has a web address: paste its link.")
    errors |= _not_future(published_on, "published_on", _("The post cannot be dated in the future."))
    if published_on and agreement.signed_on and published_on < agreement.signed_on:
        errors["published_on"] = _("The post is older than the agreement.")
    if reach is not None and reach < 0:
        errors["reach"] = _("The reach cannot be negative.")
    if errors:
        raise ValidationError(errors)
    existing = Dissemination.objects.filter(agreement=agreement, party=party, channel=channel, title=title, url=url,
                                            published_on=published_on).first()
    if existing is not None:
        return existing
    post = Dissemination.objects.create(agreement=agreement, party=party, channel=channel, title=title, url=url,
                                        published_on=published_on, reach=reach, recorded_by=actor)
    audit_record(actor=actor, action="agreement.dissemination_recorded", target=agreement,
                 data={"dissemination": post.pk, "party": party.position, "channel": channel, "url": url or None,
                       "published_on": str(published_on), "reach": reach})
    return post


# --- Officials, disputes and standalone evaluation meetings (issue 19: seed 000 art. 4(1), 10, 12; seed 002) -----

def _rule_message(code: str) -> str:
    return {
        "future": _("The date cannot be in the future."),
        "before_signing": _("An official cannot take office before the agreement was signed."),
        "before_previous": _("The new official must start after the first day of the one replaced."),
        "status": _("Choose whether the dispute was resolved."),
        "outcome": _("Write the outcome of the deliberation."),
        "before_raised": _("A dispute cannot be closed before it was raised."),
    }[code]


@transaction.atomic
def official_appoint(*, agreement: Agreement, actor: "User", kind: str, name: str, role: str, valid_from: date,
                     phone: str = "", email: str = "", note: str = "",
                     replaces: Official | None = None) -> Official:
    """A signatory or focal point of the actor's party; a replacement closes the old period (art. 12).

    A new signatory always replaces the current one: the first time, the signatory at signing
    (on Party) is copied as a closed row so the history starts at the signing.
    """
    from agreements.officials import RuleError, replacement_period

    agreement = _locked(agreement)
    party = _require_party(actor, agreement)
    name, role = " ".join((name or "").split()), " ".join((role or "").split())
    errors = {}
    if kind not in Official.Kind.values:
        errors["kind"] = _("Choose whether this is a signatory or a focal point.")
    if not name:
        errors["name"] = _("Write the official's name.")
    if not role:
        errors["role"] = _("Write the official's role as written in the appointment.")
    if errors:
        raise ValidationError(errors)
    if replaces is not None:
        replaces = Official.objects.select_for_update().get(pk=replaces.pk)
        if replaces.party_id != party.pk:
            raise PermissionDenied  # one replaces only one's own party's officials
        if replaces.kind != kind or not replaces.is_current:
            raise ValidationError({"replaces": _("Choose a current official of the same kind to replace.")})
    if kind == Official.Kind.SIGNATORY:
        current = (Official.objects.select_for_update().filter(party=party, kind=kind, valid_until__isnull=True)
                   .order_by("-valid_from", "-id").first())
        if current is None and not Official.objects.filter(party=party, kind=kind).exists():
            current = Official.objects.create(  # the signatory at signing, as on the agreement
                party=party, kind=kind, name=party.signatory_name, role=party.signatory_position,
                valid_from=agreement.signed_on or valid_from, note=party.signatory_basis, recorded_by=actor)
        replaces = current
    try:
        until = replacement_period(valid_from=valid_from, previous_from=replaces.valid_from if replaces else None,
                                   signed_on=agreement.signed_on, today=timezone.localdate())
    except RuleError as error:
        raise ValidationError({"valid_from": _rule_message(str(error))}) from None
    if replaces is not None:
        replaces.valid_until = until  # closing the period is the only change an official's row takes
        replaces.save(update_fields=["valid_until"])
    official = Official.objects.create(party=party, kind=kind, name=name, role=role, phone=(phone or "").strip(),
                                       email=(email or "").strip(), valid_from=valid_from, replaces=replaces,
                                       note=(note or "").strip(), recorded_by=actor)
    audit_record(actor=actor, action="agreement.official_appointed", target=agreement,
                 data={"official": official.pk, "kind": kind, "party": party.position, "name": name,
                       "valid_from": str(valid_from),
                       "replaces": ({"official": replaces.pk, "name": replaces.name, "until": str(until)}
                                    if replaces else None)})
    return official


@transaction.atomic
def dispute_raise(*, agreement: Agreement, actor: "User", kind: str, article: str, raised_on: date,
                  question: str) -> Dispute:
    """A dispute or difference of interpretation raised by the actor's party (art. 10); a repeated submit once."""
    agreement = _locked(agreement)
    party = _require_party(actor, agreement)
    article, question = " ".join((article or "").split()), (question or "").strip()
    errors = _not_future(raised_on, "raised_on", _("The date cannot be in the future."))
    if kind not in Dispute.Kind.values:
        errors["kind"] = _("Choose whether this is a dispute or a difference of interpretation.")
    if not article:
        errors["article"] = _("Write the article concerned, e.g. Pasal 5 ayat (1).")
    if not question:
        errors["question"] = _("Write the question put to the other party.")
    if raised_on and agreement.signed_on and raised_on < agreement.signed_on:
        errors["raised_on"] = _("The dispute cannot be older than the agreement.")
    if errors:
        raise ValidationError(errors)
    existing = Dispute.objects.filter(agreement=agreement, raised_by=party, article=article, raised_on=raised_on,
                                      question=question).first()
    if existing is not None:
        return existing
    dispute = Dispute.objects.create(agreement=agreement, kind=kind, raised_by=party, article=article,
                                     raised_on=raised_on, question=question, recorded_by=actor)
    audit_record(actor=actor, action="agreement.dispute_raised", target=agreement,
                 data={"dispute": dispute.pk, "kind": kind, "party": party.position, "article": article,
                       "raised_on": str(raised_on)})
    return dispute


@transaction.atomic
def deliberation_record(*, dispute: Dispute, actor: "User", held_on: date, notes: str,
                        participants: str = "") -> Deliberation:
    """One deliberation (musyawarah) on an open dispute, recorded by either party."""
    dispute = Dispute.objects.select_for_update().select_related("agreement").get(pk=dispute.pk)
    _require_party(actor, dispute.agreement)
    if dispute.status != Dispute.Status.OPEN:
        raise ValidationError(_("This dispute is closed."))
    errors = _not_future(held_on, "held_on", _("The date cannot be in the future."))
    if held_on and held_on < dispute.raised_on:
        errors["held_on"] = _("A deliberation cannot be held before the dispute was raised.")
    if not (notes or "").strip():
        errors["notes"] = _("Write what was said and agreed.")
    if errors:
        raise ValidationError(errors)
    entry = Deliberation.objects.create(dispute=dispute, held_on=held_on, notes=notes.strip(),
                                        participants=(participants or "").strip(), recorded_by=actor)
    audit_record(actor=actor, action="agreement.deliberation_recorded", target=dispute.agreement,
                 data={"dispute": dispute.pk, "deliberation": entry.pk, "held_on": str(held_on)})
    return entry


@transaction.atomic
def dispute_close(*, dispute: Dispute, actor: "User", status: str, outcome: str, closed_on: date) -> Dispute:
    """The outcome of the deliberation, resolved or not, recorded by a party's leadership (Bawaslu lead or PPK)."""
    from agreements.officials import RuleError, check_closing

    dispute = Dispute.objects.select_for_update().select_related("agreement").get(pk=dispute.pk)
    _require_party(actor, dispute.agreement)
    if not can(actor, Capability.APPROVE_AGREEMENTS):
        raise PermissionDenied
    if dispute.status != Dispute.Status.OPEN:
        raise ValidationError(_("This dispute is closed."))
    try:
        check_closing(status=status, outcome=outcome, closed_on=closed_on, raised_on=dispute.raised_on,
                      today=timezone.localdate())
    except RuleError as error:
        code = str(error)
        field = {"status": "status", "outcome": "outcome"}.get(code, "closed_on")
        raise ValidationError({field: _rule_message(code)}) from None
    dispute.status, dispute.outcome, dispute.closed_on, dispute.closed_by = status, outcome.strip(), closed_on, actor
    dispute.save(update_fields=["status", "outcome", "closed_on", "closed_by"])
    audit_record(actor=actor, action="agreement.dispute_closed", target=dispute.agreement,
                 data={"dispute": dispute.pk, "status": status, "closed_on": str(closed_on),
                       "deliberations": dispute.deliberations.count()})
    return dispute


def standalone_meeting_record(*, actor: "User", election, title: str, held_on: date, place: str, minutes: str,
                              decisions: list[str], participants: list[tuple[str, str, int]],
                              ceremony=None, pledges_signed: int | None = None,
                              upload=None) -> EvaluationMeeting:
    """An evaluation of an election's handling organized by the actor's Bawaslu office or Pemda (seed 002).

    Pledges signed there: the prevention ceremony of that day in the actor's jurisdiction, or a
    count with its evidence (a PDF of the signed sheets or the minutes).
    """
    from regions.models import Region

    if not can(actor, Capability.SEE_AGREEMENTS):
        raise PermissionDenied
    office = actor.bawaslu_office if actor.is_bawaslu and actor.bawaslu_office_id else None
    agency = actor.agency if actor.role in PEMDA_ROLES and actor.agency_id and office is None else None
    organizer = office or agency
    if organizer is None or organizer.region.level not in (Region.Level.PROVINCE, Region.Level.REGENCY):
        raise PermissionDenied  # a province or regency office, or a Pemda (seed 002)
    place, minutes, title = " ".join((place or "").split()), (minutes or "").strip(), " ".join((title or "").split())
    errors = _not_future(held_on, "held_on", _("The meeting cannot be dated in the future."))
    if election is None:
        errors["election"] = _("Choose the election the meeting evaluates.")
    if not place:
        errors["place"] = _("Write where the meeting was held.")
    if not minutes:
        errors["minutes"] = _("Write the minutes of the meeting.")
    if not participants:
        errors["participants"] = _("Write who took part: one institution per line.")
    if ceremony is not None:
        if not organizer.region.contains(ceremony.region) or ceremony.held_on != held_on or (
                election is not None and ceremony.election_id != election.pk):
            errors["ceremony"] = _("Choose a pledge ceremony of the same day and election.")
        pledges_signed = None
    elif pledges_signed is not None:
        if pledges_signed < 0:
            errors["pledges_signed"] = _("The number cannot be negative.")
        elif pledges_signed and upload is None:
            errors["upload"] = _("Attach the evidence of the pledges signed (PDF).")
    if errors:
        raise ValidationError(errors)
    prepared = _prepare_pdf(upload) if (upload is not None and ceremony is None) else None
    with transaction.atomic():  # the evidence file is written in it: a rollback deletes it (storage.files)
        decisions = [" ".join(line.split()) for line in decisions if line.strip()]
        existing = EvaluationMeeting.objects.filter(agreement__isnull=True, office=office, agency=agency,
                                                    election=election, held_on=held_on, place=place,
                                                    minutes=minutes).first()
        if existing is not None:
            return existing
        meeting = EvaluationMeeting(
            office=office, agency=agency, region=organizer.region, election=election, title=title, held_on=held_on,
            place=place, minutes=minutes, decisions=decisions, ceremony=ceremony, pledges_signed=pledges_signed,
            attendees="; ".join(f"{name} ({institution})" if name else f"{institution}: {count}"
                                for institution, name, count in participants),
            recorded_by=actor)
        if prepared is not None:
            from storage import files as stored_files

            meeting.sha256_pledges = prepared.sha256
            stored_files.save_field(meeting.pledges_evidence, "evidence.pdf", prepared.original)
        meeting.save()
        MeetingParticipant.objects.bulk_create([
            MeetingParticipant(meeting=meeting, institution=institution, name=name, count=count)
            for institution, name, count in participants])
        audit_record(actor=actor, action="agreement.standalone_meeting_recorded", target=meeting,
                     data={"meeting": meeting.pk, "election": election.pk, "held_on": str(held_on),
                           "organizer": organizer.name, "participants": sum(row[2] for row in participants),
                           "decisions": len(decisions), "ceremony": ceremony.pk if ceremony else None,
                           "pledges_signed": pledges_signed, "evidence": meeting.sha256_pledges or None})
    return meeting
