"""Thin views of the parties' officials, disputes and the standalone evaluation meetings (issue 19).

An agreement's officials and disputes are seen by the staff of its parties only (access_agreement);
a standalone meeting by the Bawaslu and Pemda staff whose jurisdiction holds its organizer.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import staff_view
from accounts.permissions import Capability, can
from agreements import forms, selectors, services
from netral.files import file_response
from netral.forms import add_service_errors, pick_search

PAGE_SIZE = 25


def _current_own(request, agreement):
    """The current officials of the user's own party (what a new one may replace)."""
    party = services.party_of(user=request.user, agreement=agreement)
    if party is None:
        return []
    return [
        official
        for row in selectors.officials_of(agreement)
        if row.party.pk == party.pk
        for official in row.history
        if official.is_current
    ]


def parties_context(request, agreement, bound, today):
    """What the agreement page shows of officials, disputes and, at an early end, open obligations."""
    termination = getattr(agreement, "termination", None)
    leadership = can(request.user, Capability.APPROVE_AGREEMENTS)
    return {
        "officials": selectors.officials_of(agreement),
        "official_form": bound.get("official")
        or forms.OfficialForm(current=_current_own(request, agreement), initial={"valid_from": today}),
        "disputes": selectors.dispute_list(agreement),
        "dispute_form": bound.get("dispute") or forms.DisputeForm(initial={"raised_on": today}),
        # Before the end: what would stay open, for the leadership deciding; after it: the record of then.
        "open_obligations": (
            selectors.open_obligations(agreement) if leadership and termination is None else None
        ),
        "ended_open": termination.open_obligations if termination else None,
    }


@require_POST
@staff_view(Capability.SEE_AGREEMENTS, hide=True)
def official_new(request, pk):
    from agreements import views

    agreement = selectors.access_agreement(request.user, pk)
    current = _current_own(request, agreement)

    def act(agreement, data):
        replaces = next((o for o in current if o.pk == data["replaces"]), None)
        services.official_appoint(
            agreement=agreement,
            actor=request.user,
            kind=data["kind"],
            name=data["name"],
            role=data["role"],
            phone=data["phone"],
            email=data["email"],
            valid_from=data["valid_from"],
            note=data["note"],
            replaces=replaces,
        )
        return _("Official recorded.")

    return views._action(request, pk, "official", forms.OfficialForm, act, form_kwargs={"current": current})


@require_POST
@staff_view(Capability.SEE_AGREEMENTS, hide=True)
def dispute_new(request, pk):
    from agreements import views

    def act(agreement, data):
        services.dispute_raise(agreement=agreement, actor=request.user, **data)
        return _("Dispute recorded.")

    return views._action(request, pk, "dispute", forms.DisputeForm, act)


def _dispute_page(request, agreement, dispute, *, bound=None, status=200):
    bound = bound or {}
    today = timezone.localdate()
    return render(
        request,
        "agreements/dispute.html",
        {
            "agreement": agreement,
            "dispute": dispute,
            "party": services.party_of(user=request.user, agreement=agreement),
            "is_leadership": can(request.user, Capability.APPROVE_AGREEMENTS),
            "deliberation_form": bound.get("deliberation")
            or forms.DeliberationForm(initial={"held_on": today}),
            "close_form": bound.get("close") or forms.DisputeCloseForm(initial={"closed_on": today}),
        },
        status=status,
    )


@require_GET
@staff_view(Capability.SEE_AGREEMENTS, hide=True)
def dispute_detail(request, pk, dispute_pk):
    agreement = selectors.access_agreement(request.user, pk)
    return _dispute_page(request, agreement, selectors.access_dispute(agreement, dispute_pk))


def _dispute_action(request, pk, dispute_pk, name, form, act):
    agreement = selectors.access_agreement(request.user, pk)
    dispute = selectors.access_dispute(agreement, dispute_pk)
    if form.is_valid():
        try:
            message = act(dispute, form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, message)
            return redirect(reverse("agreements:dispute", args=[agreement.pk, dispute.pk]))
    return _dispute_page(request, agreement, dispute, bound={name: form}, status=400)


@require_POST
@staff_view(Capability.SEE_AGREEMENTS, hide=True)
def deliberation_new(request, pk, dispute_pk):
    def act(dispute, data):
        services.deliberation_record(dispute=dispute, actor=request.user, **data)
        return _("Deliberation recorded.")

    return _dispute_action(request, pk, dispute_pk, "deliberation", forms.DeliberationForm(request.POST), act)


@require_POST
@staff_view(Capability.SEE_AGREEMENTS, hide=True)
def dispute_close(request, pk, dispute_pk):
    if not can(request.user, Capability.APPROVE_AGREEMENTS):
        raise PermissionDenied

    def act(dispute, data):
        services.dispute_close(dispute=dispute, actor=request.user, **data)
        return _("Outcome recorded.")

    return _dispute_action(request, pk, dispute_pk, "close", forms.DisputeCloseForm(request.POST), act)


# --- Standalone evaluation meetings (seed 002) --------------------------------------------------


def _elections():
    from rules.selectors import election_list_open

    return election_list_open()


@require_GET
@staff_view(Capability.SEE_AGREEMENTS, hide=True)
def meeting_list(request):
    elections = list(_elections())
    form = forms.MeetingFilterForm(request.GET or None, elections=elections)
    election = form.cleaned_data.get("election", "") if form.is_bound and form.is_valid() else ""
    page = Paginator(
        selectors.standalone_meeting_list_for(request.user, election=election), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "agreements/meeting_list.html",
        {
            "form": form,
            "page": page,
            "querystring": query.urlencode(),
            "can_record": bool(request.user.bawaslu_office_id or request.user.agency_id),
        },
    )


@require_http_methods(["GET", "POST"])
@staff_view(Capability.SEE_AGREEMENTS, hide=True)
def meeting_standalone_new(request):
    if not can(request.user, Capability.MANAGE_PREVENTION):
        raise PermissionDenied  # an account without an office or agency organizes nothing
    form = forms.StandaloneMeetingForm(
        request.POST or None,
        request.FILES or None,
        elections=_elections(),
        ceremonies=selectors.ceremony_choices_for(request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.standalone_meeting_record(
                actor=request.user,
                election=data["election"],
                title=data["title"],
                held_on=data["held_on"],
                place=data["place"],
                minutes=data["minutes"],
                decisions=data["decisions"].splitlines(),
                participants=data["participants"],
                ceremony=data["ceremony"],
                pledges_signed=data["pledges_signed"],
                upload=data["upload"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Evaluation meeting recorded."))
            return redirect("agreements:standalone_meeting", pk=meeting.pk)
    return render(request, "agreements/meeting_new.html", {"form": form}, status=400 if form.errors else 200)


@require_GET
@staff_view(Capability.SEE_AGREEMENTS, hide=True)
def meeting_standalone_ceremonies(request):
    """htmx: a few pledge ceremonies of the jurisdiction titled like what was typed (issue 20)."""
    if not can(request.user, Capability.MANAGE_PREVENTION):
        raise PermissionDenied
    return pick_search(request, pick=forms.ceremony_pick(selectors.ceremony_choices_for(request.user)))


@require_GET
@staff_view(Capability.SEE_AGREEMENTS, hide=True)
def meeting_standalone_detail(request, pk):
    meeting = selectors.access_standalone_meeting(request.user, pk)
    ceremony = (
        selectors.meeting_ceremony(request.user, meeting)
        if can(request.user, Capability.MANAGE_PREVENTION)
        else None
    )
    return render(
        request,
        "agreements/meeting_detail.html",
        {
            "meeting": meeting,
            "participants": meeting.participants.all(),
            "ceremony": ceremony,
        },
    )


@require_GET
@staff_view(Capability.SEE_AGREEMENTS, hide=True)
def meeting_standalone_evidence(request, pk):
    meeting = selectors.access_standalone_meeting(request.user, pk)
    if not meeting.pledges_evidence:
        raise Http404
    return file_response(
        meeting.pledges_evidence,
        filename=f"rapat-evaluasi-{meeting.pk}-ikrar.pdf",
        content_type="application/pdf",
    )
