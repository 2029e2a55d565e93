"""What an e-mail to the reporting address does: a report, the template, or a polite refusal.

``mail_receive`` is the one way in (the IMAP reader calls it; so would an inbound webhook). A
message is handled once by its Message-ID (``intake.InboundMessage``, channel ``email``: the
same unique constraint as the other channels), in one transaction with what it causes; the
reply goes out after commit. A message that follows the office's template (all its required
fields, the region found) is filed through ``reports.services.report_submit`` with its
attachments, checked as the web form checks them; one that does not is answered with the
template. Nothing is kept of a message that made no report but the row that says it was
handled (no text, no sender). The sender's address is kept only with a filed report, encrypted
on its ``Conversation``, to write back.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from audit.services import audit_record
from intake import selectors
from intake.answers import parse_contact, parse_date, rank_regions
from intake.channels.base import ProviderError
from intake.channels.email import (
    REQUIRED,
    TEMPLATE,
    Mail,
    MailAdapter,
    read_headers,
    read_message,
    read_template,
)
from intake.models import Channel, Conversation, InboundMessage, OutboundMessage
from intake.services import MASK, sender_key
from regions.models import Region
from reports.services import ReportedPersonInput, ReporterIdentity, ReportSubmission, report_submit
from reports.tracking import format_code, new_submission_token
from rules.models import Election
from rules.selectors import election_list_open
from storage.prepare import prepare_upload

logger = logging.getLogger(__name__)

FILED, TEMPLATE_SENT, REFUSED, DUPLICATE, IGNORED = "filed", "template", "refused", "duplicate", "ignored"
LANGUAGE = "id"  # the replies: the reporting address is an Indonesian office's


@dataclass(frozen=True)
class Reply:
    to: str
    subject: str
    text: str  # in full, with the tracking code
    in_reply_to: str
    outbound_id: int | None = None  # the stored copy (code masked), for a filed report only


def mail_receive(*, raw: bytes, whole: bool = True) -> str:
    """Handle one message (``whole``: False when only its headers were fetched, it being too large).

    FILED, TEMPLATE_SENT, REFUSED, IGNORED (a bounce or an auto-reply: never answered), or
    DUPLICATE (its Message-ID was handled before: nothing happens).
    """
    mail = read_message(raw) if whole else read_headers(raw)
    now = timezone.now()
    reply = None
    with transaction.atomic():
        try:
            with transaction.atomic():
                row = InboundMessage.objects.create(
                    channel=Channel.EMAIL, provider_id=mail.message_id,
                    sender_key=sender_key(Channel.EMAIL, mail.sender) if mail.sender else "",
                    payload={"kind": "email"}, received_at=now, fetched_at=now)
        except IntegrityError:  # inbound_once_per_provider_id: fetched again, or delivered twice
            return DUPLICATE
        if mail.automatic or not mail.sender:
            outcome, row.error = IGNORED, IGNORED
        else:
            with translation.override(LANGUAGE):
                outcome, reply, row.error = _handle(mail, whole=whole)
        if outcome != FILED:
            audit_record(actor=None, actor_kind=None, action="intake.email_answered", target=row,
                         data={"channel": Channel.EMAIL, "outcome": outcome, "reason": row.error})
        row.processed_at = timezone.now()
        row.save(update_fields=["processed_at", "error", "conversation"])
        if reply is not None:
            transaction.on_commit(lambda: _send(reply))
    return outcome


def _handle(mail: Mail, *, whole: bool) -> tuple[str, Reply | None, str]:
    """The outcome, the reply, and why nothing was filed ("" when a report was)."""
    limit, most = settings.NETRAL_EVIDENCE_MAX_BYTES, settings.NETRAL_EVIDENCE_MAX_FILES
    if not whole:
        return _refuse(mail, "too_large", _("Your e-mail is larger than %(limit)s, so we could not read it.")
                       % {"limit": filesizeformat(settings.NETRAL_MAIL_MAX_BYTES)})
    if not mail.body:
        return _refuse(mail, "no_body", _("Your e-mail has no text. Please write what happened in the message itself."))
    if len(mail.attachments) > most:
        return _refuse(mail, "too_many", _("Your e-mail has %(count)s attachments; a report may have at most "
                                           "%(limit)s files.") % {"count": len(mail.attachments), "limit": most})
    files, problems = [], []
    for attachment in mail.attachments:
        try:
            files.append(prepare_upload(SimpleUploadedFile(attachment.name, attachment.data), max_bytes=limit))
        except ValidationError as refused:
            problems += refused.messages
    if problems:
        return _refuse(mail, "bad_file", _("Some attachments cannot be evidence:") + "\n- " + "\n- ".join(problems))
    fields = read_template(mail.body)
    submission, missing = _submission(fields, files)
    if submission is None:
        return TEMPLATE_SENT, _template_reply(mail, missing), "template"
    token = new_submission_token()
    try:
        with transaction.atomic():
            receipt = report_submit(submission=submission, submission_token=token)
    except ValidationError as refused:
        return TEMPLATE_SENT, _template_reply(mail, refused.messages), "invalid"
    return FILED, _file(mail, receipt), ""


def _refuse(mail: Mail, reason: str, why: str) -> tuple[str, Reply, str]:
    text = "\n\n".join([
        _("Thank you for writing to Bawaslu. We could not take your report from this e-mail."), why,
        _("Nothing of your e-mail was kept. Please send it again without the problem, or use the form: %(url)s")
        % {"url": settings.NETRAL_PUBLIC_URL + reverse("reports:submit")},
    ])
    return REFUSED, Reply(to=mail.sender, subject=_reply_subject(mail), text=text, in_reply_to=mail.message_id), reason


def _template_reply(mail: Mail, problems: list[str]) -> Reply:
    elections = [f"  {index}. {election.title_id}" for index, election in enumerate(election_list_open(), 1)]
    parts = [_("Thank you for writing to Bawaslu. To make a report by e-mail, reply to this message with the "
               "template below filled in (one field per line; Uraian may take several lines), and attach your "
               "photos, PDFs or videos (at most %(count)s files of %(size)s each).")
             % {"count": settings.NETRAL_EVIDENCE_MAX_FILES, "size": filesizeformat(settings.NETRAL_EVIDENCE_MAX_BYTES)}]
    if problems:
        parts.append(_("What is missing or not understood:") + "\n- " + "\n- ".join(problems))
    parts.append(TEMPLATE)
    if len(elections) > 1:
        parts.append(_("Pemilihan: the number or the name of one of these elections:") + "\n" + "\n".join(elections))
    parts.append(_("Wilayah is the regency, city or district; Tanggal is when it happened (for example 27/11/2024). "
                   "Leave Nama pelapor empty to report anonymously. Your attachments were not kept: attach them "
                   "again to your reply."))
    parts.append(_("Or fill in the form on the web: %(url)s") % {"url": settings.NETRAL_PUBLIC_URL
                                                                 + reverse("reports:submit")})
    return Reply(to=mail.sender, subject=_reply_subject(mail), text="\n\n".join(parts), in_reply_to=mail.message_id)


def _reply_subject(mail: Mail) -> str:
    subject = mail.subject or _("Your report to Bawaslu")
    return subject if subject.lower().startswith("re:") else f"Re: {subject}"


def _submission(fields: dict, files) -> tuple[ReportSubmission | None, list[str]]:
    """The report the template's fields make, or None and what is missing or not understood."""
    labels = {"person_name": "Nama terlapor", "region": "Wilayah", "place": "Tempat kejadian",
              "occurred_on": "Tanggal", "description": "Uraian"}
    problems = [_("%(label)s is empty.") % {"label": labels[name]} for name in REQUIRED if not fields.get(name)]
    if not fields:
        return None, []  # not the template at all: the template, without a list of what is missing
    today = timezone.localdate()
    occurred = known = region = election = None
    if fields.get("occurred_on"):
        occurred = parse_date(fields["occurred_on"], today=today)
        if occurred is None or occurred > today:
            problems.append(_("Tanggal is not a date we understand (for example 27/11/2024)."))
    known = parse_date(fields["known_on"], today=today) if fields.get("known_on") else occurred
    if fields.get("known_on") and (known is None or known > today):
        problems.append(_("Tanggal diketahui is not a date we understand (for example 27/11/2024)."))
    if fields.get("region"):
        matches = rank_regions(fields["region"], selectors.region_candidates(fields["region"]))
        if len(matches) == 1:
            region = Region.objects.get(pk=matches[0][0])
        else:
            problems.append(_("Wilayah: no single regency, city or district is called “%(name)s”.")
                            % {"name": fields["region"][:80]})
    election, problem = _election(fields.get("election", ""))
    if problem:
        problems.append(problem)
    if problems:
        return None, problems
    reporter = None
    if fields.get("reporter_name"):
        contact = parse_contact(fields.get("reporter_contact", "")) if fields.get("reporter_contact") else {}
        reporter = ReporterIdentity(name=fields["reporter_name"][:200], address=contact.get("address", ""),
                                    phone=contact.get("phone", ""), email=contact.get("email", ""))
    return ReportSubmission(
        election=election, region=region, place=fields["place"][:300], known_on=known or occurred,
        occurred_on=occurred, description=fields["description"], reporter=reporter,
        reported=[ReportedPersonInput(name=fields["person_name"][:200], position=fields.get("person_position", "")[:200],
                                      unit=fields.get("person_unit", "")[:200])],
        files=files, channel=Channel.EMAIL,
    ), []


def _election(value: str) -> tuple[Election | None, str]:
    open_now = list(election_list_open())
    if not open_now:
        return None, _("No election is open for reports now.")
    if not value:
        if len(open_now) == 1:
            return open_now[0], ""
        return None, _("Pemilihan is empty: more than one election is open.")
    if value.strip().isdigit() and 1 <= int(value) <= len(open_now):
        return open_now[int(value) - 1], ""
    named = [election for election in open_now if value.strip().lower() in election.title_id.lower()
             or value.strip().lower() in election.title_en.lower()]
    if len(named) == 1:
        return named[0], ""
    return None, _("Pemilihan: no single open election is called “%(name)s”.") % {"name": value[:80]}


def _file(mail: Mail, receipt) -> Reply:
    """The conversation that keeps the sender's address (encrypted) for replies, and the receipt."""
    report, now = receipt.report, timezone.now()
    code = format_code(receipt.code) if receipt.code else MASK
    conversation = Conversation.objects.create(
        channel=Channel.EMAIL, sender_key=sender_key(Channel.EMAIL, mail.sender), sender={"address": mail.sender},
        language=LANGUAGE, token="", started_at=now, last_activity_at=now, ended_at=now,
        outcome=Conversation.Outcome.COMPLETED, report=report)
    InboundMessage.objects.filter(channel=Channel.EMAIL, provider_id=mail.message_id).update(conversation=conversation)
    text = "\n\n".join([
        _("Thank you. Your report has been received by Bawaslu."),
        _("Report number: %(number)s\nTracking code: %(code)s") % {"number": report.number, "code": code},
        _("Keep the tracking code secret: with it you follow the report at %(url)s. We do not store it and "
          "cannot send it again.") % {"url": settings.NETRAL_PUBLIC_URL + reverse("reports:track")},
        _("Files received: %(count)s.") % {"count": report.attachments.count()},
        (_("You reported without a name. Your e-mail address is not part of the report; Netral keeps it only "
           "encrypted, to answer you by e-mail, and your mail provider knows it.") if report.anonymous else
         _("Your e-mail address is kept encrypted, to answer you by e-mail.")),
    ])
    row = OutboundMessage.objects.create(conversation=conversation, text=text.replace(code, MASK), status_at=now,
                                         created_at=now)
    audit_record(actor=None, actor_kind="reporter", action="intake.conversation_completed", target=conversation,
                 data={"channel": Channel.EMAIL, "report": report.pk, "number": report.number})
    return Reply(to=mail.sender, subject=_reply_subject(mail), text=text, in_reply_to=mail.message_id,
                 outbound_id=row.pk)


def _send(reply: Reply) -> None:
    """Send after commit; the outcome is recorded on the stored copy, when there is one."""
    adapter = MailAdapter.from_settings() or MailAdapter(address=settings.DEFAULT_FROM_EMAIL)
    rows = OutboundMessage.objects.filter(pk=reply.outbound_id)
    try:
        message_id = adapter.send_mail(to=reply.to, subject=reply.subject, text=reply.text,
                                       in_reply_to=reply.in_reply_to)
    except ProviderError as failure:
        logger.warning("intake: an e-mail reply could not be sent: %s", failure)
        rows.update(status=OutboundMessage.Status.FAILED, status_at=timezone.now(), error=str(failure)[:500])
    else:
        rows.update(status=OutboundMessage.Status.SENT, status_at=timezone.now(), provider_id=message_id[:200])


def mailbox_fetch(*, mailbox) -> dict[str, int]:
    """Read the mailbox's unseen messages: each handled once, then flagged (or moved). Counts by outcome.

    A message whose handling fails is left unseen, to be tried again at the next run.
    """
    counts: dict[str, int] = {}
    with mailbox:
        for uid in mailbox.unseen():
            fetched = mailbox.fetch(uid)
            try:
                outcome = mail_receive(raw=fetched.raw, whole=fetched.whole)
            except Exception:
                logger.exception("intake: the e-mail with IMAP uid %s could not be handled", uid.decode())
                outcome = "failed"
            else:
                mailbox.done(uid)
            counts[outcome] = counts.get(outcome, 0) + 1
    return counts

