"""A staff member's exports: the list, one export's page, its progress fragment, its download.

Every view goes through ``exports.selectors.access_export_job``: another person's export, or
one whose kind no longer lets this person read it, is a 404.
"""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.decorators import staff_view
from accounts.permissions import Capability
from exports.kinds import export_kind
from exports.selectors import access_export_job, own_export_jobs
from exports.services import export_job_downloaded
from netral.files import file_response

PAGE_SIZE = 25


@require_GET
@staff_view(Capability.USE_STAFF_PAGES)
def export_list(request):
    page = Paginator(own_export_jobs(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "exports/list.html", {"page": page, "querystring": ""})


@require_GET
@staff_view(Capability.USE_STAFF_PAGES)
def export_detail(request, pk):
    job = access_export_job(request.user, pk)
    kind = export_kind(job.kind)
    return render(request, "exports/detail.html", {
        "job": job, "source_url": kind.source_url(job.params) if kind.source_url else ""})


@require_GET
@staff_view(Capability.USE_STAFF_PAGES)
def export_progress(request, pk):
    """The fragment the page polls every second while the job is queued or being built."""
    return render(request, "exports/_job.html", {"job": access_export_job(request.user, pk)})


@require_GET
@staff_view(Capability.USE_STAFF_PAGES)
def export_download(request, pk):
    job = access_export_job(request.user, pk)
    if not job.ready:
        raise Http404
    export_job_downloaded(job=job, actor=request.user)
    return file_response(job.file, filename=job.filename, content_type=export_kind(job.kind).content_type)
