"""The letters' pages: the public verification of a letter, and the staff pages of who signs.

The verification page (/surat/verifikasi/<token>/, the QR code on every letter) shows a
letter's number, date, issuer, kind and the SHA-256 of its PDF, and checks a PDF or a hash
against it; never its content, addressee or case (docs/threat-model.md). Unknown tokens
spend a budget of wrong tries per session and per pseudonymous address, as the pledge
verification does, and every check spends a budget of its own (hashing costs the server).

The officials and the logo of an issuer are managed by those who hold ``manage_signatories``:
a Bawaslu office's leadership for its office, the authority's liaison for its agency, an
administrator for any (``access_issuer``: 404 for the others).
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import decorator_from_middleware
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import public, staff_view
from accounts.models import User
from accounts.permissions import Capability
from letters import catalog, selectors, services
from letters.forms import LogoForm, OfficialEditForm, OfficialForm, VerifyForm
from letters.models import Official
from letters.uploads import HashingUploadHandler
from netral.csrf import CsrfViewMiddleware
from netral.files import file_response
from netral.forms import add_service_errors
from netral.http import address_key, failure_budget_spent
from organizations.models import Agency, BawasluOffice

# The project's CSRF check (netral.csrf: our own pages post with "Origin: null"), as a decorator.
csrf_protect = decorator_from_middleware(CsrfViewMiddleware)

UNKNOWN_PER_SESSION = "10/10m"
UNKNOWN_PER_ADDRESS = "100/10m"
CHECKS_PER_ADDRESS = "60/10m"


# --- The public verification page -------------------------------------------------------------

def _unknown_spent(request, *, increment: bool) -> bool:
    return failure_budget_spent(
        request, prefix="letter-verify",
        per_session=getattr(settings, "NETRAL_LETTER_VERIFY_FAILURES_PER_SESSION", UNKNOWN_PER_SESSION),
        per_address=getattr(settings, "NETRAL_LETTER_VERIFY_FAILURES_PER_ADDRESS", UNKNOWN_PER_ADDRESS),
        increment=increment)


def _checks_spent(request) -> bool:
    from django_ratelimit.core import get_usage

    usage = get_usage(request, group="letter-verify-checks", key=address_key,
                      rate=getattr(settings, "NETRAL_LETTER_VERIFY_CHECKS_PER_ADDRESS", CHECKS_PER_ADDRESS),
                      increment=True)
    return usage is not None and usage["should_limit"]


def _public_facts(letter) -> dict:
    """What the page may say of a letter: number, date, issuer, kind, hash. Nothing of its content."""
    try:
        kind = catalog.default_catalog().kind(letter.kind).title.get(_language())
    except catalog.UnknownLetterKind:
        kind = letter.kind
    return {"number": letter.number, "date": timezone.localdate(letter.created_at), "issuer": str(letter.issuer),
            "kind": kind, "sha256": letter.sha256}


def _language() -> str:
    from django.utils.translation import get_language

    return get_language() or "id"


@csrf_exempt  # checked below, once the upload handler is in place (Django's documented order)
@require_http_methods(["GET", "POST"])
@public
def verify(request, token):
    if request.method == "POST":
        # Before anything reads request.POST: the PDF is hashed chunk by chunk and never kept.
        request.upload_handlers = [HashingUploadHandler(request)]
    return _verify(request, token)


@csrf_protect
def _verify(request, token):
    letter = selectors.letter_by_token(token)
    if letter is None:
        if _unknown_spent(request, increment=False):
            return render(request, "letters/pages/verify.html", {"limited": True}, status=429)
        _unknown_spent(request, increment=True)
        return render(request, "letters/pages/verify.html", {"unknown": True}, status=404)
    facts = _public_facts(letter)
    form, result, status = VerifyForm(), None, 200
    if request.method == "POST":
        form = VerifyForm(request.POST, request.FILES)
        if _checks_spent(request):
            form.add_error(None, _("Too many checks from your connection. Wait 10 minutes, then try again."))
            status = 429
        elif getattr(request, "letters_upload_too_large", False):
            form.add_error("file", _("The file is too large to be a letter."))
            status = 400
        elif form.is_valid():
            result = {"match": form.digest() == letter.sha256, "sha256": form.digest()}
        else:
            status = 400
    response = render(request, "letters/pages/verify.html", {"facts": facts, "form": form, "result": result},
                      status=status)
    response["Cache-Control"] = "no-store"
    return response


# --- Who signs: the staff pages -----------------------------------------------------------------

def access_issuer(user: User, *, office_id: int | None = None, agency_id: int | None = None):
    """The office or agency whose officials ``user`` may manage; 404 for a missing or foreign one."""
    if office_id is not None:
        if user.role == User.Role.ADMIN or (user.is_bawaslu and user.bawaslu_office_id == office_id):
            return get_object_or_404(BawasluOffice.objects.select_related("region"), pk=office_id)
    elif agency_id is not None:
        if user.role == User.Role.ADMIN or (user.role == User.Role.AUTHORITY and user.agency_id == agency_id):
            return get_object_or_404(Agency, pk=agency_id)
    raise Http404


def _issuer_url(issuer) -> str:
    if isinstance(issuer, BawasluOffice):
        return reverse("letters:office_officials", args=[issuer.pk])
    return reverse("letters:agency_officials", args=[issuer.pk])


@staff_view(Capability.MANAGE_SIGNATORIES)
def signatories(request):
    """One's own office's or agency's page; for an administrator, the list of issuers."""
    user = request.user
    if user.role != User.Role.ADMIN:
        if user.bawaslu_office_id:
            return redirect("letters:office_officials", user.bawaslu_office_id)
        return redirect("letters:agency_officials", user.agency_id)
    offices = Paginator(BawasluOffice.objects.select_related("region").order_by("region__code"), 50)
    agencies = Agency.objects.filter(kind=Agency.Kind.AUTHORITY).order_by("name")
    return render(request, "letters/pages/issuers.html", {
        "page": offices.get_page(request.GET.get("page")), "agencies": agencies,
    })


def _issuer_page(request, issuer, *, office=None, agency=None):
    form = OfficialForm(request.POST or None, prefix="official")
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.official_add(actor=request.user, office=office, agency=agency, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The official was recorded."))
                return redirect(_issuer_url(issuer))
    today = timezone.localdate()
    page = Paginator(selectors.officials_of(office=office, agency=agency), 25).get_page(request.GET.get("page"))
    return render(request, "letters/pages/officials.html", {
        "issuer": issuer, "office": office, "agency": agency, "form": form, "page": page, "today": today,
        "current": selectors.signatory_on(office=office, agency=agency, on=today),
        "logo_form": LogoForm() if office is not None else None,
    }, status=status)


@staff_view(Capability.MANAGE_SIGNATORIES)
@require_http_methods(["GET", "POST"])
def office_officials(request, pk):
    office = access_issuer(request.user, office_id=pk)
    return _issuer_page(request, office, office=office)


@staff_view(Capability.MANAGE_SIGNATORIES)
@require_http_methods(["GET", "POST"])
def agency_officials(request, pk):
    agency = access_issuer(request.user, agency_id=pk)
    return _issuer_page(request, agency, agency=agency)


def _access_official(user: User, pk: int) -> Official:
    official = get_object_or_404(Official.objects.select_related("office", "agency"), pk=pk)
    access_issuer(user, office_id=official.office_id, agency_id=official.agency_id)
    return official


@staff_view(Capability.MANAGE_SIGNATORIES)
@require_http_methods(["GET", "POST"])
def official_edit(request, pk):
    official = _access_official(request.user, pk)
    form = OfficialEditForm(request.POST or None, instance=Official.objects.get(pk=official.pk))
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.official_update(actor=request.user, official=official, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The official was changed."))
                return redirect(_issuer_url(official.issuer))
    return render(request, "letters/pages/official_edit.html", {"official": official, "form": form}, status=status)


@staff_view(Capability.MANAGE_SIGNATORIES)
@require_POST
def official_delete(request, pk):
    official = _access_official(request.user, pk)
    issuer = official.issuer
    services.official_delete(actor=request.user, official=official)
    messages.success(request, _("The official was removed. Letters they signed keep their name."))
    return redirect(_issuer_url(issuer))


@staff_view(Capability.MANAGE_SIGNATORIES)
@require_POST
def logo_upload(request, pk):
    office = access_issuer(request.user, office_id=pk)
    form = LogoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.office_set_logo(actor=request.user, office=office, uploaded=form.cleaned_data["logo"])
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The logo was stored: the next letters show it in the letterhead."))
    else:
        for message in form.errors.get("logo", []):
            messages.error(request, message)
    return redirect(_issuer_url(office))


@staff_view(Capability.MANAGE_SIGNATORIES)
@require_POST
def logo_remove(request, pk):
    office = access_issuer(request.user, office_id=pk)
    services.office_remove_logo(actor=request.user, office=office)
    messages.success(request, _("The logo was removed: the next letters have the letterhead without it."))
    return redirect(_issuer_url(office))


@staff_view(Capability.MANAGE_SIGNATORIES)
def logo_image(request, pk):
    office = access_issuer(request.user, office_id=pk)
    if not office.logo:
        raise Http404
    extension = office.logo.name.rsplit(".", 1)[-1].lower()
    return file_response(office.logo, filename=f"logo.{extension}",
                         content_type=services.LOGO_TYPES.get(extension, "application/octet-stream"),
                         reencoded_image=True)
