"""Staff page of the socialization materials: add one, publish or withdraw it from the library."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import staff_view
from accounts.permissions import Capability
from prevention import forms, selectors, services
from prevention.views.common import paginate


@require_http_methods(["GET", "POST"])
@staff_view(Capability.MANAGE_PREVENTION)
def materials(request):
    form = forms.MaterialForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.material_add(actor=request.user, uploaded=data.pop("file"), **data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Material added."))
            return redirect("prevention:materials")
    page, querystring = paginate(request, selectors.material_list_for(request.user))
    return render(request, "prevention/staff/materials.html", {"form": form, "page": page,
                                                               "querystring": querystring},
                  status=400 if request.method == "POST" else 200)


@require_POST
@staff_view(Capability.MANAGE_PREVENTION)
def material_toggle(request, pk):
    material = selectors.access_material(request.user, pk, change=True)
    services.material_set_published(material=material, actor=request.user, published=not material.published)
    return redirect("prevention:materials")
