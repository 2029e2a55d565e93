"""Thin views: access, form, one service call. Public intake and tracking, then the staff side."""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import public, staff_view
from accounts.permissions import Capability, can_approve_identity_requests
from netral.clock import due_soon_until
from netral.files import file_response
from netral.http import address_key, client_address, failure_budget_spent, pseudonym
from netral.qr import qr_svg
from organizations.selectors import office_ids_under
from regions.selectors import region_candidates, region_label
from registry.selectors import employee_public_search
from reports import identity as identity_access
from reports import services, states
from reports.extensions import next_step_for, report_panels_for, staff_actions_for
from reports.forms import (
    HandoverForm,
    IdentityDecisionForm,
    IdentityRequestForm,
    InboxFilterForm,
    MessageForm,
    ReportedPersonFormSet,
    ReportForm,
    StatusForm,
    TrackForm,
    WithdrawForm,
    build_submission,
    default_known_on,
)
from reports.models import Report, StatusChange
from reports.notices import STOP_LABEL
from reports.selectors import (
    access_report,
    attachment_of,
    report_by_code,
    report_deadlines,
    report_list_for,
    report_thread,
)
from reports.states import FINAL
from reports.tracking import format_code, is_submission_token, new_submission_token
from reports.uploads import files_not_received, tolerant_multipart
from rules.selectors import subject_list

TRACKED = "tracked_report"
PERSONS_PREFIX = "persons"


# --- Public: the report form -------------------------------------------------------------

def _unbound_error(form, message: str) -> None:
    """A message on a form that has no data to validate (an empty form shown again)."""
    form.cleaned_data = {}  # what add_error updates; an unbound form never cleaned anything
    form.add_error(None, ValidationError(message, code="unreadable"))


def _submit_unreadable(request, message):
    """The body could not be read at all (reports.uploads): a fresh form, saying so; nothing is saved."""
    form = ReportForm(initial={"submission_token": new_submission_token(), "known_on": default_known_on()})
    _unbound_error(form, message)
    persons = ReportedPersonFormSet(prefix=PERSONS_PREFIX)
    return render(request, "reports/submit.html", {"form": form, "persons": persons}, status=400)


@require_http_methods(["GET", "POST"])
@public
@tolerant_multipart(on_unreadable=_submit_unreadable)
def submit(request):
    if request.method == "POST":
        token = request.POST.get("submission_token", "")
        # Only a token this server issued (signed) may have files kept under it.
        staged = services.staged_files_for(token=token) if is_submission_token(token) else None
        form = ReportForm(request.POST, request.FILES, staged=staged)
        persons = ReportedPersonFormSet(request.POST, prefix=PERSONS_PREFIX)
        valid = form.is_valid() & persons.is_valid()
        not_received = files_not_received(request)
        if not valid and not_received:
            form.add_error(None, _not_received_error(not_received))
        if not valid and staged is not None:
            _stage_accepted_files(form, token, client=pseudonym(client_address(request)))
        if not valid and staged is None:
            # A damaged, missing or made-up token: the next try gets a fresh one, with a message.
            form.data = form.data.copy()
            form.data["submission_token"] = new_submission_token()
            form.add_error(None, _("This form has expired. Please reload the page."))
            if getattr(form.fields["evidence"], "accepted", None):
                form.add_error(None, ValidationError(
                    _("The files you attached were not kept: attach them again before you send the form."),
                    code="not_staged"))
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
                tracking_url = request.build_absolute_uri(reverse("reports:track"))
                return render(request, "reports/receipt.html", {
                    "report": receipt.report,
                    "code": format_code(receipt.code) if receipt.code else None,
                    # The code in groups that never break on a narrow screen (the template joins them).
                    "code_groups": format_code(receipt.code).split("-") if receipt.code else [],
                    # The QR code opens the tracking page; it does not hold the code itself.
                    "tracking_url": tracking_url, "tracking_qr": mark_safe(qr_svg(tracking_url, box_size=6)),
                    "repeated": not receipt.created,
                    # Every file kept with the report, and what did not arrive (issue 16).
                    "attachments": receipt.report.attachments.filter(message=None).select_related("blob"),
                    "not_received": _not_received_error(not_received).messages[0] if not_received else "",
                })
        status = 400
    else:
        form = ReportForm(initial={"submission_token": new_submission_token(), "known_on": default_known_on()})
        persons = ReportedPersonFormSet(prefix=PERSONS_PREFIX)
        status = 200
    return render(request, "reports/submit.html", {"form": form, "persons": persons, "subjects": subject_list()},
                  status=status)


def _not_received_error(count: int) -> ValidationError:
    return ValidationError(
        ngettext("%(count)d file did not arrive: its name could not be read. Rename it (letters and digits) "
                 "and send it again.",
                 "%(count)d files did not arrive: their names could not be read. Rename them (letters and "
                 "digits) and send them again.", count),
        code="not_received", params={"count": count},
    )


def _stage_accepted_files(form, token, *, client):
    """Keep the good files of a form sent back, and show them ticked on the page again."""
    accepted = getattr(form.fields["evidence"], "accepted", [])
    if not accepted:
        return
    try:
        staging = services.staged_files_add(token=token, files=accepted, client=client)
    except ValidationError as error:  # the storage is full: the reporter reads why
        form.add_error(None, error)
        return
    for name in staging.not_kept:
        form.add_error(None, ValidationError(
            _("“%(name)s” was not kept for your next try: the server already holds as many waiting files as it "
              "may. Attach it again when you send the form."),
            code="staging_quota", params={"name": name}))
    form.data = form.data.copy()
    kept = form.data.getlist("keep_staged")
    form.data.setlist("keep_staged", kept + [str(f.pk) for f in staging.kept if str(f.pk) not in kept])
    form.fields["keep_staged"].queryset = services.staged_files_for(token=token)


@require_GET
@public
def employee_search(request):
    """htmx: register entries matching what the reporter typed (name, position and unit only)."""
    return render(request, "reports/_employee_results.html", {
        "employees": employee_public_search(request.GET.get("q", "")),
        "target": request.GET.get("target", "")[:40],
        "query": request.GET.get("q", "")[:100],
    })


REGION_SUGGESTIONS = 10
REGION_SEARCHES_PER_ADDRESS = "300/10m"  # a reporter types a few names; an office behind one address, many


@require_GET
@public
def region_search(request):
    """htmx: at most 10 current regencies/cities and districts named like what the reporter typed.

    Public data only (region names), so the answer may be compressed (netral/compression.py). A
    budget per client address (a pseudonym, never stored in clear) keeps it from being a free
    bulk lookup; past it, a 429 that leaves the list as it was: the form still finds the name.
    """
    from django_ratelimit.core import get_usage

    query = (request.GET.get("q") or request.GET.get("region_name") or "")[:100]
    usage = get_usage(request, group="region-search", key=address_key,
                      rate=getattr(settings, "NETRAL_REGION_SEARCHES_PER_ADDRESS", REGION_SEARCHES_PER_ADDRESS),
                      increment=True)
    if usage is not None and usage["should_limit"]:
        return render(request, "reports/_region_results.html", {"limited": True, "query": query}, status=429)
    regions = region_candidates(query, limit=REGION_SUGGESTIONS) if len(query.strip()) >= 2 else []
    return render(request, "reports/_region_results.html", {
        "regions": [(region.pk, region_label(region)) for region in regions], "query": query})


@require_GET
@public
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
@public
def track(request):
    form = TrackForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            # The code first, then the budget: a right code always opens its report, however many
            # wrong ones others sent from the same address (a mobile network's NAT). Only wrong codes
            # count and are limited; with 80-bit codes, letting right ones through gives a guesser
            # nothing (docs/threat-model.md). The lookup is by the code's SHA-256: its timing says
            # nothing about how close a guess was.
            report = report_by_code(form.cleaned_data["code"])
            if report is not None:
                request.session.cycle_key()
                request.session[TRACKED] = report.pk
                return redirect("reports:tracking_status")
            if _too_many_failures(request, increment=False):
                form.add_error(None, _("Too many wrong codes were tried. Wait 10 minutes, then try again."))
                status = 429
            else:
                _too_many_failures(request, increment=True)
                form.add_error("code", _("No report has this code. Check it and try again."))
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
    announced = [change for change in thread.status_changes if change.kind == StatusChange.Kind.ANNOUNCEMENT]
    return render(request, "reports/tracking_status.html", {
        "thread": thread, "report": report,
        # The latest announced outcome is the headline, not the status it left unchanged (issue 18).
        "outcome": announced[-1] if announced else None,
        "explanation": states.public_explanation(report),
        # What happens next and by when: the highest app that knows the stage answers (issue 18).
        "next_step": next_step_for(report), "today": timezone.localdate(),
        "stop_notices_label": STOP_LABEL,
        "message_form": message_form or MessageForm(),
        "withdraw_form": withdraw_form or WithdrawForm(),
        "can_withdraw": report.status in states.REPORTER_WITHDRAWABLE,
        "can_write": report.status != states.Status.WITHDRAWN,
        "identity_disclosures": identity_access.identity_disclosures_public(report),
    }, status=status)


@require_GET
@public
@tracked_report
def tracking_status(request, report):
    return _status_page(request, report)


@tracked_report
def _message_unreadable(request, report, message):
    """The reporter's message could not be read at all (reports.uploads): the page, saying so."""
    form = MessageForm()
    _unbound_error(form, message)
    return _status_page(request, report, message_form=form, status=400)


@require_POST
@public
@tolerant_multipart(on_unreadable=_message_unreadable)
@tracked_report
def tracking_message(request, report):
    form = MessageForm(request.POST, request.FILES)
    not_received = files_not_received(request)
    if not_received:  # a file Django could not take: said, not dropped
        form.add_error(None, _not_received_error(not_received))
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
@public
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


@require_POST
@public
@tracked_report
def tracking_notices_stop(request, report):
    """The reporter stops the e-mail notices, with the tracking session alone (no login)."""
    services.report_notices_stop(report=report)
    messages.success(request, _("You will receive no more e-mails about this report."))
    return redirect("reports:tracking_status")


@require_GET
@public
@tracked_report
def tracking_file(request, report, attachment_id):
    return _serve(attachment_of(report, attachment_id))


@require_POST
@public
def tracking_exit(request):
    request.session.flush()
    messages.info(request, _("You have left your report. Keep your code to come back."))
    return redirect("portal:home")


def _serve(attachment):
    """The public copy of an evidence file, never rendered as a page by the browser."""
    blob = attachment.blob
    # Images were re-encoded by storage/prepare.py before they were stored. The name's extension
    # is the stored type's, whatever the reporter's name said (netral.files.download_name).
    return file_response(blob.public_file, filename=attachment.download_name, content_type=blob.content_type,
                         reencoded_image=blob.is_image)


# --- Staff ---------------------------------------------------------------------------------

@require_GET
@staff_view(Capability.HANDLE_REPORTS)
def inbox(request):
    filters = InboxFilterForm(request.GET or None, jurisdiction=request.user.jurisdiction)
    cleaned = filters.cleaned_data if filters.is_valid() else {}
    reports = report_list_for(
        request.user, status=cleaned.get("status", ""), election=cleaned.get("election", ""),
        region_code=cleaned.get("region", ""),
        query=cleaned.get("q", ""), unread=cleaned.get("unread", False), channel=cleaned.get("channel", ""),
        order=cleaned.get("order") or "new",
    )
    page = Paginator(reports, 25).get_page(request.GET.get("page"))
    dues = report_deadlines(list(page))
    for report in page:
        report.due_on = dues[report.pk]
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "reports/inbox.html", {
        "filters": filters, "page": page, "querystring": query.urlencode(), "horizon": due_soon_until(),
        "identity_requests_waiting": (identity_access.identity_requests_to_decide(request.user).count()
                                      if can_approve_identity_requests(request.user) else 0),
    })


def _detail(request, report, *, reply_form=None, status_form=None, handover_form=None, identity=None,
            identity_request_form=None, status=200):
    thread = report_thread(report)
    services.report_mark_read_by_staff(report=report)
    return render(request, "reports/detail.html", {
        "report": report, "thread": thread, "identity": identity,
        "identity_panel": identity_access.identity_panel_for(request.user, report),
        "identity_request_form": identity_request_form or IdentityRequestForm(),
        "identity_decision_form": IdentityDecisionForm(),
        "reply_form": reply_form or MessageForm(),
        "status_form": status_form or StatusForm(report=report),
        "handover_form": (handover_form or HandoverForm(report=report)) if report.status not in FINAL else None,
        "handovers": report.handovers.select_related("from_office", "to_office", "actor"),
        "actions": staff_actions_for(request.user, report),
        "panels": report_panels_for(request.user, report, identity_opened=identity is not None),
    }, status=status)


@require_GET
@staff_view(Capability.HANDLE_REPORTS)
def detail(request, pk):
    return _detail(request, access_report(request.user, pk))


@require_POST
@staff_view(Capability.HANDLE_REPORTS)
def reveal_identity(request, pk):
    """Shown in the answer to this POST only: a reload or the back button does not show it again."""
    report = access_report(request.user, pk)
    identity = identity_access.report_reveal_identity(report=report, actor=request.user)
    return _detail(request, report, identity=identity or {})


@require_POST
@staff_view(Capability.HANDLE_REPORTS)
def identity_request(request, pk):
    report = access_report(request.user, pk)
    form = IdentityRequestForm(request.POST)
    if form.is_valid():
        try:
            identity_access.identity_request_create(report=report, actor=request.user,
                                                    reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)  # a dict of errors lands on the form's own field (reason)
        else:
            messages.success(request, _("Your request was sent. The identity can be opened once the office's "
                                        "leadership approves it."))
            return redirect(report)
    return _detail(request, report, identity_request_form=form, status=400)


@require_POST
@staff_view(Capability.HANDLE_REPORTS)
def identity_decide(request, pk, request_pk):
    report = access_report(request.user, pk)
    asked = identity_access.access_identity_request(request.user, report, request_pk)
    form = IdentityDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to approve or to refuse."))
        return redirect(report)
    try:
        identity_access.identity_request_decide(request=asked, actor=request.user,
                                                approve=form.cleaned_data["decision"] == form.APPROVE,
                                                note=form.cleaned_data["note"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Request approved: the requester may open the identity until the end of "
                                    "today.") if form.cleaned_data["decision"] == form.APPROVE
                         else _("Request refused."))
    if request.POST.get("next") == "list":
        return redirect("reports:identity_requests")
    return redirect(report)


@require_GET
@staff_view(Capability.HANDLE_REPORTS)
def identity_requests(request):
    """Requests waiting for the user's decision (leadership), and the user's own requests, each paged."""
    to_decide = Paginator(identity_access.identity_requests_to_decide(request.user), 25).get_page(
        request.GET.get("page"))
    mine = Paginator(identity_access.identity_requests_of(request.user), 25).get_page(request.GET.get("mine"))
    return render(request, "reports/identity_requests.html", {
        "to_decide": list(to_decide), "page": to_decide, "mine": list(mine), "mine_page": mine,
        "can_decide": can_approve_identity_requests(request.user),
        "decision_form": IdentityDecisionForm(),
    })


@require_POST
@staff_view(Capability.HANDLE_REPORTS)
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
@staff_view(Capability.HANDLE_REPORTS)
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
@staff_view(Capability.HANDLE_REPORTS)
def staff_file(request, pk, attachment_id):
    return _serve(attachment_of(access_report(request.user, pk), attachment_id))


@require_POST
@staff_view(Capability.HANDLE_REPORTS)
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
