from dataclasses import dataclass

from django import forms
from django.forms.boundfield import BoundWidget
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from cases import requirements as reqs
from cases.models import Case, Clarification
from cases.provisions import Mismatch
from cases.selectors import merge_target_for
from cases.services import Check
from cases.states import Outcome, Status
from cases.study import StudyContext, study_context
from regions.selectors import region_for_reporting, region_label
from reports.forms import clean_typed_region
from rules.selectors import (
    FamilyGroup,
    election_list_open,
    subject_choices,
    violation_list,
    violations_by_family,
)


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
    # Issue 20: typed and found by name within the user's jurisdiction (reports.forms.clean_typed_region),
    # never one <select> of the country's ~7,800 regencies and districts; ``region`` is the id of a
    # "Did you mean" choice (or of the report the finding comes from).
    region_name = forms.CharField(
        label=_("Where did it happen?"), max_length=200, required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text=_("Type the name of the district (kecamatan) or of the regency/city, e.g. Manggar or "
                    "Belitung Timur."))
    region = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)
    place = forms.CharField(label=_("Place"), max_length=300)
    occurred_on = forms.DateField(label=_("Date of the event"), required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    known_on = forms.DateField(label=_("Date it was found"),
                               widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    summary = forms.CharField(label=_("Summary of the facts"), widget=forms.Textarea(attrs={"rows": 5}), min_length=20)
    person_name = forms.CharField(label=_("Reported person"), max_length=150, required=False)
    person_position = forms.CharField(label=_("Position"), max_length=200, required=False)
    person_unit = forms.CharField(label=_("Unit or agency"), max_length=200, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["election"].queryset = election_list_open()
        self.fields["region_name"].shown_required = True  # required, said by clean() (a choice may fill it)
        self.jurisdiction = user.jurisdiction if user is not None else None
        self.region_choices: list[tuple[int, str]] = []  # set by clean(): several places of the typed name
        if not self.is_bound and self.initial.get("region") and not self.initial.get("region_name"):
            region = region_for_reporting(self.initial["region"], jurisdiction=self.jurisdiction)
            if region is not None:  # the name only: a hidden id would win over a name typed instead
                self.initial["region_name"] = region_label(region)
            self.initial.pop("region")

    def clean(self):
        data = super().clean()
        self.region_choices = clean_typed_region(self, data, jurisdiction=self.jurisdiction)
        return data


@dataclass(frozen=True)
class ProvisionBox:
    """One provision's checkbox in the study form, with its short citation."""

    box: BoundWidget
    citation: str
    by_reporter: bool


class ProposeForm(forms.Form):
    """The study (kajian): the provisions start from the reporter's choice, grouped as the
    public catalog groups them, and a provision of another category than the reporter's
    choice or the facts needs the box ticked that says staff checked it (issue 18)."""

    outcome = forms.ChoiceField(label=_("Proposed outcome"), choices=Outcome.choices)
    violations = forms.ModelMultipleChoiceField(label=_("Violated provisions"), queryset=None, required=False,
                                                widget=forms.CheckboxSelectMultiple)
    legal_analysis = forms.CharField(label=_("Legal analysis"), widget=forms.Textarea(attrs={"rows": 6}))
    conclusion = forms.CharField(label=_("Conclusion"), widget=forms.Textarea(attrs={"rows": 3}))
    reason = forms.CharField(label=_("Reason (not a violation / not followed up)"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))
    forwarded_to = forms.CharField(label=_("Forwarded to (another body)"), required=False, max_length=200)
    warnings_acknowledged = forms.BooleanField(
        label=_("I have checked the chosen provisions against the facts and the reporter's choice."), required=False)

    def __init__(self, *args, case: Case | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["violations"].queryset = violation_list()
        self.case = case
        self._submitted_warnings: list[Mismatch] = []

    @cached_property
    def study(self) -> StudyContext | None:
        """Read only when the study section is drawn or sent: the case page shows it in one status."""
        return study_context(self.case) if self.case is not None else None

    def get_initial_for_field(self, field, field_name):
        value = super().get_initial_for_field(field, field_name)
        if field_name == "violations" and not value and self.study is not None:
            return list(self.study.reporter_choice)  # a study with no provision yet starts from the reporter's
        return value

    @property
    def provision_warnings(self) -> list[Mismatch]:
        """Of the provisions as chosen now: the initial ones, or the submitted ones once cleaned."""
        if self.is_bound:
            return self._submitted_warnings
        if self.study is None:
            return []
        return self.study.mismatches(self.get_initial_for_field(self.fields["violations"], "violations"))

    def provision_groups(self) -> list[tuple[FamilyGroup, list[ProvisionBox]]]:
        """The checkboxes by family, in the public catalog's order (rules.selectors.violations_by_family)."""
        boxes = {str(box.data["value"]): box for box in self["violations"]}
        chosen_by_reporter = {v.pk for v in self.study.reporter_choice} if self.study else set()
        groups = []
        for group in violations_by_family():
            rows = [ProvisionBox(box=boxes[v.pk], citation=(v.data or {}).get("source", ""),
                                 by_reporter=v.pk in chosen_by_reporter)
                    for v in group.violations if v.pk in boxes]
            if rows:
                groups.append((group, rows))
        return groups

    def clean(self):
        data = super().clean()
        if self.study is not None:
            self._submitted_warnings = self.study.mismatches(data.get("violations") or [])
        if self._submitted_warnings and not data.get("warnings_acknowledged"):
            self.add_error("warnings_acknowledged", _(
                "Read the warning about the chosen provisions, then tick this box to send the study with them."))
        return data


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
    """The case to merge into, by its number: typed, or picked from the search under the field
    (htmx, cases.views.merge_search), which also fills the hidden id. Never a list of every open
    case of the office (issue 20: that list made the page grow with the data)."""

    prefix = "merge"  # the case page holds many forms: ids of their own (id_merge-number)
    number = forms.CharField(
        label=_("Merge into (case number)"), max_length=80,
        help_text=_("Type the number of an open case of this office, or its first characters and pick it."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
    target = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, case: Case, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.case, self.user = case, user

    def clean(self):
        data = super().clean()
        number = data.get("number", "")
        if not number:
            return data
        target = merge_target_for(self.user, self.case, number=number, pk=data.get("target"))
        if target is None:
            raise forms.ValidationError(
                _("No case numbered %(number)s was found in your jurisdiction."), params={"number": number.strip()},
                code="not_found")
        if target.pk == self.case.pk:
            raise forms.ValidationError(_("A case cannot be merged into itself."), code="itself")
        if not target.is_open:
            raise forms.ValidationError(
                _("Case %(number)s is no longer open: a case can only be merged into an open case."),
                params={"number": target.number}, code="closed")
        if target.office_id != self.case.office_id:
            raise forms.ValidationError(_("Only cases of the same office can be merged."), code="other_office")
        data["target"] = target
        return data


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
