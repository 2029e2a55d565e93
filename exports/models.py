import hashlib
import json
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from exports.kinds import export_kind


def export_life() -> timedelta:
    return getattr(settings, "NETRAL_EXPORT_LIFE", timedelta(hours=24))


def params_key(params: dict) -> str:
    """The SHA-256 of ``params`` as canonical JSON (the same parameters, the same key)."""
    return hashlib.sha256(json.dumps(params, sort_keys=True, separators=(",", ":"), default=str).encode()).hexdigest()


def _expires_at():
    return timezone.now() + export_life()


class ExportJob(models.Model):
    """One file asked for by one staff member, built in the background (``exports.tasks``).

    The worker updates ``progress`` every batch; the page polls it. The file is the asker's
    alone (``exports.selectors.access_export_job``) and goes at ``expires_at`` with its row
    (``manage.py purge_exports``, daily).
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Being built")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    RUNNING_STATES = frozenset({State.QUEUED, State.RUNNING})

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("asked by"), on_delete=models.CASCADE,
                                   related_name="+")
    created_at = models.DateTimeField(_("asked at"), default=timezone.now)
    kind = models.CharField(_("kind"), max_length=60)
    params = models.JSONField(_("parameters"), default=dict)
    # The SHA-256 of the parameters as canonical JSON: one running job per (person, kind, parameters).
    params_key = models.CharField(max_length=64)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    file = models.FileField(_("file"), upload_to="exports/%Y/%m/", max_length=200, blank=True)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    size = models.BigIntegerField(_("size"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    error = models.TextField(_("error"), blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), default=_expires_at, db_index=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["created_by", "-created_at"])]
        constraints = [
            # A double click makes no second job: the second insert fails and the first job is shown.
            models.UniqueConstraint(fields=["created_by", "kind", "params_key"],
                                    condition=Q(state__in=["queued", "running"]), name="export_one_running"),
        ]

    def __str__(self):
        return f"{self.kind} #{self.pk} ({self.created_at:%Y-%m-%d %H:%M})"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("exports:detail", args=[self.pk])

    @property
    def running(self) -> bool:
        return self.state in self.RUNNING_STATES

    @property
    def ready(self) -> bool:
        """Built and not yet expired (the daily purge may come up to a day later: the file is no longer served)."""
        return self.state == self.State.READY and bool(self.file) and self.expires_at > timezone.now()

    @property
    def kind_label(self):
        kind = export_kind(self.kind)
        return kind.label if kind else self.kind
