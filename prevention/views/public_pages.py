"""The public ASN pages: the pledge, its verification, the QR check-in with the tests, the library.

They need no login. Proving who one is takes an identity *and* the birth date, with one
message for any mismatch: the NIP for ASN; for contract staff, who have none, the register
number their agency gave them or their NIK (``registry.identity``). Wrong tries of any of
them share one budget, and wrong tries are budgeted per browser session and per (pseudonymous)
address, as the report tracking page does, so the register cannot be enumerated. No IP
address is stored.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.decorators import public
from netral.files import file_response
from netral.http import failure_budget_spent
from prevention import codes, forms, selectors, services
from prevention.models import Attendance, Event, Pledge, TestScore
from prevention.views.common import certificate_response, paginate, pledge_verify_url
from registry.models import Employee

# Wrong identity tries allowed before a pause; settings may override (read at each request).
FAILURES_PER_SESSION = "5/10m"
FAILURES_PER_ADDRESS = "100/10m"
VERIFIED_EMPLOYEE = "prevention_verified_employee"
VERIFIED_ELECTION = "prevention_verified_election"
SIGNED_PLEDGE = "prevention_signed_pledge"
IDENTIFIED_BY = "prevention_identified_by"
CHECKED_IN = "prevention_attendance"


# --- Rate limit of wrong identities ------------------------------------------------------

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
    employee = services.employee_verify(identity=form.cleaned_data["identity"],
                                        birth_date=form.cleaned_data["birth_date"])
    if employee is None:
        _too_many_failures(request, increment=True)
        form.add_error(None, services.not_matched_error())
        return None, 400
    return employee, 200


# --- The pledge --------------------------------------------------------------------------

@require_http_methods(["GET", "POST"])
@public
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
                request.session[IDENTIFIED_BY] = services.identity_used(identity=form.cleaned_data["identity"])
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
@public
def pledge_sign(request):
    employee, election = _verified(request)
    if employee is None:
        messages.info(request, _("Enter your NIP (or register number or NIK) and birth date first."))
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
                                                        typed_name=form.cleaned_data["typed_name"],
                                                        identified_by=request.session.get(IDENTIFIED_BY, ""))
            except ValidationError as error:
                form.add_error(None, error)
            else:
                request.session[SIGNED_PLEDGE] = pledge.pk
                return redirect("prevention:pledge_done")
    wording = services.pledge_text_for(election=election, language=get_language())
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
@public
def pledge_done(request):
    pledge = _signed(request)
    verify_url = pledge_verify_url(request, pledge)
    return render(request, "prevention/public/pledge_done.html", {
        "pledge": pledge, "verify_url": verify_url, "code": codes.format_code(pledge.code),
    })


@require_GET
@public
def pledge_certificate(request):
    return certificate_response(request, _signed(request))


@require_GET
@public
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


# --- Check-in with the QR code and the tests ---------------------------------------------

def _event_for_token(token) -> Event:
    event = selectors.event_by_checkin_token(token)
    if event is None:
        raise Http404
    return event


@require_http_methods(["GET", "POST"])
@public
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
                    result = services.attendance_check_in(
                        event=event, employee=employee, method=Attendance.Method.PHONE,
                        identified_by=services.identity_used(identity=form.cleaned_data["identity"]))
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
@public
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
@public
def quiz(request, token, phase):
    event = _event_for_token(token)
    attendance = _attendance(request, event)
    if phase not in TestScore.Phase.values or not event.with_tests:
        raise Http404
    questions = services.quiz_questions(event=event)
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


# --- The materials library ---------------------------------------------------------------

@require_GET
@public
def library(request):
    search = forms.LibrarySearchForm(request.GET or None)
    cleaned = search.cleaned_data if search.is_valid() else {}
    materials = selectors.material_list_public(
        query=cleaned.get("q", ""), kind=cleaned.get("kind", ""),
        theme=cleaned["theme"].pk if cleaned.get("theme") else "")
    page, querystring = paginate(request, materials)
    return render(request, "prevention/public/library.html", {
        "search": search, "page": page, "querystring": querystring,
        "families": selectors.prohibited_acts(query=cleaned.get("q", "")),
    })


@require_GET
@public
def library_file(request, pk):
    material = selectors.material_public(pk)
    # Pictures were re-encoded by services.material_add (storage/prepare.py) before they were stored.
    return file_response(material.file, content_type=material.content_type or "application/pdf",
                         filename=f"{material.title[:60]}.{material.file.name.rsplit('.', 1)[-1]}",
                         reencoded_image=True)
