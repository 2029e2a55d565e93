"""The unit checklist (seed 001): a unit head's own page, and each unit's progress for the province.

The unit page is open to the unit's head (who records) and to whoever reads the unit's
progress (read-only); ``prevention.checklist.access_checklist_unit`` decides, 404 for a
foreign unit. The progress table and its export need ``see_unit_progress``.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import staff_view
from accounts.permissions import Capability, can
from netral.files import file_response
from netral.forms import add_service_errors, pick_search
from organizations.forms import agency_pick
from prevention import checklist
from prevention.checklist_export import progress_export_latest, progress_export_request
from prevention.checklist_forms import ChecklistItemForm, ProgressFilterForm
from prevention.views.common import paginate


def _election(request):
    elections = checklist.checklist_elections()
    chosen = request.GET.get("election", "")
    return elections.filter(pk=chosen).first() if chosen else elections.first()


def _unit_url(unit, election) -> str:
    url = reverse("prevention:checklist_unit", args=[unit.pk])
    return f"{url}?election={election.pk}" if election else url


@require_GET
@staff_view(Capability.USE_STAFF_PAGES)
def checklist_home(request):
    """A unit head goes to their unit's checklist; a reader to the units' progress."""
    user = request.user
    if can(user, Capability.RECORD_UNIT_CHECKLIST):
        return redirect(reverse("prevention:checklist_unit", args=[user.unit_id]))
    if can(user, Capability.SEE_UNIT_PROGRESS):
        return redirect("prevention:checklist_progress")
    raise PermissionDenied


def _initial(state, election) -> dict:
    record = state.record
    if record is None:
        return {"election": election}
    return {"election": election, "done": record.done, "done_on": record.done_on, "event": record.event_id,
            "channel": record.channel, "place": record.place, "banner": record.banner_id,
            "evidence_url": record.evidence_url, "note": record.note}


def _unit_page(request, unit, election, *, can_record, bound=None, status=200):
    states = checklist.unit_checklist(unit=unit, election=election) if election else []
    forms = {}
    if can_record and election:
        events = checklist.unit_events(unit=unit, election=election)
        banners = checklist.unit_banners(unit=unit, election=election)
        for state in states:
            if bound is not None and bound.item == state.item:
                forms[state.item] = bound
            else:
                forms[state.item] = ChecklistItemForm(item=state.item, events=events, banners=banners,
                                                      initial=_initial(state, election))
    return render(request, "prevention/staff/checklist_unit.html", {
        "unit": unit, "election": election, "elections": checklist.checklist_elections(),
        "items": [(state, forms.get(state.item)) for state in states], "can_record": can_record,
        "pledges": checklist.unit_pledge_count(unit=unit, election=election) if election else None,
        "open_item": bound.item if bound is not None else "",
    }, status=status)


@require_GET
@staff_view(Capability.USE_STAFF_PAGES)
def checklist_unit(request, pk):
    unit, can_record = checklist.access_checklist_unit(request.user, pk)
    return _unit_page(request, unit, _election(request), can_record=can_record)


@require_POST
@staff_view(Capability.RECORD_UNIT_CHECKLIST)
def checklist_record(request, pk, item):
    unit, can_record = checklist.access_checklist_unit(request.user, pk)
    if item not in checklist.ITEMS or not can_record:
        raise Http404
    # The form's own (prefixed) election picks the events and banners it may link.
    elections = checklist.checklist_elections()
    election = elections.filter(pk=request.POST.get(f"{item}-election", "")).first() or elections.first()
    form = ChecklistItemForm(request.POST, request.FILES, item=item,
                             events=checklist.unit_events(unit=unit, election=election),
                             banners=checklist.unit_banners(unit=unit, election=election))
    if form.is_valid():
        election = form.cleaned_data["election"]
        try:
            checklist.checklist_item_record(actor=request.user, unit=unit, election=election, item=item,
                                            **form.service_arguments())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved: %(item)s.") % {"item": form.fields["done"].label})
            return redirect(_unit_url(unit, election) + f"#item-{item}")
    return _unit_page(request, unit, election, can_record=True, bound=form, status=400)


@require_GET
@staff_view(Capability.USE_STAFF_PAGES)
def checklist_photo(request, pk, photo_pk):
    unit, _can_record = checklist.access_checklist_unit(request.user, pk)
    photo = checklist.access_checklist_photo(unit=unit, pk=photo_pk)
    # Stored only as the re-encoded copy (checklist.checklist_item_record), photo.<jpg|png|webp>.
    extension = photo.file.name.rsplit(".", 1)[-1]
    return file_response(photo.file, filename=f"foto-daftar-periksa-{unit.pk}-{photo.pk}.{extension}",
                         content_type="image/" + extension.replace("jpg", "jpeg"), reencoded_image=True)


def _progress_filters(request):
    """(election, agency or None, the filter's form): the agency typed or chosen (by id: the export's link)."""
    agencies = checklist.progress_agencies(request.user)
    chosen = request.GET.get("agency", "") or request.GET.get("agency_name", "")
    form = ProgressFilterForm(request.GET if chosen else None, agencies=agencies)
    agency = form.cleaned_data["agency"] if chosen and form.is_valid() else None
    return _election(request), agency, form


@require_GET
@staff_view(Capability.SEE_UNIT_PROGRESS)
def checklist_agency_search(request):
    """htmx: a few agencies of the progress filter named like what was typed (issue 20)."""
    return pick_search(request, pick=agency_pick(checklist.progress_agencies(request.user)))


@require_GET
@staff_view(Capability.SEE_UNIT_PROGRESS)
def checklist_progress(request):
    election, agency, filter_form = _progress_filters(request)
    units = checklist.progress_units(request.user, agency=agency)
    page, querystring = paginate(request, units)
    rows = checklist.progress_rows(list(page), election=election) if election else []
    totals = (checklist.progress_totals(units, election=election,
                                        stored=checklist.progress_pledges_stored(request.user))
              if election else None)
    export_query = request.GET.copy()
    export_query.pop("page", None)
    export_query.pop("agency_name", None)
    if agency is not None:
        export_query["agency"] = agency.pk
    return render(request, "prevention/staff/checklist_progress.html", {
        "election": election, "elections": checklist.checklist_elections(), "agency": agency,
        "filter_form": filter_form, "page": page, "querystring": querystring, "rows": rows, "totals": totals,
        "items": [(item, item.label) for item in checklist.ITEMS], "export_query": export_query.urlencode(),
        "total_cells": list(zip([item.label for item in checklist.ITEMS], totals.cells(), strict=True))
        if totals else [],
        "export_job": progress_export_latest(user=request.user, election=election, agency=agency) if election else None,
    })


@require_POST
@staff_view(Capability.SEE_UNIT_PROGRESS)
def checklist_progress_xlsx(request):
    """Ask for the workbook: built in the background (seconds nationally); a second click shows the same job."""
    election, agency, _form = _progress_filters(request)
    if election is None:
        raise Http404
    job = progress_export_request(actor=request.user, election=election, agency=agency)
    if request.htmx:
        return render(request, "exports/_job.html", {"job": job})
    return redirect(job)
