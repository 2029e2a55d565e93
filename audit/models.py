from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One state change or sensitive read. Append-only; each entry commits to the previous.

    ``hash`` is SHA-256 over the previous entry's hash and this entry's canonical content
    (see audit.chain), so editing or deleting any entry breaks every later hash.
    """

    class ActorKind(models.TextChoices):
        STAFF = "staff", _("Staff")
        REPORTER = "reporter", _("Reporter")
        SYSTEM = "system", _("System")

    created_at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    actor_kind = models.CharField(_("actor kind"), max_length=10, choices=ActorKind.choices)
    action = models.CharField(_("action"), max_length=64, db_index=True)
    target_type = models.CharField(_("target type"), max_length=64)
    target_id = models.CharField(_("target id"), max_length=64)
    data = models.JSONField(_("data"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_type}:{self.target_id}"


class ChainHead(models.Model):
    """A single row locked while appending, so that concurrent writers chain in order."""

    last_hash = models.CharField(max_length=64, default="0" * 64)
