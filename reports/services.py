"""Every change to a report: one function each, one transaction each, one audit entry each."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage, storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.permissions import can_handle_reports
from audit.services import audit_record
from netral.crypto import decrypt_bytes, encrypt_bytes
from organizations.models import BawasluOffice
from regions.models import Region
from registry.models import Employee
from reports import states
from reports.models import (
    Attachment,
    ClockPause,
    EvidenceBlob,
    Message,
    NumberSequence,
    Report,
    ReportedPerson,
    ReportLink,
    StagedFile,
    StatusChange,
)
from reports.notices import notices_queue
from reports.selectors import report_deadlines_compute, report_next_due
from reports.signals import report_news
from reports.tracking import derive_code, sha256_hex
from rules.models import Election, Violation
from rules.selectors import event_outside_supervised_stages, holiday_calendar, outside_stages_message
from rules.stages import event_day
from storage import files as stored_files
from storage import staging
from storage.cleanup import orphans_purge
from storage.prepare import PreparedFile, prepare_upload

if TYPE_CHECKING:
    from accounts.models import User

# A repeated submission shows the code again only this soon after the first one: later, a
# form left in a shared phone's history must not reveal the code to the next person.
RESUBMIT_SHOWS_CODE_FOR = timedelta(minutes=15)


@dataclass(frozen=True)
class ReporterIdentity:
    name: str
    address: str
    nik: str = ""
    phone: str = ""
    email: str = ""

    def as_dict(self) -> dict:
        return {"name": self.name, "address": self.address, "nik": self.nik, "phone": self.phone,
                "email": self.email}


@dataclass(frozen=True)
class ReportedPersonInput:
    name: str
    position: str = ""
    unit: str = ""
    employee: Employee | None = None


@dataclass
class ReportSubmission:
    election: Election
    region: Region
    place: str
    known_on: date
    description: str
    reporter: ReporterIdentity | None  # None: anonymous
    reported: list[ReportedPersonInput]
    occurred_on: date | None = None
    violations: list[Violation] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    files: list[PreparedFile] = field(default_factory=list)
    channel: str = Report.Channel.WEB  # the door it came in by (intake/ for the messaging channels)
    # The reporter asked for e-mail notices (reports/notices.py): kept only with an e-mail address.
    notify_by_email: bool = False
    language: str = ""  # the reporter's language (a code of LANGUAGES), for the notices
    # Issue 19: an event outside every election's supervised stages (rules.stages) is not a report.
    # True: the reporter chose to send it as information; False: they were asked and did not, so it
    # is refused with the reason; None: the door could not ask (a messaging channel), so it is kept
    # as information and the tracking page says why.
    as_information: bool | None = None


@dataclass(frozen=True)
class Receipt:
    report: Report
    code: str | None  # None when a late repeat of the form must not show it again
    created: bool


def office_for_region(*, region: Region) -> BawasluOffice:
    """The Bawaslu office of the region or of its nearest parent that has one."""
    codes = []
    current = region
    while current is not None:
        codes.append(current.code)
        current = current.parent
    offices = {o.region.code: o for o in BawasluOffice.objects.filter(region__code__in=codes).select_related("region")}
    for code in codes:
        if code in offices:
            return offices[code]
    raise ValidationError(_("No Bawaslu office handles this region yet."))


def next_number(*, scope: str, year: int) -> int:
    """Take the next number of a sequence; the row lock keeps numbers unique and gap-free."""
    sequence, _created = NumberSequence.objects.get_or_create(scope=scope, year=year)
    sequence = NumberSequence.objects.select_for_update().get(pk=sequence.pk)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return sequence.last


def _store_blob(prepared: PreparedFile) -> EvidenceBlob:
    """The blob for these bytes: the existing one, or a new one with both files written.

    The files are written in the blob's own savepoint (storage.files): when another submission
    stored the same file a moment ago, the savepoint rolls back and our copies go with it.
    """
    sha = prepared.sha256
    existing = EvidenceBlob.objects.filter(sha256=sha).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            sealed_name = stored_files.save(storages["sealed"], f"{sha[:2]}/{sha}.bin",
                                            encrypt_bytes(prepared.original))
            public_name = stored_files.save(default_storage, f"evidence/{sha[:2]}/{sha}.{prepared.extension}",
                                            prepared.public)
            return EvidenceBlob.objects.create(
                sha256=sha, size=prepared.size, content_type=prepared.content_type, sealed_name=sealed_name,
                public_file=public_name, metadata_removed=prepared.metadata_removed,
            )
    except IntegrityError:
        return EvidenceBlob.objects.get(sha256=sha)


def _attach(*, report: Report, files: list[PreparedFile], added_by: str, message: Message | None) -> int:
    attached = 0
    for prepared in files:
        blob = _store_blob(prepared)
        _attachment, created = Attachment.objects.get_or_create(
            report=report, blob=blob,
            defaults={"original_name": prepared.name, "added_by": added_by, "message": message},
        )
        attached += created
    return attached


def report_submit(*, submission: ReportSubmission, submission_token: str) -> Receipt:
    """File a report from the public form. A repeated token returns the first report."""
    token_hash = sha256_hex(submission_token)
    existing = Report.objects.filter(submission_hash=token_hash).first()
    if existing:
        return _repeat_receipt(existing, submission_token)
    code = derive_code(submission_token, settings.SECRET_KEY)
    office = office_for_region(region=submission.region)
    if submission.as_information is False and _outside_stages(submission):
        raise ValidationError(outside_stages_message(), code="outside_stages")
    try:  # the files are written in its transaction: a failure deletes them (storage.files)
        report = _create_report(submission, office=office, code=code, token_hash=token_hash)
    except IntegrityError:
        existing = Report.objects.filter(submission_hash=token_hash).first()
        if existing is None:
            raise
        return _repeat_receipt(existing, submission_token)
    return Receipt(report=report, code=code, created=True)


def _outside_stages(submission: ReportSubmission) -> bool:
    """The event lies outside every active election's supervised stages (rules.stages)."""
    return event_outside_supervised_stages(event_day(occurred_on=submission.occurred_on,
                                                     known_on=submission.known_on))


def _repeat_receipt(report: Report, token: str) -> Receipt:
    fresh = timezone.now() - report.created_at < RESUBMIT_SHOWS_CODE_FOR
    return Receipt(report=report, code=derive_code(token, settings.SECRET_KEY) if fresh else None, created=False)


@transaction.atomic
def _create_report(submission: ReportSubmission, *, office, code, token_hash) -> Report:
    now = timezone.now()
    year = timezone.localdate(now).year
    sequence = next_number(scope=f"report:{office.pk}", year=year)
    reporter = submission.reporter
    # Kept as information: a final status, so no registration clock runs (cases.deadlines).
    outside = _outside_stages(submission)
    status = states.Status.INFORMATION if outside else states.Status.RECEIVED
    # Its next deadline, stored for the inbox (Report.next_due_on): a new report has no pause.
    next_due_on = None
    if status == states.Status.RECEIVED:
        next_due_on = report_next_due(status=status, created_at=now, regime=submission.election.regime, pauses=(),
                                      today=timezone.localdate(now), calendar=holiday_calendar())
    report = Report.objects.create(
        number=f"{sequence:04d}/LAP/{office.number_code}/{year}",
        office=office,
        region=submission.region,
        election=submission.election,
        status=status,
        next_due_on=next_due_on,
        outside_stages=outside,
        status_changed_at=now,
        channel=submission.channel,
        notify_by_email=bool(submission.notify_by_email and reporter is not None and reporter.email),
        language=submission.language,
        anonymous=reporter is None,
        reporter=reporter.as_dict() if reporter else None,
        description=submission.description,
        place=submission.place,
        occurred_on=submission.occurred_on,
        known_on=submission.known_on,
        tracking_hash=sha256_hex(code),
        submission_hash=token_hash,
        created_at=now,
    )
    report.violations.set(submission.violations)
    ReportedPerson.objects.bulk_create(
        ReportedPerson(report=report, employee=p.employee, name=p.name, position=p.position, unit=p.unit)
        for p in submission.reported
    )
    ReportLink.objects.bulk_create(ReportLink(report=report, url=url) for url in submission.links)
    files = _attach(report=report, files=submission.files, added_by=Message.Sender.REPORTER, message=None)
    StatusChange.objects.create(report=report, to_status=status, created_at=now,
                                public_note=_for_reporter_outside_stages() if outside else "")
    _staged_clear(token_hash)
    audit_record(
        actor=None, actor_kind="reporter", action="report.submitted", target=report,
        data={"number": report.number, "anonymous": report.anonymous, "files": files,
              "violations": sorted(v.pk for v in submission.violations), "channel": report.channel,
              "email_notices": report.notify_by_email, "outside_stages": outside},
    )
    return report


def _for_reporter_outside_stages() -> str:
    """The tracking page's note on information kept outside the stages, in the installation's language."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("Kept as information: the event lies outside the supervised stages of every election, so it is "
                 "not handled as a report of an election violation and has no registration time limit.")


# --- Files of a form sent back for corrections -------------------------------------------------
# Kept under a token this server issued (reports.tracking), for NETRAL_STAGING_LIFE, within a
# quota per client and in total (netral/settings.py), so that forms with errors cannot fill the
# disk without a report (issue 16).

@dataclass(frozen=True)
class Staging:
    kept: list  # StagedFile rows, one per accepted file that waits for the next try
    not_kept: list[str] = field(default_factory=list)  # names of files past a quota


def _staging_cutoff():
    return timezone.now() - settings.NETRAL_STAGING_LIFE


def staged_files_for(*, token: str):
    """The files still waiting for the form with this token (younger than NETRAL_STAGING_LIFE)."""
    return StagedFile.objects.filter(submission_hash=sha256_hex(token), created_at__gte=_staging_cutoff()).order_by("id")


def _staging_quota() -> staging.Quota:
    return staging.Quota(per_client=settings.NETRAL_STAGING_QUOTA_PER_CLIENT,
                         total=settings.NETRAL_STAGING_QUOTA_TOTAL, window=settings.NETRAL_STAGING_LIFE)


def staged_files_add(*, token: str, files: list[PreparedFile], client: str) -> Staging:
    """Keep the accepted files of a form with errors, within the quotas; the same file twice is kept once.

    A file that would pass the client's quota or the total one is not kept (its name is in
    ``not_kept``); expired staged files are removed first, so they count no more. ``client``
    is a keyed pseudonym (netral.http.pseudonym); the quotas are storage.staging's.
    """
    staged_files_purge(older_than=settings.NETRAL_STAGING_LIFE)
    token_hash = sha256_hex(token)
    kept, not_kept = [], []
    for prepared in files:
        existing = StagedFile.objects.filter(submission_hash=token_hash, sha256=prepared.sha256).first()
        if existing:
            kept.append(existing)
            continue
        try:
            row = staging.stage(
                staged=StagedFile.objects.all(), storage=storages["sealed"],
                name=f"staging/{token_hash[:2]}/{token_hash}-{prepared.sha256[:16]}.bin",
                data=encrypt_bytes(prepared.original), size=prepared.size, client=client, quota=_staging_quota(),
                create=lambda name, prepared=prepared: StagedFile.objects.create(
                    submission_hash=token_hash, name=prepared.name, sha256=prepared.sha256, size=prepared.size,
                    sealed_name=name),
            )
        except IntegrityError:  # the same file of the same form, staged a moment ago
            kept.append(StagedFile.objects.get(submission_hash=token_hash, sha256=prepared.sha256))
            continue
        if row is None:
            not_kept.append(prepared.name)
        else:
            kept.append(row)
    return Staging(kept=kept, not_kept=not_kept)


def staged_file_prepare(*, staged: StagedFile) -> PreparedFile:
    original = decrypt_bytes(storages["sealed"].open(staged.sealed_name).read())
    upload = SimpleUploadedFile(staged.name, original)
    return prepare_upload(upload, max_bytes=max(settings.NETRAL_EVIDENCE_MAX_BYTES, len(original)))


def _staged_clear(token_hash: str) -> None:
    staging.clear(rows=StagedFile.objects.filter(submission_hash=token_hash), storage=storages["sealed"],
                  name_field="sealed_name")


def staged_files_purge(*, older_than: timedelta) -> int:
    """Remove what was staged for forms never sent (daily, and before each new staging)."""
    return staging.purge(staged=StagedFile.objects.all(), storage=storages["sealed"], name_field="sealed_name",
                         older_than=older_than, quota_window=settings.NETRAL_STAGING_LIFE)


def evidence_orphans_purge(*, older_than: timedelta) -> int:
    """Remove evidence files that no record names and that are older than ``older_than``.

    The folders and the records are those of the kinds that storage/kinds.py marks as purged
    of orphans (evidence originals and public copies, staged uploads): storage.cleanup.
    """
    return orphans_purge(older_than=older_than)


def _locked(report: Report) -> Report:
    return Report.objects.select_for_update().get(pk=report.pk)


def _message(*, report: Report, sender: str, author, body: str, files: list[PreparedFile], action: str) -> Message:
    with transaction.atomic():  # the files are written in it: a failure deletes them (storage.files)
        report = _locked(report)
        if sender == Message.Sender.REPORTER and report.status == states.Status.WITHDRAWN:
            raise ValidationError(_("This report was withdrawn; it takes no more messages."))
        message = Message.objects.create(report=report, sender=sender, author=author, body=body,
                                         created_at=timezone.now())
        count = _attach(report=report, files=files, added_by=sender, message=message)
        if sender == Message.Sender.REPORTER:
            report.unread_by_staff = True
        else:
            report.unread_by_reporter = True
        report.save(update_fields=["unread_by_staff", "unread_by_reporter", "updated_at"])
        audit_record(actor=author, actor_kind=sender, action=action, target=report,
                     data={"message": message.pk, "files": count})
        if sender == Message.Sender.STAFF:
            report_news.send(sender=Report, report=report, kind="reply", body=body)
            notices_queue(report=report)
        return message


def report_add_reporter_message(*, report: Report, body: str, files: list[PreparedFile] = ()) -> Message:
    return _message(report=report, sender=Message.Sender.REPORTER, author=None, body=body, files=list(files),
                    action="report.reporter_wrote")


def report_reply(*, report: Report, actor: "User", body: str, files: list[PreparedFile] = ()) -> Message:
    if not can_handle_reports(actor):
        raise PermissionDenied
    return _message(report=report, sender=Message.Sender.STAFF, author=actor, body=body, files=list(files),
                    action="report.staff_wrote")


@transaction.atomic
def report_change_status(*, report: Report, actor: "User", to_status: str, public_note: str = "") -> Report:
    if not can_handle_reports(actor):
        raise PermissionDenied
    report = _locked(report)
    try:
        states.require_staff_move(report.status, to_status, anonymous=report.anonymous)
    except states.TransitionError as error:
        raise ValidationError(str(error)) from None
    if to_status in states.NEEDS_PUBLIC_NOTE and not public_note.strip():
        raise ValidationError(_("Tell the reporter why: write a note to the reporter."))
    report = _set_status(report, to_status, actor=actor, public_note=public_note.strip(),
                         action="report.status_changed")
    report_news.send(sender=Report, report=report, kind="status")
    notices_queue(report=report)
    return report


def _set_status(report: Report, to_status: str, *, actor, public_note: str, action: str) -> Report:
    now = timezone.now()
    from_status = report.status
    report.status, report.status_changed_at = to_status, now
    report.unread_by_reporter = True
    report.save(update_fields=["status", "status_changed_at", "unread_by_reporter", "updated_at"])
    StatusChange.objects.create(report=report, from_status=from_status, to_status=to_status,
                                public_note=public_note, actor=actor, created_at=now)
    today = timezone.localdate(now)
    if from_status == states.Status.NEEDS_COMPLETION:
        ClockPause.objects.filter(report=report, ended_on__isnull=True).update(ended_on=today)
    if to_status == states.Status.NEEDS_COMPLETION:
        ClockPause.objects.create(report=report, started_on=today)
    _refresh_next_due(report, today=today)
    audit_record(actor=actor, actor_kind=None if actor else "reporter", action=action, target=report,
                 data={"from": from_status, "to": to_status})
    return report


def _refresh_next_due(report: Report, *, today: date) -> None:
    """Store the report's next deadline after its status or clock pauses changed, in the caller's
    transaction (the row is locked): the inbox orders by it (issue 20). Every write of Report.status
    and of ClockPause passes here (_set_status); the daily recompute_deadlines follows the calendar."""
    due = report_deadlines_compute([report], today=today)[report.pk]
    if due != report.next_due_on:
        report.next_due_on = due
        report.save(update_fields=["next_due_on"])


@transaction.atomic
def report_announce(*, report: Report, actor: "User", note: str, headline: str = "") -> StatusChange:
    """A public announcement on the report's history (its status stays): e.g. a case outcome, whose
    ``headline`` (the outcome in plain words) becomes the tracking page's headline."""
    report = _locked(report)
    change = StatusChange.objects.create(report=report, kind=StatusChange.Kind.ANNOUNCEMENT,
                                         headline=headline.strip()[:200], from_status=report.status,
                                         to_status=report.status, public_note=note.strip(), actor=actor,
                                         created_at=timezone.now())
    report.unread_by_reporter = True
    report.save(update_fields=["unread_by_reporter", "updated_at"])
    audit_record(actor=actor, action="report.announced", target=report, data={"status": report.status})
    report_news.send(sender=Report, report=report, kind="announcement")
    notices_queue(report=report)
    return change


@transaction.atomic
def report_withdraw(*, report: Report, reason: str = "") -> Report:
    """The reporter withdraws, which the law allows only before registration."""
    report = _locked(report)
    if report.status not in states.REPORTER_WITHDRAWABLE:
        raise ValidationError(_("A report can be withdrawn only before it is registered."))
    return _set_status(report, states.Status.WITHDRAWN, actor=None, public_note=reason.strip(),
                       action="report.withdrawn")


@transaction.atomic
def report_notices_stop(*, report: Report) -> bool:
    """The reporter stops the e-mail notices (the tracking page); True if they were on. For good:
    the form is the only place to ask for them, so a shared phone cannot turn them back on."""
    report = _locked(report)
    if not report.notify_by_email:
        return False
    report.notify_by_email = False
    report.save(update_fields=["notify_by_email", "updated_at"])
    audit_record(actor=None, actor_kind="reporter", action="report.notices_stopped", target=report, data={})
    return True


# Opening the reporter's identity (by one or two people): reports/identity.py.


def report_mark_read_by_staff(*, report: Report) -> None:
    """A display flag, not a state of the report: no audit entry."""
    if report.unread_by_staff:
        Report.objects.filter(pk=report.pk).update(unread_by_staff=False)
        report.unread_by_staff = False


def report_mark_read_by_reporter(*, report: Report) -> None:
    if report.unread_by_reporter:
        Report.objects.filter(pk=report.pk).update(unread_by_reporter=False)
        report.unread_by_reporter = False


@transaction.atomic
def report_hand_over(*, report: Report, actor: "User", to_office, reason: str, to_region=None) -> Report:
    """Hand a report filed at the wrong office over to the competent one (pelimpahan).

    Only before registration, by staff who may handle the report; the place may be
    corrected at the same time (the reporter chose the wrong regency). The report keeps
    its number and tracking code; the reporter sees the handover on the tracking page.
    """
    from organizations.selectors import office_ids_under
    from reports.models import Handover

    if not can_handle_reports(actor):
        raise PermissionDenied
    report = _locked(report)
    if report.office_id not in set(office_ids_under(actor.jurisdiction)):
        raise PermissionDenied
    if report.status in states.FINAL:
        raise ValidationError(_("A report that is registered or closed can no longer be handed over."))
    region = to_region or report.region
    errors = {}
    if to_office.pk == report.office_id and region.pk == report.region_id:
        errors["to_office"] = _("The report is already at this office.")
    elif not to_office.region.contains(region):
        errors["to_region"] = _("%(region)s is outside the jurisdiction of %(office)s: correct the place or choose "
                                "another office.") % {"region": region.name, "office": to_office.name}
    if len(reason.strip()) < 10:
        errors["reason"] = _("Say why the report is handed over (at least 10 characters).")
    if errors:
        raise ValidationError(errors)
    handover = Handover.objects.create(report=report, from_office=report.office, to_office=to_office,
                                       from_region=report.region, to_region=region, reason=reason.strip(),
                                       actor=actor)
    report.office, report.region, report.unread_by_staff = to_office, region, True
    report.save(update_fields=["office", "region", "unread_by_staff", "updated_at"])
    with translation.override("id"):  # the reporter reads Indonesian, whatever the staff member's language
        note = _("Your report was handed over to %(office)s, which is competent for %(region)s. Your tracking "
                 "code stays the same.") % {"office": to_office.name, "region": region.name}
    StatusChange.objects.create(report=report, kind=StatusChange.Kind.HANDOVER, from_status=report.status,
                                to_status=report.status, public_note=note, actor=actor, created_at=timezone.now())
    report.unread_by_reporter = True
    report.save(update_fields=["unread_by_reporter"])
    audit_record(actor=actor, action="report.handed_over", target=report,
                 data={"handover": handover.pk, "from_office": handover.from_office_id, "to_office": to_office.pk,
                       "from_region": handover.from_region.code, "to_region": region.code})
    notices_queue(report=report)
    return report



@transaction.atomic
def report_purge_identity(*, report: Report, rule: str, closed_on: date) -> bool:
    """Erase the reporter's identity (name, address, NIK, phone, e-mail) for good; True if erased.

    Called by the retention rule (cases/retention.py) once the handling no longer needs it.
    The report's text, evidence, tracking code hash and history stay, so the case, the
    reporter's tracking page and the audit chain remain whole. Idempotent: an anonymous or
    already erased report is left alone. The audit entry names the rule, never the person.
    """
    report = _locked(report)
    if report.anonymous or report.identity_purged_at is not None:
        return False
    report.reporter, report.identity_purged_at = None, timezone.now()
    report.save(update_fields=["reporter", "identity_purged_at", "updated_at"])
    audit_record(actor=None, action="report.identity_purged", target=report,
                 data={"rule": rule, "closed_on": str(closed_on)})
    return True


# --- Files staged by a conversation on a messaging channel (intake/) ---------------------------
# A conversation keeps its evidence staged under its own submission token until it files the
# report (report_submit takes and clears them), is cancelled or is abandoned.

def staged_files_keep(*, token: str) -> None:
    """Start the staging life of the files under ``token`` again: their conversation is still going on."""
    StagedFile.objects.filter(submission_hash=sha256_hex(token)).update(created_at=timezone.now())


def staged_files_discard(*, token: str) -> None:
    """Remove the files staged under ``token`` (the conversation was cancelled or abandoned)."""
    _staged_clear(sha256_hex(token))
