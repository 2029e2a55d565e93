"""Thin views of the agreements' staff pages: access, form, one service call.

Only the staff of the parties see an agreement (its Bawaslu office's staff and leadership,
its agency's Pemda staff and PPK); anyone else gets a 404, as for a missing one.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import staff_view
from accounts.permissions import Capability, can
from agreements import forms, indicators, report, selectors, services
from agreements.models import Addendum, BudgetLine, Document, DutyEvidence, Target
from agreements.parties_views import parties_context
from netral.files import bytes_response, file_response
from netral.forms import add_service_errors, pick_search
from organizations.forms import agency_pick

PAGE_SIZE = 25


def _period(request, agreement):
    """The period asked for (?start=&end=), or from the signing to today."""
    form = forms.PeriodForm(request.GET or None)
    if request.GET and form.is_valid():
        return form, form.cleaned_data["start"], form.cleaned_data["end"]
    start, end = selectors.default_period(agreement, timezone.localdate())
    if not request.GET or not form.is_bound:
        form = forms.PeriodForm(initial={"start": start, "end": end})
    return form, start, end


@require_GET
@staff_view(Capability.SEE_AGREEMENTS, hide=True)
def agreement_list(request):
    page = Paginator(selectors.agreement_list_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = [(agreement, services.agreement_state(agreement=agreement, today=today)) for agreement in page]
    return render(request, "agreements/list.html", {"page": page, "rows": rows, "querystring": ""})


@require_http_methods(["GET", "POST"])
@staff_view(Capability.SEE_AGREEMENTS, hide=True)
def agreement_new(request):
    """Record an agreement one's own side signed (its work plan rows are added on its page)."""
    form = forms.AgreementForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            agreement = services.agreement_create(
                actor=request.user, office=form.cleaned_data["office"], agency=form.cleaned_data["agency"],
                fields=form.agreement_fields(), first=form.party("first"), second=form.party("second"))
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Agreement recorded. Add its work plan below."))
            return redirect(reverse("agreements:detail", args=[agreement.pk]) + "#work-plan-item")
    return render(request, "agreements/new.html", {"form": form}, status=400 if form.errors else 200)


@require_GET
@staff_view(Capability.SEE_AGREEMENTS, hide=True)
def agency_search(request):
    """htmx: a few governments named like what was typed, that this account may record an agreement with."""
    return pick_search(request, pick=agency_pick(selectors.agreement_agencies_for(request.user)))


@require_POST
@staff_view(Capability.SEE_AGREEMENTS, hide=True)
def item_new(request, pk):
    def act(agreement, data):
        services.work_plan_item_add(agreement=agreement, actor=request.user, spec=forms.item_spec(data))
        return _("Work plan item added.")
    return _action(request, pk, "work-plan-item", forms.WorkPlanItemForm, act)


def _targets(agreement):
    return Target.objects.filter(item__agreement=agreement).select_related("item")


def _detail(request, agreement, *, bound=None, status=200):
    bound = bound or {}
    period_form, start, end = _period(request, agreement)
    targets = list(_targets(agreement))
    today = timezone.localdate()
    context = {
        "agreement": agreement,
        "state": services.agreement_state(agreement=agreement, today=today),
        "termination": getattr(agreement, "termination", None),
        "party": services.party_of(user=request.user, agreement=agreement),
        "is_leadership": can(request.user, Capability.APPROVE_AGREEMENTS),
        "period_form": period_form, "start": start, "end": end,
        "work_plan": _work_plan(agreement, start, end),
        "addenda": agreement.addenda.select_related("proposed_by"),
        "documents": agreement.documents.exclude(kind=Document.Kind.EVIDENCE),
        "meetings": agreement.meetings.all(),
        "meeting_form": bound.get("meeting") or forms.MeetingForm(initial={"period_start": start, "period_end": end}),
        "addendum_form": bound.get("addendum") or forms.AddendumForm(),
        "termination_form": bound.get("terminate") or forms.TerminationForm(initial={"notice_on": today}),
        "document_form": bound.get("document") or forms.DocumentForm(),
        "value_form": bound.get("value") or forms.ManualValueForm(
            targets=[t for t in targets if not t.indicator], initial={"period_start": start, "period_end": end}),
        "target_form": bound.get("target") or forms.TargetForm(targets=targets,
                                                               indicator_choices=indicators.choices()),
        "item_form": bound.get("work-plan-item") or forms.WorkPlanItemForm(),
        "report_query": f"start={start:%Y-%m-%d}&end={end:%Y-%m-%d}",
        "costs": selectors.costs_of(agreement),
        "posts": Paginator(selectors.dissemination_list(agreement), PAGE_SIZE).get_page(request.GET.get("posts")),
        "budget_form": bound.get("budget") or forms.BudgetLineForm(items=agreement.work_plan.all()),
        "spending_form": bound.get("spending") or forms.SpendingForm(lines=_own_lines(request.user, agreement)),
        "dissemination_form": bound.get("dissemination") or forms.DisseminationForm(initial={"published_on": today}),
        **parties_context(request, agreement, bound, today),
    }
    return render(request, "agreements/detail.html", context, status=status)


def _work_plan(agreement, start, end):
    """(item, its outputs and outcomes, its duties) per work-plan row."""
    duties = selectors.duties_of(agreement, start, end)
    return [(item, rows, duties.get(item.pk, [])) for item, rows in selectors.monitoring(agreement, start, end)]


def _own_lines(user, agreement):
    party = services.party_of(user=user, agreement=agreement)
    if party is None:
        return []
    return list(BudgetLine.objects.filter(item__agreement=agreement, party=party).select_related("item"))


@require_GET
@staff_view(Capability.SEE_AGREEMENTS, hide=True)
def agreement_detail(request, pk):
    return _detail(request, selectors.access_agreement(request.user, pk))


def _action(request, pk, name, form_class, act, *, files=False, form_kwargs=None):
    """Validate a form, run one service, redirect; on bad input show the page again with the form as typed."""
    agreement = selectors.access_agreement(request.user, pk)
    form = form_class(request.POST, request.FILES if files else None, **(form_kwargs or {}))
    if form.is_valid():
        try:
            message = act(agreement, form.cleaned_data)
        except PermissionDenied:
            raise
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, message)
            return redirect(reverse("agreements:detail", args=[agreement.pk]) + f"#{name}")
    return _detail(request, agreement, bound={name: form}, status=400)


@require_POST
@staff_view(Capability.SEE_AGREEMENTS, hide=True)
def meeting_new(request, pk):
    def act(agreement, data):
        services.meeting_record(agreement=agreement, actor=request.user, held_on=data["held_on"], place=data["place"],
                                attendees=data["attendees"], minutes=data["minutes"],
                                decisions=data["decisions"].splitlines(), period_start=data["period_start"],
                                period_end=data["period_end"])
        return _("Evaluation meeting recorded.")
    return _action(request, pk, "meeting", forms.MeetingForm, act)


@require_POST
@staff_view(Capability.SEE_AGREEMENTS, hide=True)
def addendum_new(request, pk):
    def act(agreement, data):
        services.addendum_propose(agreement=agreement, actor=request.user, **data)
        return _("Addendum proposed. It takes effect once both parties approve it.")
    return _action(request, pk, "addendum", forms.AddendumForm, act)


@require_POST
@staff_view(Capability.SEE_AGREEMENTS, hide=True)
def addendum_approve(request, pk, addendum_pk):
    agreement = selectors.access_agreement(request.user, pk)
    addendum = get_object_or_404(Addendum, agreement=agreement, pk=addendum_pk)
    services.addendum_approve(addendum=addendum, actor=request.user)
    messages.success(request, _("Approval recorded."))
    return redirect(reverse("agreements:detail", args=[agreement.pk]) + "#addenda")


@require_POST
@staff_view(Capability.SEE_AGREEMENTS, hide=True)
def terminate(request, pk):
    if not can(request.user, Capability.APPROVE_AGREEMENTS):
        raise PermissionDenied

    def act(agreement, data):
        services.agreement_terminate(agreement=agreement, actor=request.user, **data)
        return _("Early end recorded.")
    return _action(request, pk, "terminate", forms.TerminationForm, act)


@require_POST
@staff_view(Capability.SEE_AGREEMENTS, hide=True)
def document_new(request, pk):
    def act(agreement, data):
        services.document_upload(agreement=agreement, actor=request.user, kind=data["kind"], upload=data["upload"],
                                 name=data["name"])
        return _("Document uploaded.")
    return _action(request, pk, "document", forms.DocumentForm, act, files=True)


@require_POST
@staff_view(Capability.SEE_AGREEMENTS, hide=True)
def value_new(request, pk):
    agreement = selectors.access_agreement(request.user, pk)
    targets = [t for t in _targets(agreement) if not t.indicator]

    def act(agreement, data):
        target = next(t for t in targets if t.pk == data["target"])
        services.manual_value_record(target=target, actor=request.user, period_start=data["period_start"],
                                     period_end=data["period_end"], value=data["value"], note=data["note"],
                                     upload=data["upload"])
        return _("Value recorded.")
    return _action(request, pk, "value", forms.ManualValueForm, act, files=True, form_kwargs={"targets": targets})


@require_POST
@staff_view(Capability.SEE_AGREEMENTS, hide=True)
def target_edit(request, pk):
    agreement = selectors.access_agreement(request.user, pk)
    targets = list(_targets(agreement))

    def act(agreement, data):
        target = next(t for t in targets if t.pk == data["target"])
        services.target_edit(target=target, actor=request.user, indicator=data["indicator"],
                             target_value=data["target_value"])
        return _("Target saved.")
    return _action(request, pk, "target", forms.TargetForm, act,
                   form_kwargs={"targets": targets, "indicator_choices": indicators.choices()})


@require_GET
@staff_view(Capability.SEE_AGREEMENTS, hide=True)
def document_file(request, pk, document_pk):
    agreement = selectors.access_agreement(request.user, pk)
    document = get_object_or_404(Document, agreement=agreement, pk=document_pk)
    return file_response(document.file, filename=f"kesepakatan-{agreement.pk}-{document.pk}.pdf",
                         content_type="application/pdf")


def _report(request, pk):
    agreement = selectors.access_agreement(request.user, pk)
    _form, start, end = _period(request, agreement)
    return report.build(agreement, start, end)


@require_GET
@staff_view(Capability.SEE_AGREEMENTS, hide=True)
def report_pdf(request, pk):
    built = _report(request, pk)
    return bytes_response(report.pdf(built), content_type="application/pdf",
                          filename=f"monev-{built.agreement.pk}-{built.start:%Y%m%d}-{built.end:%Y%m%d}.pdf")


@require_GET
@staff_view(Capability.SEE_AGREEMENTS, hide=True)
def report_xlsx(request, pk):
    built = _report(request, pk)
    return bytes_response(report.xlsx(built),
                          content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          filename=f"monev-{built.agreement.pk}-{built.start:%Y%m%d}-{built.end:%Y%m%d}.xlsx")


# --- Duties, costs and dissemination (issue 19) ------------------------------------------------

def _duty_page(request, agreement, duty, *, bound=None, status=200):
    bound = bound or {}
    _form, start, end = _period(request, agreement)
    duties = selectors.duties_of(agreement, start, end).get(duty.item_id, [])
    duty = next(row for row in duties if row.pk == duty.pk)
    owner = services.acts_for(user=request.user, party=duty.party)
    documents = agreement.documents.all()
    return render(request, "agreements/duty.html", {
        "agreement": agreement, "duty": duty, "item": duty.item, "owner": owner, "start": start, "end": end,
        "status_form": bound.get("status") or forms.DutyStatusForm(initial={
            "status": duty.status, "note": duty.status_note, "period_start": duty.period_start,
            "period_end": duty.period_end}),
        "evidence_form": bound.get("evidence") or forms.DutyEvidenceForm(
            documents=documents, indicator_choices=indicators.choices()),
    }, status=status)


@require_GET
@staff_view(Capability.SEE_AGREEMENTS, hide=True)
def duty_detail(request, pk, duty_pk):
    agreement = selectors.access_agreement(request.user, pk)
    return _duty_page(request, agreement, selectors.access_duty(agreement, duty_pk))


def _duty_action(request, pk, duty_pk, name, form, act):
    agreement = selectors.access_agreement(request.user, pk)
    duty = selectors.access_duty(agreement, duty_pk)
    if not services.acts_for(user=request.user, party=duty.party):
        raise PermissionDenied  # the other party sees the duty but does not answer for it
    if form.is_valid():
        try:
            message = act(agreement, duty, form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, message)
            return redirect(reverse("agreements:duty", args=[agreement.pk, duty.pk]))
    return _duty_page(request, agreement, duty, bound={name: form}, status=400)


@require_POST
@staff_view(Capability.SEE_AGREEMENTS, hide=True)
def duty_status(request, pk, duty_pk):
    def act(agreement, duty, data):
        services.duty_status_set(duty=duty, actor=request.user, status=data["status"], note=data["note"],
                                 period_start=data["period_start"], period_end=data["period_end"])
        return _("Status of the duty saved.")
    return _duty_action(request, pk, duty_pk, "status", forms.DutyStatusForm(request.POST), act)


@require_POST
@staff_view(Capability.SEE_AGREEMENTS, hide=True)
def duty_evidence(request, pk, duty_pk):
    agreement = selectors.access_agreement(request.user, pk)
    documents = list(agreement.documents.all())
    form = forms.DutyEvidenceForm(request.POST, request.FILES, documents=documents,
                                  indicator_choices=indicators.choices())

    def act(agreement, duty, data):
        document = next((d for d in documents if d.pk == data["document"]), None)
        services.duty_evidence_add(duty=duty, actor=request.user, kind=data["kind"], document=document,
                                   upload=data["upload"], url=data["url"], indicator=data["indicator"],
                                   caption=data["caption"])
        return _("Evidence added.")
    return _duty_action(request, pk, duty_pk, "evidence", form, act)


@require_GET
@staff_view(Capability.SEE_AGREEMENTS, hide=True)
def duty_photo(request, pk, duty_pk, evidence_pk):
    agreement = selectors.access_agreement(request.user, pk)
    duty = selectors.access_duty(agreement, duty_pk)
    evidence = get_object_or_404(DutyEvidence, duty=duty, pk=evidence_pk, kind=DutyEvidence.Kind.PHOTO)
    extension = evidence.photo.name.rsplit(".", 1)[-1].lower()
    content_type = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}.get(extension, "image/jpeg")
    return file_response(evidence.photo, filename=f"tugas-{duty.pk}-{evidence.pk}.{extension}",
                         content_type=content_type)


@require_POST
@staff_view(Capability.SEE_AGREEMENTS, hide=True)
def budget_new(request, pk):
    agreement = selectors.access_agreement(request.user, pk)
    items = list(agreement.work_plan.all())

    def act(agreement, data):
        item = next(item for item in items if item.pk == data["item"])
        services.budget_line_set(item=item, actor=request.user, amount=data["amount"], source=data["source"])
        return _("Budget saved.")
    return _action(request, pk, "budget", forms.BudgetLineForm, act, form_kwargs={"items": items})


@require_POST
@staff_view(Capability.SEE_AGREEMENTS, hide=True)
def spending_new(request, pk):
    agreement = selectors.access_agreement(request.user, pk)
    lines = _own_lines(request.user, agreement)

    def act(agreement, data):
        line = next(line for line in lines if line.pk == data["line"])
        services.spending_record(line=line, actor=request.user, spent_on=data["spent_on"], amount=data["amount"],
                                 description=data["description"], upload=data["upload"])
        return _("Spending recorded.")
    return _action(request, pk, "spending", forms.SpendingForm, act, files=True, form_kwargs={"lines": lines})


@require_POST
@staff_view(Capability.SEE_AGREEMENTS, hide=True)
def dissemination_new(request, pk):
    def act(agreement, data):
        services.dissemination_record(agreement=agreement, actor=request.user, channel=data["channel"],
                                      title=data["title"], url=data["url"], published_on=data["published_on"],
                                      reach=data["reach"])
        return _("Post recorded.")
    return _action(request, pk, "dissemination", forms.DisseminationForm, act)
