"""Staff pages of the pledges: coverage and the list, a certificate, revoking, ceremonies."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.decorators import staff_view
from accounts.permissions import Capability
from prevention import forms, selectors, services
from prevention.views.common import certificate_response, paginate


def _election(request):
    elections = forms._elections()
    return elections.filter(pk=request.GET.get("election", "")).first() or elections.first()


@require_GET
@staff_view(Capability.MANAGE_PREVENTION)
def pledges(request):
    election = _election(request)
    query = request.GET.get("q", "")[:100]
    units, agencies = selectors.coverage_for(request.user, election=election) if election else ([], [])
    page, querystring = paginate(request, selectors.pledge_list_for(request.user, election=election, query=query))
    return render(request, "prevention/staff/pledges.html", {
        "election": election, "elections": forms._elections(), "units": units, "agencies": agencies,
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


CEREMONY_LIST_LIMIT = 300


@require_http_methods(["GET", "POST"])
@staff_view(Capability.MANAGE_PREVENTION)
def ceremony(request, pk):
    ceremony = selectors.access_ceremony(request.user, pk, change=True)
    query = request.GET.get("q", "")[:100]
    candidates = services.ceremony_candidates(ceremony=ceremony).select_related("unit", "agency")
    shown = candidates
    if query:
        shown = candidates.filter(Q(position__icontains=query) | Q(unit__name__icontains=query) |
                                  Q(name__icontains=query))
    form = forms.CeremonySignForm(request.POST or None, candidates=candidates if request.method == "POST"
                                  else shown.order_by("unit__name", "name")[:CEREMONY_LIST_LIMIT])
    if request.method == "POST" and form.is_valid():
        try:
            new, old = services.ceremony_sign(ceremony=ceremony, actor=request.user,
                                              employees=form.cleaned_data["employees"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("%(new)s pledges recorded; %(old)s had already signed.") %
                             {"new": new, "old": old})
            return redirect("prevention:ceremony", pk=ceremony.pk)
    signed, querystring = paginate(request, ceremony.pledges.order_by("name", "pk"))
    return render(request, "prevention/staff/ceremony.html", {
        "ceremony": ceremony, "form": form, "query": query,
        "signed": signed, "page": signed, "querystring": querystring,
    }, status=400 if request.method == "POST" else 200)
