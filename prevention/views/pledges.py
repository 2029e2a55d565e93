"""Staff pages of the pledges: coverage and the list, a certificate, revoking, ceremonies."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.decorators import staff_view
from accounts.permissions import Capability
from prevention import forms, selectors, services
from prevention.views.common import PAGE_SIZE, certificate_response, paginate


def _election(request):
    elections = forms._elections()
    return elections.filter(pk=request.GET.get("election", "")).first() or elections.first()


@require_GET
@staff_view(Capability.MANAGE_PREVENTION)
def pledges(request):
    election = _election(request)
    query = request.GET.get("q", "")[:100]
    # The coverage a page of agencies and a page of units at a time (issue 20: a national account's
    # jurisdiction holds every unit of the country), each table with its own page parameter.
    unit_page = agency_page = None
    unit_querystring = agency_querystring = ""
    units, agencies = [], []
    coverage_as_of = None  # when the stored figures of a province or the country were computed
    if election:
        by_unit, by_agency, coverage_as_of = selectors.coverage_queries_as_of(request.user, election=election)
        unit_page, unit_querystring = paginate(request, by_unit, param="units_page")
        agency_page, agency_querystring = paginate(request, by_agency, param="agencies_page")
        units = selectors.coverage_rows(unit_page, per="unit")
        agencies = selectors.coverage_rows(agency_page, per="agency")
    # The signed pledges: counted only up to a bound (netral/paginator.py), never every pledge of the country.
    page, querystring = paginate(request, selectors.pledge_list_for(request.user, election=election, query=query),
                                 bounded=True)
    return render(request, "prevention/staff/pledges.html", {
        "election": election, "elections": forms._elections(), "units": units, "agencies": agencies,
        "unit_page": unit_page, "unit_querystring": unit_querystring, "agency_page": agency_page,
        "agency_querystring": agency_querystring, "coverage_as_of": coverage_as_of,
        "page": page, "querystring": querystring, "query": query,
        "ceremonies": selectors.ceremony_list_for(request.user)[:20],
    })


@require_GET
@staff_view(Capability.MANAGE_PREVENTION)
def pledge_staff_certificate(request, pk):
    return certificate_response(request, selectors.access_pledge(request.user, pk))


@require_http_methods(["GET", "POST"])
@staff_view(Capability.MANAGE_PREVENTION)
def pledge_revoke(request, pk):
    pledge = selectors.access_pledge(request.user, pk)
    form = forms.RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.pledge_revoke(pledge=pledge, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The pledge was revoked."))
            return redirect("prevention:pledges")
    return render(request, "prevention/staff/pledge_revoke.html", {"pledge": pledge, "form": form},
                  status=400 if request.method == "POST" else 200)


@require_http_methods(["GET", "POST"])
@staff_view(Capability.MANAGE_PREVENTION)
def ceremony_new(request):
    form = forms.CeremonyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ceremony = services.ceremony_create(actor=request.user, **form.cleaned_data)
        return redirect("prevention:ceremony", pk=ceremony.pk)
    return render(request, "prevention/staff/ceremony_form.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


@require_http_methods(["GET", "POST"])
@staff_view(Capability.MANAGE_PREVENTION)
def ceremony(request, pk):
    """A ceremony and who signed at it: the candidates a page at a time with a box each (issue 20); the
    page buttons post the boxes ticked so far, which come back ticked or carried, and "Record" records
    them all (forms.CeremonySignForm)."""
    ceremony = selectors.access_ceremony(request.user, pk, change=True)
    candidates = services.ceremony_candidates(ceremony=ceremony)
    data = request.POST if request.method == "POST" else (request.GET if request.GET.get("q") else None)
    form = forms.CeremonySignForm(data, candidates=candidates)
    recording = request.method == "POST" and "goto" not in request.POST  # else a page or search button
    if recording and form.is_valid():
        if not form.cleaned_data["employees"]:
            form.add_error(None, _("Tick at least one ASN."))
        else:
            try:
                new, old = services.ceremony_sign(ceremony=ceremony, actor=request.user,
                                                  employees=form.cleaned_data["employees"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("%(new)s pledges recorded; %(old)s had already signed.") %
                                 {"new": new, "old": old})
                return redirect("prevention:ceremony", pk=ceremony.pk)
    query = ((data or {}).get("q") or "")[:100].strip()
    page = Paginator(selectors.ceremony_candidates_matching(candidates, query=query), PAGE_SIZE).get_page(
        request.POST.get("goto") if request.method == "POST" else request.GET.get("asn"))
    chosen = form.chosen_ids()
    on_page = {str(employee.pk) for employee in page}
    signed, querystring = paginate(request, ceremony.pledges.order_by("name", "pk"))
    return render(request, "prevention/staff/ceremony.html", {
        "ceremony": ceremony, "form": form, "query": query, "candidates": page, "chosen_count": len(chosen),
        "rows": [(employee, str(employee.pk) in chosen) for employee in page],
        "carried": [pk for pk in chosen if pk not in on_page],
        "signed": signed, "page": signed, "querystring": querystring,
    }, status=400 if recording else 200)
