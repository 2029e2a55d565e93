"""Every change to a case: one function each, one transaction each, one audit entry each."""

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.permissions import Capability, can
from audit.services import audit_record
from cases import requirements as reqs
from cases import states
from cases.deadlines import case_next_deadline, finding_time_limit, pin_rules
from cases.hooks import cases_changing
from cases.models import Case, CasePerson, CaseReport, Clarification, EvidenceAssessment, RequirementCheck
from cases.numbers import registration_number
from cases.outgoing import invitation_letter, outcome_letters
from cases.signals import case_decided
from cases.study import study_context
from reports import services as report_services
from reports.models import Report
from reports.services import next_number, office_for_region
from reports.states import Status as ReportStatus
from rules.catalog import STEP_COMPLETION
from rules.selectors import catalog, deadline_compute, localized, subject_for_employee_kind

if TYPE_CHECKING:
    from accounts.models import User


def _require_bawaslu(actor) -> None:
    if not can(actor, Capability.HANDLE_REPORTS):
        raise PermissionDenied


def _require_lead(actor) -> None:
    if not can(actor, Capability.DECIDE_CASES):
        raise PermissionDenied


def _new_number(*, office, kind: str, regime: str, on: date) -> str:
    seq = next_number(scope=f"case:{office.pk}:{kind}", year=on.year)
    return registration_number(
        office.registration_number_format, seq=seq, kind=kind, regime_code=catalog().regimes[regime].code,
        level=office.region.level,
        region_code=office.region.code, office_code=office.number_code, on=on,
    )


def _refresh_deadline(case: Case) -> None:
    answer = case_next_deadline(case)
    case.due_on = answer.due if answer else None
    case.due_step = answer.step if answer else ""


@dataclass(frozen=True)
class Check:
    requirement: str
    met: bool
    note: str = ""


def _record_checks(*, checks: list[Check], actor, report: Report, case: Case | None = None) -> list[Check]:
    regime = report.election.regime
    known = {r.id for r in reqs.for_regime(regime)}
    given = {c.requirement for c in checks}
    if given != known:
        raise ValidationError(_("Every requirement must be checked."))
    RequirementCheck.objects.bulk_create(
        RequirementCheck(case=case, report=report, requirement=c.requirement, met=c.met, note=c.note[:500],
                         checked_by=actor)
        for c in checks
    )
    return [c for c in checks if not c.met]


@transaction.atomic
def case_register_report(*, report: Report, actor: "User", checks: list[Check]) -> Case:
    """Register a formal report that meets every requirement as a new case."""
    _require_bawaslu(actor)
    report = Report.objects.select_for_update().select_related("election", "region", "office__region").get(pk=report.pk)
    if report.anonymous:
        raise ValidationError(_("An anonymous submission is not a formal report: register it as a finding."))
    if CaseReport.objects.filter(report=report).exists():
        raise ValidationError(_("This report is already part of a case."))
    today = timezone.localdate()
    missing = _record_checks(checks=checks, actor=actor, report=report)
    if missing:
        raise ValidationError(_("A report that misses a requirement cannot be registered: ask the reporter to complete it."))
    case = Case.objects.create(
        number=_new_number(office=report.office, kind=Case.Kind.REPORT, regime=report.election.regime, on=today),
        kind=Case.Kind.REPORT, office=report.office, region=report.region, election=report.election,
        summary=report.description, place=report.place, occurred_on=report.occurred_on, known_on=report.known_on,
        registered_on=today, registered_by=actor,
    )
    RequirementCheck.objects.filter(report=report, case__isnull=True).update(case=case)
    CaseReport.objects.create(case=case, report=report)
    case.pinned_rules = pin_rules(case)
    CasePerson.objects.bulk_create(
        CasePerson(case=case, employee=p.employee, name=p.name, position=p.position, unit=p.unit,
                   subject=subject_for_employee_kind(p.employee.kind) if p.employee else "")
        for p in report.reported_persons.select_related("employee")
    )
    _refresh_deadline(case)
    case.save(update_fields=["due_on", "due_step", "pinned_rules"])
    report = _to_review(report, actor)
    report_services.report_change_status(
        report=report, actor=actor, to_status=ReportStatus.REGISTERED,
        public_note=_for_reporter(gettext_lazy("Registered as %(number)s."), number=case.number),
    )
    audit_record(actor=actor, action="case.registered", target=case,
                 data={"number": case.number, "report": report.pk, "due_on": str(case.due_on)})
    return case


@transaction.atomic
def report_request_completion(*, report: Report, actor: "User", checks: list[Check], note: str = "") -> date:
    """Send a report back with what is missing and the time limit; its clock pauses."""
    _require_bawaslu(actor)
    report = Report.objects.select_for_update().select_related("election").get(pk=report.pk)
    missing = _record_checks(checks=checks, actor=actor, report=report)
    if not missing:
        raise ValidationError(_("Nothing is missing: register the report instead."))
    today = timezone.localdate()
    answer = deadline_compute(report.election.regime, STEP_COMPLETION, today)
    report = _to_review(report, actor)
    public_note = _completion_note(missing, due=answer.due, note=note)
    report_services.report_change_status(report=report, actor=actor, to_status=ReportStatus.NEEDS_COMPLETION,
                                         public_note=public_note)
    audit_record(actor=actor, action="report.completion_requested", target=report,
                 data={"missing": [c.requirement for c in missing], "due_on": str(answer.due)})
    return answer.due


def _for_reporter(message, **params) -> str:
    """A note the reporter reads: in the installation's language, whatever the staff's own."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(message) % {key: str(value) for key, value in params.items()} if params else str(message)


def _completion_note(missing: list[Check], *, due: date, note: str) -> str:
    language = settings.LANGUAGE_CODE
    labels = {r.id: r.label(language) for r in reqs.requirements()}
    with translation.override(language):
        lines = [_("Your report is missing:")]
        lines += ["- %s%s" % (labels[c.requirement], ": " + c.note if c.note else "") for c in missing]
        lines.append(_("Please complete it through this page by %(date)s.") % {"date": date_format(due, "j F Y")})
    if note.strip():
        lines.append(note.strip())
    return "\n".join(lines)


def _to_review(report: Report, actor) -> Report:
    """Registration is decided after the requirements check: a report still "received" enters it."""
    if report.status == ReportStatus.RECEIVED:
        report = report_services.report_change_status(report=report, actor=actor, to_status=ReportStatus.IN_REVIEW)
    return report


@transaction.atomic
def case_register_finding(*, actor: "User", election, region, summary: str, place: str, known_on: date,
                          occurred_on: date | None = None, persons: list[CasePerson] = (),
                          source_report: Report | None = None) -> Case:
    """Register a finding (temuan): the staff's own discovery, or anonymous initial information."""
    _require_bawaslu(actor)
    if not actor.jurisdiction.contains(region):
        raise PermissionDenied
    if source_report is not None:
        source_report = Report.objects.select_for_update().get(pk=source_report.pk)
        if not source_report.anonymous:
            raise ValidationError(_("A report with identity is registered as a report, not as a finding."))
        if CaseReport.objects.filter(report=source_report).exists():
            raise ValidationError(_("This report is already part of a case."))
    office = office_for_region(region=region)
    today = timezone.localdate()
    # The finding's time limit from its discovery (deadlines.yaml, step "finding"; issue 19).
    limit = finding_time_limit(regime=election.regime, found_on=known_on, registered_on=today)
    refusal = reqs.finding_time_limit_refusal(limit)
    if refusal:
        raise ValidationError(refusal, code="finding_time_limit")
    case = Case.objects.create(
        number=_new_number(office=office, kind=Case.Kind.FINDING, regime=election.regime, on=today),
        kind=Case.Kind.FINDING, office=office, region=region, election=election, summary=summary, place=place,
        occurred_on=occurred_on, known_on=known_on, registered_on=today, registered_by=actor,
    )
    if not persons and source_report is not None:
        persons = [CasePerson(employee=p.employee, name=p.name, position=p.position, unit=p.unit,
                              subject=subject_for_employee_kind(p.employee.kind) if p.employee else "")
                   for p in source_report.reported_persons.all()]
    for person in persons:
        person.case = case
    CasePerson.objects.bulk_create(persons)
    if source_report is not None:
        CaseReport.objects.create(case=case, report=source_report)
        if source_report.status != ReportStatus.INFORMATION:
            source_report = _to_review(source_report, actor)
            report_services.report_change_status(
                report=source_report, actor=actor, to_status=ReportStatus.INFORMATION,
                public_note=_for_reporter(gettext_lazy("Bawaslu follows up your information as its own finding %(number)s."),
                                          number=case.number),
            )
    RequirementCheck.objects.bulk_create(
        RequirementCheck(case=case, requirement=requirement.id, met=True, note=reqs.finding_time_limit_evidence(limit),
                         checked_by=actor)
        for requirement in reqs.for_regime(election.regime, today) if requirement.auto == reqs.TIME_LIMIT_CHECK)
    case.pinned_rules = pin_rules(case)
    _refresh_deadline(case)
    case.save(update_fields=["due_on", "due_step", "pinned_rules"])
    audit_record(actor=actor, action="case.finding_registered", target=case,
                 data={"number": case.number, "report": source_report.pk if source_report else None,
                       "found_on": str(known_on), "finding_due": str(limit.due)})
    return case


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update().select_related("election", "office__region").get(pk=case.pk)


def _move(case: Case, target: str, *, actor, action: str, data: dict | None = None) -> Case:
    try:
        states.require_move(case.status, target)
    except states.TransitionError as error:
        raise ValidationError(str(error)) from None
    previous = case.status
    case.status = target
    _refresh_deadline(case)
    case.save()
    audit_record(actor=actor, action=action, target=case, data={"from": previous, "to": target, **(data or {})})
    return case


@transaction.atomic
def case_start_study(*, case: Case, actor: "User") -> Case:
    _require_bawaslu(actor)
    return _move(_locked(case), states.Status.IN_STUDY, actor=actor, action="case.study_started")


@transaction.atomic
def case_extend_study(*, case: Case, actor: "User", reason: str) -> Case:
    """More information is needed: the study runs to the extended limit the law allows."""
    _require_bawaslu(actor)
    case = _locked(case)
    if not case.is_open:
        raise ValidationError(_("Only an open case can be extended."))
    if case.extended:
        raise ValidationError(_("The study was already extended."))
    if not reason.strip():
        raise ValidationError(_("Say what information is still needed."))
    case.extended = True
    _refresh_deadline(case)
    case.save(update_fields=["extended", "due_on", "due_step", "updated_at"])
    audit_record(actor=actor, action="case.study_extended", target=case, data={"due_on": str(case.due_on)})
    return case


@transaction.atomic
def case_propose(*, case: Case, actor: "User", outcome: str, legal_analysis: str, conclusion: str,
                 violations=(), reason: str = "", forwarded_to: str = "", warnings_acknowledged: bool = False) -> Case:
    """The staff's conclusion and proposed outcome, for the leadership to approve.

    Provisions of another category than the reporter's choice or the facts (cases.provisions)
    are warned about, not refused: the audit entry keeps the warnings and whether staff
    confirmed that they checked them (the study form asks before it sends).
    """
    _require_bawaslu(actor)
    case = _locked(case)
    violations = list(violations)
    warnings = [w.key for w in study_context(case).mismatches(violations)]
    if not conclusion.strip():
        raise ValidationError(_("Write the conclusion of the study."))
    if outcome in states.NEEDS_REASON and not reason.strip():
        raise ValidationError(_("Give the reason for this outcome."))
    if outcome in states.NEEDS_ADDRESSEE and not forwarded_to.strip():
        raise ValidationError(_("Name the body the case is forwarded to."))
    if outcome in states.NEEDS_PROVISIONS and not violations:
        raise ValidationError(_("Choose the violated provisions from the catalog."))
    if outcome == states.Outcome.FORWARDED_AUTHORITY:
        _require_civil_servants(case)
    case.outcome, case.outcome_reason, case.forwarded_to = outcome, reason.strip(), forwarded_to.strip()
    case.legal_analysis, case.conclusion, case.proposed_by = legal_analysis.strip(), conclusion.strip(), actor
    case.violations.set(violations)
    checked = {"provision_warnings": warnings, "warnings_acknowledged": warnings_acknowledged} if warnings else {}
    return _move(case, states.Status.AWAITING_APPROVAL, actor=actor, action="case.proposed",
                 data={"outcome": outcome, "violations": sorted(v.pk for v in violations), **checked})


def _require_civil_servants(case: Case) -> None:
    """Only ASN go to the civil-service authority: every person's subject must be known and ASN."""
    subjects = catalog().subjects
    for person in case.persons.all():
        subject = subjects.get(person.subject)
        if subject is None:
            raise ValidationError(_("Choose the kind of person of “%(name)s” before deciding where the case goes.")
                                  % {"name": person.name})
        if not subject.asn:
            raise ValidationError(_(
                "“%(name)s” is %(subject)s, not a civil servant (ASN): the civil-service authority has no say "
                "over them. See where the case goes on the case page and choose that outcome.")
                % {"name": person.name, "subject": localized(subject.title)})


@transaction.atomic
def case_person_set_subject(*, person: CasePerson, actor: "User", subject: str) -> CasePerson:
    """Staff set the kind of a reported person who is not in the register (audited)."""
    _require_bawaslu(actor)
    person = CasePerson.objects.select_for_update().select_related("case").get(pk=person.pk)
    if not person.case.is_open:
        raise ValidationError(_("The case is closed."))
    if subject not in catalog().subjects:
        raise ValidationError(_("Choose a kind of person from the list."))
    if person.employee_id:
        raise ValidationError(_("The register sets the kind of this person."))
    old = person.subject
    person.subject = subject
    person.save(update_fields=["subject"])
    audit_record(actor=actor, action="case.person_subject_set", target=person.case,
                 data={"person": person.pk, "old": old, "new": subject})
    return person


@transaction.atomic
def cases_apply_rule_corrections(*, actor: "User | None" = None, dry_run: bool = False) -> list[dict]:
    """Apply corrections of deadline entries (same id, changed content) to the open cases.

    A case keeps the rules its clock started under. When an administrator corrects a wrong
    entry (not a change in the law, which is a new entry with its own valid_from), this
    updates each open case whose pinned rule differs from the entry now in the files,
    recomputes its deadline and records what changed. Returns one row per changed case.
    """
    changes = []
    for case in Case.objects.filter(is_open=True).select_related("election").select_for_update():
        current = pin_rules(case)
        pinned = case.pinned_rules or {}
        changed = {step: {"old": pinned.get(step), "new": rule} for step, rule in current.items()
                   if pinned.get(step) is not None and pinned[step] != rule and pinned[step]["id"] == rule["id"]}
        if not changed:
            continue
        old_due = case.due_on
        new_pinned = {**pinned, **{step: values["new"] for step, values in changed.items()}}
        fields = {step: sorted(key for key in set(values["old"]) | set(values["new"])
                               if values["old"].get(key) != values["new"].get(key))
                  for step, values in changed.items()}
        row = {"case": case.number, "steps": fields, "old_due": str(old_due)}
        if not dry_run:
            case.pinned_rules = new_pinned
            _refresh_deadline(case)
            case.save(update_fields=["pinned_rules", "due_on", "due_step"])
            audit_record(actor=actor, action="case.rules_corrected", target=case, data={
                "steps": {step: {"old": values["old"], "new": values["new"]} for step, values in changed.items()},
                "old_due": str(old_due), "new_due": str(case.due_on),
            })
        else:
            case.pinned_rules = new_pinned
            _refresh_deadline(case)
        row["new_due"] = str(case.due_on)
        changes.append(row)
    return changes


@transaction.atomic
def case_return(*, case: Case, actor: "User", note: str) -> Case:
    _require_lead(actor)
    case = _locked(case)
    if not note.strip():
        raise ValidationError(_("Say what must be studied further."))
    return _move(case, states.Status.IN_STUDY, actor=actor, action="case.returned", data={"note": note.strip()[:500]})


@transaction.atomic
def case_approve(*, case: Case, actor: "User", announcement: str) -> Case:
    """The leadership approves the outcome: the case is decided and its status announced."""
    _require_lead(actor)
    case = _locked(case)
    if not announcement.strip():
        raise ValidationError(_("Write the public announcement of the outcome."))
    now = timezone.now()
    case.approved_by, case.decided_at = actor, now
    case.announcement, case.announced_at = announcement.strip(), now
    case = _move(case, states.Status.DECIDED, actor=actor, action="case.decided", data={"outcome": case.outcome})
    for link in case.case_reports.select_related("report"):
        report_services.report_announce(report=link.report, actor=actor,
                                        headline=_for_reporter(gettext_lazy("Decided: %(outcome)s"),
                                                               outcome=case.get_outcome_display()),
                                        note=_for_reporter("%(number)s: %(outcome)s\n%(text)s", number=case.number,
                                                          outcome=case.get_outcome_display(), text=case.announcement))
    letters = outcome_letters(case, actor)  # last: a failing letter rolls the decision back
    audit_record(actor=actor, action="case.letters_issued", target=case,
                 data={"letters": [{"kind": letter.kind, "number": letter.number, "sha256": letter.sha256}
                                       for letter in letters]})
    case_decided.send(sender=Case, case=case, actor=actor, letters=letters)
    return case


@transaction.atomic
def case_merge(*, source: Case, target: Case, actor: "User") -> Case:
    """Merge ``source`` into ``target``: its reports and persons move; nothing is lost."""
    _require_bawaslu(actor)
    if source.pk == target.pk:
        raise ValidationError(_("A case cannot be merged into itself."))
    source, target = _locked(source), _locked(target)
    if not target.is_open:
        raise ValidationError(_("Merge only into an open case."))
    if source.office_id != target.office_id:
        raise ValidationError(_("Only cases of the same office can be merged."))
    with cases_changing(case_ids=[source.pk, target.pk]):  # the first report of both may change (cases.hooks)
        moved = CaseReport.objects.filter(case=source).update(case=target)
    known = {(p.employee_id, p.name) for p in target.persons.all()}
    for person in source.persons.all():
        if (person.employee_id, person.name) not in known:
            CasePerson.objects.create(case=target, employee=person.employee, name=person.name,
                                      position=person.position, unit=person.unit, subject=person.subject)
    source.merged_into = target
    _move(source, states.Status.MERGED, actor=actor, action="case.merged", data={"into": target.pk, "reports": moved})
    audit_record(actor=actor, action="case.merged_in", target=target, data={"from": source.pk, "reports": moved})
    return target



def _require_study(case: Case) -> None:
    if case.status not in (states.Status.REGISTERED, states.Status.IN_STUDY):
        raise ValidationError(_("The study of this case is closed."))


@transaction.atomic
def case_schedule_clarification(*, case: Case, actor: "User", party: str, name: str, scheduled_at,
                                place: str) -> Clarification:
    """Plan a clarification session and issue its invitation letter."""
    _require_bawaslu(actor)
    case = _locked(case)
    _require_study(case)
    clarification = Clarification.objects.create(case=case, party=party, name=name.strip(), scheduled_at=scheduled_at,
                                                 place=place.strip())
    clarification.invitation = invitation_letter(case, actor, clarification)
    clarification.save(update_fields=["invitation"])
    audit_record(actor=actor, action="case.clarification_scheduled", target=case,
                 data={"clarification": clarification.pk, "party": party, "letter": clarification.invitation.number})
    return clarification


@transaction.atomic
def case_record_minutes(*, clarification: Clarification, actor: "User", minutes: str) -> Clarification:
    _require_bawaslu(actor)
    case = _locked(clarification.case)
    _require_study(case)
    if not minutes.strip():
        raise ValidationError(_("Write the minutes of the session."))
    clarification = Clarification.objects.select_for_update().get(pk=clarification.pk)
    clarification.minutes, clarification.held = minutes.strip(), True
    clarification.save(update_fields=["minutes", "held"])
    audit_record(actor=actor, action="case.minutes_recorded", target=case, data={"clarification": clarification.pk})
    return clarification


@transaction.atomic
def case_assess_evidence(*, case: Case, actor: "User", attachment, relevant: bool,
                         note: str) -> EvidenceAssessment:
    """Record (or revise) the assessment of one evidence file of the case's reports."""
    _require_bawaslu(actor)
    case = _locked(case)
    _require_study(case)
    if not case.case_reports.filter(report_id=attachment.report_id).exists():
        raise ValidationError(_("This file does not belong to the case."))
    assessment, _created = EvidenceAssessment.objects.update_or_create(
        case=case, attachment=attachment,
        defaults={"relevant": relevant, "note": note.strip(), "assessed_by": actor})
    audit_record(actor=actor, action="case.evidence_assessed", target=case,
                 data={"attachment": attachment.pk, "sha256": attachment.blob.sha256, "relevant": relevant})
    return assessment


def notifications_mark_read(*, user, case: Case) -> int:
    """A display flag of the user's own notices, not a state of the case: no audit entry."""
    from cases.models import Notification

    return Notification.objects.filter(user=user, case=case, read_at__isnull=True).update(read_at=timezone.now())
