"""Messages in and out of the messaging channels, and the conversations they make.

Nothing here holds a phone number or a chat id in clear: a sender is known by a keyed hash
(``sender_key``, to find its conversation and count its messages) and, where Netral must
write back, by its address encrypted like a reporter's identity. What the reporter wrote
and what Netral answered are encrypted too: answers carry names and contacts.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from netral.crypto import EncryptedJSONField
from reports.models import Report, StagedFile


class Channel(models.TextChoices):
    """The messaging channels, named as reports.Report.Channel names them."""

    WHATSAPP = Report.Channel.WHATSAPP.value, Report.Channel.WHATSAPP.label
    TELEGRAM = Report.Channel.TELEGRAM.value, Report.Channel.TELEGRAM.label
    SMS = Report.Channel.SMS.value, Report.Channel.SMS.label
    EMAIL = Report.Channel.EMAIL.value, Report.Channel.EMAIL.label


class Conversation(models.Model):
    """One reporter's way through the questions, from the first message to a report (or not)."""

    class Outcome(models.TextChoices):
        OPEN = "open", _("going on")
        COMPLETED = "completed", _("became a report")
        CANCELLED = "cancelled", _("cancelled by the reporter")
        ABANDONED = "abandoned", _("abandoned")

    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    sender_key = models.CharField(max_length=64)
    # {"address": ...}: where replies go (phone number, chat id). Encrypted like an identity.
    sender = EncryptedJSONField(_("sender"))
    language = models.CharField(_("language"), max_length=2, default="id")
    step = models.CharField(_("current question"), max_length=40, blank=True)
    answers = EncryptedJSONField(_("answers"), default=dict)
    # The signed submission token (reports.tracking) under which the files wait and the report is
    # filed: the same token twice files one report. Encrypted: with the secret key it gives the code.
    token = EncryptedJSONField()
    staged_files = models.JSONField(_("files waiting"), default=list)  # reports.StagedFile ids, in order
    started_at = models.DateTimeField(_("started at"))
    last_activity_at = models.DateTimeField(_("last message at"), db_index=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.OPEN)
    report = models.OneToOneField(Report, verbose_name=_("report"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="conversation")
    rate_notice_at = models.DateTimeField(null=True, blank=True)  # the last "too many messages" notice
    # The reporter sent BERHENTI: no staff reply or notice goes out on the channel any more (the web page stays).
    notices_stopped_at = models.DateTimeField(_("notices stopped at"), null=True, blank=True)
    # SMS carries no files: a one-time link to the report's tracking page (SHA-256 only).
    upload_link_hash = models.CharField(max_length=64, blank=True, db_index=True)
    upload_link_until = models.DateTimeField(null=True, blank=True)
    upload_link_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        ordering = ["-started_at", "-id"]
        constraints = [
            # One conversation going on per sender and channel: two first messages at once make one.
            models.UniqueConstraint(fields=["channel", "sender_key"], condition=Q(outcome="open"),
                                    name="conversation_one_open_per_sender"),
        ]
        indexes = [models.Index(fields=["outcome", "last_activity_at"], name="conversation_idle")]

    def __str__(self):
        return f"{self.get_channel_display()} #{self.pk}"


class InboundMessage(models.Model):
    """A message as the provider delivered it, stored once per provider id before it is processed."""

    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    provider_id = models.CharField(_("provider's message id"), max_length=200)
    sender_key = models.CharField(max_length=64)
    # The sender's address until the message is processed (its conversation keeps it then).
    sender = EncryptedJSONField(null=True, blank=True)
    # The normalized message: kind, text, media reference, location. Nothing else of the payload.
    payload = EncryptedJSONField(default=dict)
    conversation = models.ForeignKey(Conversation, null=True, blank=True, on_delete=models.CASCADE,
                                     related_name="inbound")
    received_at = models.DateTimeField(_("received at"))
    # Media: fetched from the provider, checked and staged before the message is processed.
    fetched_at = models.DateTimeField(null=True, blank=True)
    staged_file = models.ForeignKey(StagedFile, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    processed_at = models.DateTimeField(_("processed at"), null=True, blank=True)
    # Why the message did nothing: a refused file (in the reporter's words), a rate limit, a fault.
    error = models.TextField(_("error"), blank=True)
    # The question it answered: the transcript hides the answers that are the reporter's identity.
    step = models.CharField(max_length=40, blank=True)

    class Meta:
        verbose_name = _("incoming message")
        verbose_name_plural = _("incoming messages")
        ordering = ["received_at", "id"]
        constraints = [
            # A provider's retry, or a replayed webhook, stores nothing twice.
            models.UniqueConstraint(fields=["channel", "provider_id"], name="inbound_once_per_provider_id"),
        ]
        indexes = [
            models.Index(fields=["channel", "sender_key", "received_at"], name="inbound_by_sender"),
            models.Index(fields=["processed_at"], name="inbound_pending"),
        ]

    @property
    def has_media(self) -> bool:
        return self.payload.get("kind") == "media"


class OutboundMessage(models.Model):
    """A message Netral sent to a reporter, with what the provider said of its delivery."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENT = "sent", _("sent")
        DELIVERED = "delivered", _("delivered")
        READ = "read", _("read")
        FAILED = "failed", _("failed")

    class Kind(models.TextChoices):
        CONVERSATION = "conversation", _("in the conversation")
        REPLY = "reply", _("staff reply")
        NOTICE = "notice", _("news notice")

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="outbound")
    # Encrypted; a tracking code is never stored in it (the code is put in only when sending).
    text = EncryptedJSONField(_("text"))
    provider_id = models.CharField(_("provider's message id"), max_length=200, blank=True, db_index=True)
    status = models.CharField(_("delivery status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    status_at = models.DateTimeField(_("status changed at"))
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("written at"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.CONVERSATION)
    # The question the conversation was at: the summary (confirm) of an identified report names the reporter.
    step = models.CharField(max_length=40, blank=True)

    class Meta:
        verbose_name = _("outgoing message")
        verbose_name_plural = _("outgoing messages")
        ordering = ["created_at", "id"]
