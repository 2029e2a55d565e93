"""Every change the messaging channels make: store, process, reply, submit, discard.

A webhook only stores what arrived (``inbound_receive``: one row per provider message id, so
a provider's retry or a replayed request stores nothing twice) and queues its processing.
The task (``inbound_process``) first fetches and checks a file, outside any transaction
(a download must not hold a lock), then takes the conversation's row lock and applies the
sender's waiting messages in the order they arrived, and sends the replies once that has
committed. A report is filed through ``reports.services.report_submit``, as the web form
files it, with the conversation's own submission token: the same conversation makes one
report however often its last message is processed.
"""

import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from audit.services import audit_record
from intake import selectors
from intake.answers import command_of
from intake.channels import adapter_for
from intake.channels.base import MediaRef, Parsed, ProviderError, StatusUpdate, TooLarge
from intake.conversation import Event, State, prompt, respond
from intake.models import Conversation, InboundMessage, OutboundMessage
from intake.script import Script, default_script
from regions.models import Region
from reports.models import StagedFile
from reports.services import (
    ReportedPersonInput,
    ReporterIdentity,
    ReportSubmission,
    report_submit,
    staged_file_prepare,
    staged_files_add,
    staged_files_discard,
    staged_files_keep,
)
from reports.tracking import format_code, new_submission_token, sha256_hex
from rules.models import Election, Violation
from storage.prepare import prepare_upload

logger = logging.getLogger(__name__)

# What InboundMessage.error holds when a message did nothing (anything else: why a file was refused).
RATE_LIMITED, FETCH_FAILED, NOT_KEPT, TOO_MANY, FAULT = "rate_limited", "fetch_failed", "not_kept", "too_many", "fault"
MASK = "[…]"  # what is stored instead of a tracking code or a one-time link
STATUS_RANK = {"queued": 0, "sent": 1, "delivered": 2, "read": 3}
WHATSAPP_WINDOW = timedelta(hours=24)  # the Cloud API's customer-service window
MAX_REPLY = 3000  # characters of a staff reply sent on a channel; the whole of it is on the web page


def sender_key(channel: str, address: str) -> str:
    """A keyed hash of the sender's address: finds the conversation and counts messages, reveals no number."""
    return hmac.new(settings.SECRET_KEY.encode(), f"netral-intake:{channel}:{address}".encode(),
                    hashlib.sha256).hexdigest()


# --- The webhook: store, acknowledge, queue --------------------------------------------------

def inbound_receive(*, channel: str, parsed: Parsed) -> list[int]:
    """Store each message not seen before and queue its processing; apply the delivery statuses.

    The ids of the new rows; a message whose provider id is already stored is left alone.
    """
    stored = []
    for message in parsed.messages:
        try:
            with transaction.atomic():
                row = InboundMessage.objects.create(
                    channel=channel, provider_id=message.provider_id[:200],
                    sender_key=sender_key(channel, message.sender), sender={"address": message.sender},
                    payload=message.as_payload(), received_at=timezone.now())
        except IntegrityError:  # inbound_once_per_provider_id: a retry or a replay
            continue
        stored.append(row.pk)
        transaction.on_commit(lambda pk=row.pk: _enqueue(pk))
    for status in parsed.statuses:
        outbound_status_update(channel=channel, update=status)
    return stored


def _enqueue(message_id: int) -> None:
    from intake import tasks

    tasks.inbound_process_task.enqueue(message_id)


def outbound_status_update(*, channel: str, update: StatusUpdate) -> int:
    """Record what the provider says became of a message we sent; a status never goes back.

    (Providers may deliver "read" before "delivered".) A display of delivery, not a state of
    any record: no audit entry.
    """
    rows = OutboundMessage.objects.filter(conversation__channel=channel, provider_id=update.provider_id)
    if update.status == OutboundMessage.Status.FAILED:
        earlier = ["queued", "sent"]
    else:
        earlier = [status for status, rank in STATUS_RANK.items() if rank < STATUS_RANK.get(update.status, 0)]
    return rows.filter(status__in=earlier).update(status=update.status, status_at=update.at, error=update.error)


# --- The task: fetch, then apply in order ----------------------------------------------------

@dataclass(frozen=True)
class Outgoing:
    outbound_id: int
    channel: str
    address: str
    text: str  # in full: with the code or link the stored text masks


def inbound_process(*, message_id: int) -> None:
    """Process a stored message, and every earlier one of its sender still waiting, in order."""
    message = InboundMessage.objects.filter(pk=message_id, processed_at__isnull=True).first()
    if message is None:
        return  # done already, by the task of a message that came after it
    conversation = _open_conversation(message.channel, message.sender_key, message.sender)
    if message.has_media and message.fetched_at is None:
        _fetch(message, conversation)
    _send(_apply_waiting(message.channel, message.sender_key, sender=message.sender))


def _open_conversation(channel: str, key: str, sender: dict) -> Conversation:
    """The sender's conversation going on, or a new one (two at once make one: the unique constraint)."""
    existing = Conversation.objects.filter(channel=channel, sender_key=key, outcome=Conversation.Outcome.OPEN).first()
    if existing:
        return existing
    now = timezone.now()
    try:
        with transaction.atomic():
            conversation = Conversation.objects.create(channel=channel, sender_key=key, sender=sender,
                                                       token=new_submission_token(), started_at=now,
                                                       last_activity_at=now)
            audit_record(actor=None, actor_kind="reporter", action="intake.conversation_started",
                         target=conversation, data={"channel": channel})
            return conversation
    except IntegrityError:  # conversation_one_open_per_sender: another task made it a moment ago
        return Conversation.objects.get(channel=channel, sender_key=key, outcome=Conversation.Outcome.OPEN)


def _over_rate(message: InboundMessage) -> bool:
    window = settings.NETRAL_INTAKE_RATE_WINDOW
    count = InboundMessage.objects.filter(channel=message.channel, sender_key=message.sender_key,
                                          received_at__gt=message.received_at - window, pk__lte=message.pk).count()
    return count > settings.NETRAL_INTAKE_MESSAGES_PER_WINDOW


def _fetch(message: InboundMessage, conversation: Conversation) -> None:
    """Fetch a file from the provider, check it as the web form does, and stage it for the report."""
    adapter, staged, error = adapter_for(message.channel), None, ""
    limit = settings.NETRAL_EVIDENCE_MAX_BYTES
    media = MediaRef(**message.payload["media"])
    with translation.override(conversation.language):
        if _over_rate(message):
            error = RATE_LIMITED
        elif len(conversation.staged_files) >= settings.NETRAL_EVIDENCE_MAX_FILES:
            error = TOO_MANY
        elif adapter is None or not adapter.carries_media:
            error = FETCH_FAILED
        else:
            try:
                fetched = adapter.fetch_media(media, max_bytes=limit)
                prepared = prepare_upload(SimpleUploadedFile(fetched.name, fetched.data), max_bytes=limit)
                staging = staged_files_add(token=conversation.token, files=[prepared], client=conversation.sender_key)
                staged = staging.kept[0] if staging.kept else None
                error = "" if staged else NOT_KEPT
            except TooLarge:
                error = _("“%(name)s” is larger than %(limit)s, the most a file may be.") % {
                    "name": media.name, "limit": filesizeformat(limit)}
            except ProviderError as failure:
                logger.warning("intake: a file could not be fetched from %s: %s", message.channel, failure)
                error = FETCH_FAILED
            except ValidationError as refused:  # type, damage, size: the web form's own messages
                error = " ".join(refused.messages)
    InboundMessage.objects.filter(pk=message.pk).update(fetched_at=timezone.now(), staged_file=staged, error=error)


def _apply_waiting(channel: str, key: str, *, sender: dict) -> list[Outgoing]:
    """Under the conversation's lock, apply the sender's waiting messages in arrival order.

    Stops at a file its own task has not fetched yet: that task applies it and what follows.
    """
    outgoing: list[Outgoing] = []
    with transaction.atomic():
        conversation = _lock(_open_conversation(channel, key, sender))
        waiting = InboundMessage.objects.filter(channel=channel, sender_key=key, processed_at__isnull=True)
        for message in waiting.order_by("received_at", "id"):
            if message.has_media and message.fetched_at is None:
                break
            if conversation.outcome != Conversation.Outcome.OPEN:  # the message before ended it
                conversation = _lock(_open_conversation(channel, key, message.sender or sender))
            try:
                with transaction.atomic():
                    outgoing += _apply(conversation, message)
            except Exception:  # one broken message must not stop the sender's conversation for good
                logger.exception("intake: message %s could not be processed", message.pk)
                conversation.refresh_from_db()
                message.error = FAULT
                outgoing += _queue(conversation, default_script().text("fault", conversation.language))
            message.processed_at, message.conversation, message.sender = timezone.now(), conversation, None
            message.save(update_fields=["processed_at", "conversation", "sender", "error", "step"])
        if conversation.outcome == Conversation.Outcome.OPEN:
            staged_files_keep(token=conversation.token)
    return outgoing


def _lock(conversation: Conversation) -> Conversation:
    return Conversation.objects.select_for_update().get(pk=conversation.pk)


def _apply(conversation: Conversation, message: InboundMessage) -> list[Outgoing]:
    script = default_script()
    now = timezone.now()
    conversation.last_activity_at = now
    if message.error == RATE_LIMITED or _over_rate(message):
        message.error = RATE_LIMITED
        window = settings.NETRAL_INTAKE_RATE_WINDOW
        conversation.save(update_fields=["last_activity_at"])
        if conversation.rate_notice_at and conversation.rate_notice_at > now - window:
            return []  # one notice per window; the rest is silence
        conversation.rate_notice_at = now
        conversation.save(update_fields=["rate_notice_at"])
        return _queue(conversation, script.text("rate_limited", conversation.language,
                                                minutes=int(window.total_seconds() // 60)))
    message.step = conversation.step  # the question it answers (the transcript hides identity answers)
    payload = message.payload
    if payload.get("kind") == "text" and command_of(payload.get("text", "")) in script.commands["stop"]:
        return _stop_notices(script, conversation, message)
    state = State(step=conversation.step, answers=dict(conversation.answers), language=conversation.language)
    context = selectors.conversation_context(conversation)
    replies, secrets_in = [], []
    if payload.get("kind") == "media":
        if not state.step:  # a photo as the first message: welcome and the first question too
            replies += respond(script, state, Event(kind="text"), context).replies
        replies.append(_file_reply(script, conversation, message, state.language))
    else:
        turn = respond(script, state, Event(kind=payload.get("kind", "text"), text=payload.get("text", ""),
                                            location=payload.get("location"), detail=payload.get("detail", "")),
                       context)
        replies += turn.replies
        if turn.action == "cancel":
            return _discard(conversation, outcome=Conversation.Outcome.CANCELLED,
                            action="intake.conversation_cancelled", replies=replies, current=message)
        if turn.action == "submit":
            replies, secrets_in = _submit(script, conversation, state, context)
    if conversation.outcome == Conversation.Outcome.OPEN:
        conversation.step, conversation.answers, conversation.language = state.step, state.answers, state.language
    conversation.save()
    return [sent for text in replies for sent in _queue(conversation, text, hide=secrets_in)]


def _file_reply(script: Script, conversation: Conversation, message: InboundMessage, language: str) -> str:
    limit = settings.NETRAL_EVIDENCE_MAX_FILES
    if message.error in (FETCH_FAILED, NOT_KEPT):
        return script.text("file_failed" if message.error == FETCH_FAILED else "file_not_kept", language)
    if message.error:
        if message.error == TOO_MANY:
            return script.text("too_many_files", language, limit=limit)
        return script.text("file_refused", language, reason=message.error)
    kept = StagedFile.objects.filter(pk=message.staged_file_id, submission_hash=sha256_hex(conversation.token))
    if message.staged_file_id is None or not kept.exists():  # staged for a conversation that ended before it
        return script.text("file_failed", language)
    if message.staged_file_id not in conversation.staged_files:
        if len(conversation.staged_files) >= limit:
            message.error = TOO_MANY
            return script.text("too_many_files", language, limit=limit)
        conversation.staged_files = [*conversation.staged_files, message.staged_file_id]
    return script.text("file_received", language, count=len(conversation.staged_files), limit=limit)


def _queue(conversation: Conversation, text: str, *, hide=(), kind: str = OutboundMessage.Kind.CONVERSATION
           ) -> list[Outgoing]:
    """An outgoing message, stored (encrypted, with ``hide`` masked) before it is sent after commit."""
    stored = text
    for secret in hide:
        stored = stored.replace(secret, MASK)
    now = timezone.now()
    row = OutboundMessage.objects.create(conversation=conversation, text=stored, status_at=now, created_at=now,
                                         kind=kind, step=conversation.step)
    address = (conversation.sender or {}).get("address", "")
    return [Outgoing(outbound_id=row.pk, channel=conversation.channel, address=address, text=text)]


def _send(outgoing: list[Outgoing]) -> None:
    """Send, in order, what the committed processing queued; each outcome is recorded on its row."""
    for message in outgoing:
        adapter = adapter_for(message.channel)
        rows = OutboundMessage.objects.filter(pk=message.outbound_id)
        try:
            if adapter is None:
                raise ProviderError(f"no provider is configured for {message.channel}")
            provider_id = adapter.send_text(to=message.address, text=message.text)
        except ProviderError as failure:
            logger.warning("intake: a reply could not be sent on %s: %s", message.channel, failure)
            rows.update(status=OutboundMessage.Status.FAILED, status_at=timezone.now(), error=str(failure)[:500])
        else:
            rows.filter(status=OutboundMessage.Status.QUEUED).update(
                status=OutboundMessage.Status.SENT, status_at=timezone.now(), provider_id=provider_id[:200])


# --- The end of a conversation -----------------------------------------------------------------

def _submission(conversation: Conversation, answers: dict) -> ReportSubmission:
    identity = None
    if answers.get("identified"):
        contact = answers.get("reporter_contact") or {}
        identity = ReporterIdentity(name=answers["reporter_name"], address=contact.get("address", ""),
                                    phone=contact.get("phone", ""), email=contact.get("email", ""))
    place, location = answers["place"], answers.get("location")
    if location and f"{location['latitude']}" not in place:
        place = f"{place} ({location['latitude']:.5f}, {location['longitude']:.5f})"[:300]
    staged = StagedFile.objects.filter(pk__in=conversation.staged_files, submission_hash=sha256_hex(conversation.token))
    order = {pk: index for index, pk in enumerate(conversation.staged_files)}
    files = [staged_file_prepare(staged=row) for row in sorted(staged, key=lambda row: order[row.pk])]
    return ReportSubmission(
        election=Election.objects.get(pk=answers["election"]), region=Region.objects.get(pk=answers["region"]["pk"]),
        place=place, known_on=date.fromisoformat(answers["known_on"]), description=answers["description"],
        reporter=identity, occurred_on=date.fromisoformat(answers["occurred_on"]) if answers.get("occurred_on") else None,
        reported=[ReportedPersonInput(name=answers["person_name"], position=answers.get("person_position") or "",
                                      unit=answers.get("person_unit") or "")],
        violations=list(Violation.objects.filter(pk__in=answers.get("violations") or [], active=True)),
        files=files, channel=conversation.channel,
    )


def _submit(script: Script, conversation: Conversation, state: State, context) -> tuple[list[str], list[str]]:
    """File the report; the replies (number, code, link) and the secrets among them."""
    language = state.language
    try:
        with transaction.atomic(), translation.override(language):
            receipt = report_submit(submission=_submission(conversation, state.answers),
                                    submission_token=conversation.token)
    except ValidationError as refused:
        return [script.text("submit_failed", language, reason=" ".join(refused.messages)),
                prompt(script, state, context)], []
    report, code = receipt.report, format_code(receipt.code) if receipt.code else MASK
    url = settings.NETRAL_PUBLIC_URL + reverse("reports:track")
    replies, hidden = [script.text("receipt", language, number=report.number, code=code, url=url)], [code]
    if context.carries_media:
        replies.append(script.text("receipt_files", language, count=report.attachments.count()))
    else:
        link, until = _upload_link(conversation)
        with translation.override(language):
            when = formats.date_format(timezone.localtime(until), "DATETIME_FORMAT")
        replies.append(script.text("sms_link", language, link=link, until=when))
        hidden.append(link)
    conversation.report, conversation.outcome = report, Conversation.Outcome.COMPLETED
    conversation.ended_at, conversation.step = timezone.now(), ""
    # The report holds the answers now; the conversation keeps only the way to write back.
    conversation.answers, conversation.staged_files, conversation.token = {}, [], ""
    audit_record(actor=None, actor_kind="reporter", action="intake.conversation_completed", target=conversation,
                 data={"channel": conversation.channel, "report": report.pk, "number": report.number})
    return replies, hidden


def _upload_link(conversation: Conversation) -> tuple[str, object]:
    token = secrets.token_urlsafe(32)
    until = timezone.now() + settings.NETRAL_INTAKE_LINK_LIFE
    conversation.upload_link_hash, conversation.upload_link_until = sha256_hex(token), until
    return settings.NETRAL_PUBLIC_URL + reverse("intake:upload_link", args=[token]), until


def _discard(conversation: Conversation, *, outcome: str, action: str, replies=(),
             current: InboundMessage | None = None) -> list[Outgoing]:
    """End a conversation without a report: its answers, files, messages' text and number are erased."""
    files = len(conversation.staged_files)
    if conversation.token:
        staged_files_discard(token=conversation.token)
    outgoing = [sent for text in replies for sent in _queue(conversation, text)]  # the address is still known here
    InboundMessage.objects.filter(conversation=conversation).update(payload={})
    OutboundMessage.objects.filter(conversation=conversation).update(text="")
    if current is not None:
        current.payload = {}
        InboundMessage.objects.filter(pk=current.pk).update(payload={})
    conversation.outcome, conversation.ended_at, conversation.step = outcome, timezone.now(), ""
    conversation.answers, conversation.staged_files, conversation.token, conversation.sender = {}, [], "", {}
    conversation.save()
    audit_record(actor=None, actor_kind="reporter" if outcome == Conversation.Outcome.CANCELLED else None,
                 action=action, target=conversation, data={"channel": conversation.channel, "files": files})
    return outgoing


def conversations_abandoned_purge(*, older_than=None) -> int:
    """Discard the conversations silent for NETRAL_INTAKE_ABANDON_AFTER (24 hours), with their files (daily).

    No message goes out: the reporter left, and WhatsApp allows no free text 24 hours after
    the reporter's last message anyway.
    """
    cutoff = timezone.now() - (older_than or settings.NETRAL_INTAKE_ABANDON_AFTER)
    idle = Conversation.objects.filter(outcome=Conversation.Outcome.OPEN, last_activity_at__lt=cutoff)
    count = 0
    for pk in idle.values_list("pk", flat=True):
        with transaction.atomic():
            conversation = idle.select_for_update().filter(pk=pk).first()
            if conversation is not None:  # a message may have come in since
                _discard(conversation, outcome=Conversation.Outcome.ABANDONED, action="intake.conversation_abandoned")
                count += 1
    return count


# --- After the report: BERHENTI, staff replies and news notices on the same channel --------------

def _stop_notices(script: Script, conversation: Conversation, message: InboundMessage) -> list[Outgoing]:
    """BERHENTI: no staff reply or notice goes out to this sender on this channel any more.

    Every conversation of the sender on the channel is marked, the one going on too (its report
    will not be followed here either). A BERHENTI that opened a new conversation ends it at once.
    """
    now = timezone.now()
    stopped = (Conversation.objects.filter(channel=conversation.channel, sender_key=conversation.sender_key,
                                           notices_stopped_at__isnull=True)
               .update(notices_stopped_at=now))
    conversation.notices_stopped_at = now
    audit_record(actor=None, actor_kind="reporter", action="intake.notices_stopped", target=conversation,
                 data={"channel": conversation.channel, "conversations": stopped})
    reply = script.text("notices_stopped", conversation.language)
    if not conversation.step:  # nothing asked yet: BERHENTI was the whole conversation
        return _discard(conversation, outcome=Conversation.Outcome.CANCELLED, action="intake.conversation_cancelled",
                        replies=[reply], current=message)
    conversation.save()
    state = State(step=conversation.step, answers=dict(conversation.answers), language=conversation.language)
    return [sent for text in (reply, prompt(script, state, selectors.conversation_context(conversation)))
            for sent in _queue(conversation, text)]


def whatsapp_window_open(conversation: Conversation, *, now=None) -> bool:
    """Whether WhatsApp still takes free text: the sender wrote to us within the last 24 hours.

    (The Cloud API's customer-service window opens with each message of the user; after it,
    only approved templates may be sent.)
    """
    now = now or timezone.now()
    return InboundMessage.objects.filter(channel=conversation.channel, sender_key=conversation.sender_key,
                                         received_at__gt=now - WHATSAPP_WINDOW).exists()


def report_news_queue(*, report, kind: str, body: str = "") -> OutboundMessage | None:
    """Tell a chat reporter on their channel that staff wrote (``kind`` "reply") or that there is news.

    Called inside the change's transaction (reports.signals.report_news); the message is stored
    queued and sent by a task once that commits. A staff reply goes out in full where the
    channel allows it (WhatsApp: within its 24-hour window), else, like any news, as a short
    notice with no content and no code. Nothing goes out after BERHENTI, for a withdrawn
    conversation's erased address, or for a report that did not come by chat. Stored without a
    code, as every outgoing text. A delivery, not a state of the report: no audit entry here
    (the reply or status change that caused it has its own).
    """
    conversation = Conversation.objects.filter(report=report, outcome=Conversation.Outcome.COMPLETED).first()
    if conversation is None or conversation.notices_stopped_at or not (conversation.sender or {}).get("address"):
        return None
    script, url = default_script(), settings.NETRAL_PUBLIC_URL + reverse("reports:track")
    full = kind == "reply" and body.strip() and (
        conversation.channel != "whatsapp" or whatsapp_window_open(conversation))
    if full:
        text = script.text("staff_reply", conversation.language, body=body.strip()[:MAX_REPLY], url=url)
        message_kind = OutboundMessage.Kind.REPLY
    else:
        text = script.text("news_notice", conversation.language, url=url)
        message_kind = OutboundMessage.Kind.NOTICE
    now = timezone.now()
    row = OutboundMessage.objects.create(conversation=conversation, text=text, kind=message_kind, status_at=now,
                                         created_at=now)
    transaction.on_commit(lambda: _enqueue_send(row.pk))
    return row


def _enqueue_send(outbound_id: int) -> None:
    from intake import tasks

    tasks.outbound_send_task.enqueue(outbound_id)


def outbound_send(*, outbound_id: int) -> None:
    """Send a queued staff reply or notice (the task); its outcome is recorded on its row."""
    row = (OutboundMessage.objects.filter(pk=outbound_id, status=OutboundMessage.Status.QUEUED)
           .select_related("conversation").first())
    if row is None:
        return  # sent already, by an earlier run of the task
    conversation = row.conversation
    if conversation.notices_stopped_at:  # BERHENTI came between the reply and the send
        OutboundMessage.objects.filter(pk=row.pk).update(status=OutboundMessage.Status.FAILED,
                                                         status_at=timezone.now(), error="stopped by the reporter")
        return
    address = (conversation.sender or {}).get("address", "")
    _send([Outgoing(outbound_id=row.pk, channel=conversation.channel, address=address, text=row.text)])


# --- The one-time link of an SMS reporter --------------------------------------------------------

def upload_link_report(token: str):
    """The report an unused, unexpired one-time link opens, or None."""
    if not token or len(token) > 100:
        return None
    conversation = (Conversation.objects.filter(upload_link_hash=sha256_hex(token), upload_link_used_at__isnull=True,
                                                upload_link_until__gt=timezone.now(), report__isnull=False)
                    .select_related("report").first())
    return conversation.report if conversation else None


@transaction.atomic
def upload_link_use(*, token: str):
    """Spend the one-time link: the report it opens (once), or None."""
    if not token or len(token) > 100:
        return None
    conversation = (Conversation.objects.select_for_update()
                    .filter(upload_link_hash=sha256_hex(token), upload_link_used_at__isnull=True,
                            upload_link_until__gt=timezone.now(), report__isnull=False).first())
    if conversation is None:
        return None
    conversation.upload_link_used_at = timezone.now()
    conversation.save(update_fields=["upload_link_used_at"])
    audit_record(actor=None, actor_kind="reporter", action="intake.upload_link_used", target=conversation.report,
                 data={"conversation": conversation.pk})
    return conversation.report
