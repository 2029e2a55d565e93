"""The public follow-up: the register of recommendations' outcomes, statistics, open data.

Thin views over followup.public (what may be published) and followup.opendata (the
datasets' dictionary and formats). Downloads are streamed so that a large register never
sits in memory.
"""

from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from followup import opendata, public
from netral.db import replica
from netral.files import stream_response
from netral.forms import TypedChoiceMixin, pick_id_field, pick_name_field, pick_search
from organizations.forms import agency_pick
from portal import maps
from portal.charts import bar_chart
from registry.disclosure import k_anonymity

PAGE_SIZE = 25

# SPDX ids of the usual open-data licences; another id is published as it is.
LICENSES = {
    "CC-BY-4.0": ("Creative Commons Attribution 4.0", "https://creativecommons.org/licenses/by/4.0/"),
    "CC0-1.0": ("Creative Commons Zero v1.0 Universal", "https://creativecommons.org/publicdomain/zero/1.0/"),
    "ODC-By-1.0": ("Open Data Commons Attribution License v1.0", "https://opendatacommons.org/licenses/by/1-0/"),
    "ODbL-1.0": ("Open Data Commons Open Database License v1.0", "https://opendatacommons.org/licenses/odbl/1-0/"),
}


class RegisterFilterForm(TypedChoiceMixin, forms.Form):
    """The register's filters (GET); an unknown value is an error shown on the page, not a 500.

    The agency is typed and found among those with a published row (issue 20: never a list of the
    country's agencies on a public page); ``agency`` (an id) is what the open-data links carry."""

    election = forms.ChoiceField(label=_("Election"), required=False)
    region = forms.ChoiceField(label=_("Province or regency/city"), required=False)
    agency_name = pick_name_field(label=_("Agency"), required=False,
                                  help_text=_("Type the agency's name or its regency/city; empty for all."))
    agency = pick_id_field()
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[
        ("", _("All")), *[(key, label) for key, label in public.PUBLIC_STATUS_LABELS.items()]])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["election"].choices = [("", _("All elections")), *public.election_choices()]
        self.fields["region"].choices = [("", _("All regions")), *public.region_choices()]
        for field in self.fields.values():
            field.error_messages["invalid_choice"] = _("Choose a value from the list.")
        self.add_pick("agency", pick=agency_pick(public.published_agencies()), required=False,
                      search_url=reverse("portal:register_agencies"))

    def filters(self) -> dict:
        """The filters for followup.public.register_queryset (none when the form is invalid)."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        agency = data.get("agency")
        return {"election": data.get("election") or "", "region": public.region_by_code(data.get("region") or ""),
                "agency": agency.pk if agency else None, "status": data.get("status") or ""}


def _filter_form(request) -> RegisterFilterForm:
    asked = any(request.GET.get(name) for name in RegisterFilterForm.base_fields)
    return RegisterFilterForm(request.GET if asked else None)


def _querystring(request, *, without=("page",)) -> str:
    query = request.GET.copy()
    for name in without:
        query.pop(name, None)
    return query.urlencode()


@require_GET
def register_agencies(request):
    """htmx: a few agencies with a published row, named like what was typed (public names only)."""
    return pick_search(request, pick=agency_pick(public.published_agencies()))


@require_GET
def followup_register(request):
    """The published follow-up of recommendations: one row per reported person."""
    form = _filter_form(request)
    today = timezone.localdate()
    queryset = public.register_queryset(**form.filters(), today=today)
    page = Paginator(public.register_ids(queryset), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = public.public_rows(public.register_page(queryset, list(page.object_list)), today=today)
    query = _querystring(request)
    return render(request, "portal/followup_register.html", {
        "form": form, "page": page, "rows": rows, "querystring": query,
        "names_masked": not public.publish_names(), "filtered": bool(form.is_bound and form.is_valid()),
        "k": k_anonymity(),
        "csv_url": reverse("portal:open_data_register", args=["csv"]) + (f"?{query}" if query else ""),
        "json_url": reverse("portal:open_data_register", args=["json"]) + (f"?{query}" if query else ""),
    })


class StatisticsFilterForm(forms.Form):
    election = forms.ChoiceField(label=_("Election"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["election"].choices = [("", _("All elections")), *public.election_choices()]
        self.fields["election"].error_messages["invalid_choice"] = _("Choose a value from the list.")

    def selected_election(self) -> str:
        return (self.cleaned_data.get("election") or "") if self.is_bound and self.is_valid() else ""


def _statistics_form(request) -> StatisticsFilterForm:
    return StatisticsFilterForm(request.GET if request.GET.get("election") else None)


@require_GET
@replica()  # reads may be a few seconds old (netral/db.py)
def statistics(request):
    """Public figures with charts drawn on the server (inline SVG) and the same figures as tables."""
    form = _statistics_form(request)
    stats = public.statistics_public(election=form.selected_election())
    charts = {
        "outcomes": bar_chart((f.label, f.count) for f in stats.outcomes),
        "channels": bar_chart((f.label, f.count) for f in stats.channels),
        "followup": bar_chart((f.label, f.count) for f in stats.followup[:4]),
        "sanction_families": bar_chart((f.label, f.count) for f in stats.sanction_families),
        # Per province (their regencies are on each province's page): bounded by the provinces.
        "regions": bar_chart((r.label, r.recommendations) for r in stats.regions if r.recommendations is not None),
        "violations": bar_chart((v.label, v.recommendations) for v in stats.violations),
    }
    query = _querystring(request)
    public_map = maps.national_map(figure=request.GET.get("figure", ""), election=form.selected_election(),
                                   query=query, today=stats.today, counts=stats.areas)
    return render(request, "portal/statistics.html", {
        "form": form, "stats": stats, "charts": charts, "map": public_map,
        "figure_links": _figure_links(request, public_map.figure),
        "map_title": _("Map of Indonesia by province"), "table_caption": _("Figures by province"),
        "csv_url": reverse("portal:open_data_statistics", args=["csv"]) + (f"?{query}" if query else ""),
        "json_url": reverse("portal:open_data_statistics", args=["json"]) + (f"?{query}" if query else ""),
    })


def _figure_links(request, current: str) -> list[dict]:
    """The map's figures as links keeping the page's other parameters (no form, no script)."""
    links = []
    for key, label in maps.FIGURES.items():
        query = request.GET.copy()
        query["figure"] = key
        links.append({"key": key, "label": label, "current": key == current, "url": f"?{query.urlencode()}"})
    return links


@require_GET
@replica()
def statistics_province(request, code):
    """One province's map: its regencies/cities as shapes and rows, with the page's election filter."""
    province = maps.province_by_code(code)
    if province is None:
        raise Http404(_("No province has this code."))
    form = _statistics_form(request)
    followup = public.region_figures(province=province, election=form.selected_election())
    public_map = maps.province_map(province=province, figure=request.GET.get("figure", ""),
                                   election=form.selected_election(), counts=followup.areas)
    within = maps.geometry().drawn_within.get(province.code)
    return render(request, "portal/statistics_province.html", {
        "form": form, "province": province, "map": public_map, "regions": followup.regions, "regions_total": followup.total,
        "as_of": followup.as_of,
        "figure_links": _figure_links(request, public_map.figure),
        # The national data draws the 2022 provinces within an older shape; their regencies have their own.
        "drawn_within": maps.province_by_code(within) if within and not public_map.regencies_drawn else None,
        "national_url": reverse("portal:statistics") + (f"?{query}" if (query := _querystring(request)) else ""),
        "map_title": _("Map of %(province)s") % {"province": province.name},
        "table_caption": _("Figures by regency/city of %(province)s") % {"province": province.name},
    })


# --- open data ------------------------------------------------------------------------------------

@require_GET
def open_data(request):
    """The datasets, their formats and their data dictionary."""
    license_id = settings.NETRAL_OPEN_DATA_LICENSE
    license_title, license_url = LICENSES.get(license_id, (license_id, ""))
    return render(request, "portal/open_data.html", {
        "datasets": opendata.DATASETS, "license_id": license_id, "license_title": license_title,
        "license_url": license_url, "names_masked": not public.publish_names(),
    })


def _download(dataset: opendata.Dataset, records, fmt: str, filename: str):
    if fmt == "csv":
        response = stream_response(opendata.csv_lines(dataset, records), filename=f"{filename}.{fmt}",
                                   content_type="text/csv; charset=utf-8")
    else:
        response = stream_response(opendata.json_chunks(dataset, records), filename=f"{filename}.{fmt}",
                                   content_type="application/json; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"  # open data: other sites may read it
    return response


@require_GET
def open_data_register(request, fmt):
    """The register as CSV or JSON, with the page's filters; streamed, a query per 500 rows."""
    form = _filter_form(request)
    today = timezone.localdate()
    rows = public.register_iter(public.register_queryset(**form.filters(), today=today), today=today)
    return _download(opendata.REGISTER, (opendata.register_record(row) for row in rows), fmt,
                     opendata.REGISTER.slug)


@require_GET
@replica()
def open_data_statistics(request, fmt):
    """The statistics dataset; its regions are the regencies/cities, through the small-count rule."""
    form = _statistics_form(request)
    stats = public.statistics_public(election=form.selected_election(), regencies=True)
    return _download(opendata.STATISTICS, opendata.statistics_records(stats), fmt, opendata.STATISTICS.slug)


@require_GET
def datapackage(request):
    """The Frictionless Data Package descriptor of the open datasets (absolute URLs)."""
    license_id = settings.NETRAL_OPEN_DATA_LICENSE
    license_title, license_url = LICENSES.get(license_id, (license_id, ""))
    urls = {
        opendata.REGISTER.slug: request.build_absolute_uri(reverse("portal:open_data_register", args=["csv"])),
        opendata.STATISTICS.slug: request.build_absolute_uri(reverse("portal:open_data_statistics", args=["csv"])),
    }
    descriptor = opendata.datapackage(urls=urls, license_id=license_id, license_title=license_title,
                                      license_url=license_url, title="Netral: data terbuka netralitas ASN / "
                                      "ASN neutrality open data", created=timezone.now().isoformat(timespec="seconds"))
    response = JsonResponse(descriptor, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Access-Control-Allow-Origin"] = "*"
    return response

