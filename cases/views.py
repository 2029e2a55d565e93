"""Thin views of case handling: access, form, one service call."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import staff_view
from accounts.permissions import Capability, can
from cases import requirements as reqs
from cases import services, states
from cases.deadlines import case_next_deadline, report_deadline_to_file, report_facts, report_next_deadline
from cases.extensions import case_panels_for
from cases.forms import (
    ApproveForm,
    AssessmentForm,
    CaseFilterForm,
    ClarificationForm,
    FindingForm,
    MergeForm,
    MinutesForm,
    NoteForm,
    PersonSubjectForm,
    ProposeForm,
    RequirementsForm,
)
from cases.models import CasePerson, Clarification, EvidenceAssessment
from cases.selectors import (
    access_case,
    case_list_for,
    case_of_report,
    deadline_flag,
    merge_targets_for,
    notifications_unread,
    person_routes,
    related_open_cases,
    report_pauses,
)
from netral import clock
from netral.clock import due_soon_until
from netral.files import file_response
from reports.models import Attachment
from reports.selectors import access_report, report_thread
from rules.selectors import subject_choices


@require_GET
@staff_view(Capability.HANDLE_REPORTS)
def case_list(request):
    filters = CaseFilterForm(request.GET or None)
    cleaned = filters.cleaned_data if filters.is_valid() else {}
    cases = case_list_for(request.user, status=cleaned.get("status", "open") if request.GET else "open",
                          due=cleaned.get("due", ""), kind=cleaned.get("kind", ""), query=cleaned.get("q", ""),
                          order=cleaned.get("order") or "due")
    page = Paginator(cases, 25).get_page(request.GET.get("page"))
    horizon = due_soon_until()
    for case in page:
        case.flag = clock.deadline_flag(case.due_on, horizon)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "cases/case_list.html", {"filters": filters, "page": page, "querystring": query.urlencode(),
                                                    "horizon": horizon,
                                                    "notifications": notifications_unread(request.user)})


def _chosen_violations(form):
    """The provisions chosen in a proposal that came back with an error, to show their routes."""
    if form is None or not hasattr(form, "cleaned_data"):
        return None
    return list(form.cleaned_data.get("violations") or [])


def _detail(request, case, *, forms=None, status=200):
    forms = forms or {}
    persons = list(case.persons.select_related("employee__unit"))
    subjects = dict(subject_choices())
    for person in persons:
        person.subject_label = subjects.get(person.subject, "")
    return render(request, "cases/case_detail.html", {
        "case": case,
        "actions": states.actions_allowed(case.status),
        "study_section": states.study_section(case.status),
        "deadline": case_next_deadline(case),
        "flag": deadline_flag(case.due_on),
        "persons": persons,
        "routes": person_routes(case, persons, violations=_chosen_violations(forms.get("propose"))),
        "subject_form": forms.get("subject") or PersonSubjectForm(case=case),
        "reports": [link.report for link in case.case_reports.select_related("report__region")],
        "requirements": _requirement_rows(case),
        "violations": list(case.violations.all()),
        "propose_form": forms.get("propose") or ProposeForm(case=case, initial={
            "legal_analysis": case.legal_analysis, "conclusion": case.conclusion, "outcome": case.outcome or None,
            "violations": list(case.violations.all()), "reason": case.outcome_reason,
            "forwarded_to": case.forwarded_to}),
        "extend_form": forms.get("extend") or NoteForm(),
        "return_form": forms.get("return") or NoteForm(),
        "approve_form": forms.get("approve") or ApproveForm(),
        "merge_form": forms.get("merge") or MergeForm(case=case, user=request.user),
        "clarification_form": forms.get("clarification") or ClarificationForm(),
        "clarifications": [(c, forms.get(("minutes", c.pk)) or MinutesForm(initial={"minutes": c.minutes}))
                           for c in case.clarifications.select_related("invitation")],
        "evidence": _evidence_rows(case, forms),
        "letters": list(case.letters.all()),
        "is_lead": can(request.user, Capability.DECIDE_CASES),
        "panels": case_panels_for(request.user, case),
    }, status=status)


def _evidence_rows(case, forms):
    assessments = {a.attachment_id: a for a in EvidenceAssessment.objects.filter(case=case)}
    attachments = Attachment.objects.filter(report__case_link__case=case).select_related("blob", "report")
    rows = []
    for attachment in attachments:
        done = assessments.get(attachment.pk)
        form = forms.get(("assessment", attachment.pk)) or AssessmentForm(
            initial={"relevant": done.relevant, "note": done.note} if done else None, prefix=f"a{attachment.pk}")
        rows.append((attachment, done, form))
    return rows


def _requirement_rows(case):
    labels = {r.id: r.label(get_language() or "id") for r in reqs.requirements()}
    return [(labels.get(check.requirement, check.requirement), check) for check in case.requirements.all()]


@require_GET
@staff_view(Capability.HANDLE_REPORTS)
def case_detail(request, pk):
    case = access_case(request.user, pk)
    services.notifications_mark_read(user=request.user, case=case)
    return _detail(request, case)


def _action(form_key, form_class, service, success_message, *, with_case_form=False):
    """A POST on a case: validate the form, call the service, or show the page with the errors."""

    @require_POST
    @staff_view(Capability.HANDLE_REPORTS)
    def view(request, pk):
        case = access_case(request.user, pk)
        form = form_class(request.POST, case=case) if with_case_form else form_class(request.POST)
        if form.is_valid():
            try:
                service(request, case, form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, success_message())
                return redirect(case)
        return _detail(request, case, forms={form_key: form}, status=400)

    return view


class _Empty(NoteForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].required = False


start_study = _action("start", _Empty, lambda r, c, d: services.case_start_study(case=c, actor=r.user),
                      lambda: _("The study has started."))
extend_study = _action("extend", NoteForm, lambda r, c, d: services.case_extend_study(case=c, actor=r.user, reason=d["note"]),
                       lambda: _("The study was extended."))
propose = _action("propose", ProposeForm, lambda r, c, d: services.case_propose(case=c, actor=r.user, **d),
                  lambda: _("The proposal was sent to the leadership."), with_case_form=True)
set_subject = _action("subject", PersonSubjectForm,
                      lambda r, c, d: services.case_person_set_subject(person=d["person"], actor=r.user,
                                                                       subject=d["subject"]),
                      lambda: _("The kind of person was saved."), with_case_form=True)
send_back = _action("return", NoteForm, lambda r, c, d: services.case_return(case=c, actor=r.user, note=d["note"]),
                    lambda: _("The case was returned for further study."))
approve = _action("approve", ApproveForm,
                  lambda r, c, d: services.case_approve(case=c, actor=r.user, announcement=d["announcement"]),
                  lambda: _("The outcome was approved and announced."))


@require_POST
@staff_view(Capability.HANDLE_REPORTS)
def merge(request, pk):
    """Merge into the case named by its number; works without JavaScript (the number typed whole)."""
    case = access_case(request.user, pk)
    form = MergeForm(request.POST, case=case, user=request.user)
    if form.is_valid():
        try:
            services.case_merge(source=case, target=form.cleaned_data["target"], actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The cases were merged."))
            return redirect(case)
    return _detail(request, case, forms={"merge": form}, status=400)


@require_GET
@staff_view(Capability.HANDLE_REPORTS)
def merge_search(request, pk):
    """htmx: at most ten open cases of the office to merge into, by number prefix or exact number."""
    case = access_case(request.user, pk)
    query = request.GET.get("merge-number", "")[:80]
    targets = merge_targets_for(request.user, case, query) if "merge" in states.actions_allowed(case.status) else []
    return render(request, "cases/_merge_results.html", {"case": case, "query": query.strip(), "targets": targets})


@require_POST
@staff_view(Capability.HANDLE_REPORTS)
def schedule_clarification(request, pk):
    case = access_case(request.user, pk)
    form = ClarificationForm(request.POST)
    if form.is_valid():
        try:
            services.case_schedule_clarification(case=case, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The clarification was scheduled and its invitation letter issued."))
            return redirect(case)
    return _detail(request, case, forms={"clarification": form}, status=400)


def _row_action(request, case, key, form, call, success_message):
    """A POST on one row of the case page (minutes, an assessment): on error the page comes
    back with the typed text kept and the message beside that row."""
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, success_message)
            return redirect(case)
    return _detail(request, case, forms={key: form}, status=400)


@require_POST
@staff_view(Capability.HANDLE_REPORTS)
def record_minutes(request, pk, clarification_id):
    case = access_case(request.user, pk)
    clarification = get_object_or_404(Clarification, case=case, pk=clarification_id)
    return _row_action(
        request, case, ("minutes", clarification.pk), MinutesForm(request.POST),
        lambda data: services.case_record_minutes(clarification=clarification, actor=request.user, **data),
        _("The minutes were recorded."))


@require_POST
@staff_view(Capability.HANDLE_REPORTS)
def assess_evidence(request, pk, attachment_id):
    case = access_case(request.user, pk)
    attachment = get_object_or_404(Attachment, pk=attachment_id, report__case_link__case=case)
    return _row_action(
        request, case, ("assessment", attachment.pk), AssessmentForm(request.POST, prefix=f"a{attachment.pk}"),
        lambda data: services.case_assess_evidence(case=case, actor=request.user, attachment=attachment, **data),
        _("The assessment was recorded."))


@require_GET
@staff_view(Capability.HANDLE_REPORTS)
def letter_file(request, pk, letter_id):
    case = access_case(request.user, pk)
    letter = get_object_or_404(case.letters.all(), pk=letter_id)
    return serve_pdf(letter)


def serve_pdf(letter):
    return file_response(letter.file, filename=f"{letter.kind}-{letter.pk}.pdf", content_type="application/pdf")


# --- From a report --------------------------------------------------------------------------

def _prefilled(report, thread):
    facts = report_facts(report, evidence_count=len(thread.attachments), links_count=len(thread.links),
                         persons_count=len(thread.reported_persons))
    return reqs.prefills(reqs.for_regime(report.election.regime), facts)


@require_http_methods(["GET", "POST"])
@staff_view(Capability.HANDLE_REPORTS)
def register_report(request, pk):
    """Check a report's requirements: register it, or send it back for completion."""
    report = access_report(request.user, pk)
    existing = case_of_report(report)
    if existing:
        return redirect(existing)
    thread = report_thread(report)
    form = RequirementsForm(request.POST or None, regime=report.election.regime, prefilled=_prefilled(report, thread),
                            language=get_language() or "id")
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                if "complete" in request.POST:
                    due = services.report_request_completion(report=report, actor=request.user, checks=form.checks(),
                                                             note=form.cleaned_data["message"])
                    messages.success(request, _("The report was sent back to the reporter until %(date)s.")
                                     % {"date": date_format(due, "j F Y")})
                    return redirect(report)
                case = services.case_register_report(report=report, actor=request.user, checks=form.checks())
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Registered as %(number)s.") % {"number": case.number})
                return redirect(case)
        status = 400
    return render(request, "cases/register_report.html", {
        "report": report, "thread": thread, "form": form,
        "to_file": report_deadline_to_file(report),
        "next_deadline": report_next_deadline(report, report_pauses(report)),
        "related": related_open_cases(report),
    }, status=status)


@require_http_methods(["GET", "POST"])
@staff_view(Capability.HANDLE_REPORTS)
def new_finding(request, report_pk=None):
    """Register a finding: the staff's own discovery, or an anonymous submission's information."""
    report = access_report(request.user, report_pk) if report_pk else None
    if report and case_of_report(report):
        return redirect(case_of_report(report))
    initial = {}
    if report:
        person = report.reported_persons.first()
        initial = {"election": report.election_id, "region": report.region_id, "place": report.place,
                   "occurred_on": report.occurred_on, "summary": report.description,
                   # Bawaslu discovered it when the information arrived: the finding's clock starts then.
                   "known_on": timezone.localdate(report.created_at),
                   "person_name": person.name if person else "", "person_position": person.position if person else "",
                   "person_unit": person.unit if person else ""}
    form = FindingForm(request.POST or None, initial=initial, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            persons = [CasePerson(name=data["person_name"], position=data["person_position"], unit=data["person_unit"])
                       ] if data["person_name"] else []
            try:
                case = services.case_register_finding(
                    actor=request.user, election=data["election"], region=data["region"], summary=data["summary"],
                    place=data["place"], known_on=data["known_on"], occurred_on=data["occurred_on"], persons=persons,
                    source_report=report)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Registered as %(number)s.") % {"number": case.number})
                return redirect(case)
        status = 400
    return render(request, "cases/new_finding.html", {"form": form, "report": report}, status=status)
