"""Staff page of the "ASN Netral" banners: make one for a unit, download it as PDF or PNG."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.decorators import staff_view
from accounts.permissions import Capability
from netral.files import bytes_response
from netral.forms import pick_search
from organizations.forms import unit_pick
from prevention import documents, forms, selectors, services
from prevention.views.common import paginate, units_for


@require_http_methods(["GET", "POST"])
@staff_view(Capability.MANAGE_PREVENTION)
def banners(request):
    units = units_for(request.user)
    initial = {}
    chosen = request.GET.get("unit", "")  # a unit's number; anything else typed into the address is ignored
    number = chosen.isascii() and chosen.isdigit()
    unit = units.filter(pk=chosen).first() if request.method == "GET" and number else None
    if unit is not None:
        initial = {"unit": unit.pk, "unit_typed": unit.name, "head_name": unit.head_name,
                   "head_position": unit.head_position}
    form = forms.BannerForm(request.POST or None, units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            data = {key: value for key, value in form.cleaned_data.items() if key != "unit_typed"}
            banner = services.banner_create(actor=request.user, **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Banner ready: download the PDF for print or the PNG for social media."))
            return redirect(reverse("prevention:banners") + f"#banner-{banner.pk}")
    page, querystring = paginate(request, selectors.banner_list_for(request.user))
    return render(request, "prevention/staff/banners.html", {"form": form, "page": page,
                                                             "querystring": querystring},
                  status=400 if request.method == "POST" else 200)


@require_GET
@staff_view(Capability.MANAGE_PREVENTION)
def unit_search(request):
    """htmx: a few units of the jurisdiction named like what was typed (issue 20)."""
    return pick_search(request, pick=unit_pick(units_for(request.user)))


@require_GET
@staff_view(Capability.MANAGE_PREVENTION)
def banner_file(request, pk, fmt):
    if fmt not in ("pdf", "png"):
        raise Http404
    banner = selectors.access_banner(request.user, pk)
    if fmt == "pdf":
        content, content_type = documents.banner_pdf(banner), "application/pdf"
    else:
        content, content_type = documents.banner_png(banner), "image/png"
    return bytes_response(content, filename=f"banner-asn-netral-{banner.pk}.{fmt}", content_type=content_type)
