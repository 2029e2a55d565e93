"""Thin views: access, form, one service call. Public intake and tracking, then the staff side."""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.permissions import can_handle_reports, can_read_reporter_identity
from netral.files import file_response
from netral.http import failure_budget_spent
from organizations.selectors import office_ids_under
from registry.selectors import employee_public_search
from reports import services, states
from reports.states import FINAL
from reports.forms import (
    HandoverForm, InboxFilterForm, MessageForm, ReportedPersonFormSet, ReportForm, StatusForm, TrackForm, WithdrawForm,
    build_submission, default_known_on,
)
from reports.extensions import staff_actions_for
from reports.models import Report
from reports.selectors import access_report, attachment_of, report_by_code, report_list_for, report_thread
from reports.tracking import format_code, is_submission_token, new_submission_token

TRACKED = "tracked_report"
PERSONS_PREFIX = "persons"


# --- Public: the report form -------------------------------------------------------------

@require_http_methods(["GET", "POST"])
def submit(request):
    if request.method == "POST":
        token = request.POST.get("submission_token", "")
        staged = services.staged_files_for(token) if is_submission_token(token) else None
        form = ReportForm(request.POST, request.FILES, staged=staged)
        persons = ReportedPersonFormSet(request.POST, prefix=PERSONS_PREFIX)
        valid = form.is_valid() & persons.is_valid()
        if not valid and staged is not None:
            _stage_accepted_files(form, token)
        if not valid and staged is None:
            # A damaged or missing token: the next try gets a fresh one, with a message.
            form.data = form.data.copy()
            form.data["submission_token"] = new_submission_token()
            form.add_error(None, _("This form has expired. Please reload the page."))
        if valid:
            try:
                receipt = services.report_submit(
                    submission=build_submission(form, persons),
                    submission_token=form.cleaned_data["submission_token"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                # Rendered, not redirected: the code must not travel in a URL, and it is
                # stored nowhere. A repeated POST of the same form shows the same receipt.
                return render(request, "reports/receipt.html", {
                    "report": receipt.report,
                    "code": format_code(receipt.code) if receipt.code else None,
                    "repeated": not receipt.created,
                })
        status = 400
    else:
        form = ReportForm(initial={"submission_token": new_submission_token(), "known_on": default_known_on()})
        persons = ReportedPersonFormSet(prefix=PERSONS_PREFIX)
        status = 200
    return render(request, "reports/submit.html", {"form": form, "persons": persons}, status=status)


def _stage_accepted_files(form, token):
    """Keep the good files of a form sent back, and show them ticked on the page again."""
    accepted = getattr(form.fields["evidence"], "accepted", [])
    if not accepted:
        return
    try:
        new = services.staged_files_add(token=token, files=accepted)
    except ValidationError as error:  # the storage is full: the reporter reads why
        form.add_error(None, error)
        return
    form.data = form.data.copy()
    kept = form.data.getlist("keep_staged")
    form.data.setlist("keep_staged", kept + [str(f.pk) for f in new if str(f.pk) not in kept])
    form.fields["keep_staged"].queryset = services.staged_files_for(token)


@require_GET
def employee_search(request):
    """htmx: register entries matching what the reporter typed (name, position and unit only)."""
    return render(request, "reports/_employee_results.html", {
        "employees": employee_public_search(request.GET.get("q", "")),
        "target": request.GET.get("target", "")[:40],
        "query": request.GET.get("q", "")[:100],
    })


@require_GET
def person_row(request):
    """htmx: one more reported-person block for the formset."""
    try:
        index = int(request.GET.get("index", "1"))
    except ValueError:
        index = 1
    if not 0 < index < ReportedPersonFormSet.max_num:
        raise Http404
    form = ReportedPersonFormSet(prefix=PERSONS_PREFIX).empty_form
    form.prefix = f"{PERSONS_PREFIX}-{index}"
    return render(request, "reports/_person_form.html", {"person": form, "index": index})


# --- Public: tracking with the secret code ------------------------------------------------

def _too_many_failures(request, *, increment: bool) -> bool:
    """True once the session or the address has used up its budget of wrong codes."""
    return failure_budget_spent(request, prefix="tracking",
                                per_session=settings.NETRAL_TRACKING_FAILURES_PER_SESSION,
                                per_address=settings.NETRAL_TRACKING_FAILURES_PER_ADDRESS, increment=increment)


@require_http_methods(["GET", "POST"])
def track(request):
    form = TrackForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if _too_many_failures(request, increment=False):
            form.add_error(None, _("Too many wrong codes were tried. Wait 10 minutes, then try again."))
            status = 429
        elif form.is_valid():
            report = report_by_code(form.cleaned_data["code"])
            if report is None:
                _too_many_failures(request, increment=True)
                form.add_error("code", _("No report has this code. Check it and try again."))
                status = 400
            else:
                request.session.cycle_key()
                request.session[TRACKED] = report.pk
                return redirect("reports:tracking_status")
        else:
            status = 400
    return render(request, "reports/track.html", {"form": form}, status=status)


def tracked_report(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        pk = request.session.get(TRACKED)
        report = Report.objects.select_related("region", "election", "office").filter(pk=pk).first() if pk else None
        if report is None:
            messages.info(request, _("Enter your tracking code to see your report."))
            return redirect("reports:track")
        return view(request, report, *args, **kwargs)
    return wrapper


def _status_page(request, report, *, message_form=None, withdraw_form=None, status=200):
    thread = report_thread(report)
    services.report_mark_read_by_reporter(report=report)
    return render(request, "reports/tracking_status.html", {
        "thread": thread, "report": report,
        "explanation": states.PUBLIC_EXPLANATION[report.status],
        "message_form": message_form or MessageForm(),
        "withdraw_form": withdraw_form or WithdrawForm(),
        "can_withdraw": report.status in states.REPORTER_WITHDRAWABLE,
        "can_write": report.status != states.Status.WITHDRAWN,
    }, status=status)


@require_GET
@tracked_report
def tracking_status(request, report):
    return _status_page(request, report)


@require_POST
@tracked_report
def tracking_message(request, report):
    form = MessageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.report_add_reporter_message(report=report, body=form.cleaned_data["body"],
                                                 files=form.cleaned_data["files"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your message was sent to the staff."))
            return redirect("reports:tracking_status")
    return _status_page(request, report, message_form=form, status=400)


@require_POST
@tracked_report
def tracking_withdraw(request, report):
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            services.report_withdraw(report=report, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your report was withdrawn."))
            return redirect("reports:tracking_status")
    return _status_page(request, report, withdraw_form=form, status=400)


@require_GET
@tracked_report
def tracking_file(request, report, attachment_id):
    return _serve(attachment_of(report, attachment_id))


@require_POST
def tracking_exit(request):
    request.session.flush()
    messages.info(request, _("You have left your report. Keep your code to come back."))
    return redirect("portal:home")


def _serve(attachment):
    """The public copy of an evidence file, never rendered as a page by the browser."""
    blob = attachment.blob
    # Images were re-encoded by reports/evidence.py before they were stored.
    return file_response(blob.public_file, filename=attachment.original_name, content_type=blob.content_type,
                         reencoded_image=blob.is_image)


# --- Staff ---------------------------------------------------------------------------------

def staff_required(view):
    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not can_handle_reports(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)
    return wrapper


@require_GET
@staff_required
def inbox(request):
    filters = InboxFilterForm(request.GET or None, jurisdiction=request.user.jurisdiction)
    cleaned = filters.cleaned_data if filters.is_valid() else {}
    reports = report_list_for(
        request.user, status=cleaned.get("status", ""), election=cleaned.get("election", ""),
        region_code=cleaned.get("region", ""),
        query=cleaned.get("q", ""), unread=cleaned.get("unread", False),
    )
    page = Paginator(reports, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "reports/inbox.html", {"filters": filters, "page": page,
                                                  "querystring": query.urlencode()})


def _detail(request, report, *, reply_form=None, status_form=None, handover_form=None, identity=None, status=200):
    thread = report_thread(report)
    services.report_mark_read_by_staff(report=report)
    return render(request, "reports/detail.html", {
        "report": report, "thread": thread, "identity": identity,
        "can_read_identity": can_read_reporter_identity(request.user),
        "reply_form": reply_form or MessageForm(),
        "status_form": status_form or StatusForm(report=report),
        "handover_form": (handover_form or HandoverForm(report=report)) if report.status not in FINAL else None,
        "handovers": report.handovers.select_related("from_office", "to_office", "actor"),
        "actions": staff_actions_for(request.user, report),
    }, status=status)


@require_GET
@staff_required
def detail(request, pk):
    return _detail(request, access_report(request.user, pk))


@require_POST
@staff_required
def reveal_identity(request, pk):
    report = access_report(request.user, pk)
    identity = services.report_reveal_identity(report=report, actor=request.user)
    return _detail(request, report, identity=identity or {})


@require_POST
@staff_required
def reply(request, pk):
    report = access_report(request.user, pk)
    form = MessageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.report_reply(report=report, actor=request.user, body=form.cleaned_data["body"],
                                  files=form.cleaned_data["files"])
        except ValidationError as error:  # e.g. the file storage is full
            form.add_error(None, error)
        else:
            messages.success(request, _("Your reply was sent to the reporter."))
            return redirect(report)
    return _detail(request, report, reply_form=form, status=400)


@require_POST
@staff_required
def change_status(request, pk):
    report = access_report(request.user, pk)
    form = StatusForm(request.POST, report=report)
    if form.is_valid():
        try:
            services.report_change_status(report=report, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The status was changed."))
            return redirect(report)
    return _detail(request, report, status_form=form, status=400)


@require_GET
@staff_required
def staff_file(request, pk, attachment_id):
    return _serve(attachment_of(access_report(request.user, pk), attachment_id))


@require_POST
@staff_required
def hand_over(request, pk):
    report = access_report(request.user, pk)
    form = HandoverForm(request.POST, report=report)
    if form.is_valid():
        try:
            report = services.report_hand_over(report=report, actor=request.user,
                                               to_office=form.cleaned_data["to_office"],
                                               to_region=form.cleaned_data["to_region"],
                                               reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)  # a dict of errors lands on the form's own fields
        else:
            messages.success(request, _("The report was handed over to %(office)s.")
                             % {"office": form.cleaned_data["to_office"].name})
            if report.office_id in set(office_ids_under(request.user.jurisdiction)):
                return redirect(report)
            return redirect("reports:inbox")
    return _detail(request, report, handover_form=form, status=400)
