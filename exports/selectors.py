"""Which exports a staff member sees: their own, and only while the kind still lets them read it."""

from django.http import Http404
from django.utils import timezone

from exports.kinds import export_kind
from exports.models import ExportJob, params_key


def access_export_job(user, pk) -> ExportJob:
    """The job ``pk`` if ``user`` asked for it and still passes its kind's access check (role and
    jurisdiction: a file built for one jurisdiction does not follow its reader to another); 404 otherwise."""
    try:
        job = ExportJob.objects.filter(pk=int(pk), created_by=user).first()
    except (TypeError, ValueError, OverflowError):
        raise Http404 from None
    kind = export_kind(job.kind) if job is not None else None
    if kind is None or not kind.may_access(user, job.params):
        raise Http404
    return job


def latest_export_job(user, *, kind: str, params: dict) -> ExportJob | None:
    """``user``'s last job of ``kind`` with exactly ``params``, not yet expired (a page shows it beside its button)."""
    return (ExportJob.objects.filter(created_by=user, kind=kind, params_key=params_key(params),
                                     expires_at__gt=timezone.now()).order_by("-created_at", "-pk").first())


def own_export_jobs(user):
    """``user``'s exports, newest first (the list page; a kind's access is checked per download)."""
    return ExportJob.objects.filter(created_by=user).order_by("-created_at", "-pk")
