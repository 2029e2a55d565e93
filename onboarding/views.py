"""The onboarding pages: the national list of regional governments and one agency's checklist.

Thin: the guard (accounts.decorators.staff_view), the door (onboarding.selectors), a form, one
service call (accounts.invitations).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import staff_view
from accounts.invitations import (
    invitation_resend,
    invitation_revoke,
    invitation_send,
    inviting_region,
    may_invite,
)
from accounts.models import Invitation, User
from accounts.permissions import PEMDA_ROLES, Capability
from netral.forms import pick_search
from onboarding import checklist
from onboarding.forms import AgencyOpenForm, InviteForm, ListFilterForm
from onboarding.selectors import (
    access_onboarding_agency,
    agency_people,
    agency_state,
    onboarding_agencies_for,
    province_choices_for,
    regional_agencies_for,
    state_of,
)
from organizations.forms import agency_pick

PAGE_SIZE = 25
OPEN_FIELDS = ("agency_name", "agency", "to")  # the typed choice's; the list's filters and pages are the others


@staff_view(Capability.INVITE_PEMDA)
def agency_list(request):
    """The paged list of the regional governments, with a typed choice that opens one's page: sent (GET,
    it only moves), the agency found is opened; a name of several or none comes back on the list (400)."""
    if inviting_region(request.user) is None:
        # A regency office's leadership holds the capability (the table is per role) but invites
        # no one: its province's office does. The page says so rather than answering 403.
        return render(request, "onboarding/agency_list.html", {"not_inviter": True})
    opening = any(name in request.GET for name in OPEN_FIELDS)
    open_form = AgencyOpenForm(request.GET if opening else None, agencies=regional_agencies_for(request.user))
    if opening and open_form.is_valid():
        anchor = "#undang" if request.GET.get("to") == "invite" else ""  # the button pressed: invite, or read
        return redirect(reverse("onboarding:agency", args=[open_form.cleaned_data["agency"].pk]) + anchor)
    query = request.GET.copy()
    for name in ("page", *OPEN_FIELDS):
        query.pop(name, None)
    provinces = province_choices_for(request.user)
    form = ListFilterForm(query or None, provinces=provinces)
    chosen = form.cleaned_data if form.is_valid() else {}
    agencies = onboarding_agencies_for(request.user, province=chosen.get("province"),
                                       status=chosen.get("status", ""), q=chosen.get("q", "").strip())
    page = Paginator(agencies, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = []
    for agency in page.object_list:
        items = checklist.checklist(state_of(agency))
        done, total = checklist.progress(items)
        rows.append({"agency": agency, "done": done, "total": total, "live": checklist.is_live(items)})
    return render(request, "onboarding/agency_list.html", {
        "form": form, "open_form": open_form, "page": page, "rows": rows, "querystring": query.urlencode(),
        "show_province": provinces.count() > 1,
    }, status=400 if open_form.errors else 200)


@require_GET
@staff_view(Capability.INVITE_PEMDA)
def agency_search(request):
    """htmx: a few regional governments named like what was typed, among those this account may invite."""
    return pick_search(request, pick=agency_pick(regional_agencies_for(request.user)))


def _agency_page(request, agency, *, form=None, status=200):
    state = agency_state(agency)
    items = checklist.checklist(state)
    done, total = checklist.progress(items)
    inviter = may_invite(request.user, agency)
    people = Paginator(agency_people(agency), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "onboarding/agency_detail.html", {
        "agency": agency, "items": items, "done": done, "total": total, "live": checklist.is_live(items),
        "people": people, "inviter": inviter, "form": form or (InviteForm() if inviter else None),
        "Status": Invitation.Status, "now": timezone.now(),
    }, status=status)


@staff_view(Capability.SEE_ONBOARDING)
def agency_detail(request, pk):
    agency = access_onboarding_agency(request.user, pk)
    return _agency_page(request, agency)


@staff_view(Capability.INVITE_PEMDA)
@require_http_methods(["POST"])
def invite(request, pk):
    agency = access_onboarding_agency(request.user, pk)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            sent = invitation_send(actor=request.user, agency=agency, role=form.cleaned_data["role"],
                                   name=form.cleaned_data["name"], email=form.cleaned_data["email"])
        except ValidationError as error:
            form.add_error("email" if getattr(error, "code", "") == "taken" else None, error)
        else:
            messages.success(request, _("The invitation was sent to %(email)s.") % {"email": sent.invitation.user.email})
            return redirect(reverse("onboarding:agency", args=[agency.pk]) + "#akun")
    return _agency_page(request, agency, form=form, status=400)


def _invited_person(request, pk, user_pk) -> User:
    agency = access_onboarding_agency(request.user, pk)
    if not may_invite(request.user, agency):
        raise PermissionDenied
    return get_object_or_404(User.objects.select_related("agency"), Q(role__in=PEMDA_ROLES), pk=user_pk,
                             agency=agency)


def _on_invitation(request, pk, user_pk, *, service, done: str):
    """Resend or withdraw one person's invitation; the page says what happened or why not."""
    person = _invited_person(request, pk, user_pk)
    try:
        service(actor=request.user, user=person)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done % {"email": person.email})
    return redirect(reverse("onboarding:agency", args=[pk]) + "#akun")


@staff_view(Capability.INVITE_PEMDA)
@require_POST
def resend(request, pk, user_pk):
    return _on_invitation(request, pk, user_pk, service=invitation_resend,
                          done=_("A new invitation link was sent to %(email)s; the old link no longer works."))


@staff_view(Capability.INVITE_PEMDA)
@require_POST
def revoke(request, pk, user_pk):
    return _on_invitation(request, pk, user_pk, service=invitation_revoke,
                          done=_("The invitation of %(email)s was withdrawn."))
