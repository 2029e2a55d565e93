"""Staff pages of socialization events: the list, a new event, its page and its forms, reach."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import staff_view
from accounts.permissions import Capability
from netral.files import file_response
from netral.qr import qr_svg
from prevention import forms, selectors, services
from prevention.views.common import paginate, units_for


@require_GET
@staff_view(Capability.MANAGE_PREVENTION)
def dashboard(request):
    query = request.GET.get("q", "")[:100]
    page, querystring = paginate(request, selectors.event_list_for(request.user, query=query))
    return render(request, "prevention/staff/dashboard.html", {"page": page, "querystring": querystring,
                                                               "query": query})


@require_http_methods(["GET", "POST"])
@staff_view(Capability.MANAGE_PREVENTION)
def event_new(request):
    form = forms.EventForm(request.POST or None, units=units_for(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Event created."))
            return redirect(event)
    return render(request, "prevention/staff/event_form.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


def _event_page(request, event, *, status=200, **forms_given):
    checkin_url = request.build_absolute_uri(reverse("prevention:checkin", args=[event.checkin_token]))
    attendances, querystring = paginate(request, selectors.attendance_list(event))
    context = {
        "event": event, "can_change": _owns(request.user, event),
        "figures": selectors.event_figures(event),
        "attendances": attendances, "page": attendances, "querystring": querystring,
        "photos": event.photos.all(), "materials": event.materials.all(),
        "target_units": event.target_units.all(),
        "checkin_url": checkin_url, "qr": qr_svg(checkin_url, box_size=8),
        "nip_form": forms_given.get("nip_form") or forms.IdentityForm(),
        "invite_form": forms_given.get("invite_form") or forms.IdentityForm(prefix="invite"),
        "record_form": forms_given.get("record_form") or forms.RecordForm(
            initial={"minutes": event.minutes, "checkin_open": event.checkin_open}),
        "photo_form": forms_given.get("photo_form") or forms.PhotoForm(),
        "material_form": forms_given.get("material_form") or forms.MaterialForm(initial={"published": False}),
    }
    return render(request, "prevention/staff/event_detail.html", context, status=status)


def _owns(user, event) -> bool:
    return (user.bawaslu_office_id and event.office_id == user.bawaslu_office_id) or (
        not user.bawaslu_office_id and user.agency_id and event.agency_id == user.agency_id)


@require_GET
@staff_view(Capability.MANAGE_PREVENTION)
def event_detail(request, pk):
    return _event_page(request, selectors.access_event(request.user, pk))


def _event_action(request, pk, form_class, slot, act, *, error_field=None, files=False, prefix=None):
    """POST a form of the event page: ``act(event, cleaned)`` does the work and returns the message
    to show; a refused form (or a service's ValidationError, put on ``error_field``) comes back on
    the event page, in its ``slot``, with what was typed."""
    event = selectors.access_event(request.user, pk, change=True)
    form = form_class(request.POST, request.FILES if files else None, prefix=prefix)
    if form.is_valid():
        try:
            level, message = act(event, form.cleaned_data)
        except ValidationError as error:
            form.add_error(error_field, error)
        else:
            getattr(messages, level)(request, message)
            return redirect(event)
    return _event_page(request, event, status=400, **{slot: form})


@require_POST
@staff_view(Capability.MANAGE_PREVENTION)
def event_checkin(request, pk):
    def act(event, data):
        result = services.attendance_check_in_by_identity(event=event, identity=data["identity"], actor=request.user)
        name = result.attendance.employee.name
        if result.created:
            return "success", _("%(name)s is checked in.") % {"name": name}
        return "info", _("%(name)s was already checked in.") % {"name": name}
    return _event_action(request, pk, forms.IdentityForm, "nip_form", act, error_field="identity")


@require_POST
@staff_view(Capability.MANAGE_PREVENTION)
def event_invite(request, pk):
    if "all" in request.POST:
        event = selectors.access_event(request.user, pk, change=True)
        added = services.event_invite_targets(event=event, actor=request.user)
        messages.success(request, _("%(count)s ASN invited.") % {"count": added})
        return redirect(event)

    def act(event, data):
        services.event_invite_identity(event=event, actor=request.user, identity=data["identity"])
        return "success", _("Invitation recorded.")
    return _event_action(request, pk, forms.IdentityForm, "invite_form", act, error_field="identity", prefix="invite")


@require_POST
@staff_view(Capability.MANAGE_PREVENTION)
def event_record(request, pk):
    def act(event, data):
        services.event_update_record(event=event, actor=request.user, **data)
        return "success", _("Saved.")
    return _event_action(request, pk, forms.RecordForm, "record_form", act)


@require_POST
@staff_view(Capability.MANAGE_PREVENTION)
def event_photo(request, pk):
    def act(event, data):
        services.event_add_photo(event=event, actor=request.user, uploaded=data["photo"], caption=data["caption"])
        return "success", _("Photo added.")
    return _event_action(request, pk, forms.PhotoForm, "photo_form", act, error_field="photo", files=True)


@require_POST
@staff_view(Capability.MANAGE_PREVENTION)
def event_material(request, pk):
    def act(event, data):
        data = dict(data)
        services.material_add(actor=request.user, event=event, uploaded=data.pop("file"), **data)
        return "success", _("Material added.")
    return _event_action(request, pk, forms.MaterialForm, "material_form", act, files=True)


@require_GET
@staff_view(Capability.MANAGE_PREVENTION)
def event_photo_file(request, pk, photo_pk):
    event = selectors.access_event(request.user, pk)
    photo = event.photos.filter(pk=photo_pk).first()
    if photo is None:
        raise Http404
    # Stored only as the re-encoded copy (services.event_add_photo), named photo.<jpg|png|webp>.
    extension = photo.file.name.rsplit(".", 1)[-1]
    return file_response(photo.file, filename=f"foto-{event.pk}-{photo.pk}.{extension}",
                         content_type="image/" + extension.replace("jpg", "jpeg"), reencoded_image=True)


@require_GET
@staff_view(Capability.MANAGE_PREVENTION)
def reach(request):
    election = forms._elections().filter(pk=request.GET.get("election", "")).first()
    # A page of units at a time (issue 20: a national account's jurisdiction holds every unit of the country).
    page, querystring = paginate(request, selectors.reach_units_for(request.user))
    themes, rows = selectors.reach_for(request.user, election=election, units=list(page))
    return render(request, "prevention/staff/reach.html", {
        "themes": themes, "rows": [(row, row.cells(themes)) for row in rows], "election": election,
        "elections": forms._elections(), "page": page, "querystring": querystring,
    })
