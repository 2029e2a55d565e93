from django import forms
from django.utils.translation import gettext_lazy as _

from cases import requirements as reqs
from cases.models import Case, Clarification
from cases.services import Check
from cases.states import Outcome, Status
from reports.forms import RegionChoiceField
from rules.selectors import election_list_open, subject_choices, violation_list


class RequirementsForm(forms.Form):
    """One yes/no per requirement of the report's regime; ticked only where Netral verified it, each
    saying where its evidence is (cases.requirements.prefill)."""

    def __init__(self, *args, regime: str, prefilled: dict[str, reqs.Prefill], language: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.requirements = reqs.for_regime(regime)
        for requirement in self.requirements:
            shown = prefilled.get(requirement.id)
            self.fields[f"met_{requirement.id}"] = forms.BooleanField(
                label=requirement.label(language), required=False, initial=bool(shown and shown.ticked),
                help_text=shown.evidence if shown else "")
            self.fields[f"note_{requirement.id}"] = forms.CharField(
                label=_("Note"), required=False, max_length=500)
        self.fields["message"] = forms.CharField(
            label=_("Message to the reporter (if something is missing)"), required=False, max_length=2000,
            widget=forms.Textarea(attrs={"rows": 3}))

    def rows(self):
        return [(r, self[f"met_{r.id}"], self[f"note_{r.id}"]) for r in self.requirements]

    def checks(self) -> list[Check]:
        return [Check(r.id, self.cleaned_data[f"met_{r.id}"], self.cleaned_data[f"note_{r.id}"])
                for r in self.requirements]


class FindingForm(forms.Form):
    election = forms.ModelChoiceField(label=_("Election"), queryset=None, empty_label=None)
    region = RegionChoiceField(label=_("Where did it happen?"))
    place = forms.CharField(label=_("Place"), max_length=300)
    occurred_on = forms.DateField(label=_("Date of the event"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    known_on = forms.DateField(label=_("Date it was found"),
                               widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    summary = forms.CharField(label=_("Summary of the facts"), widget=forms.Textarea(attrs={"rows": 5}), min_length=20)
    person_name = forms.CharField(label=_("Reported person"), max_length=150, required=False)
    person_position = forms.CharField(label=_("Position"), max_length=200, required=False)
    person_unit = forms.CharField(label=_("Unit or agency"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["election"].queryset = election_list_open()


class ProposeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Proposed outcome"), choices=Outcome.choices)
    violations = forms.ModelMultipleChoiceField(label=_("Violated provisions"), queryset=None, required=False,
                                                widget=forms.CheckboxSelectMultiple)
    legal_analysis = forms.CharField(label=_("Legal analysis"), widget=forms.Textarea(attrs={"rows": 6}))
    conclusion = forms.CharField(label=_("Conclusion"), widget=forms.Textarea(attrs={"rows": 3}))
    reason = forms.CharField(label=_("Reason (not a violation / not followed up)"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))
    forwarded_to = forms.CharField(label=_("Forwarded to (another body)"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["violations"].queryset = violation_list()


class PersonSubjectForm(forms.Form):
    """The kind of a reported person whom the register does not know (a village head, an official...)."""

    person = forms.ModelChoiceField(label=_("Reported person"), queryset=None)
    subject = forms.ChoiceField(label=_("Kind of person"), choices=[])

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = case.persons.filter(employee__isnull=True)
        self.fields["subject"].choices = [("", _("Choose…"))] + subject_choices()


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class ApproveForm(forms.Form):
    announcement = forms.CharField(
        label=_("Public announcement"), widget=forms.Textarea(attrs={"rows": 3}), max_length=3000,
        help_text=_("Published on the portal and on the reporter's page. Never name the reporter."))


class MergeForm(forms.Form):
    target = forms.ModelChoiceField(label=_("Merge into"), queryset=Case.objects.none())

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        from cases.states import OPEN

        self.fields["target"].queryset = Case.objects.filter(office=case.office, status__in=OPEN).exclude(pk=case.pk)


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("open", _("Open")), ("", _("All statuses"))] + list(Status.choices))
    due = forms.ChoiceField(label=_("Deadline"), required=False,
                            choices=[("", _("Any")), ("overdue", _("Overdue")), ("soon", _("Due soon"))])
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds"))] + list(Case.Kind.choices))
    order = forms.ChoiceField(label=_("Sort by"), required=False,
                              choices=[("due", _("Next deadline")), ("new", _("Newest"))])


class ClarificationForm(forms.Form):
    party = forms.ChoiceField(label=_("Heard as"), choices=Clarification.Party.choices)
    name = forms.CharField(label=_("Name"), max_length=150)
    scheduled_at = forms.DateTimeField(label=_("Date and time"),
                                       widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                                       input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    place = forms.CharField(label=_("Place"), max_length=300)


class MinutesForm(forms.Form):
    minutes = forms.CharField(label=_("Minutes (berita acara)"), widget=forms.Textarea(attrs={"rows": 5}))


class AssessmentForm(forms.Form):
    relevant = forms.BooleanField(label=_("Relevant to the case"), required=False)
    note = forms.CharField(label=_("Assessment"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
