"""Actions on recommendations: open, acknowledge, recommend, decide, remind, escalate.

Every action is one transaction with an audit entry; the checks of who may act sit here,
so the web pages and the API act alike.
"""

import hashlib
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import BAWASLU_ROLES, Capability, roles_with
from audit.services import audit_record
from cases.authorities import authorities, authority_on
from cases.models import Case, CasePerson
from cases.states import Outcome
from followup import limits as limit_rules
from followup import outgoing
from followup.models import Decision, Notice, PositionClass, Recommendation, Reminder
from followup.sanctions import REASONED, ActContext, Grade, SanctionNotAllowed, check_grade, check_sanction
from followup.tallies import tallies_refresh
from organizations.models import Agency, BawasluOffice
from regions.models import Region
from registry.models import Employee
from rules import deadlines
from rules.selectors import catalog, holiday_calendar
from storage import files as stored_files
from storage.prepare import IMAGE_TYPES, prepare_upload

Role = User.Role
OWNER_ROLES = {Recommendation.Stage.AUTHORITY: roles_with(Capability.ACT_AS_AUTHORITY),
               Recommendation.Stage.PPK: roles_with(Capability.ACT_AS_PPK)}
DECISION_MAX_BYTES = 10 * 1024 * 1024


# --- who may act -----------------------------------------------------------------------

def is_owner(*, user: "User", recommendation: Recommendation) -> bool:
    """The addressee's side: the authority for a forwarding, the agency's staff and PPK for a sanction."""
    return (user.is_authenticated and user.is_active and user.role in OWNER_ROLES[recommendation.stage]
            and user.agency_id == recommendation.addressee_id)


def _require_owner(user, recommendation: Recommendation) -> None:
    if not is_owner(user=user, recommendation=recommendation):
        raise PermissionDenied


def _locked(recommendation: Recommendation) -> Recommendation:
    return Recommendation.objects.select_for_update().get(pk=recommendation.pk)


def _require_open(recommendation: Recommendation) -> None:
    if not recommendation.is_open:
        raise ValidationError(_("This recommendation has already been acted on."))


def limit_due(*, stage: str, authority: str, issued_on: date) -> tuple[limit_rules.Limit, date]:
    limit = limit_rules.limit_for(stage, authority, issued_on)
    result = deadlines.compute(limit, issued_on, holiday_calendar("id"))
    return limit, result.due


# --- opening: Bawaslu's forwarding becomes the authority's obligation --------------------

def authority_agency(*, authority_id: str) -> Agency:
    """The agency row of a civil-service authority (created on first use from the rule data)."""
    agency = Agency.objects.filter(authority_code=authority_id).first()
    if agency:
        return agency
    authority = next(a for a in authorities() if a.id == authority_id)
    country = Region.objects.filter(parent__isnull=True).order_by("level", "code").first()
    agency, _created = Agency.objects.get_or_create(
        name=authority.name.id, defaults={"kind": Agency.Kind.AUTHORITY, "region": country,
                                          "authority_code": authority_id, "ppk_title": authority.addressee})
    if agency.authority_code != authority_id:
        agency.authority_code = authority_id
        agency.save(update_fields=["authority_code"])
    return agency


@transaction.atomic
def forwarding_open(*, case: Case, actor: "User", letters=()) -> Recommendation | None:
    """Track a case forwarded to the civil-service authority (cases.signals.case_decided)."""
    if case.outcome != Outcome.FORWARDED_AUTHORITY:
        return None
    existing = Recommendation.objects.filter(case=case, stage=Recommendation.Stage.AUTHORITY).first()
    if existing:
        return existing
    issued_on = (case.decided_at and timezone.localdate(case.decided_at)) or timezone.localdate()
    authority = authority_on(issued_on)
    limit, due_on = limit_due(stage=Recommendation.Stage.AUTHORITY, authority=authority.id,
                              issued_on=issued_on)
    letter = next((letter for letter in letters if letter.kind == "forward-authority"), None)
    recommendation = Recommendation.objects.create(
        case=case, stage=Recommendation.Stage.AUTHORITY, issuer_office=case.office,
        addressee=authority_agency(authority_id=authority.id), authority=authority.id,
        number=letter.number if letter else case.number, issued_on=issued_on, letter=letter,
        due_on=due_on, limit_id=limit.id, limit_citation=limit.source, limit_verified=limit.verified,
        considerations=case.conclusion, created_by=actor,
    )
    recommendation.violations.set(case.violations.all())
    tallies_refresh(recommendations=[recommendation], cases=True)  # the dashboard's precomputed figures
    audit_record(actor=actor, action="followup.forwarding_opened", target=recommendation,
                 data={"case": case.number, "authority": authority.id, "due_on": str(due_on), "limit": limit.id})
    _notify(recommendation, Notice.Kind.RECEIVED, _owners(recommendation))
    return recommendation


# --- the addressee acknowledges -----------------------------------------------------------

@transaction.atomic
def recommendation_acknowledge(*, recommendation: Recommendation, actor: "User") -> Recommendation:
    _require_owner(actor, recommendation)
    recommendation = _locked(recommendation)
    if recommendation.status != Recommendation.Status.ISSUED:
        return recommendation  # acknowledged already (a second click changes nothing)
    recommendation.status = Recommendation.Status.ACKNOWLEDGED
    recommendation.acknowledged_at, recommendation.acknowledged_by = timezone.now(), actor
    recommendation.save(update_fields=["status", "acknowledged_at", "acknowledged_by"])
    audit_record(actor=actor, action="followup.acknowledged", target=recommendation, data={"number": recommendation.number})
    return recommendation


# --- the authority recommends a sanction to the PPK ---------------------------------------

@transaction.atomic
def recommendation_issue(*, forwarding: Recommendation, actor: "User", person: CasePerson, addressee: Agency,
                         employee_kind: str, position_class: str, violations, grade: Grade,
                         considerations: str = "") -> Recommendation:
    """The authority's recommendation to the PPK of ``person``'s agency, with its letter."""
    if forwarding.stage != Recommendation.Stage.AUTHORITY:
        raise ValidationError(_("Only a forwarded case can be answered with a recommendation."))
    _require_owner(actor, forwarding)
    forwarding = _locked(forwarding)
    _require_open(forwarding)
    if person.case_id != forwarding.case_id:
        raise ValidationError(_("This person is not reported in this case."))
    if Recommendation.objects.filter(person=person, stage=Recommendation.Stage.PPK).exists():
        raise ValidationError(_("A recommendation for this person has already been issued."))
    if addressee.kind == Agency.Kind.AUTHORITY:
        raise ValidationError({"addressee": _("Choose the agency where the reported person works.")})
    if employee_kind not in Employee.Kind.values:
        raise ValidationError({"employee_kind": _("Choose the kind of employee.")})
    if person.employee and person.employee.kind != employee_kind:
        raise ValidationError({"employee_kind": _("The register says this person is of another kind.")})
    if position_class not in PositionClass.values:
        raise ValidationError({"position_class": _("Choose the class of the position.")})
    violation_ids = [v.pk for v in violations]
    if not violation_ids:
        raise ValidationError({"violations": _("Name at least one violated provision.")})
    try:
        check_grade(catalog(), grade, violation_ids, employee_kind, context=ActContext.of_case(forwarding.case))
    except SanctionNotAllowed as error:
        raise ValidationError({"grade": str(error)}) from None
    if grade == REASONED and len(considerations.strip()) < 40:
        raise ValidationError({"considerations": _(
            "The catalog names no sanction for these provisions: write the reasons of the recommendation and the "
            "legal basis it rests on (at least 40 characters).")})
    today = timezone.localdate()
    authority = authority_on(today)
    limit, due_on = limit_due(stage=Recommendation.Stage.PPK, authority=authority.id, issued_on=today)
    recommendation = Recommendation.objects.create(
        case=forwarding.case, stage=Recommendation.Stage.PPK, parent=forwarding, person=person,
        employee=person.employee, employee_kind=employee_kind, person_name=person.name, position=person.position,
        position_class=position_class, unit_name=(person.employee.unit.name if person.employee and
                                                  person.employee.unit else person.unit),
        issuer_agency=forwarding.addressee, addressee=addressee, authority=authority.id, number="-",
        issued_on=today, sanction_family=grade.family, sanction_level=grade.level,
        considerations=considerations.strip(), due_on=due_on, limit_id=limit.id, limit_citation=limit.source,
        limit_verified=limit.verified, created_by=actor,
    )
    recommendation.violations.set(violation_ids)
    letter = outgoing.recommendation_letter(recommendation, actor, sanction_words=grade_words(grade=grade))
    recommendation.letter, recommendation.number = letter, letter.number
    recommendation.save(update_fields=["letter", "number"])
    if not forwarding.case.persons.exclude(recommendations__stage=Recommendation.Stage.PPK).exists():
        _close(forwarding, Recommendation.Status.ANSWERED, today)
    tallies_refresh(recommendations=[recommendation], cases=True)
    audit_record(actor=actor, action="followup.recommended", target=recommendation,
                 data={"case": forwarding.case.number, "addressee": addressee.pk, "grade": grade.key,
                       "due_on": str(due_on), "limit": limit.id, "letter": letter.number, "sha256": letter.sha256})
    _notify(recommendation, Notice.Kind.RECEIVED, _owners(recommendation))
    return recommendation


def grade_words(*, grade: Grade) -> str:
    """The recommended sanction in the letter's words (Indonesian), from the catalog's own
    phrases: "hukuman disiplin tingkat berat" (rules/data/sanction_families.yaml, levels.yaml)."""
    current = catalog()
    family = current.sanction_families.get(grade.family)
    level = current.levels.get(grade.level)
    if grade.family == REASONED.family:
        family_words = "keputusan sesuai pertimbangan di atas"  # no sanction of the catalog: the letter's reasons
    else:
        family_words = family.phrase.id if family else grade.family
    return " ".join(words for words in (family_words, level.phrase.id if level else "") if words)


# --- the addressee decides ----------------------------------------------------------------

@transaction.atomic
def decision_record(*, recommendation: Recommendation, actor: "User", outcome: str, sanction: str = "",
                    letter_number: str = "", letter_date: date | None = None, upload=None,
                    reason: str = "") -> Decision:
    """The PPK's decision (sanction imposed, with its decision letter) or a reasoned refusal.

    For a forwarding (stage authority) only a refusal is recorded here: the authority
    answers with recommendations (recommendation_issue) or with its reasons for none.
    """
    _require_owner(actor, recommendation)
    recommendation = _locked(recommendation)
    _require_open(recommendation)
    today = timezone.localdate()
    errors: dict[str, str] = {}
    fields = {"outcome": outcome, "recorded_by": actor, "reason": reason.strip()}
    if outcome == Decision.Outcome.REFUSED:
        if len(fields["reason"]) < 20:
            errors["reason"] = _("Give the reasons for not imposing the recommended sanction (at least 20 characters).")
        closed_on = today
    elif outcome == Decision.Outcome.IMPOSED and recommendation.stage == Recommendation.Stage.PPK:
        try:
            chosen = check_sanction(catalog(), sanction, recommendation.violations.values_list("pk", flat=True),
                                    recommendation.employee_kind, context=ActContext.of_case(recommendation.case))
            fields.update(sanction=chosen.id, sanction_family=chosen.family, sanction_level=chosen.level or "")
        except SanctionNotAllowed as error:
            errors["sanction"] = str(error)
        if not letter_number.strip():
            errors["letter_number"] = _("Write the number of the decision letter.")
        if letter_date is None:
            errors["letter_date"] = _("Write the date of the decision letter.")
        elif letter_date > today:
            errors["letter_date"] = _("The decision letter cannot be dated in the future.")
        elif letter_date < recommendation.issued_on:
            errors["letter_date"] = _("The decision letter cannot be older than the recommendation.")
        if upload is None:
            errors["upload"] = _("Attach the decision letter (PDF or a photo of it).")
        fields.update(letter_number=letter_number.strip(), letter_date=letter_date)
        closed_on = letter_date
    else:
        raise ValidationError({"outcome": _("Choose the decision.")})
    prepared = None
    if upload is not None and "upload" not in errors:
        try:
            prepared = prepare_upload(upload, max_bytes=DECISION_MAX_BYTES)
            if prepared.content_type != "application/pdf" and prepared.content_type not in IMAGE_TYPES:
                errors["upload"] = _("The decision letter must be a PDF or a photo (JPG, PNG, WEBP).")
        except ValidationError as error:
            errors["upload"] = " ".join(error.messages)
    if errors:
        raise ValidationError(errors)
    if prepared is not None:
        # Written in this transaction: a rollback deletes it again (storage.files).
        written = stored_files.save(default_storage, f"decisions/{today.year}/{recommendation.pk}-"
                                    f"{prepared.sha256[:16]}.{prepared.extension}", prepared.public)
        # The hash of the stored copy (metadata stripped), so that verify_integrity can check it.
        fields.update(file=written, sha256=hashlib.sha256(prepared.public).hexdigest())
    decision = Decision.objects.create(recommendation=recommendation, **fields)
    status = (Recommendation.Status.SANCTIONED if outcome == Decision.Outcome.IMPOSED
              else Recommendation.Status.REFUSED)
    _close(recommendation, status, closed_on)
    audit_record(actor=actor, action="followup.decided", target=recommendation,
                 data={"outcome": outcome, "sanction": decision.sanction, "letter_number": decision.letter_number,
                       "letter_date": str(letter_date) if letter_date else None, "sha256": decision.sha256,
                       "in_time": closed_on <= recommendation.due_on})
    _notify(recommendation, Notice.Kind.DECIDED, _issuers(recommendation))
    return decision


def _close(recommendation: Recommendation, status: str, closed_on: date) -> None:
    recommendation.status, recommendation.closed_on = status, closed_on
    recommendation.save(update_fields=["status", "closed_on"])
    tallies_refresh(recommendations=[recommendation])  # in the same transaction as the change


# --- reminders and escalation (the daily job) ----------------------------------------------

def reminder_interval() -> int:
    return int(getattr(settings, "NETRAL_REMINDER_INTERVAL_DAYS", 3))


def reminders_before_escalation() -> int:
    return int(getattr(settings, "NETRAL_REMINDERS_BEFORE_ESCALATION", 2))


def reminder_plan(*, recommendation: Recommendation, today: date) -> tuple[bool, bool]:
    """(send a reminder today, this reminder escalates) for an open recommendation (pure)."""
    if not recommendation.is_open or recommendation.due_on >= today:
        return False, False
    if recommendation.last_reminded_on is not None:
        if (today - recommendation.last_reminded_on).days < reminder_interval():
            return False, False
    per_level = max(1, reminders_before_escalation())
    escalate = (recommendation.reminders_sent >= per_level * (recommendation.escalation_level + 1)
                and recommendation.escalation_level < limit_rules.max_level(recommendation.stage))
    return True, escalate


def reminders_send(*, today: date | None = None) -> dict:
    """Send today's reminders and escalations; each recommendation in its own transaction.

    Safe to run twice a day and to resume after a crash: a recommendation reminded today
    is skipped, and a reminder's row, letter and notices commit together or not at all.
    """
    today = today or timezone.localdate()
    counts = {"reminders": 0, "escalations": 0}
    due = (Recommendation.objects.filter(is_open__in=[True], due_on__lt=today)
           .values_list("pk", flat=True).order_by("due_on", "pk"))
    for pk in list(due):
        with transaction.atomic():
            recommendation = (Recommendation.objects.select_for_update(of=("self",))
                              .select_related("case__office__region", "case__election", "addressee__region",
                                              "issuer_agency__region", "issuer_office__region")
                              .get(pk=pk))
            send, escalate = reminder_plan(recommendation=recommendation, today=today)
            if not send:
                continue
            _remind(recommendation, today, escalate)
            counts["escalations" if escalate else "reminders"] += 1
    if counts["reminders"] or counts["escalations"]:
        with transaction.atomic():
            audit_record(actor=None, action="followup.reminders_sent", target="followup:reminders",
                         data={"on": str(today), **counts})
    return counts


def _owner_title(recommendation: Recommendation) -> str:
    agency = recommendation.addressee
    if recommendation.stage == Recommendation.Stage.PPK:
        return agency.ppk_title or f"Pejabat Pembina Kepegawaian {agency.name}"
    return authority_on(recommendation.issued_on).addressee


def _remind(recommendation: Recommendation, today: date, escalate: bool) -> None:
    sequence = recommendation.reminders_sent + 1
    owner = _owner_title(recommendation)
    if escalate:
        level = limit_rules.escalation_level(recommendation.stage, recommendation.escalation_level + 1)
        addressee, recipients = _escalation_target(recommendation, level)
        letter = outgoing.escalation_letter(recommendation, addressee=addressee, owner=owner,
                                            reminders=recommendation.reminders_sent, level=level)
        recommendation.escalation_level, recommendation.escalated_on = level.level, today
    else:
        addressee, recipients = owner, _owners(recommendation)
        letter = outgoing.reminder_letter(recommendation, sequence=sequence, addressee=addressee)
    Reminder.objects.create(recommendation=recommendation, sequence=sequence, sent_on=today,
                            level=recommendation.escalation_level, escalated=escalate, addressee=addressee,
                            letter=letter)
    recommendation.reminders_sent, recommendation.last_reminded_on = sequence, today
    recommendation.save(update_fields=["reminders_sent", "last_reminded_on", "escalation_level", "escalated_on"])
    audit_record(actor=None, action="followup.escalated" if escalate else "followup.reminded", target=recommendation,
                 data={"sequence": sequence, "level": recommendation.escalation_level, "addressee": addressee,
                       "letter": letter.number, "sha256": letter.sha256})
    _notify(recommendation, Notice.Kind.ESCALATED if escalate else Notice.Kind.REMINDER, recipients, today=today)


def _escalation_target(recommendation: Recommendation, level) -> tuple[str, list]:
    if level.to == limit_rules.AUTHORITY_HEAD:
        authority = authority_on(recommendation.issued_on)
        users = list(User.objects.filter(is_active=True, role=Role.AUTHORITY, agency=recommendation.issuer_agency_id))
        return authority.addressee, users + _bawaslu_staff([recommendation.case.office_id])
    # bawaslu_above: the office over the region above the forwarding office's region
    region = recommendation.case.office.region
    above = BawasluOffice.objects.filter(region_id=region.parent_id).first() if region.parent_id else None
    if above is None:
        return f"Ketua {recommendation.case.office.name}", _bawaslu_staff([recommendation.case.office_id])
    return f"Ketua {above.name}", _bawaslu_staff([above.pk])


# --- notices ---------------------------------------------------------------------------------

def _owners(recommendation: Recommendation) -> list:
    return list(User.objects.filter(is_active=True, role__in=OWNER_ROLES[recommendation.stage],
                                    agency_id=recommendation.addressee_id))


def _bawaslu_staff(office_ids) -> list:
    return list(User.objects.filter(is_active=True, role__in=BAWASLU_ROLES, bawaslu_office_id__in=office_ids))


def _issuers(recommendation: Recommendation) -> list:
    users = _bawaslu_staff([recommendation.case.office_id])
    if recommendation.issuer_agency_id:
        users += list(User.objects.filter(is_active=True, role=Role.AUTHORITY, agency_id=recommendation.issuer_agency_id))
    return users


def _notify(recommendation: Recommendation, kind: str, users, *, today: date | None = None) -> int:
    from followup.notices import notices_mail

    today = today or timezone.localdate()
    created = []
    for user in {user.pk: user for user in users}.values():
        try:
            with transaction.atomic():
                created.append(Notice.objects.create(user=user, recommendation=recommendation, kind=kind, sent_on=today))
        except IntegrityError:
            continue  # told today already
    if created:
        transaction.on_commit(lambda: notices_mail(created))
    return len(created)


@transaction.atomic
def notices_mark_read(*, user, recommendation: Recommendation) -> int:
    return Notice.objects.filter(user=user, recommendation=recommendation, read_at__isnull=True).update(
        read_at=timezone.now())
