"""Notices and circulars from a Pemda to the ASN of chosen units (seed 000, work plan 3), and each delivery."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from organizations.models import Agency, Unit
from registry.models import Employee


class AsnNotice(models.Model):
    class Kind(models.TextChoices):
        NOTICE = "notice", _("Notice (pemberitahuan)")
        CIRCULAR = "circular", _("Circular (surat edaran)")

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        DONE = "done", _("Sent")

    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="asn_notices")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.NOTICE)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    units = models.ManyToManyField(Unit, verbose_name=_("units"), related_name="+")
    attachment = models.FileField(_("attachment (PDF)"), upload_to="prevention/notices/%Y/", blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notice to ASN")
        verbose_name_plural = _("notices to ASN")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.subject

    def get_absolute_url(self):
        return reverse("prevention:notice_detail", args=[self.pk])


class NoticeDelivery(models.Model):
    """One recipient of a notice: the e-mail address as it was when sent, and what became of it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        NO_EMAIL = "no_email", _("No e-mail in the register")

    notice = models.ForeignKey(AsnNotice, on_delete=models.CASCADE, related_name="deliveries")
    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="+")
    email = models.EmailField(_("e-mail"), max_length=254, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    error = models.CharField(_("error"), max_length=300, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["notice", "employee"], name="notice_delivery_once")]
        indexes = [models.Index(fields=["notice", "status"])]
