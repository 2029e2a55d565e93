"""Forms of the follow-up staff pages: cleaning and messages; the services decide and save.

Field names match the keys of the services' ValidationError dicts (grade, addressee,
sanction, upload, ...), so a refusal by the service lands beside the field it is about.
"""

from django import forms
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from followup.models import Decision, PositionClass, Recommendation
from followup.sanctions import ActContext, Grade, allowed_grades, allowed_sanctions, grade_label
from netral.forms import TypedChoiceMixin, pick_id_field, pick_name_field
from organizations.forms import agency_pick
from organizations.models import Agency
from registry.models import Employee
from rules.selectors import catalog, violation_list

ISO_DATE = "%Y-%m-%d"


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"placeholder": _("number, case or name")}))
    stage = forms.ChoiceField(label=_("Stage"), required=False,
                              choices=[("", _("Both stages"))] + list(Recommendation.Stage.choices))
    state = forms.ChoiceField(label=_("State"), required=False, choices=[
        ("", _("All")), ("open", _("Open")), ("soon", _("Due soon")), ("overdue", _("Overdue")),
        ("escalated", _("Escalated")),
        ("closed", _("Acted on")),
    ])


def addressee_agencies():
    """The agencies a recommendation may be addressed to: every government's, never the authority itself."""
    return Agency.objects.exclude(kind=Agency.Kind.AUTHORITY)


class IssueForm(TypedChoiceMixin, forms.Form):
    """The authority's recommendation to the PPK for one reported person of a forwarded case.

    The addressee is typed and found by name (issue 20: never a <select> of the country's 552 agencies)."""

    person = forms.ModelChoiceField(label=_("Reported person"), queryset=None, empty_label=None)
    addressee_name = pick_name_field(label=_("Agency of the reported person (its PPK receives the recommendation)"),
                                     help_text=_("Type the agency's name or its regency/city, e.g. Belitung Timur."))
    addressee = pick_id_field()
    employee_kind = forms.ChoiceField(label=_("Kind of employee"), choices=Employee.Kind.choices)
    position_class = forms.ChoiceField(label=_("Position class"), choices=PositionClass.choices,
                                       help_text=_("Shown in the public register instead of the name."))
    violations = forms.ModelMultipleChoiceField(label=_("Violated provisions"), queryset=None,
                                                widget=forms.CheckboxSelectMultiple)
    grade = forms.ChoiceField(label=_("Recommended sanction"), choices=[])
    considerations = forms.CharField(label=_("Considerations"), required=False, max_length=5000,
                                     widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, forwarding: Recommendation, persons, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = persons
        self.add_pick("addressee", pick=agency_pick(addressee_agencies()),
                      search_url=reverse("followup:issue_agencies", args=[forwarding.pk]))
        self.fields["violations"].queryset = violation_list()
        kind = self._value("employee_kind") or Employee.Kind.PNS
        violation_ids = self._values("violations")
        grades = allowed_grades(catalog(), violation_ids, kind, context=ActContext.of_case(forwarding.case))
        self.fields["grade"].choices = [("", _("Choose…"))] + [(g.key, grade_label(g.family, g.level)) for g in grades]
        self.fields["grade"].help_text = _("Only the sanctions the catalog allows for the chosen violations and kind "
                                           "of employee are offered; change those and send to see others.")
        self.fields["grade"].error_messages["invalid_choice"] = _(
            "This sanction family and level do not fit the violated provisions and the kind of employee.")

    def _value(self, name):
        if self.is_bound:
            return self.data.get(self.add_prefix(name), "")
        value = self.initial.get(name, "")
        return value

    def _values(self, name) -> list[str]:
        if self.is_bound:
            return list(self.data.getlist(self.add_prefix(name))) if hasattr(self.data, "getlist") else []
        return [getattr(v, "pk", v) for v in self.initial.get(name, [])]

    def clean_grade(self):
        return Grade.parse(self.cleaned_data["grade"])


class RefuseForm(forms.Form):
    reason = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)


class DecisionForm(forms.Form):
    """The PPK's decision: the sanction imposed with its decision letter, or a reasoned refusal."""

    outcome = forms.ChoiceField(label=_("Decision"), choices=Decision.Outcome.choices, widget=forms.RadioSelect,
                                initial=Decision.Outcome.IMPOSED)
    # A plain field with a list: the service checks the sanction against the catalog, so a
    # forged value gets the service's own message, not a generic "invalid choice".
    sanction = forms.CharField(label=_("Sanction imposed"), required=False, widget=forms.Select)
    letter_number = forms.CharField(label=_("Decision letter number"), required=False, max_length=120)
    letter_date = forms.DateField(label=_("Decision letter date"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}, format=ISO_DATE))
    upload = forms.FileField(label=_("Decision letter (PDF or photo)"), required=False,
                             widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.webp"}),
                             help_text=_("For security the file must be chosen again if the form comes back "
                                         "with an error."))
    reason = forms.CharField(label=_("Reasons (when no sanction is imposed)"), required=False, max_length=5000,
                             widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, recommendation: Recommendation, violation_ids, **kwargs):
        super().__init__(*args, **kwargs)
        language = get_language()
        sanctions = allowed_sanctions(catalog(), violation_ids, recommendation.employee_kind,
                                       context=ActContext.of_case(recommendation.case))
        self.fields["sanction"].widget.choices = [("", _("Choose…"))] + [
            (s.id, s.title.get(language)) for s in sanctions]
        for name in ("sanction", "letter_number", "letter_date", "upload"):
            self.fields[name].shown_required = True  # when a sanction is imposed
