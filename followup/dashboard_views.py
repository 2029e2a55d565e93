"""The compliance dashboard and its exports: thin views over followup.dashboard."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.decorators import staff_view
from accounts.permissions import Capability
from followup import compliance
from followup.dashboard import agency_choices_for, dashboard_for
from followup.dashboard_elections import election_comparison
from followup.dashboard_export import (
    CSV_TYPE,
    XLSX_TYPE,
    dashboard_tables,
    median_labels,
    write_csv,
    write_xlsx,
)
from followup.dashboard_forms import DashboardFilterForm
from netral.db import replica
from netral.files import bytes_response
from netral.forms import pick_search
from organizations.forms import agency_pick

AGENCIES_PER_PAGE = 50
COMPARISON_AGENCIES_PER_PAGE = 25  # six rows each: the election comparison's page (issue 20)


@require_GET
@staff_view(Capability.SEE_FOLLOWUP)
@replica()  # reads may be a few seconds old (netral/db.py)
def dashboard(request):
    form = DashboardFilterForm(request.GET or None, user=request.user)
    figures = dashboard_for(request.user, form.dashboard_filter())
    page = Paginator(figures.agencies, AGENCIES_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    comparison_query = request.GET.copy()
    comparison_query.pop("election_page", None)
    most = max((row.count for row in figures.sanctions), default=0)
    return render(request, "followup/dashboard_page.html", {
        "form": form, "dashboard": figures, "page": page, "querystring": query.urlencode(),
        "total_segments": compliance.bar_segments(figures.total),
        "medians": list(zip(median_labels(), figures.medians.as_list())),
        "sanction_bars": [(row, round(100 * row.count / most, 2) if most else 0)
                          for row in figures.sanctions],
        # The chosen election beside the one before it, per agency (issue 19, seed 003).
        "comparison": election_comparison(request.user, figures.filter, today=figures.today,
                                          page=request.GET.get("election_page"),
                                          per_page=COMPARISON_AGENCIES_PER_PAGE),
        "comparison_querystring": comparison_query.urlencode(),
    }, status=200 if not form.errors else 400)


@require_GET
@staff_view(Capability.SEE_FOLLOWUP)
@replica()
def dashboard_agencies(request):
    """htmx: a few agencies named like what was typed, among those the user may filter by (issue 20)."""
    return pick_search(request, pick=agency_pick(agency_choices_for(request.user)))


@require_GET
@staff_view(Capability.SEE_FOLLOWUP)
@replica()
def dashboard_export(request, file_format):
    form = DashboardFilterForm(request.GET or None, user=request.user)
    if form.errors:
        # The same filters as the page or none: a wrong filter is shown, not exported.
        return dashboard(request)
    tables = dashboard_tables(dashboard_for(request.user, form.dashboard_filter()))
    stamp = timezone.localdate().isoformat()
    filename = f"kepatuhan-tindak-lanjut-{stamp}.{file_format}"
    if file_format == "xlsx":
        return bytes_response(write_xlsx(tables), filename=filename, content_type=XLSX_TYPE)
    return bytes_response(write_csv(tables), filename=filename, content_type=CSV_TYPE)
