from django import forms
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from cases.selectors import announcement_letter, announcement_persons, announcements_public
from netral.files import file_response
from rules.catalog import STEP_REPORT
from rules.deadlines import format_day
from rules.selectors import (
    DeadlineRuleNotFound,
    access_violation,
    current_language,
    deadline_compute,
    family_explanation,
    regime_choices,
    step_choices,
    subject_list,
    unverified_entries,
    violation_explained,
    violations_explained_by_family,
)


@require_GET
def home(request):
    return render(request, "portal/home.html", {"subjects": subject_list()})


@require_GET
def healthz(request):
    """A bare view through the whole middleware stack: the benchmark's ceiling."""
    return HttpResponse("ok", content_type="text/plain")


@require_GET
def announcements(request):
    """Published outcomes of cases: what was decided, never who reported it."""
    page = Paginator(announcements_public(), 20).get_page(request.GET.get("page"))
    return render(request, "portal/announcements.html", {"page": page, "announcements": announcement_persons(page)})


@require_GET
def announcement_pdf(request, case_id):
    """The announcement letter: public by nature, it names no reporter."""
    letter = announcement_letter(case_id)
    return file_response(letter.file, filename=f"pengumuman-{case_id}.pdf", content_type="application/pdf")


@require_GET
def rules_list(request):
    families = violations_explained_by_family()
    return render(request, "portal/rules_list.html", {
        "families": [(family, family.explanation) for family in families],
        "subjects": subject_list(),
    })


@require_GET
def rules_unverified(request):
    return render(request, "portal/rules_unverified.html", {"entries": unverified_entries()})


@require_GET
def rule_detail(request, violation_id):
    violation = access_violation(violation_id)  # 404 for an unknown or inactive act
    return render(request, "portal/rule_detail.html", {
        "violation": violation_explained(violation),
        "family_explanation": family_explanation(violation.family),  # rules/data/families.yaml
    })


class DeadlineCalculatorForm(forms.Form):
    """The public deadline calculator: the same steps as /api/v1/deadlines, in plain words."""

    # Both lists come from the data (rules/data/regimes.yaml, steps.yaml), read at each request.
    regime = forms.ChoiceField(label=_("Kind of election"), choices=regime_choices,
                               error_messages={"required": _("Choose the kind of election."),
                                               "invalid_choice": _("Choose the kind of election from the list.")})
    step = forms.ChoiceField(label=_("What must be done"), choices=step_choices,
                             error_messages={"required": _("Choose what must be done."),
                                             "invalid_choice": _("Choose what must be done from the list.")})
    start = forms.DateField(
        label=_("Start date (day 0)"),
        help_text=_("The day the clock starts, for example the day the violation became known. "
                    "The next counted day is day 1."),
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": _("Give the start date."),
                        "invalid": _("Not a valid date: give a real calendar day, for example 2024-11-22.")},
    )


@require_GET
def deadline_calculator(request):
    """The last day a step may still be done, counted like the cases count (rules.selectors)."""
    asked = any(name in request.GET for name in DeadlineCalculatorForm.base_fields)
    first_regime = next(iter(regime_choices()), ("", ""))[0]
    form = DeadlineCalculatorForm(request.GET if asked else None, initial={"regime": first_regime, "step": STEP_REPORT})
    answer = due = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            answer = deadline_compute(data["regime"], data["step"], data["start"])
        except DeadlineRuleNotFound:
            form.add_error("step", _("Choose what must be done from the list."))
        except OverflowError:
            form.add_error("start", _("Not a valid date: give a real calendar day, for example 2024-11-22."))
        else:
            due = format_day(answer.due, current_language(), weekday=True)
    return render(request, "portal/deadline_calculator.html", {"form": form, "answer": answer, "due": due})
