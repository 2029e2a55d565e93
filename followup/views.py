"""Thin staff views of the follow-up: access, form, one service call.

``access_recommendation`` is the only door to a recommendation (404 for a missing and a
foreign one alike); who may act is checked again by the services (403 for a reader who
is not the addressee).
"""

import mimetypes

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.decorators import staff_view
from accounts.permissions import Capability
from cases.models import Case, CasePerson
from cases.states import Outcome
from followup import limits as limit_rules
from followup import services
from followup.forms import DecisionForm, FilterForm, IssueForm, RefuseForm, addressee_agencies, grade_label
from followup.models import Decision, Recommendation
from followup.positions import guess_position_class
from followup.selectors import (
    access_employee,
    access_recommendation,
    employee_history,
    forwarding_of_case,
    notices_unread,
    recommendation_list_for,
    visible_q,
)
from letters.models import Letter
from netral import clock
from netral.clock import due_soon_until
from netral.files import file_response
from netral.forms import pick_search
from netral.paginator import BoundedPaginator
from organizations.forms import agency_pick
from organizations.models import Agency

PAGE_SIZE = 25
LIST_COUNT_BOUND = 1000  # the list counts its rows up to here, then says "more than" (netral/paginator.py)


# --- the inbox ------------------------------------------------------------------------------

@require_GET
@staff_view(Capability.SEE_FOLLOWUP)
def recommendation_list(request):
    filters = FilterForm(request.GET or None)
    cleaned = filters.cleaned_data if filters.is_valid() else {}
    today = timezone.localdate()
    items = recommendation_list_for(request.user, stage=cleaned.get("stage", ""), state=cleaned.get("state", ""),
                                    query=cleaned.get("q", ""), today=today)
    # Counted only up to a bound (netral/paginator.py): never every recommendation of the country.
    number = request.GET.get("page")
    page = BoundedPaginator(items, PAGE_SIZE, page=number, bound=LIST_COUNT_BOUND).get_page(number)
    horizon = due_soon_until(today)
    for item in page:
        item.flag = clock.deadline_flag(item.due_on, horizon) if item.is_open else ""
        item.overdue = item.flag == clock.OVERDUE
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "followup/recommendation_list.html", {
        "filters": filters, "page": page, "querystring": query.urlencode(), "horizon": horizon,
        "notices": notices_unread(request.user),
    })


# --- one recommendation ---------------------------------------------------------------------

def _limit(recommendation):
    return next((limit for limit in limit_rules.limits() if limit.id == recommendation.limit_id), None)


def _pending_persons(recommendation):
    return (CasePerson.objects.filter(case_id=recommendation.case_id)
            .exclude(recommendations__stage=Recommendation.Stage.PPK)
            .select_related("employee__agency", "employee__unit").order_by("id"))


def _issue_initial(recommendation, persons) -> dict:
    """Prefill from the register entry of the first reported person still without a recommendation."""
    person = persons[0] if persons else None
    initial = {"violations": list(recommendation.violations.all())}
    if person is None:
        return initial
    employee = person.employee
    kind = employee.kind if employee else ""
    agency = employee.agency if employee else Agency.objects.filter(
        kind=Agency.Kind.REGIONAL, region=recommendation.case.office.region).first()
    initial.update(person=person, addressee=agency.pk if agency else "", addressee_name=agency.name if agency else "",
                   employee_kind=kind,
                   position_class=guess_position_class(person.position or (employee.position if employee else ""),
                                                       kind))
    return initial


def _timeline(recommendation, reminders, decision, children) -> list[tuple]:
    """What happened to the recommendation, oldest first: (date, what, detail)."""
    events = [(recommendation.issued_on, _("Issued"), recommendation.number)]
    if recommendation.acknowledged_at:
        who = recommendation.acknowledged_by
        events.append((timezone.localdate(recommendation.acknowledged_at), _("Receipt acknowledged"),
                       (who.get_full_name() or who.get_username()) if who else ""))
    for reminder in reminders:
        what = (_("Escalated (level %(level)s)") % {"level": reminder.level} if reminder.escalated
                else _("Reminder %(sequence)s") % {"sequence": reminder.sequence})
        events.append((reminder.sent_on, what, reminder.addressee))
    for child in children:
        events.append((child.issued_on, _("Recommendation to the PPK issued"),
                       f"{child.number} · {child.addressee.name}"))
    if decision:
        events.append((timezone.localdate(decision.recorded_at), decision.get_outcome_display(),
                       decision.letter_number or ""))
    return sorted(events, key=lambda event: event[0])


def _detail(request, recommendation, *, forms=None, status=200):
    forms = forms or {}
    user = request.user
    owner = services.is_owner(user=user, recommendation=recommendation)
    decision = Decision.objects.filter(recommendation=recommendation).select_related("recorded_by").first()
    reminders = list(recommendation.reminders.select_related("letter"))
    violations = list(recommendation.violations.all())
    children = (list(recommendation.children.filter(visible_q(user)).select_related("addressee", "decision"))
                if recommendation.stage == Recommendation.Stage.AUTHORITY else [])
    context = {
        "rec": recommendation, "owner": owner, "decision": decision, "reminders": reminders,
        "violations": violations, "children": children, "limit": _limit(recommendation),
        "overdue": recommendation.is_open and recommendation.due_on < timezone.localdate(),
        "grade": (grade_label(recommendation.sanction_family, recommendation.sanction_level)
                  if recommendation.sanction_family else ""),
        "decision_grade": grade_label(decision.sanction_family, decision.sanction_level) if decision and
        decision.sanction_family else "",
        "decision_sanction": _sanction_title(decision.sanction) if decision and decision.sanction else "",
        "case_link": user.is_bawaslu,
        "timeline": _timeline(recommendation, reminders, decision, children),
    }
    if recommendation.employee_id:
        others = employee_history(recommendation.employee_id).exclude(pk=recommendation.pk)
        context["previous_count"] = others.count()
    if owner and recommendation.is_open:
        if recommendation.stage == Recommendation.Stage.AUTHORITY:
            pending = _pending_persons(recommendation)
            persons = list(pending)
            if persons:
                context["issue_form"] = forms.get("issue") or IssueForm(
                    forwarding=recommendation, persons=pending,
                    initial=_issue_initial(recommendation, persons))
            context["refuse_form"] = forms.get("refuse") or RefuseForm()
        else:
            context["decision_form"] = forms.get("decide") or DecisionForm(
                recommendation=recommendation, violation_ids=[v.pk for v in violations])
    context["errors_in"] = next(iter(forms), "")
    return render(request, "followup/recommendation_detail.html", context, status=status)


def _sanction_title(sanction_id: str) -> str:
    from django.utils.translation import get_language

    from rules.selectors import catalog

    sanction = catalog().sanctions.get(sanction_id)
    return sanction.title.get(get_language()) if sanction else sanction_id


@require_GET
@staff_view(Capability.SEE_FOLLOWUP)
def recommendation_detail(request, pk):
    recommendation = access_recommendation(request.user, pk)
    services.notices_mark_read(user=request.user, recommendation=recommendation)
    return _detail(request, recommendation)


@require_POST
@staff_view(Capability.SEE_FOLLOWUP)
def acknowledge(request, pk):
    recommendation = access_recommendation(request.user, pk)
    services.recommendation_acknowledge(recommendation=recommendation, actor=request.user)
    messages.success(request, _("Receipt acknowledged."))
    return redirect(recommendation)


@require_POST
@staff_view(Capability.SEE_FOLLOWUP)
def issue(request, pk):
    forwarding = access_recommendation(request.user, pk)
    if (not services.is_owner(user=request.user, recommendation=forwarding)
            or forwarding.stage != Recommendation.Stage.AUTHORITY):
        raise PermissionDenied
    form = IssueForm(request.POST, forwarding=forwarding, persons=_pending_persons(forwarding))
    if form.is_valid():
        data = form.cleaned_data
        try:
            issued = services.recommendation_issue(
                forwarding=forwarding, actor=request.user, person=data["person"], addressee=data["addressee"],
                employee_kind=data["employee_kind"], position_class=data["position_class"],
                violations=data["violations"], grade=data["grade"], considerations=data["considerations"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Recommendation %(number)s was issued to %(agency)s.")
                             % {"number": issued.number, "agency": issued.addressee.name})
            return redirect(forwarding)
    forwarding.refresh_from_db()
    return _detail(request, forwarding, forms={"issue": form}, status=400)


@require_GET
@staff_view(Capability.SEE_FOLLOWUP)
def issue_grades(request, pk):
    """htmx: the recommended-sanction list for the kind and violations chosen so far."""
    forwarding = access_recommendation(request.user, pk)
    if (not services.is_owner(user=request.user, recommendation=forwarding)
            or forwarding.stage != Recommendation.Stage.AUTHORITY):
        raise PermissionDenied
    form = IssueForm(request.GET, forwarding=forwarding, persons=_pending_persons(forwarding))
    return render(request, "followup/_grade_field.html", {"form": form, "rec": forwarding})


@require_GET
@staff_view(Capability.SEE_FOLLOWUP)
def issue_agencies(request, pk):
    """htmx: a few agencies named like what was typed, for the addressee of a recommendation (issue 20)."""
    forwarding = access_recommendation(request.user, pk)
    if (not services.is_owner(user=request.user, recommendation=forwarding)
            or forwarding.stage != Recommendation.Stage.AUTHORITY):
        raise PermissionDenied
    return pick_search(request, pick=agency_pick(addressee_agencies()))


@require_POST
@staff_view(Capability.SEE_FOLLOWUP)
def refuse(request, pk):
    """The authority closes a forwarding without a recommendation, with its reasons."""
    forwarding = access_recommendation(request.user, pk)
    if forwarding.stage != Recommendation.Stage.AUTHORITY:
        raise Http404
    if not services.is_owner(user=request.user, recommendation=forwarding):
        raise PermissionDenied
    form = RefuseForm(request.POST)
    if form.is_valid():
        try:
            services.decision_record(recommendation=forwarding, actor=request.user, outcome=Decision.Outcome.REFUSED,
                                     reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The forwarding was closed with your reasons."))
            return redirect(forwarding)
    forwarding.refresh_from_db()
    return _detail(request, forwarding, forms={"refuse": form}, status=400)


@require_POST
@staff_view(Capability.SEE_FOLLOWUP)
def decide(request, pk):
    """The PPK's decision on a recommendation: a sanction with its decision letter, or a refusal."""
    recommendation = access_recommendation(request.user, pk)
    if recommendation.stage != Recommendation.Stage.PPK:
        raise Http404
    if not services.is_owner(user=request.user, recommendation=recommendation):
        raise PermissionDenied
    violation_ids = list(recommendation.violations.values_list("pk", flat=True))
    form = DecisionForm(request.POST, request.FILES, recommendation=recommendation, violation_ids=violation_ids)
    if form.is_valid():
        data = form.cleaned_data
        imposed = data["outcome"] == Decision.Outcome.IMPOSED
        try:
            services.decision_record(
                recommendation=recommendation, actor=request.user, outcome=data["outcome"],
                sanction=data["sanction"] if imposed else "", letter_number=data["letter_number"] if imposed else "",
                letter_date=data["letter_date"] if imposed else None, upload=data["upload"] if imposed else None,
                reason=data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The decision was recorded."))
            return redirect(recommendation)
    recommendation.refresh_from_db()
    return _detail(request, recommendation, forms={"decide": form}, status=400)


# --- files, only through access checks -------------------------------------------------------

@require_GET
@staff_view(Capability.SEE_FOLLOWUP)
def letter_file(request, pk, letter_id):
    """The recommendation's own letter or one of its reminders' and escalations' letters."""
    recommendation = access_recommendation(request.user, pk)
    allowed = Q(pk=recommendation.letter_id) | Q(pk__in=recommendation.reminders.values("letter_id"))
    letter = get_object_or_404(Letter.objects.filter(allowed, case_link__case_id=recommendation.case_id), pk=letter_id)
    return file_response(letter.file, filename=f"{letter.kind}-{letter.pk}.pdf", content_type="application/pdf")


@require_GET
@staff_view(Capability.SEE_FOLLOWUP)
def decision_file(request, pk):
    recommendation = access_recommendation(request.user, pk)
    decision = Decision.objects.filter(recommendation=recommendation).exclude(file="").first()
    if decision is None:
        raise Http404
    extension = decision.file.name.rsplit(".", 1)[-1].lower()
    content_type = mimetypes.types_map.get(f".{extension}", "application/octet-stream")
    return file_response(decision.file, filename=f"keputusan-{recommendation.pk}.{extension}",
                         content_type=content_type)


# --- the register entry's history -----------------------------------------------------------

@require_GET
@staff_view(Capability.USE_STAFF_PAGES)
def employee_detail(request, pk):
    employee = access_employee(request.user, pk)
    history = employee_history(employee.pk)
    total = history.count()
    try:
        rows = list(history.filter(visible_q(request.user)).prefetch_related("violations"))
    except PermissionDenied:
        rows = []
    for row in rows:
        row.grade_words = grade_label(row.sanction_family, row.sanction_level) if row.sanction_family else ""
    cases = []
    if request.user.is_bawaslu or request.user.role == request.user.Role.ADMIN:
        cases = list(Case.objects.filter(persons__employee=employee).filter(_case_scope(request.user))
                     .select_related("office").distinct().order_by("-registered_on", "-id"))
    return render(request, "followup/employee_detail.html", {
        "employee": employee, "rows": rows, "total": total, "hidden": total - len(rows),
        "repeat": total > 1 or len(cases) > 1, "cases": cases,
    })


def _case_scope(user) -> Q:
    from organizations.selectors import office_ids_under

    if user.role == user.Role.ADMIN:
        return Q()
    return Q(office_id__in=office_ids_under(user.jurisdiction))


# --- the panel on the case page (cases.extensions.CASE_PANELS) --------------------------------

def case_panel(user, case) -> str | None:
    """The follow-up of a forwarded case, for the staff case page; None when there is none."""
    if case.outcome != Outcome.FORWARDED_AUTHORITY:
        return None
    try:
        forwarding = forwarding_of_case(user, case)
    except PermissionDenied:
        return None
    if forwarding is None:
        return None
    today = timezone.localdate()
    rows = [forwarding] + list(forwarding.children.filter(visible_q(user)).select_related("addressee", "decision"))
    for row in rows:
        row.overdue = row.is_open and row.due_on < today
    return render_to_string("followup/_case_panel.html", {"rows": rows, "forwarding": forwarding})
