"""Staff pages of the register exchange: upload, mapping, preview, commit, export, log. Thin."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRefresh

from accounts.decorators import staff_view
from accounts.permissions import Capability
from netral.files import file_response
from netral.forms import pick_search
from organizations.forms import agency_pick
from registry.forms import AddUnitForm, CommitForm, ExportForm, MappingForm, UploadForm
from registry.models import ImportJob, ImportRow
from registry.selectors import (
    access_import_job,
    exchange_log_for,
    import_job_list_for,
    import_missing_units,
    import_rows,
    register_agencies_for,
)
from registry.services.export import register_export
from registry.services.import_jobs import (
    import_job_cancel,
    import_job_commit,
    import_job_create,
    import_job_preview,
    import_job_reread,
    import_job_sample,
    import_unit_add,
)

SAMPLE_ROWS = 10


def _home(request, *, upload_form=None, export_form=None, status=200):
    agencies = register_agencies_for(request.user)
    page = Paginator(import_job_list_for(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "registry/home.html", {
        "page": page,
        "upload_form": upload_form or UploadForm(agencies=agencies),
        "export_form": export_form or ExportForm(agencies=agencies),
    }, status=status)


@require_GET
@staff_view(Capability.EXCHANGE_REGISTER)
def home(request):
    return _home(request)


@require_GET
@staff_view(Capability.EXCHANGE_REGISTER)
def agency_search(request):
    """htmx: a few agencies, named like what was typed, whose register this account may exchange (issue 20)."""
    return pick_search(request, pick=agency_pick(register_agencies_for(request.user)))


@require_POST
@staff_view(Capability.EXCHANGE_REGISTER)
def upload(request):
    form = UploadForm(request.POST, request.FILES, agencies=register_agencies_for(request.user))
    if form.is_valid():
        try:
            job = import_job_create(actor=request.user, agency=form.chosen_agency(),
                                    upload=form.cleaned_data["file"])
        except ValidationError as error:
            form.add_error("file", error)
        else:
            return redirect(job)
    return _home(request, upload_form=form, status=400)


@require_POST
@staff_view(Capability.EXCHANGE_REGISTER)
def export(request):
    form = ExportForm(request.POST, agencies=register_agencies_for(request.user))
    if not form.is_valid():
        return _home(request, export_form=form, status=400)
    agency = form.chosen_agency()
    out, _count, _digest = register_export(actor=request.user, agency=agency,
                                           file_format=form.cleaned_data["format"])
    file_format = form.cleaned_data["format"]
    content_type = ("text/csv; charset=utf-8" if file_format == "csv"
                    else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    return file_response(out, filename=f"register-asn-{agency.pk}.{file_format}", content_type=content_type)


def _samples(job):
    if job.state != ImportJob.State.PREVIEWED and job.state != ImportJob.State.COMMITTED:
        return {}
    return {status: list(import_rows(job, status)[:SAMPLE_ROWS])
            for status in (ImportRow.Status.INVALID, ImportRow.Status.NEW, ImportRow.Status.CHANGED,
                           ImportRow.Status.LEAVING)}


def _detail(request, job, *, mapping_form=None, commit_form=None, status=200):
    context = {"job": job, "samples": _samples(job), "commit_form": commit_form or CommitForm(leaving=job.rows_leaving)}
    if job.state == ImportJob.State.PREVIEWED and job.rows_invalid and job.format != ImportJob.Format.ROWS:
        context["missing_units"] = import_missing_units(job)
    # Rows sent by a system (the API) have no columns to map again.
    if job.state in {ImportJob.State.MAPPING, ImportJob.State.FAILED} and job.format != ImportJob.Format.ROWS:
        form = context["mapping_form"] = mapping_form or MappingForm(job=job)
        sample = import_job_sample(job=job)
        context["columns"] = [(field, [row[index] for row in sample if index < len(row)])
                              for index, field in enumerate(form.column_fields())]
    return render(request, "registry/import_detail.html", context, status=status)


@require_GET
@staff_view(Capability.EXCHANGE_REGISTER)
def import_detail(request, pk):
    return _detail(request, access_import_job(request.user, pk))


@require_GET
@staff_view(Capability.EXCHANGE_REGISTER)
def import_progress(request, pk):
    """The progress fragment the page polls; a finished job makes the page reload itself."""
    job = access_import_job(request.user, pk)
    if request.htmx and not job.running:
        return HttpResponseClientRefresh()
    return render(request, "registry/_progress.html", {"job": job})


@require_POST
@staff_view(Capability.EXCHANGE_REGISTER)
def import_mapping(request, pk):
    job = access_import_job(request.user, pk)
    form = MappingForm(request.POST, job=job)
    if form.is_valid():
        try:
            if form.reading_changed():
                import_job_reread(job=job, actor=request.user, encoding=form.cleaned_data["encoding"],
                                  delimiter=form.cleaned_data["delimiter"])
                messages.info(request, _("The file was read again; check the columns."))
            else:
                import_job_preview(job=job, actor=request.user, mapping=form.mapping())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect(job)
    return _detail(request, job, mapping_form=form, status=400)


@require_POST
@staff_view(Capability.EXCHANGE_REGISTER)
def import_remap(request, pk):
    """Back from a preview to the mapping (the staged rows are dropped)."""
    job = access_import_job(request.user, pk)
    try:
        import_job_reread(job=job, actor=request.user, encoding=job.encoding,
                          delimiter=job.delimiter or "auto")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(job)


@require_POST
@staff_view(Capability.EXCHANGE_REGISTER)
def import_commit(request, pk):
    job = access_import_job(request.user, pk)
    form = CommitForm(request.POST, leaving=job.rows_leaving)
    if form.is_valid():
        try:
            import_job_commit(job=job, actor=request.user, full_export=form.cleaned_data["full_export"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(job)
    return _detail(request, job, commit_form=form, status=400)


@require_POST
@staff_view(Capability.EXCHANGE_REGISTER)
def import_add_unit(request, pk):
    """Add a unit that refused rows name, from the preview; the file is previewed again."""
    job = access_import_job(request.user, pk)
    form = AddUnitForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a unit from the list."))
        return redirect(job)
    try:
        unit = import_unit_add(job=job, actor=request.user, name=form.cleaned_data["name"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The unit “%(unit)s” was added to %(agency)s; the file is being previewed "
                                    "again.") % {"unit": unit.name, "agency": job.agency.name})
    return redirect(job)


@require_POST
@staff_view(Capability.EXCHANGE_REGISTER)
def import_cancel(request, pk):
    job = access_import_job(request.user, pk)
    try:
        import_job_cancel(job=job, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(job)
    messages.success(request, _("The import was cancelled; the register was not changed."))
    return redirect("registry:home")


@require_GET
@staff_view(Capability.EXCHANGE_REGISTER)
def import_row_list(request, pk, status):
    job = access_import_job(request.user, pk)
    if status not in ImportRow.Status.values:
        raise Http404
    page = Paginator(import_rows(job, status), 50).get_page(request.GET.get("page"))
    return render(request, "registry/import_rows.html", {
        "job": job, "page": page, "status": status, "status_label": ImportRow.Status(status).label})


@require_http_methods(["GET"])
@staff_view(Capability.EXCHANGE_REGISTER)
def exchange_log(request):
    page = Paginator(exchange_log_for(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "registry/exchange_log.html", {"page": page})
