"""Partner API tokens: each acts as one partner account, narrowed to named scopes.

The secret is shown once when the token is made and stored only as its SHA-256 (the
secret has 192 random bits, so a fast hash is enough); the prefix names the token in
lists and in the audit log.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    CASES_READ = "cases:read", _("Read cases and their status")
    RECOMMENDATIONS_READ = "recommendations:read", _("Read recommendations")
    RECOMMENDATIONS_WRITE = "recommendations:write", _("Acknowledge recommendations and record PPK decisions")
    REGISTER_READ = "register:read", _("Export the ASN register")
    REGISTER_WRITE = "register:write", _("Update the ASN register")
    EXCHANGE_READ = "exchange:read", _("Read the exchange log")
    REPORTS_SUBMIT = "reports:submit", _("Hand in reports from a complaint system and read their public status")


class PartnerToken(models.Model):
    name = models.CharField(_("name"), max_length=100, help_text=_("What the token is for, e.g. SIMPEG BKPSDM."))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("partner account"), on_delete=models.PROTECT,
                             related_name="api_tokens")
    prefix = models.CharField(max_length=16, unique=True)
    key_hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(_("scopes"), default=list)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.name} ({self.prefix})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now() and self.user.is_active


class PartnerReport(models.Model):
    """A report a partner system handed in (channel ``partner``): which token sent it, under which key.

    The row is written in the report's transaction. ``key_hash`` is the SHA-256 of the call's
    Idempotency-Key and ``body_hash`` a fingerprint of its fields and files: the same key with
    the same body returns this report, with another body it is refused. Never shown publicly;
    the report's own audit entry (``report.submitted``) and ``api.report_received`` name the
    token's prefix too.
    """

    token = models.ForeignKey(PartnerToken, verbose_name=_("API token"), on_delete=models.PROTECT,
                              related_name="reports")
    report = models.OneToOneField("reports.Report", verbose_name=_("report"), on_delete=models.CASCADE,
                                  related_name="partner_submission")
    key_hash = models.CharField(max_length=64)
    body_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("report from a partner system")
        verbose_name_plural = _("reports from partner systems")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["token", "key_hash"], name="partner_report_once_per_key")]

    def __str__(self):
        return f"{self.report_id} ({self.token_id})"
