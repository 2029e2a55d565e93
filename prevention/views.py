"""Thin views: access, form, one service call. Public ASN pages first, then the staff side.

The public pages (pledge, QR check-in, verification, library) need no login. Proving who
one is takes the NIP *and* the birth date, with one message for any mismatch, and wrong
tries are budgeted per browser session and per (pseudonymous) address, as the report
tracking page does, so the register cannot be enumerated. No IP address is stored.
"""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from netral.files import bytes_response, file_response
from netral.http import failure_budget_spent
from prevention import codes, documents, forms, selectors, services
from prevention.models import Attendance, Event, Pledge, TestScore
from prevention.qr import qr_svg
from registry.models import Employee

# Wrong identity tries allowed before a pause; settings may override (read at each request).
FAILURES_PER_SESSION = "5/10m"
FAILURES_PER_ADDRESS = "100/10m"
VERIFIED_EMPLOYEE = "prevention_verified_employee"
VERIFIED_ELECTION = "prevention_verified_election"
SIGNED_PLEDGE = "prevention_signed_pledge"
CHECKED_IN = "prevention_attendance"
PAGE_SIZE = 25


# --- Rate limit of wrong identities ---------------------------------------------------------

def _too_many_failures(request, *, increment: bool) -> bool:
    return failure_budget_spent(
        request, prefix="prevention",
        per_session=getattr(settings, "NETRAL_PREVENTION_FAILURES_PER_SESSION", FAILURES_PER_SESSION),
        per_address=getattr(settings, "NETRAL_PREVENTION_FAILURES_PER_ADDRESS", FAILURES_PER_ADDRESS),
        increment=increment)


def _verify_employee(request, form):
    """The register row for the NIP and birth date typed, or None with the form's error set.

    Returns (employee, status): 429 once the budget of wrong tries is used up.
    """
    if _too_many_failures(request, increment=False):
        form.add_error(None, _("Too many wrong tries. Wait 10 minutes, then try again."))
        return None, 429
    employee = services.employee_verify(nip=form.cleaned_data["nip"], birth_date=form.cleaned_data["birth_date"])
    if employee is None:
        _too_many_failures(request, increment=True)
        form.add_error(None, services.not_matched_error())
        return None, 400
    return employee, 200


def _verify_url(request, pledge) -> str:
    token = codes.signed_token(pledge.code, settings.SECRET_KEY)
    return request.build_absolute_uri(reverse("prevention:verify", args=[token]))


# --- Public: the pledge ---------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
def pledge_start(request):
    form = forms.PledgeVerifyForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            employee, status = _verify_employee(request, form)
            if employee is not None:
                request.session.cycle_key()
                request.session[VERIFIED_EMPLOYEE] = employee.pk
                request.session[VERIFIED_ELECTION] = form.cleaned_data["election"].pk
                return redirect("prevention:pledge_sign")
    return render(request, "prevention/public/pledge_start.html", {"form": form}, status=status)


def _verified(request):
    employee_pk, election_pk = request.session.get(VERIFIED_EMPLOYEE), request.session.get(VERIFIED_ELECTION)
    if not employee_pk or not election_pk:
        return None, None
    employee = Employee.objects.select_related("agency", "unit").filter(pk=employee_pk, active=True).first()
    election = forms._elections().filter(pk=election_pk).first()
    return (employee, election) if employee and election else (None, None)


@require_http_methods(["GET", "POST"])
def pledge_sign(request):
    employee, election = _verified(request)
    if employee is None:
        messages.info(request, _("Enter your NIP and birth date first."))
        return redirect("prevention:pledge_start")
    existing = Pledge.objects.filter(employee=employee, election=election, revoked_at__isnull=True).first()
    if existing is not None and request.method == "GET":
        request.session[SIGNED_PLEDGE] = existing.pk
        return redirect("prevention:pledge_done")
    form = forms.SignForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                pledge, _created = services.pledge_sign(employee=employee, election=election,
                                                        drawn=form.cleaned_data["drawn"],
                                                        typed_name=form.cleaned_data["typed_name"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                request.session[SIGNED_PLEDGE] = pledge.pk
                return redirect("prevention:pledge_done")
    wording = services.pledge_text_for(election, get_language())
    return render(request, "prevention/public/pledge_sign.html", {
        "form": form, "employee": employee, "election": election, "wording": wording,
    }, status=status)


def _signed(request):
    pk = request.session.get(SIGNED_PLEDGE)
    pledge = Pledge.objects.select_related("election").filter(pk=pk).first() if pk else None
    if pledge is None:
        raise Http404
    return pledge


@require_GET
def pledge_done(request):
    pledge = _signed(request)
    verify_url = _verify_url(request, pledge)
    return render(request, "prevention/public/pledge_done.html", {
        "pledge": pledge, "verify_url": verify_url, "code": codes.format_code(pledge.code),
    })


def _certificate_response(request, pledge):
    pdf = documents.certificate_pdf(pledge, verify_url=_verify_url(request, pledge))
    return bytes_response(pdf, filename=f"sertifikat-ikrar-{pledge.code[:8]}.pdf", content_type="application/pdf")


@require_GET
def pledge_certificate(request):
    return _certificate_response(request, _signed(request))


@require_GET
def verify(request, token):
    """What the certificate shows, for a genuine link; 'not found' for a forged or unknown one.

    The link first, then the budget: a genuine link (signed, HMAC-checked in constant time)
    opens even after others at the same address spent the budget of wrong tries; only
    forged or unknown links count. The NIP and birth date check stays limited before it
    looks (``_verify_employee``): those are guessable, a signed link is not.
    """
    code = codes.verify_token(token, settings.SECRET_KEY)
    pledge = selectors.pledge_by_code(code) if code else None
    if pledge is None:
        if _too_many_failures(request, increment=False):
            return render(request, "prevention/public/verify.html", {"limited": True}, status=429)
        _too_many_failures(request, increment=True)
        return render(request, "prevention/public/verify.html", {"forged": True}, status=404)
    return render(request, "prevention/public/verify.html", {
        "pledge": pledge, "code": codes.format_code(pledge.code),
    })


# --- Public: check-in with the QR code and the tests -----------------------------------------

def _event_for_token(token) -> Event:
    event = selectors.event_by_checkin_token(token)
    if event is None:
        raise Http404
    return event


@require_http_methods(["GET", "POST"])
def checkin(request, token):
    event = _event_for_token(token)
    form = forms.VerifyForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            employee, status = _verify_employee(request, form)
            if employee is not None:
                try:
                    result = services.attendance_check_in(event=event, employee=employee,
                                                          method=Attendance.Method.PHONE)
                except ValidationError as error:
                    form.add_error(None, error)
                    status = 400
                else:
                    request.session.cycle_key()
                    request.session[CHECKED_IN] = result.attendance.pk
                    if not result.created:
                        messages.info(request, _("You were already checked in."))
                    return redirect("prevention:checkin_done", token=token)
    return render(request, "prevention/public/checkin.html", {"event": event, "form": form}, status=status)


def _attendance(request, event):
    pk = request.session.get(CHECKED_IN)
    attendance = Attendance.objects.select_related("employee").filter(pk=pk, event=event).first() if pk else None
    if attendance is None:
        raise Http404
    return attendance


@require_GET
def checkin_done(request, token):
    event = _event_for_token(token)
    attendance = _attendance(request, event)
    taken = set(attendance.scores.values_list("phase", flat=True))
    return render(request, "prevention/public/checkin_done.html", {
        "event": event, "attendance": attendance, "taken": taken,
        "next_phase": None if not event.with_tests else
        (TestScore.Phase.PRE if "pre" not in taken else TestScore.Phase.POST if "post" not in taken else None),
    })


@require_http_methods(["GET", "POST"])
def quiz(request, token, phase):
    event = _event_for_token(token)
    attendance = _attendance(request, event)
    if phase not in TestScore.Phase.values or not event.with_tests:
        raise Http404
    questions = services.quiz_questions(event)
    form = forms.QuizForm(request.POST or None, questions=questions)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                result = services.quiz_submit(attendance=attendance, phase=phase, answers=form.answers())
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Your score: %(score)s.") % {"score": result.score})
                return redirect("prevention:checkin_done", token=token)
    return render(request, "prevention/public/quiz.html", {
        "event": event, "form": form, "phase": TestScore.Phase(phase),
    }, status=status)


# --- Public: the materials library ----------------------------------------------------------

@require_GET
def library(request):
    search = forms.LibrarySearchForm(request.GET or None)
    cleaned = search.cleaned_data if search.is_valid() else {}
    materials = selectors.material_list_public(
        query=cleaned.get("q", ""), kind=cleaned.get("kind", ""),
        theme=cleaned["theme"].pk if cleaned.get("theme") else "")
    page, querystring = _page(request, materials)
    return render(request, "prevention/public/library.html", {
        "search": search, "page": page, "querystring": querystring,
        "families": selectors.prohibited_acts(query=cleaned.get("q", "")),
    })


@require_GET
def library_file(request, pk):
    material = selectors.material_public(pk)
    # Pictures were re-encoded by services.material_add (storage/prepare.py) before they were stored.
    return file_response(material.file, content_type=material.content_type or "application/pdf",
                         filename=f"{material.title[:60]}.{material.file.name.rsplit('.', 1)[-1]}",
                         reencoded_image=True)


# --- Staff ---------------------------------------------------------------------------------

def staff_required(view):
    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not selectors.can_manage_prevention(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)
    return wrapper


def _page(request, queryset):
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page, query.urlencode()


@require_GET
@staff_required
def dashboard(request):
    query = request.GET.get("q", "")[:100]
    page, querystring = _page(request, selectors.event_list_for(request.user, query=query))
    return render(request, "prevention/staff/dashboard.html", {"page": page, "querystring": querystring,
                                                               "query": query})


def _units(user):
    return services.units_allowed_for(services.organizer_of(user))


@require_http_methods(["GET", "POST"])
@staff_required
def event_new(request):
    form = forms.EventForm(request.POST or None, units=_units(request.user))
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
    attendances, querystring = _page(request, selectors.attendance_list(event))
    context = {
        "event": event, "can_change": _owns(request.user, event),
        "figures": selectors.event_figures(event),
        "attendances": attendances, "page": attendances, "querystring": querystring,
        "photos": event.photos.all(), "materials": event.materials.all(),
        "target_units": event.target_units.all(),
        "checkin_url": checkin_url, "qr": qr_svg(checkin_url, box_size=8),
        "nip_form": forms_given.get("nip_form") or forms.NipForm(),
        "invite_form": forms_given.get("invite_form") or forms.NipForm(prefix="invite"),
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
@staff_required
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
@staff_required
def event_checkin(request, pk):
    def act(event, data):
        result = services.attendance_check_in_by_nip(event=event, nip=data["nip"], actor=request.user)
        name = result.attendance.employee.name
        if result.created:
            return "success", _("%(name)s is checked in.") % {"name": name}
        return "info", _("%(name)s was already checked in.") % {"name": name}
    return _event_action(request, pk, forms.NipForm, "nip_form", act, error_field="nip")


@require_POST
@staff_required
def event_invite(request, pk):
    if "all" in request.POST:
        event = selectors.access_event(request.user, pk, change=True)
        added = services.event_invite_targets(event=event, actor=request.user)
        messages.success(request, _("%(count)s ASN invited.") % {"count": added})
        return redirect(event)

    def act(event, data):
        services.event_invite_nip(event=event, actor=request.user, nip=data["nip"])
        return "success", _("Invitation recorded.")
    return _event_action(request, pk, forms.NipForm, "invite_form", act, error_field="nip", prefix="invite")


@require_POST
@staff_required
def event_record(request, pk):
    def act(event, data):
        services.event_update_record(event=event, actor=request.user, **data)
        return "success", _("Saved.")
    return _event_action(request, pk, forms.RecordForm, "record_form", act)


@require_POST
@staff_required
def event_photo(request, pk):
    def act(event, data):
        services.event_add_photo(event=event, actor=request.user, uploaded=data["photo"], caption=data["caption"])
        return "success", _("Photo added.")
    return _event_action(request, pk, forms.PhotoForm, "photo_form", act, error_field="photo", files=True)


@require_POST
@staff_required
def event_material(request, pk):
    def act(event, data):
        data = dict(data)
        services.material_add(actor=request.user, event=event, uploaded=data.pop("file"), **data)
        return "success", _("Material added.")
    return _event_action(request, pk, forms.MaterialForm, "material_form", act, files=True)


@require_GET
@staff_required
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
@staff_required
def reach(request):
    election = forms._elections().filter(pk=request.GET.get("election", "")).first()
    themes, rows = selectors.reach_for(request.user, election=election)
    return render(request, "prevention/staff/reach.html", {
        "themes": themes, "rows": [(row, row.cells(themes)) for row in rows], "election": election,
        "elections": forms._elections(),
    })


# --- Staff: pledges -------------------------------------------------------------------------

def _election(request):
    elections = forms._elections()
    return elections.filter(pk=request.GET.get("election", "")).first() or elections.first()


@require_GET
@staff_required
def pledges(request):
    election = _election(request)
    query = request.GET.get("q", "")[:100]
    units, agencies = selectors.coverage_for(request.user, election=election) if election else ([], [])
    page, querystring = _page(request, selectors.pledge_list_for(request.user, election=election, query=query))
    return render(request, "prevention/staff/pledges.html", {
        "election": election, "elections": forms._elections(), "units": units, "agencies": agencies,
        "page": page, "querystring": querystring, "query": query,
        "ceremonies": selectors.ceremony_list_for(request.user)[:20],
    })


@require_GET
@staff_required
def pledge_staff_certificate(request, pk):
    return _certificate_response(request, selectors.access_pledge(request.user, pk))


@require_http_methods(["GET", "POST"])
@staff_required
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
@staff_required
def ceremony_new(request):
    form = forms.CeremonyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ceremony = services.ceremony_create(actor=request.user, **form.cleaned_data)
        return redirect("prevention:ceremony", pk=ceremony.pk)
    return render(request, "prevention/staff/ceremony_form.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


CEREMONY_LIST_LIMIT = 300


@require_http_methods(["GET", "POST"])
@staff_required
def ceremony(request, pk):
    ceremony = selectors.access_ceremony(request.user, pk, change=True)
    query = request.GET.get("q", "")[:100]
    candidates = services.ceremony_candidates(ceremony).select_related("unit", "agency")
    shown = candidates
    if query:
        from django.db.models import Q

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
    signed, querystring = _page(request, ceremony.pledges.order_by("name", "pk"))
    return render(request, "prevention/staff/ceremony.html", {
        "ceremony": ceremony, "form": form, "query": query,
        "signed": signed, "page": signed, "querystring": querystring,
    }, status=400 if request.method == "POST" else 200)


# --- Staff: banners and materials -----------------------------------------------------------

@require_http_methods(["GET", "POST"])
@staff_required
def banners(request):
    units = _units(request.user)
    initial = {}
    chosen = request.GET.get("unit", "")  # a unit's number; anything else typed into the address is ignored
    number = chosen.isascii() and chosen.isdigit()
    unit = units.filter(pk=chosen).first() if request.method == "GET" and number else None
    if unit is not None:
        initial = {"unit": unit, "head_name": unit.head_name, "head_position": unit.head_position}
    form = forms.BannerForm(request.POST or None, units=units, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            banner = services.banner_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Banner ready: download the PDF for print or the PNG for social media."))
            return redirect(reverse("prevention:banners") + f"#banner-{banner.pk}")
    page, querystring = _page(request, selectors.banner_list_for(request.user))
    return render(request, "prevention/staff/banners.html", {"form": form, "page": page,
                                                             "querystring": querystring},
                  status=400 if request.method == "POST" else 200)


@require_GET
@staff_required
def banner_file(request, pk, fmt):
    if fmt not in ("pdf", "png"):
        raise Http404
    banner = selectors.access_banner(request.user, pk)
    if fmt == "pdf":
        content, content_type = documents.banner_pdf(banner), "application/pdf"
    else:
        content, content_type = documents.banner_png(banner), "image/png"
    return bytes_response(content, filename=f"banner-asn-netral-{banner.pk}.{fmt}", content_type=content_type)


@require_http_methods(["GET", "POST"])
@staff_required
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
    page, querystring = _page(request, selectors.material_list_for(request.user))
    return render(request, "prevention/staff/materials.html", {"form": form, "page": page,
                                                               "querystring": querystring},
                  status=400 if request.method == "POST" else 200)


@require_POST
@staff_required
def material_toggle(request, pk):
    material = selectors.access_material(request.user, pk, change=True)
    services.material_set_published(material=material, actor=request.user, published=not material.published)
    return redirect("prevention:materials")
